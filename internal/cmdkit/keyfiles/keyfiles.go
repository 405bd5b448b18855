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

	"github.com/ethereum/go-ethereum/accounts/keystore"
)

// Dir returns the keystore directory of a data dir: DATADIR/keystore.
func Dir(dataDir string) string { return filepath.Join(dataDir, "keystore") }

// Open opens the encrypted keystore in dir with geth's standard scrypt
// parameters.
func Open(dir string) *keystore.KeyStore {
	return keystore.NewKeyStore(dir, keystore.StandardScryptN, keystore.StandardScryptP)
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
