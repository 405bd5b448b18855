package forkchoice

import (
	"fmt"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
)

// storeWithState stores a block sealed here with the receipts and post-state
// its sealer computed, the way go-ethereum's miner stored the blocks it
// sealed, so that the block is not executed a second time. The state goes
// first: a block is never in the database without it.
func (f *ForkChoice) storeWithState(block *types.Block, sealed *built) error {
	rules := f.chain.Config().Rules(block.Number(), block.Difficulty().Sign() == 0, block.Time())
	root, err := sealed.state.Commit(rules, block.NumberU64())
	if err != nil {
		return fmt.Errorf("commit state: %w", err)
	}
	if root != block.Root() {
		return fmt.Errorf("state root: have %x, header says %x", root, block.Root())
	}
	batch := f.db.NewBatch()
	rawdb.WriteBlock(batch, block)
	rawdb.WriteReceipts(batch, block.Hash(), block.NumberU64(), sealed.receipts)
	rawdb.WritePreimages(batch, sealed.state.Preimages())
	if err := batch.Write(); err != nil {
		return fmt.Errorf("write block: %w", err)
	}
	return nil
}

// storeWithoutState stores a block that loses to the head, and whose parent's
// state the node no longer holds, without executing it.
//
// The node flushes each head's state to disk (ADR 004), and go-ethereum's
// path-based state keeps only the disk state and the diff layers above it:
// the flush drops the layers of other branches. Executing a side block on
// such a branch (InsertBlockWithoutSetHead) makes go-ethereum roll its disk
// state back to the block's parent first, which throws away the head's state:
// the next block built or imported on the head then failed ("missing trie
// node") or was executed again. Seen on a 3-signer network whenever an
// out-of-turn block lost to an in-turn one that had arrived first.
//
// A losing block needs no state. Should its branch win later, SetCanonical
// executes it from the nearest state and fails if it is invalid (see
// rejected). Its header has passed our engine; the body must match it.
func (f *ForkChoice) storeWithoutState(block *types.Block) error {
	header := block.Header()
	if err := bodyMismatch(block); err != nil {
		return mismatched(block, err)
	}
	if len(block.Uncles()) > 0 || header.UncleHash != types.EmptyUncleHash {
		return f.invalid(fmt.Errorf("%w: block %d %x: clique blocks have no uncles", ErrInvalidBlock, block.NumberU64(), block.Hash()))
	}
	if header.Difficulty.Sign() == 0 {
		// Post-transition (ADR 044): the header's root is the empty list's,
		// checked by the engine; the body's list must be that empty list, and
		// no transaction carries blobs.
		if block.Withdrawals() == nil || len(block.Withdrawals()) != 0 {
			return f.invalid(fmt.Errorf("%w: block %d %x: post-transition clique blocks have an empty withdrawal list, have %d withdrawals (nil: %v)", ErrInvalidBlock, block.NumberU64(), block.Hash(), len(block.Withdrawals()), block.Withdrawals() == nil))
		}
		for i, tx := range block.Transactions() {
			if tx.Type() == types.BlobTxType {
				return f.invalid(fmt.Errorf("%w: block %d %x: transaction %d carries blobs, which clique blocks never do", ErrInvalidBlock, block.NumberU64(), block.Hash(), i))
			}
		}
	} else if block.Withdrawals() != nil || header.WithdrawalsHash != nil {
		return f.invalid(fmt.Errorf("%w: block %d %x: clique blocks have no withdrawals", ErrInvalidBlock, block.NumberU64(), block.Hash()))
	}
	rawdb.WriteBlock(f.db, block)
	f.stats.update(func(s *Stats) { s.StoredStateless++ })
	log.Debug("Stored side block without executing it", "number", block.NumberU64(), "hash", block.Hash())
	return nil
}

// restoreHeadState executes the head block again if its state is gone: a
// failed execution of another branch makes go-ethereum roll its disk state
// back to that branch's fork point first.
func (f *ForkChoice) restoreHeadState() {
	head := f.chain.CurrentBlock()
	if f.chain.HasState(head.Root) {
		return
	}
	block := f.chain.GetBlock(head.Hash(), head.Number.Uint64())
	if block == nil {
		log.Error("Head block missing, cannot restore its state", "number", head.Number, "hash", head.Hash())
		return
	}
	log.Warn("Restoring the head's state after a failed branch", "number", head.Number, "hash", head.Hash())
	if _, err := f.chain.SetCanonical(block); err != nil {
		log.Error("Failed to restore the head's state", "number", head.Number, "hash", head.Hash(), "err", err)
	}
}
