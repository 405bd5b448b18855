package keyfiles

import (
	"crypto/ecdsa"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

// NodeKeyPath returns where citynode reads its devp2p node key in a data
// dir: DATADIR/citynode/nodekey (go-ethereum's node, instance "citynode").
func NodeKeyPath(dataDir string) string { return filepath.Join(dataDir, "citynode", "nodekey") }

// NodeKey returns the node key of a data dir, and whether it was made now:
// the one there, or a new one, written as go-ethereum writes it (hex, no line
// end) and made durable with the directories above it, so the enode that the
// other members put on their allowlists cannot be lost to a power cut.
func NodeKey(dataDir string) (key *ecdsa.PrivateKey, made bool, err error) {
	path := NodeKeyPath(dataDir)
	key, err = crypto.LoadECDSA(path)
	switch {
	case err == nil:
		return key, false, nil
	case !errors.Is(err, os.ErrNotExist):
		return nil, false, fmt.Errorf("node key %s is unreadable (%v): remove it to make a new one", path, err)
	}
	if key, err = crypto.GenerateKey(); err != nil {
		return nil, false, err
	}
	if err := atomicfile.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, false, fmt.Errorf("make the node key's directory: %w", err)
	}
	if err := atomicfile.Write(path, []byte(hex.EncodeToString(crypto.FromECDSA(key))), 0o600); err != nil {
		return nil, false, fmt.Errorf("write node key: %w", err)
	}
	if err := Persist(path); err != nil { // the data dir's own entry, and above
		return nil, false, err
	}
	return key, true, nil
}
