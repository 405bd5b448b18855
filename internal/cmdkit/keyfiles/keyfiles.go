// Package keyfiles opens the encrypted keystore of a citynode data dir and
// reads password files: what citynode, cityctl and the signer onboarding
// share, kept apart from the node so that the operators' tool does not link
// the whole node.
package keyfiles

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
	"github.com/ethereum/go-ethereum/accounts/keystore"
)

// Dir returns the keystore directory of a data dir: DATADIR/keystore.
func Dir(dataDir string) string { return filepath.Join(dataDir, "keystore") }

// Open opens the encrypted keystore in dir with geth's standard scrypt
// parameters.
func Open(dir string) *keystore.KeyStore {
	return keystore.NewKeyStore(dir, keystore.StandardScryptN, keystore.StandardScryptP)
}

// Persist makes a key file that geth's keystore or node key writer just
// wrote durable: the file, and every directory above it up to the root (any
// of them, the data dir included, may have been made a moment before, and
// nothing fsynced their parents). geth writes key files without an fsync, so
// a power failure after `account new` or a signer's onboarding returned
// could lose the key it printed. A directory that is already durable costs an
// fsync with nothing to write.
func Persist(path string) error {
	abs, err := filepath.Abs(path)
	if err != nil {
		return err
	}
	if err := atomicfile.SyncUp(abs, string(filepath.Separator)); err != nil {
		return fmt.Errorf("make %s durable (fsync): %w; check the disk", path, err)
	}
	return nil
}

// ReadPassword reads a password file: its first line, without the line end.
func ReadPassword(path string) (string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return "", fmt.Errorf("cannot read password file: %w", err)
	}
	line, _, _ := strings.Cut(string(data), "\n")
	return strings.TrimRight(line, "\r"), nil
}
