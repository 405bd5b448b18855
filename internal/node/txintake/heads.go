package txintake

import (
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
)

// The tracker works in three kinds of rounds (ADR 103):
//
//   - a head: a burst of new blocks on top of the head it last saw revisits
//     only the senders the blocks' transactions name (their nonces moved),
//     settles those senders' lowest unsettled entries, and forgets the
//     entries final at the new head;
//   - a sweep, every Config.Recheck: asks the pool about each unsettled
//     entry, resubmits the ones it lost and drops those it cannot place;
//   - a full check (check): every tracked entry against the head's nonces
//     and the pool, when the blocks do not extend the head it last saw (a
//     reorg, a gap, the first head after Start) or the head moved without
//     a block event.

// loop runs the tracker: a round on every burst of new heads and a sweep
// every Config.Recheck.
func (in *Intake) loop(heads chan core.ChainEvent, sub event.Subscription) {
	defer in.wg.Done()
	defer sub.Unsubscribe()

	ticker := time.NewTicker(in.cfg.Recheck)
	defer ticker.Stop()
	subErr := sub.Err()
	for {
		select {
		case ev := <-heads:
			in.onHeads(drain(heads, ev))
		case <-ticker.C:
			// Why first: a head queued behind the tick would look like a
			// head moved without an event, and cost a full check.
			select {
			case ev := <-heads:
				in.onHeads(drain(heads, ev))
			default:
			}
			in.onTimer()
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

// drain returns ev and the events queued behind it, so that a burst of heads
// costs one round.
func drain(heads chan core.ChainEvent, ev core.ChainEvent) []core.ChainEvent {
	evs := []core.ChainEvent{ev}
	for {
		select {
		case ev := <-heads:
			evs = append(evs, ev)
		default:
			return evs
		}
	}
}

// onHeads brings the tracked transactions up to the last of a burst of new
// heads: incrementally if the burst extends the head the tracker last saw,
// by a full check otherwise.
func (in *Intake) onHeads(evs []core.ChainEvent) {
	fresh, ok := in.extends(evs)
	if !ok {
		for _, ev := range evs {
			in.noteIncluded(ev)
		}
		in.check()
		return
	}
	// Why: a full check that read these heads settled their transactions
	// by lookups, within a budget; the rest need the blocks they were in.
	for _, ev := range evs[:len(evs)-len(fresh)] {
		in.noteIncluded(ev)
	}
	if len(fresh) == 0 {
		return
	}
	in.counters.heads.Add(1)
	last := fresh[len(fresh)-1].Header
	in.settleAt(in.touchedSenders(fresh), last)
	in.head = last.Hash()
}

// extends returns the events of evs past the head the tracker last saw, and
// whether they form one chain on top of it.
func (in *Intake) extends(evs []core.ChainEvent) ([]core.ChainEvent, bool) {
	hashes := make([]common.Hash, len(evs))
	for i, ev := range evs {
		if ev.Header == nil {
			return nil, false
		}
		hashes[i] = ev.Header.Hash()
	}
	// Why: a full check reads the current head, which may be one of the
	// events still queued.
	for i := len(evs) - 1; i >= 0; i-- {
		if hashes[i] == in.head {
			evs, hashes = evs[i+1:], hashes[i+1:]
			break
		}
	}
	parent := in.head
	for i, ev := range evs {
		if ev.Header.ParentHash != parent {
			return nil, false
		}
		parent = hashes[i]
	}
	return evs, true
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

// touchedSenders records which tracked transactions the blocks hold and
// returns the accounts whose nonce the blocks may have moved: the senders of
// their transactions and the authorities of their EIP-7702 authorizations.
// A tracked transaction's sender is its entry's; another transaction's is
// the one geth cached on it while executing the block (types.Sender with the
// block's signer), so that no signature is recovered again.
func (in *Intake) touchedSenders(evs []core.ChainEvent) map[common.Address]bool {
	touched := make(map[common.Address]bool)
	others := make([][]*types.Transaction, len(evs))
	in.mu.Lock()
	for i, ev := range evs {
		number := ev.Header.Number.Uint64()
		for _, tx := range ev.Transactions {
			if e, ok := in.tracked[tx.Hash()]; ok {
				in.included[e.hash] = number
				touched[e.from] = true
			} else {
				others[i] = append(others[i], tx)
			}
		}
	}
	idle := in.unsettled == 0
	in.mu.Unlock()
	if idle {
		return touched // no entry a nonce could settle
	}
	for i, ev := range evs {
		signer := types.MakeSigner(in.config, ev.Header.Number, ev.Header.Time)
		for _, tx := range others[i] {
			if from, err := types.Sender(signer, tx); err == nil {
				touched[from] = true
			}
		}
		for _, tx := range ev.Transactions {
			if tx.Type() == types.SetCodeTxType {
				for _, auth := range tx.SetCodeAuthorities() {
					touched[auth] = true
				}
			}
		}
	}
	return touched
}

// used is an entry whose nonce a head shows used, with the block it was seen
// in, if any.
type used struct {
	e     *entry
	block uint64
	seen  bool
}

// settleAt settles, at header, the unsettled entries of the touched accounts
// and of those left to revisit whose nonce the header's state shows used,
// then forgets the entries final there.
func (in *Intake) settleAt(touched map[common.Address]bool, header *types.Header) {
	for from := range in.revisit {
		touched[from] = true
	}
	clear(in.revisit)
	nonces, err := in.senderNonces(touched, header)
	if err != nil {
		log.Debug("Deferred transaction settlement, head state unavailable", "number", header.Number, "err", err)
		for from := range touched {
			in.revisit[from] = true
		}
		return
	}
	var found []used
	in.mu.Lock()
	for from, nonce := range nonces {
		for _, e := range in.usedLocked(from, nonce) {
			b, seen := in.included[e.hash]
			found = append(found, used{e: e, block: b, seen: seen})
		}
	}
	in.mu.Unlock()

	c := new(checked)
	lookups := 0
	for _, u := range found {
		switch {
		case u.seen:
			b := u.block
			c.settled = append(c.settled, settlement{e: u.e, block: &b})
		case lookups < lookupBudget:
			// Not seen in a block event (mined before it was tracked, or
			// replaced): ask the chain, within the budget.
			lookups++
			c.settled = append(c.settled, settlement{e: u.e, block: in.lookupBlock(u.e.hash)})
		default:
			c.stale = append(c.stale, u.e) // settled at a later head
		}
	}
	in.commitCheck(c, header.Number.Uint64(), "head")
}

// senderNonces reads, in the state of header, the nonces of the touched
// accounts that have unsettled entries.
func (in *Intake) senderNonces(touched map[common.Address]bool, header *types.Header) (map[common.Address]uint64, error) {
	in.mu.Lock()
	for from := range touched {
		if len(in.bySender[from]) == 0 {
			delete(touched, from)
		}
	}
	in.mu.Unlock()
	if len(touched) == 0 {
		return nil, nil
	}
	statedb, err := in.chain.StateAt(header.Root, header.Number, header.Time)
	if err != nil {
		return nil, err
	}
	nonces := make(map[common.Address]uint64, len(touched))
	for from := range touched {
		nonces[from] = statedb.GetNonce(from)
	}
	return nonces, nil
}

// onTimer runs every Config.Recheck: a sweep if the head is the one the
// tracker last saw; a full check if another head has stood a whole Recheck
// without a block event (a rewind); nothing otherwise, since the head's
// event is on its way.
// Why wait: go-ethereum sets the head before it sends the event, and a
// busy machine can stretch that moment; a full check then costs lookups for
// the transactions of a block whose event follows.
func (in *Intake) onTimer() {
	head := in.chain.CurrentBlock()
	if head == nil {
		return
	}
	switch hash := head.Hash(); hash {
	case in.head:
		in.sweep(head)
	case in.unseen:
		in.check()
	default:
		in.unseen = hash
	}
}

// sweep asks the pool about every unsettled entry: it resubmits the ones the
// pool lost, drops the ones it cannot place, and settles at once the senders
// whose nonce the pool says is used.
func (in *Intake) sweep(head *types.Header) {
	in.counters.sweeps.Add(1)
	in.mu.Lock()
	live := in.unsettledLocked()
	in.mu.Unlock()

	c := new(checked)
	for _, e := range live {
		in.checkPool(e, c)
	}
	in.resubmitBatch(c)
	in.commitCheck(c, head.Number.Uint64(), "sweep")
	if len(in.revisit) > 0 {
		in.settleAt(make(map[common.Address]bool), head)
	}
}
