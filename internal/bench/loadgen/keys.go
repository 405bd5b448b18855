package loadgen

import (
	"crypto/ecdsa"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// keyDomain separates citybench's key derivation from any other use of the same seed.
const keyDomain = "citybench/account/v1"

// errNoSeed is returned if an account set is derived from an empty seed.
var errNoSeed = errors.New("empty seed: pass --seed")

// Account is one deterministic test account.
type Account struct {
	Index   int
	Key     *ecdsa.PrivateKey
	Address common.Address
}

// KeyHex returns the account's private key as 64 hex digits without a 0x prefix, the
// format `geth account import` and `citynode account import` read.
func (a Account) KeyHex() string {
	return fmt.Sprintf("%x", crypto.FromECDSA(a.Key))
}

// DeriveAccounts returns n accounts derived from seed: account i has the private key
// keccak256(keyDomain || seed || uint32(i) || uint32(attempt)), taking the first attempt
// that is a valid secp256k1 scalar. The same seed always yields the same accounts, so a
// genesis written by one command funds the accounts another command signs with.
func DeriveAccounts(seed string, n int) ([]Account, error) {
	if seed == "" {
		return nil, errNoSeed
	}
	if n < 0 {
		return nil, fmt.Errorf("invalid account count: have %d, want >= 0", n)
	}
	accounts := make([]Account, n)
	for i := range accounts {
		key, err := deriveKey(seed, i)
		if err != nil {
			return nil, err
		}
		accounts[i] = Account{Index: i, Key: key, Address: crypto.PubkeyToAddress(key.PublicKey)}
	}
	return accounts, nil
}

func deriveKey(seed string, index int) (*ecdsa.PrivateKey, error) {
	var suffix [8]byte
	binary.BigEndian.PutUint32(suffix[:4], uint32(index))
	// A keccak output is outside [1, n-1] with probability ~2^-128; retry anyway so the
	// function is total.
	for attempt := uint32(0); attempt < 16; attempt++ {
		binary.BigEndian.PutUint32(suffix[4:], attempt)
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(keyDomain), []byte(seed), suffix[:]))
		if err == nil {
			return key, nil
		}
	}
	return nil, fmt.Errorf("no valid key for seed %q index %d", seed, index)
}
