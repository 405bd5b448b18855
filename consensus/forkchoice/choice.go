package forkchoice

import (
	"cmp"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
)

// Candidate is a block competing to be the head of the chain, as the EIP-3436
// block choice rule sees it. The blocks that reach Compare have been verified,
// so their signer is in the signer list of their parent's snapshot.
type Candidate interface {
	// Hash returns the block hash.
	Hash() common.Hash
	// NumberU64 returns the block number.
	NumberU64() uint64
	// TotalDifficulty returns the sum of the difficulties of the block and
	// all its ancestors, genesis included. It must not be changed.
	TotalDifficulty() *big.Int
	// Turn returns the index of the block's signer in the ascending signer
	// list of its parent's snapshot (the list EIP-225 checkpoints carry), and
	// the length of that list. The genesis block has no signer: (0, 0).
	Turn() (index, signers uint64)
}

// Compare orders two candidates best first by the EIP-3436 block choice rule:
// it returns a negative number if a is the better head, a positive number if
// b is, and 0 only if both are the same block. The rules, in order:
//
//  1. the higher total difficulty wins;
//  2. then the lower block number;
//  3. then the block whose signer was in turn most recently: the smaller
//     (Hn - Vi) mod Vt, Hn the block number, Vi the index of its signer and Vt
//     the number of signers (see Candidate.Turn);
//  4. then the lower hash, read as an unsigned 256-bit integer.
//
// Compare is a total order on distinct blocks, so the best of a set of blocks
// does not depend on the order in which they were seen: every node holding
// the same blocks picks the same head, and equal-difficulty forks (geth
// issues #18402 and #24705) cannot deadlock.
//
// On rule 3 the EIP's list says "the least recent in-turn slot" while its
// formula picks the smallest (Hn - Vi) mod Vt, which is 0 for a block sealed in
// turn and grows with the blocks since the signer's last in-turn slot: the
// most recent one. The abstract ("most recently in-turn") and the rationale
// (decline the chain of the signer closest to its next in-turn slot) agree
// with the formula, which is what is implemented.
func Compare(a, b Candidate) int {
	if a.Hash() == b.Hash() {
		return 0
	}
	// 1. Most total difficulty first.
	if c := difficulty(b).Cmp(difficulty(a)); c != 0 {
		return c
	}
	// 2. Then the lowest block number: it prefers the chain with more
	// in-turn blocks.
	if c := cmp.Compare(a.NumberU64(), b.NumberU64()); c != 0 {
		return c
	}
	// 3. Then the signer who was in turn most recently.
	if c := cmp.Compare(turnDistance(a), turnDistance(b)); c != 0 {
		return c
	}
	// 4. Then the lowest hash; big-endian bytes compare as the integers do.
	return a.Hash().Cmp(b.Hash())
}

// difficulty returns the total difficulty of c, zero if it has none.
func difficulty(c Candidate) *big.Int {
	if td := c.TotalDifficulty(); td != nil {
		return td
	}
	return new(big.Int)
}

// turnDistance returns EIP-3436's (Hn - Vi) mod Vt for c: how many blocks ago
// c's signer last had an in-turn slot, 0 if c was sealed in turn. The
// subtraction is modular (Hn may be below Vi). A candidate without signers
// (the genesis block) has distance 0.
func turnDistance(c Candidate) uint64 {
	index, signers := c.Turn()
	if signers == 0 {
		return 0
	}
	return (c.NumberU64()%signers + signers - index%signers) % signers
}
