package registry

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"os"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer is a key that signs the registry's transactions. The key never
// leaves it: String prints the address only.
type Signer struct {
	key     *ecdsa.PrivateKey
	Address common.Address
}

// String implements fmt.Stringer without revealing the key.
func (s *Signer) String() string { return s.Address.Hex() }

// NewSigner wraps a private key (tests and benchmarks; operators use LoadKey).
func NewSigner(key *ecdsa.PrivateKey) *Signer {
	return &Signer{key: key, Address: crypto.PubkeyToAddress(key.PublicKey)}
}

// LoadKey decrypts a keystore file (go-ethereum's Web3 Secret Storage format,
// what `geth account new` and citynode write) with the password in
// passwordFile (its first line; a trailing newline is ignored).
func LoadKey(keystoreFile, passwordFile string) (*Signer, error) {
	if keystoreFile == "" || passwordFile == "" {
		return nil, ErrNoKey
	}
	data, err := os.ReadFile(keystoreFile)
	if err != nil {
		return nil, fmt.Errorf("%w: read keystore file: %v", ErrKey, err)
	}
	pw, err := os.ReadFile(passwordFile)
	if err != nil {
		return nil, fmt.Errorf("%w: read password file: %v", ErrKey, err)
	}
	if i := bytes.IndexAny(pw, "\r\n"); i >= 0 {
		pw = pw[:i]
	}
	key, err := keystore.DecryptKey(data, string(pw))
	if err != nil {
		// The library's message says whether the password or the file was wrong;
		// neither contains key material.
		return nil, fmt.Errorf("%w: %s: %v (check the password file)", ErrKey, keystoreFile, err)
	}
	return NewSigner(key.PrivateKey), nil
}
