package genesis

import (
	"crypto/ecdsa"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// devKeySeed prefixes the index of a dev account; the keccak256 hash of the
// result is the account's private key.
const devKeySeed = "citychain dev account "

// DevAccount is a development account whose private key anyone can derive.
type DevAccount struct {
	Address common.Address
	Key     *ecdsa.PrivateKey
}

// DevAccounts returns the first n development accounts. Account i has the
// private key keccak256("citychain dev account " + i), i in decimal, so the same
// accounts come back on every machine and in every language.
//
// These keys are public test keys: they are published in this source code and
// anyone can sign with them. Use them on local development and test chains only,
// never as a signer or a funded account of a real network.
func DevAccounts(n int) []DevAccount {
	accounts := make([]DevAccount, 0, max(n, 0))
	for i := range n {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte(devKeySeed + strconv.Itoa(i))))
		if err != nil {
			// A keccak256 hash is a valid secp256k1 key except with probability
			// about 2^-128; the tests derive the accounts anyone will use.
			panic(fmt.Sprintf("genesis: dev account %d has no valid key: %v", i, err))
		}
		accounts = append(accounts, DevAccount{Address: crypto.PubkeyToAddress(key.PublicKey), Key: key})
	}
	return accounts
}
