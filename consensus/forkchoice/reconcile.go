package forkchoice

import (
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
)

// Reconcile weighs the chain's head against the head fork choice chose last,
// for when something other than Insert moved it: go-ethereum's downloader
// makes its sync target the head whatever its weight. It first verifies the
// new head's blocks above the common ancestor with our engine. It keeps the
// new head if it is valid, on the branch of the finalized block and better
// by Compare (then finality advances on it), and otherwise goes back to the
// chosen head, returning ErrInvalidBlock or ErrFinalizedConflict if that was
// the reason. Call it once the head has stopped moving (a sync is over). In
// the result, StatusKnown means the head had not moved,
// StatusExtended or StatusReorged that the new head was adopted (the depth
// counts the chosen blocks it replaced), and StatusSide that the chain went
// back to the chosen head.
func (f *ForkChoice) Reconcile() (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	// Whatever the outcome, the head may have moved (the downloader's target,
	// or back to the chosen head).
	defer func() {
		if f.afterHead != nil {
			f.afterHead(f.chain.CurrentBlock())
		}
	}()

	head, chosen := f.chain.CurrentBlock(), f.chosen.Load()
	if head.Hash() == chosen.Hash() {
		td, err := f.td(head)
		if err != nil {
			return Result{}, err
		}
		return f.result(StatusKnown, td, 0), nil
	}
	ancestor, err := f.commonAncestor(head, chosen)
	if err != nil {
		return Result{}, err
	}
	// Our engine checks what go-ethereum's downloader inserted.
	var headers []*types.Header
	for h := head; h.Number.Uint64() > ancestor.Number.Uint64(); h = f.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1) {
		headers = append(headers, h)
	}
	slices.Reverse(headers)
	for _, h := range headers {
		if err := f.engine.VerifyHeader(f.chain, h, nil); err != nil && !errors.Is(err, consensus.ErrFutureBlock) {
			return f.revert(head, chosen, fmt.Errorf("%w: block %d %x: %w", ErrInvalidBlock, h.Number, h.Hash(), err))
		}
	}
	if ok, err := f.onFinalizedBranch(head); err != nil {
		return Result{}, err
	} else if !ok {
		final := f.finalized.Load()
		return f.revert(head, chosen, fmt.Errorf("%w: head %d %x is not on the branch of finalized block %d %x", ErrFinalizedConflict, head.Number, head.Hash(), final.Number, final.Hash()))
	}
	td, err := f.td(head)
	if err != nil {
		return Result{}, err
	}
	cand, err := f.candidate(head, td)
	if err != nil {
		return Result{}, err
	}
	chosenTD, err := f.td(chosen)
	if err != nil {
		return Result{}, err
	}
	current, err := f.candidate(chosen, chosenTD)
	if err != nil {
		return Result{}, err
	}
	if Compare(cand, current) > 0 {
		return f.revert(head, chosen, nil)
	}
	// Adopt the new head.
	depth := chosen.Number.Uint64() - ancestor.Number.Uint64()
	status := StatusExtended
	if depth > 0 {
		status = StatusReorged
		log.Info("Adopted a head set outside fork choice", "number", head.Number, "hash", head.Hash(), "td", td, "dropped", depth, "oldhead", chosen.Number, "oldhash", chosen.Hash())
	}
	f.stats.update(func(s *Stats) {
		if depth > 0 {
			s.Reorgs++
			s.MaxReorgDepth = max(s.MaxReorgDepth, depth)
		}
	})
	f.chosen.Store(head)
	f.updateFinality(head)
	return f.result(status, td, depth), nil
}

// revert sets the chosen head again after head, set outside fork choice, lost
// or was refused for cause (nil if it just lost). The caller holds f.mu.
func (f *ForkChoice) revert(head, chosen *types.Header, cause error) (Result, error) {
	block := rawdb.ReadBlock(f.db, chosen.Hash(), chosen.Number.Uint64())
	if block == nil {
		return Result{}, fmt.Errorf("chosen head %d %x is missing", chosen.Number, chosen.Hash())
	}
	if _, err := f.chain.SetCanonical(block); err != nil {
		return Result{}, fmt.Errorf("go back to chosen head %d %x: %w", chosen.Number, chosen.Hash(), err)
	}
	log.Warn("Went back to the head fork choice chose", "number", chosen.Number, "hash", chosen.Hash(), "moved", head.Number, "movedhash", head.Hash(), "reason", cause)
	if errors.Is(cause, ErrFinalizedConflict) {
		f.stats.update(func(s *Stats) { s.FinalizedConflicts++ })
	} else if cause != nil {
		f.stats.update(func(s *Stats) { s.Invalid++ })
	}
	td, err := f.td(chosen)
	if err != nil {
		return Result{}, err
	}
	f.updateFinality(chosen)
	return f.result(StatusSide, td, 0), cause
}
