package txintake

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/locals"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
)

// lookupBudget bounds the canonical-chain lookups of one check: each reads and
// decodes a whole block body, so settling 100,000 transactions that way would
// stall the tracker for minutes. Blocks seen through chain events need none.
const (
	lookupBudget        = 64   // lookups per check
	restoreLookupBudget = 1024 // lookups at start-up
)

// loop checks the tracked transactions on every new head (a burst of heads
// gives one check) and every Config.Recheck without one.
func (in *Intake) loop(heads chan core.ChainEvent, sub event.Subscription) {
	defer in.wg.Done()
	defer sub.Unsubscribe()

	ticker := time.NewTicker(in.cfg.Recheck)
	defer ticker.Stop()
	subErr := sub.Err()
	for {
		select {
		case ev := <-heads:
			in.noteIncluded(ev)
			for drained := false; !drained; {
				select {
				case ev := <-heads:
					in.noteIncluded(ev)
				default:
					drained = true
				}
			}
			in.check()
			ticker.Reset(in.cfg.Recheck)
		case <-ticker.C:
			in.check()
		case err := <-subErr:
			if err != nil {
				log.Warn("Lost chain head subscription, checking transactions on the timer only", "err", err)
			}
			subErr = nil
		case <-in.quit:
			return
		}
	}
}

// noteIncluded records which tracked transactions a new block holds, so the
// check settles them without looking them up in the chain database.
func (in *Intake) noteIncluded(ev core.ChainEvent) {
	if ev.Header == nil {
		return
	}
	number := ev.Header.Number.Uint64()
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, tx := range ev.Transactions {
		if _, ok := in.tracked[tx.Hash()]; ok {
			in.included[tx.Hash()] = number
		}
	}
}

// nonceReader returns a function reading (and caching) account nonces in
// statedb; with a nil statedb every nonce reads as zero.
func nonceReader(statedb *state.StateDB) func(common.Address) uint64 {
	nonces := make(map[common.Address]uint64)
	return func(addr common.Address) uint64 {
		if statedb == nil {
			return 0
		}
		n, ok := nonces[addr]
		if !ok {
			n = statedb.GetNonce(addr)
			nonces[addr] = n
		}
		return n
	}
}

// drop is a tracked transaction given up on.
type drop struct {
	e   *entry
	err error
}

// settlement is a tracked transaction first seen settled.
type settlement struct {
	e     *entry
	block *uint64 // nil if another transaction used its nonce
}

// check runs one round of tracking against the current head: it settles
// transactions whose nonce is used (mined or replaced), forgets settled ones
// once Config.FinalityDepth blocks deep, resubmits the ones the pool lost,
// drops those it cannot place, and compacts the journal when most of it is
// settled. Only the tracker goroutine calls it (and tests).
func (in *Intake) check() {
	head := in.chain.CurrentBlock()
	if head == nil {
		return
	}
	statedb, err := in.chain.StateAt(head.Root, head.Number, head.Time)
	if err != nil {
		log.Debug("Skipped transaction check, head state unavailable", "number", head.Number, "err", err)
		return
	}
	number := head.Number.Uint64()
	nonceOf := nonceReader(statedb)

	in.mu.Lock()
	snap := make([]*entry, 0, len(in.tracked))
	for _, e := range in.tracked {
		snap = append(snap, e)
	}
	included := maps.Clone(in.included)
	in.mu.Unlock()
	lookups := 0

	// The tracker is the only writer of entries, so it reads them unlocked.
	var (
		settled   []settlement
		unsettled []*entry // settled before, but a reorg freed the nonce again
		final     []*entry // settled FinalityDepth blocks ago
		inPool    []*entry // held before, in the pool now
		resubmit  []*entry
		drops     []drop
	)
	for _, e := range snap {
		if e.tx.Nonce() < nonceOf(e.from) {
			if e.settled {
				since := e.settledAt
				if e.block != nil {
					since = *e.block
				}
				if number >= since+in.cfg.FinalityDepth {
					final = append(final, e)
				}
				continue
			}
			var block *uint64
			if b, ok := included[e.hash]; ok {
				block = &b
			} else if lookups < lookupBudget {
				// Not seen in a block event (a reorg, or mined before a
				// restart): ask the chain, within the budget.
				lookups++
				if lookup, _ := in.chain.GetCanonicalTransaction(e.hash); lookup != nil {
					b := lookup.BlockIndex
					block = &b
				}
			} else {
				continue // settled in a later check
			}
			settled = append(settled, settlement{e: e, block: block})
			continue
		}
		if e.settled {
			unsettled = append(unsettled, e)
		}
		if in.pool.Has(e.hash) {
			if e.lastErr != nil {
				inPool = append(inPool, e)
			}
			continue
		}
		// Why: a transaction the pool keeps losing must end with a report,
		// not a resubmission loop nobody sees.
		if e.resubmits >= in.cfg.MaxResubmits {
			reason := errors.New("evicted from the pool")
			if e.lastErr != nil {
				reason = e.lastErr
			}
			drops = append(drops, drop{e, fmt.Errorf("%w (%d): %v", errTooManyResubmits, e.resubmits, reason)})
			continue
		}
		resubmit = append(resubmit, e)
	}

	// Oldest first: they have waited longest, and a sender's lower nonces
	// usually come first, filling the gaps that hold later ones back.
	slices.SortFunc(resubmit, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	resubmit = resubmit[:min(len(resubmit), in.cfg.ResubmitBatch)]
	var refused []drop // temporary refusals
	var placed []*entry
	if len(resubmit) > 0 {
		txs := make([]*types.Transaction, len(resubmit))
		for i, e := range resubmit {
			txs[i] = e.tx
		}
		for i, err := range in.pool.Add(txs, false) {
			e := resubmit[i]
			switch {
			case err == nil, errors.Is(err, txpool.ErrAlreadyKnown):
				placed = append(placed, e)
			case errors.Is(err, core.ErrNonceTooLow):
				// The pool has seen a newer head than ours; the next check
				// settles the transaction.
			case locals.IsTemporaryReject(err), errors.Is(err, txpool.ErrReplaceUnderpriced):
				// Underpriced replacement: a transaction with the same nonce
				// holds the slot; if it is mined, this one is replaced.
				refused = append(refused, drop{e, err})
			default:
				drops = append(drops, drop{e, err})
			}
		}
	}

	in.mu.Lock()
	for _, s := range settled {
		s.e.settled, s.e.block, s.e.settledAt = true, s.block, number
		since := number
		if s.block != nil {
			since = *s.block
		}
		if number >= since+in.cfg.FinalityDepth {
			final = append(final, s.e)
		}
	}
	for _, e := range unsettled {
		e.settled, e.block = false, nil
	}
	for _, e := range inPool {
		e.lastErr = nil
	}
	for _, e := range placed {
		e.resubmits++
		e.lastErr = nil
	}
	for _, r := range refused {
		r.e.resubmits++
		r.e.lastErr = r.err
	}
	for _, e := range final {
		delete(in.tracked, e.hash)
		delete(in.included, e.hash)
		if e.block != nil {
			in.outcomes.Add(e.hash, minedStatus(*e.block))
			in.counters.mined.Add(1)
		} else {
			in.outcomes.Add(e.hash, replacedStatus(e.tx.Nonce()))
			in.counters.replaced.Add(1)
		}
	}
	for _, d := range drops {
		delete(in.tracked, d.e.hash)
		delete(in.included, d.e.hash)
		in.outcomes.Add(d.e.hash, Status{State: StateDropped, Reason: d.err.Error()})
	}
	in.counters.resubmitted.Add(uint64(len(placed)))
	in.counters.dropped.Add(uint64(len(drops)))
	// Why: compaction keeps only unsettled transactions, so one a reorg
	// revived must be journaled again to survive a crash.
	if in.journal != nil && len(unsettled) > 0 {
		txs := make([]*types.Transaction, len(unsettled))
		for i, e := range unsettled {
			txs[i] = e.tx
		}
		if err := in.journal.Append(txs); err != nil {
			in.counters.journalErrors.Add(1)
			log.Error("Failed to journal reorged transactions", "count", len(txs), "err", err)
		}
	}
	in.compactLocked(false)
	in.mu.Unlock()

	for _, d := range drops {
		log.Warn("Dropped transaction", "hash", d.e.hash, "reason", d.err)
	}
	if len(settled)+len(placed)+len(refused)+len(drops) > 0 {
		log.Debug("Checked local transactions", "number", number, "tracked", len(snap), "settled", len(settled),
			"final", len(final), "resubmitted", len(placed), "refused", len(refused), "dropped", len(drops))
	}
}

// compactLocked rewrites the journal with the unsettled tracked transactions
// when at least Config.CompactMin records are journaled and more than half of
// them are no longer needed (or always when force is set, if that shrinks the
// journal). The caller holds in.mu, so no Submit appends meanwhile.
func (in *Intake) compactLocked(force bool) {
	if in.journal == nil {
		return
	}
	records := in.journal.Records()
	if !force && records < in.cfg.CompactMin {
		return
	}
	keep := make([]*entry, 0, len(in.tracked))
	for _, e := range in.tracked {
		if !e.settled {
			keep = append(keep, e)
		}
	}
	if force && len(keep) >= records || !force && 2*len(keep) >= records {
		return
	}
	slices.SortFunc(keep, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	txs := make([]*types.Transaction, len(keep))
	for i, e := range keep {
		txs[i] = e.tx
	}
	if err := in.journal.Rewrite(txs); err != nil {
		in.counters.journalErrors.Add(1)
		log.Error("Failed to compact transaction journal", "records", records, "keep", len(txs), "err", err)
		return
	}
	in.counters.journalCompacted.Add(1)
	log.Debug("Compacted transaction journal", "records", records, "kept", len(txs))
}

// restore re-adds journaled transactions at start: those whose nonce is
// still unused at the head go back to the pool and are tracked; the others
// are recorded as mined or replaced; those the pool now refuses for good are
// dropped with a warning. The journal is then compacted to what is tracked.
func (in *Intake) restore(txs []*types.Transaction) {
	if len(txs) == 0 {
		return
	}
	recoverSenders(in.signer, txs)
	var statedb *state.StateDB
	if head := in.chain.CurrentBlock(); head != nil {
		var err error
		if statedb, err = in.chain.StateAt(head.Root, head.Number, head.Time); err != nil {
			// The pool knows the nonces too: it refuses used ones below.
			log.Warn("Head state unavailable, re-adding every journaled transaction", "err", err)
		}
	}
	nonceOf := nonceReader(statedb)

	var (
		seen                     = make(map[common.Hash]bool, len(txs))
		readd                    []*types.Transaction
		mined, replaced, dropped int
		drops                    []drop
	)
	// Why the budget: each lookup decodes a whole block body; a journal of
	// 100,000 settled transactions would hold the start-up for minutes. Those
	// past the budget get no recorded outcome: Status looks them up on demand.
	var unresolved int
	settle := func(tx *types.Transaction) {
		if mined+replaced >= restoreLookupBudget {
			unresolved++
			return
		}
		st := replacedStatus(tx.Nonce())
		if lookup, _ := in.chain.GetCanonicalTransaction(tx.Hash()); lookup != nil {
			st = minedStatus(lookup.BlockIndex)
			mined++
		} else {
			replaced++
		}
		in.mu.Lock()
		in.outcomes.Add(tx.Hash(), st)
		in.mu.Unlock()
	}
	for _, tx := range txs {
		hash := tx.Hash()
		if seen[hash] {
			continue // journaled twice: dropped once, then submitted again
		}
		seen[hash] = true
		from, err := types.Sender(in.signer, tx)
		if err != nil {
			drops = append(drops, drop{&entry{tx: tx, hash: hash}, err})
			continue
		}
		if tx.Nonce() < nonceOf(from) {
			settle(tx)
			continue
		}
		readd = append(readd, tx)
	}
	var (
		keep []*types.Transaction
		held []error
	)
	for i, err := range in.pool.Add(readd, false) {
		switch {
		case err == nil, errors.Is(err, txpool.ErrAlreadyKnown):
			keep, held = append(keep, readd[i]), append(held, nil)
		case locals.IsTemporaryReject(err):
			keep, held = append(keep, readd[i]), append(held, err)
		case errors.Is(err, core.ErrNonceTooLow):
			settle(readd[i])
		default:
			drops = append(drops, drop{&entry{tx: readd[i], hash: readd[i].Hash()}, err})
		}
	}
	in.track(keep, held, false)

	in.mu.Lock()
	for _, d := range drops {
		in.outcomes.Add(d.e.hash, Status{State: StateDropped, Reason: d.err.Error()})
	}
	in.compactLocked(true)
	in.mu.Unlock()
	dropped = len(drops)
	in.counters.dropped.Add(uint64(dropped))
	for _, d := range drops {
		log.Warn("Dropped transaction", "hash", d.e.hash, "reason", d.err)
	}
	log.Info("Restored journaled transactions", "journaled", len(txs), "readded", len(keep),
		"mined", mined, "replaced", replaced, "settled", unresolved, "dropped", dropped)
}
