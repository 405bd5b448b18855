// Package stalls recomputes the market stalls lottery (contracts/src/MarketStalls.sol)
// from its public inputs: the operator's revealed seed, the hash of the round's
// draw block, the applicants in application order and the round's stalls. A
// resident or auditor who gets the same allocation as the contract knows the
// draw followed its published rule.
package stalls

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Commitment returns keccak256(abi.encode(seed)): what the operator publishes
// when it opens a round.
func Commitment(seed common.Hash) common.Hash {
	return crypto.Keccak256Hash(seed[:])
}

// Randomness returns keccak256(abi.encode(seed, drawBlockHash)).
func Randomness(seed, drawBlockHash common.Hash) common.Hash {
	return crypto.Keccak256Hash(seed[:], drawBlockHash[:])
}

// Shuffle returns the draw's order of the applicants (given in application
// order): the contract's Fisher-Yates shuffle, for i = n-1 down to 1 swapping
// i with keccak256(abi.encode(randomness, i)) mod (i+1).
func Shuffle(applicants []common.Address, randomness common.Hash) []common.Address {
	order := append([]common.Address(nil), applicants...)
	for i := len(order); i > 1; i-- {
		idx := common.BigToHash(big.NewInt(int64(i - 1)))
		h := new(big.Int).SetBytes(crypto.Keccak256(randomness[:], idx[:]))
		j := int(h.Mod(h, big.NewInt(int64(i))).Int64())
		order[i-1], order[j] = order[j], order[i-1]
	}
	return order
}

// Allocation is the outcome of a draw.
type Allocation struct {
	Randomness common.Hash
	Winners    []common.Address // Winners[i] leases the round's i-th stall
	Waitlist   []common.Address // in promotion order
}

// Draw recomputes a round's allocation of stalls stalls.
func Draw(seed, drawBlockHash common.Hash, applicants []common.Address, stalls int) Allocation {
	r := Randomness(seed, drawBlockHash)
	order := Shuffle(applicants, r)
	n := min(stalls, len(order))
	return Allocation{Randomness: r, Winners: order[:n], Waitlist: order[n:]}
}
