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

// Swap is one step of the draw's shuffle: the applicants at positions I
// and J change places.
type Swap struct {
	I int `json:"i"`
	J int `json:"j"`
}

// Swaps returns the steps of the contract's Fisher-Yates shuffle of n
// applicants: for i = n-1 down to 1, swap i with
// keccak256(abi.encode(randomness, i)) mod (i+1). A page replaying a draw
// step by step shows them in order.
func Swaps(n int, randomness common.Hash) []Swap {
	var out []Swap
	for i := n; i > 1; i-- {
		idx := common.BigToHash(big.NewInt(int64(i - 1)))
		h := new(big.Int).SetBytes(crypto.Keccak256(randomness[:], idx[:]))
		out = append(out, Swap{I: i - 1, J: int(h.Mod(h, big.NewInt(int64(i))).Int64())})
	}
	return out
}

// Shuffle returns the draw's order of the applicants (given in application
// order): the swaps of Swaps applied in turn.
func Shuffle(applicants []common.Address, randomness common.Hash) []common.Address {
	order := append([]common.Address(nil), applicants...)
	for _, s := range Swaps(len(order), randomness) {
		order[s.I], order[s.J] = order[s.J], order[s.I]
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
