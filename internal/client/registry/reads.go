package registry

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// read calls a view function of the contract at to (at c.Block) and unpacks
// its result; a revert is a *RevertError naming the contract's error.
func read[T any](ctx context.Context, c *Client, action string, to common.Address, data []byte, unpack func([]byte) (T, error)) (T, error) {
	out, err := c.Call(ctx, action, to, data)
	if err != nil {
		var zero T
		return zero, err
	}
	v, err := unpack(out)
	if err != nil {
		return v, fmt.Errorf("%s: %w", action, err)
	}
	return v, nil
}

// u256 returns v as the *big.Int the bindings take.
func u256(v uint64) *big.Int { return new(big.Int).SetUint64(v) }

// uint64Of returns a contract's uint256 as uint64, saying so if it does not fit.
func uint64Of(action string, v *big.Int) (uint64, error) {
	if v == nil || !v.IsUint64() {
		return 0, fmt.Errorf("%s: value %v does not fit 64 bits", action, v)
	}
	return v.Uint64(), nil
}
