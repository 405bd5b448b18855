package merkle_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/testkit/merkletest"
)

// TestStandardTreeOpenZeppelin checks trees of every supported leaf type
// against @openzeppelin/merkle-tree (merkletest.CompareOpenZeppelin).
func TestStandardTreeOpenZeppelin(t *testing.T) {
	encoding := []string{"address", "bool", "string", "bytes", "bytes4", "uint8", "uint64", "uint256", "int32", "int256"}
	for _, n := range []int{1, 2, 3, 7, 100} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			values := make([][]any, n)
			for i := range values {
				h := crypto.Keccak256([]byte(fmt.Sprint("value ", i)))
				values[i] = []any{
					common.BytesToAddress(h[:20]), i%2 == 0, fmt.Sprintf("résident %d", i), h[:i%5], [4]byte(h[:4]),
					uint8(i), uint64(i) << 40, new(big.Int).SetBytes(h), int32(-i), new(big.Int).Neg(new(big.Int).SetBytes(h[:31])),
				}
			}
			tree, err := merkle.NewStandardTree(encoding, values)
			if err != nil {
				t.Fatal(err)
			}
			merkletest.CompareOpenZeppelin(t, "..", tree)
		})
	}
	// Equal values: their leaves keep the values' order, as JavaScript's
	// stable sort keeps it.
	t.Run("duplicates", func(t *testing.T) {
		values := make([][]any, 9)
		for i := range values {
			values[i] = []any{big.NewInt(int64(i % 3)), common.Address{byte(i % 3)}}
		}
		tree, err := merkle.NewStandardTree([]string{"uint256", "address"}, values)
		if err != nil {
			t.Fatal(err)
		}
		merkletest.CompareOpenZeppelin(t, "..", tree)
	})
}
