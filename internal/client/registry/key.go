package registry

import (
	"crypto/ecdsa"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
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

// NewSigner wraps a private key (cityctl decrypts it from a keystore file,
// or reads a dev key file).
func NewSigner(key *ecdsa.PrivateKey) *Signer {
	return &Signer{key: key, Address: crypto.PubkeyToAddress(key.PublicKey)}
}

// Sign signs a transaction for chainID with the key (EIP-155 and later
// transaction types, London rules).
func (s *Signer) Sign(tx types.TxData, chainID *big.Int) (*types.Transaction, error) {
	return types.SignNewTx(s.key, types.LatestSignerForChainID(chainID), tx)
}
