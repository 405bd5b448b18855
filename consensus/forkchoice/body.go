package forkchoice

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/trie"
)

// bodyMismatch says how block's body (uncles, transactions, withdrawals)
// differs from what its header commits to, or returns nil. A block's hash is
// its header's, so a body changed on the way keeps the hash of the block it
// was cut from: such a copy says nothing about that block.
func bodyMismatch(block *types.Block) error {
	header := block.Header()
	if hash := types.CalcUncleHash(block.Uncles()); hash != header.UncleHash {
		return fmt.Errorf("uncles root: have %x, header says %x", hash, header.UncleHash)
	}
	if hash := types.DeriveSha(block.Transactions(), trie.NewStackTrie(nil)); hash != header.TxHash {
		return fmt.Errorf("transaction root: have %x, header says %x", hash, header.TxHash)
	}
	return withdrawalsMismatch(header, block.Withdrawals())
}

// withdrawalsMismatch compares a body's withdrawal list with the header's root
// (nil list and nil root: a block from before withdrawals).
func withdrawalsMismatch(header *types.Header, ws types.Withdrawals) error {
	switch {
	case header.WithdrawalsHash == nil && ws == nil:
		return nil
	case header.WithdrawalsHash == nil:
		return fmt.Errorf("withdrawal list in the body, no withdrawals root in the header")
	case ws == nil:
		return fmt.Errorf("no withdrawal list in the body, header says root %x", *header.WithdrawalsHash)
	}
	if hash := types.DeriveSha(ws, trie.NewStackTrie(nil)); hash != *header.WithdrawalsHash {
		return fmt.Errorf("withdrawals root: have %x, header says %x", hash, *header.WithdrawalsHash)
	}
	return nil
}

// mismatched is the error for a block whose body does not match its header.
func mismatched(block *types.Block, cause error) error {
	return fmt.Errorf("%w: block %d %x: %w", ErrBodyMismatch, block.NumberU64(), block.Hash(), cause)
}

// condemned returns the hashes of the blocks go-ethereum recorded as bad,
// read and checked once per rejection (the ancestor walk looks each hash up
// in it). A recorded copy whose body does not match its header condemns
// nothing: go-ethereum records a copy whose body failed its checks under the
// header's hash, which is the true block's too.
func (f *ForkChoice) condemned() map[common.Hash]bool {
	bad := make(map[common.Hash]bool)
	for _, block := range rawdb.ReadAllBadBlocks(f.db) {
		if !bad[block.Hash()] && bodyMismatch(block) == nil {
			bad[block.Hash()] = true
		}
	}
	return bad
}
