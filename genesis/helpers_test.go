package genesis

import (
	"reflect"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// reflectSetTime sets the *uint64 fork time field at index of c.
func reflectSetTime(c *params.ChainConfig, index []int, time uint64) {
	reflect.ValueOf(c).Elem().FieldByIndex(index).Set(reflect.ValueOf(&time))
}

// cryptoAddress derives the address of a dev account from its key.
func cryptoAddress(a DevAccount) common.Address {
	return crypto.PubkeyToAddress(a.Key.PublicKey)
}
