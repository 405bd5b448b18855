package forkchoice

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
)

const (
	maxFinalityWalk = 1024 // blocks below the head searched for a newly final block; finality normally comes floor(N/2)+1 blocks down
)

// quorum returns floor(n/2)+1, the number of distinct signers out of n that
// make a majority: the same number as EIP-225's signer limit.
func quorum(n int) int {
	return n/2 + 1
}

// majority reports whether sealed holds a majority of signers: at least
// floor(N/2)+1 distinct members of signers, N = len(signers). Members of
// sealed that are not in signers do not count.
func majority(signers map[common.Address]struct{}, sealed map[common.Address]struct{}) bool {
	count := 0
	for signer := range sealed {
		if _, ok := signers[signer]; ok {
			count++
		}
	}
	return count >= quorum(len(signers))
}

// advanceFinality moves the finalized block up to the newest final block of
// the canonical chain ending in head, and sets the safe block to the newest
// safe one (see ForkChoice for both definitions). It never moves the
// finalized block backwards, and the safe block is never older than the
// finalized one. The caller holds f.mu.
func (f *ForkChoice) advanceFinality(head *types.Header) error {
	final := f.finalized.Load()
	// A head that left the finalized branch (moved by something other than
	// fork choice) must not finalize blocks of its own branch.
	if ok, err := f.onFinalizedBranch(head); err != nil {
		return err
	} else if !ok {
		log.Error("Chain head is not on the branch of the finalized block; finality stays", "head", head.Number, "hash", head.Hash(), "finalized", final.Number, "finalizedHash", final.Hash())
		return nil
	}
	// Walk down from the head: above holds the signers of the blocks above
	// h, with the same and h's own signer.
	var (
		safe  *types.Header
		above = make(map[common.Address]struct{})
		with  = make(map[common.Address]struct{})
	)
	for h, steps := head, 0; h.Number.Uint64() > final.Number.Uint64() && steps < maxFinalityWalk; steps++ {
		signer, err := f.engine.Author(h)
		if err != nil {
			return fmt.Errorf("signer of block %d: %w", h.Number, err)
		}
		with[signer] = struct{}{}
		snap, err := f.engine.Snapshot(f.chain, h.Number.Uint64(), h.Hash(), nil)
		if err != nil {
			return fmt.Errorf("snapshot at block %d: %w", h.Number, err)
		}
		if safe == nil && majority(snap.Signers, with) {
			safe = h
		}
		// A lone signer's block is final once sealed: no other signer
		// exists to seal a competing one.
		if majority(snap.Signers, above) || (len(snap.Signers) == 1 && majority(snap.Signers, with)) {
			f.finalized.Store(h)
			f.chain.SetFinalized(h)
			f.stats.setFinalized(h.Number.Uint64())
			log.Debug("Finalized block", "number", h.Number, "hash", h.Hash(), "signers", len(above), "of", len(snap.Signers))
			final = h
			break
		}
		above[signer] = struct{}{}
		parent := f.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1)
		if parent == nil {
			return fmt.Errorf("%w: ancestor %d %x of the head", ErrUnknownParent, h.Number.Uint64()-1, h.ParentHash)
		}
		h = parent
	}
	if head.Number.Uint64() < final.Number.Uint64() {
		return nil // a head rewound below the finalized block (a restart): no safe block above it
	}
	if safe == nil || safe.Number.Uint64() < final.Number.Uint64() {
		safe = final
	}
	f.chain.SetSafe(safe)
	return nil
}

// onFinalizedBranch reports whether the branch ending in header contains the
// finalized block, or header is one of the finalized block's ancestors.
// header need not be in the chain yet, but its parent must be.
func (f *ForkChoice) onFinalizedBranch(header *types.Header) (bool, error) {
	final := f.finalized.Load()
	finalCanonical := f.canonical(final)
	number, fnum := header.Number.Uint64(), final.Number.Uint64()

	// At or below the finalized height: header must be the finalized block
	// or its ancestor.
	if number <= fnum {
		if finalCanonical {
			return f.canonical(header), nil
		}
		ancestor, err := f.ancestor(final, number)
		if err != nil {
			return false, err
		}
		return ancestor.Hash() == header.Hash(), nil
	}
	// Above it: walk down to the finalized height, stopping early on the
	// canonical chain when that chain holds the finalized block.
	h := header
	for h.Number.Uint64() > fnum {
		if finalCanonical && f.canonical(h) {
			return true, nil
		}
		parent := f.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1)
		if parent == nil {
			return false, fmt.Errorf("%w: ancestor %d %x of block %d", ErrUnknownParent, h.Number.Uint64()-1, h.ParentHash, number)
		}
		h = parent
	}
	return h.Hash() == final.Hash(), nil
}

// canonical reports whether header is on the canonical chain.
func (f *ForkChoice) canonical(header *types.Header) bool {
	c := f.chain.GetHeaderByNumber(header.Number.Uint64())
	return c != nil && c.Hash() == header.Hash()
}

// ancestor returns the ancestor of header at number (header itself if that
// is its number).
func (f *ForkChoice) ancestor(header *types.Header, number uint64) (*types.Header, error) {
	h := header
	for h.Number.Uint64() > number {
		parent := f.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1)
		if parent == nil {
			return nil, fmt.Errorf("%w: ancestor %d %x of block %d", ErrUnknownParent, h.Number.Uint64()-1, h.ParentHash, header.Number)
		}
		h = parent
	}
	return h, nil
}
