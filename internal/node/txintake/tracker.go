package txintake

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/locals"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/internal/node/senders"
)

// lookupBudget bounds the canonical-chain lookups of one check: each reads and
// decodes a whole block body, so settling 100,000 transactions that way would
// stall the tracker for minutes. Blocks seen through chain events need none.
const (
	lookupBudget        = 64   // lookups per check
	restoreLookupBudget = 1024 // lookups at start-up
)

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
	in.head = head.Hash()
	in.counters.fullChecks.Add(1)
	clear(in.revisit) // every sender is revisited now

	in.mu.Lock()
	snap := make([]*entry, 0, len(in.tracked))
	for _, e := range in.tracked {
		snap = append(snap, e)
	}
	included := maps.Clone(in.included)
	in.mu.Unlock()

	c := in.classify(snap, included, number, nonceReader(statedb))
	in.resubmitBatch(c)

	in.commitCheck(c, number, "full")
}

// commitCheck records what a check, a head or a sweep found, compacts the
// journal if it is mostly settled, and logs the drops.
func (in *Intake) commitCheck(c *checked, number uint64, kind string) {
	in.mu.Lock()
	in.settleLocked(c, number)
	in.rejournalLocked(c.unsettled)
	in.compactLocked(false)
	tracked := len(in.tracked)
	in.mu.Unlock()

	for _, d := range c.drops {
		log.Warn("Dropped transaction", "hash", d.e.hash, "reason", d.err)
	}
	for _, e := range c.stale {
		in.revisit[e.from] = true
	}
	if len(c.settled)+len(c.unsettled)+len(c.final)+len(c.placed)+len(c.refused)+len(c.drops) > 0 {
		log.Debug("Checked local transactions", "kind", kind, "number", number, "tracked", tracked, "settled", len(c.settled),
			"unsettled", len(c.unsettled), "final", len(c.final), "resubmitted", len(c.placed), "refused", len(c.refused), "dropped", len(c.drops))
	}
}

// checked is what one check found about the tracked transactions, and did.
type checked struct {
	settled   []settlement
	unsettled []*entry // settled before, but a reorg freed the nonce again
	final     []*entry // settled FinalityDepth blocks ago
	inPool    []*entry // held before, in the pool now
	resubmit  []*entry // out of the pool: to add again
	drops     []drop
	placed    []*entry // resubmitted, accepted by the pool
	refused   []drop   // resubmitted, refused for now
	stale     []*entry // resubmitted, refused as nonce too low: their senders are settled at the next head
}

// classify sorts the tracked transactions against the head's nonces, the
// block events seen and the pool. The tracker is the only writer of
// entries, so it reads them unlocked.
func (in *Intake) classify(snap []*entry, included map[common.Hash]uint64, number uint64, nonceOf func(common.Address) uint64) *checked {
	c := new(checked)
	lookups := 0
	for _, e := range snap {
		if e.tx.Nonce() < nonceOf(e.from) {
			if e.settled {
				// Why: a reorg may have moved it to another block.
				if b, ok := included[e.hash]; ok && e.block != nil && *e.block != b {
					c.settled = append(c.settled, settlement{e: e, block: &b})
				}
				continue // final once the queue says so (settleLocked)
			}
			var block *uint64
			if b, ok := included[e.hash]; ok {
				block = &b
			} else if lookups < lookupBudget {
				// Not seen in a block event (a reorg, or mined before a
				// restart): ask the chain, within the budget.
				lookups++
				block = in.lookupBlock(e.hash)
			} else {
				c.stale = append(c.stale, e) // settled at a later head
				continue
			}
			c.settled = append(c.settled, settlement{e: e, block: block})
			continue
		}
		if e.settled {
			c.unsettled = append(c.unsettled, e)
		}
		in.checkPool(e, c)
	}
	return c
}

// lookupBlock returns the canonical block holding the transaction, or nil.
func (in *Intake) lookupBlock(hash common.Hash) *uint64 {
	if lookup, _ := in.chain.GetCanonicalTransaction(hash); lookup != nil {
		b := lookup.BlockIndex
		return &b
	}
	return nil
}

// checkPool sorts an unsettled entry by whether the pool still holds it:
// held, to resubmit, or to drop after Config.MaxResubmits resubmissions.
func (in *Intake) checkPool(e *entry, c *checked) {
	if in.pool.Has(e.hash) {
		if e.lastErr != nil {
			c.inPool = append(c.inPool, e)
		}
		return
	}
	// A transaction the pool keeps losing must end with a report, not a
	// resubmission loop nobody sees.
	if e.resubmits >= in.cfg.MaxResubmits {
		reason := errors.New("evicted from the pool")
		if e.lastErr != nil {
			reason = e.lastErr
		}
		c.drops = append(c.drops, drop{e, fmt.Errorf("%w (%d): %v", errTooManyResubmits, e.resubmits, reason)})
		return
	}
	c.resubmit = append(c.resubmit, e)
}

// resubmitBatch adds the oldest transactions the pool lost back to it, at
// most ResubmitBatch: they have waited longest, and a sender's lower nonces
// usually come first, filling the gaps that hold later ones back.
func (in *Intake) resubmitBatch(c *checked) {
	slices.SortFunc(c.resubmit, func(a, b *entry) int { return cmp.Compare(a.seq, b.seq) })
	batch := c.resubmit[:min(len(c.resubmit), in.cfg.ResubmitBatch)]
	if len(batch) == 0 {
		return
	}
	txs := make([]*types.Transaction, len(batch))
	for i, e := range batch {
		txs[i] = e.tx
	}
	for i, err := range in.pool.Add(txs, false) {
		e := batch[i]
		switch {
		case err == nil, errors.Is(err, txpool.ErrAlreadyKnown):
			c.placed = append(c.placed, e)
		case errors.Is(err, core.ErrNonceTooLow):
			// The pool has seen a newer head than ours, or the nonce moved
			// without a transaction of the sender in a block: the next head
			// settles the transaction.
			c.stale = append(c.stale, e)
		case locals.IsTemporaryReject(err), errors.Is(err, txpool.ErrReplaceUnderpriced):
			// Underpriced replacement: a transaction with the same nonce
			// holds the slot; if it is mined, this one is replaced.
			c.refused = append(c.refused, drop{e, err})
		default:
			c.drops = append(c.drops, drop{e, err})
		}
	}
}

// settleLocked records what the check found: settled and unsettled entries,
// resubmission counts, and the outcomes of final and dropped transactions,
// which stop being tracked.
func (in *Intake) settleLocked(c *checked, number uint64) {
	for _, s := range c.settled {
		in.markSettledLocked(s.e, s.block, number)
	}
	for _, e := range c.unsettled {
		in.markUnsettledLocked(e)
	}
	for _, e := range c.inPool {
		e.lastErr = nil
	}
	for _, e := range c.placed {
		e.resubmits++
		e.lastErr = nil
	}
	for _, r := range c.refused {
		r.e.resubmits++
		r.e.lastErr = r.err
	}
	c.final = in.popFinalLocked(number)
	for _, e := range c.final {
		in.forgetLocked(e)
		if e.block != nil {
			// Not remembered: the chain's transaction index answers Status
			// for mined transactions, and an outcome per transaction made
			// the node's memory climb with every block (issue 18).
			in.counters.mined.Add(1)
		} else {
			in.outcomes.Add(e.hash, replacedStatus(e.tx.Nonce()))
			in.counters.replaced.Add(1)
		}
	}
	for _, d := range c.drops {
		in.forgetLocked(d.e)
		in.outcomes.Add(d.e.hash, Status{State: StateDropped, Reason: d.err.Error()})
	}
	in.counters.resubmitted.Add(uint64(len(c.placed)))
	in.counters.dropped.Add(uint64(len(c.drops)))
}

// rejournalLocked journals again the transactions a reorg revived:
// compaction keeps only unsettled transactions, so one a reorg revived must
// be journaled again to survive a crash.
func (in *Intake) rejournalLocked(unsettled []*entry) {
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
}

// compactLocked rewrites the journal with the unsettled tracked transactions
// when at least Config.CompactMin records or Config.CompactBytes bytes are
// journaled and more than half of the records are no longer needed (or always when force is set, if that shrinks the
// journal). The caller holds in.mu, so no Submit appends meanwhile.
func (in *Intake) compactLocked(force bool) {
	if in.journal == nil {
		return
	}
	records := in.journal.Records()
	if !force && records < in.cfg.CompactMin && in.journal.Size() < in.cfg.CompactBytes {
		return
	}
	// Why the count: listing the entries on every head once the journal is
	// past CompactMin cost as much as the check it follows.
	live := in.unsettled
	if force && live >= records || !force && 2*live >= records {
		return
	}
	keep := make([]*entry, 0, live)
	for _, e := range in.tracked {
		if !e.settled {
			keep = append(keep, e)
		}
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
// are recorded as mined or replaced, and stay tracked as settled while a
// reorg may still undo that (Config.FinalityDepth), so that the tracker
// revives and journals them again if one does; those the pool now refuses
// for good are dropped with a warning. The journal is then compacted to what
// is tracked unsettled.
func (in *Intake) restore(txs []*types.Transaction) {
	if len(txs) == 0 {
		return
	}
	senders.Recover(in.signer, txs)
	r := &restorer{in: in}
	nonceOf := r.headNonces()
	readd := r.sortOut(txs, nonceOf)
	keep := r.readd(readd)
	r.commit()
	dropped := len(r.drops)
	in.counters.dropped.Add(uint64(dropped))
	for _, d := range r.drops {
		log.Warn("Dropped transaction", "hash", d.e.hash, "reason", d.err)
	}
	log.Info("Restored journaled transactions", "journaled", len(txs), "readded", len(keep),
		"mined", r.mined, "replaced", r.replaced, "settled", r.unresolved, "dropped", dropped)
}

// restorer is restore's state while it sorts the journaled transactions.
type restorer struct {
	in              *Intake
	number          uint64 // the head's
	mined, replaced int
	unresolved      int // settled past restoreLookupBudget, no outcome recorded
	drops           []drop
	settledEntries  []*entry
}

// headNonces reads the head and returns the account nonces of its state.
func (r *restorer) headNonces() func(common.Address) uint64 {
	var statedb *state.StateDB
	if head := r.in.chain.CurrentBlock(); head != nil {
		r.number = head.Number.Uint64()
		var err error
		if statedb, err = r.in.chain.StateAt(head.Root, head.Number, head.Time); err != nil {
			// The pool knows the nonces too: it refuses used ones below.
			log.Warn("Head state unavailable, re-adding every journaled transaction", "err", err)
		}
	}
	return nonceReader(statedb)
}

// sortOut settles the transactions whose nonce is used at the head, drops
// those without a sender, and returns the others, once each, to be added to
// the pool again.
func (r *restorer) sortOut(txs []*types.Transaction, nonceOf func(common.Address) uint64) []*types.Transaction {
	seen := make(map[common.Hash]bool, len(txs))
	var readd []*types.Transaction
	for _, tx := range txs {
		hash := tx.Hash()
		if seen[hash] {
			continue // journaled twice: dropped once, then submitted again
		}
		seen[hash] = true
		from, err := types.Sender(r.in.signer, tx)
		if err != nil {
			r.drops = append(r.drops, drop{&entry{tx: tx, hash: hash}, err})
			continue
		}
		if tx.Nonce() < nonceOf(from) {
			r.settle(tx)
			continue
		}
		readd = append(readd, tx)
	}
	return readd
}

// readd adds txs to the pool and tracks those it holds; the ones it
// refuses are settled (nonce too low) or dropped. It returns those kept.
func (r *restorer) readd(txs []*types.Transaction) []*types.Transaction {
	var (
		keep []*types.Transaction
		held []error
	)
	for i, err := range r.in.pool.Add(txs, false) {
		switch {
		case err == nil, errors.Is(err, txpool.ErrAlreadyKnown):
			keep, held = append(keep, txs[i]), append(held, nil)
		case locals.IsTemporaryReject(err):
			keep, held = append(keep, txs[i]), append(held, err)
		case errors.Is(err, core.ErrNonceTooLow):
			r.settle(txs[i])
		default:
			r.drops = append(r.drops, drop{&entry{tx: txs[i], hash: txs[i].Hash()}, err})
		}
	}
	r.in.track(keep, held, false)
	return keep
}

// settle records tx, whose nonce is used, as mined or replaced, and keeps
// it tracked as settled while a reorg may still undo that.
// Why the budget: each lookup decodes a whole block body; a journal of
// 100,000 settled transactions would hold the start-up for minutes. Those
// past the budget get no recorded outcome: Status looks them up on demand.
func (r *restorer) settle(tx *types.Transaction) {
	in := r.in
	if r.mined+r.replaced >= restoreLookupBudget {
		r.unresolved++
		return
	}
	e := &entry{tx: tx, hash: tx.Hash(), settled: true, settledAt: r.number}
	e.from, _ = types.Sender(in.signer, tx) // recovered above
	if lookup, _ := in.chain.GetCanonicalTransaction(tx.Hash()); lookup != nil {
		b := lookup.BlockIndex
		e.block = &b
		r.mined++
	} else {
		r.replaced++
	}
	since := r.number
	if e.block != nil {
		since = *e.block
	}
	if r.number < since+in.cfg.FinalityDepth {
		r.settledEntries = append(r.settledEntries, e)
		return
	}
	if e.block != nil {
		return // the chain's transaction index answers Status
	}
	in.mu.Lock()
	in.outcomes.Add(tx.Hash(), replacedStatus(tx.Nonce()))
	in.mu.Unlock()
}

// commit tracks the settled entries not tracked yet, records the drops'
// outcomes and compacts the journal to what is tracked unsettled.
func (r *restorer) commit() {
	in := r.in
	in.mu.Lock()
	defer in.mu.Unlock()
	for _, e := range r.settledEntries {
		if _, ok := in.tracked[e.hash]; !ok {
			in.seq++
			e.seq = in.seq
			in.addLocked(e)
		}
	}
	for _, d := range r.drops {
		in.outcomes.Add(d.e.hash, Status{State: StateDropped, Reason: d.err.Error()})
	}
	in.compactLocked(true)
}
