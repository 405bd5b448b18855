package txintake

import (
	"cmp"
	"container/heap"
	"slices"

	"github.com/ethereum/go-ethereum/common"
)

// The tracked transactions are indexed two ways (ADR 103), so that a new head
// costs work in proportion to what it changed, not to what is tracked:
//
//   - unsettled entries by sender, each sender's in nonce order: a block that
//     moves a sender's nonce settles a prefix of that sender's list;
//   - settled entries in a queue ordered by the head number at which they
//     are final (settled Config.FinalityDepth blocks deep).
//
// Both are kept under Intake.mu, together with Intake.tracked.

// finalItem is a settled entry queued until the head reaches at.
type finalItem struct {
	at uint64 // head number from which the entry is final
	e  *entry
}

// finalQueue is a min-heap of settled entries by finality height. An entry
// unsettled by a reorg stays queued; popFinalLocked skips such stale items.
type finalQueue []finalItem

func (q finalQueue) Len() int           { return len(q) }
func (q finalQueue) Less(i, j int) bool { return q[i].at < q[j].at }
func (q finalQueue) Swap(i, j int)      { q[i], q[j] = q[j], q[i] }
func (q *finalQueue) Push(x any)        { *q = append(*q, x.(finalItem)) }
func (q *finalQueue) Pop() any {
	old := *q
	item := old[len(old)-1]
	old[len(old)-1] = finalItem{}
	*q = old[:len(old)-1]
	return item
}

// entryOrder orders a sender's entries: by nonce, then by submission.
func entryOrder(a, b *entry) int {
	if c := cmp.Compare(a.tx.Nonce(), b.tx.Nonce()); c != 0 {
		return c
	}
	return cmp.Compare(a.seq, b.seq)
}

// addLocked starts tracking e: in the sender index if unsettled, in the
// finality queue if settled.
func (in *Intake) addLocked(e *entry) {
	in.tracked[e.hash] = e
	if e.settled {
		in.queueFinalLocked(e)
		return
	}
	in.insertUnsettledLocked(e)
}

// forgetLocked stops tracking e (final or dropped).
func (in *Intake) forgetLocked(e *entry) {
	if in.tracked[e.hash] != e {
		return
	}
	delete(in.tracked, e.hash)
	delete(in.included, e.hash)
	if !e.settled {
		in.removeUnsettledLocked(e)
	}
}

// markSettledLocked records that e's nonce is used at head number, by e
// itself in block (nil: by another transaction), and queues it for finality.
func (in *Intake) markSettledLocked(e *entry, block *uint64, number uint64) {
	if !e.settled {
		in.removeUnsettledLocked(e)
	}
	e.settled, e.block, e.settledAt = true, block, number
	in.queueFinalLocked(e)
}

// markUnsettledLocked records that a reorg freed e's nonce again.
func (in *Intake) markUnsettledLocked(e *entry) {
	if !e.settled {
		return
	}
	e.settled, e.block = false, nil
	delete(in.included, e.hash) // the block it was seen in is gone
	in.insertUnsettledLocked(e)
}

// queueFinalLocked queues the settled e until FinalityDepth blocks past the
// block that settled it.
func (in *Intake) queueFinalLocked(e *entry) {
	since := e.settledAt
	if e.block != nil {
		since = *e.block
	}
	e.finalAt = since + in.cfg.FinalityDepth
	heap.Push(&in.final, finalItem{at: e.finalAt, e: e})
}

// popFinalLocked removes from the queue and returns the tracked entries final
// at head number; stale items (unsettled, settled again, forgotten) are
// discarded on the way.
func (in *Intake) popFinalLocked(number uint64) []*entry {
	var final []*entry
	for len(in.final) > 0 && in.final[0].at <= number {
		item := heap.Pop(&in.final).(finalItem)
		e := item.e
		if in.tracked[e.hash] != e || !e.settled || e.finalAt != item.at {
			continue
		}
		e.finalAt = 0 // a second item for the same settlement is stale
		final = append(final, e)
	}
	return final
}

// insertUnsettledLocked puts e into its sender's list, in nonce order.
// Submissions mostly come in nonce order, so this is mostly an append.
func (in *Intake) insertUnsettledLocked(e *entry) {
	list := in.bySender[e.from]
	i := len(list)
	if i > 0 && entryOrder(list[i-1], e) > 0 {
		i, _ = slices.BinarySearchFunc(list, e, entryOrder)
	}
	in.bySender[e.from] = slices.Insert(list, i, e)
	in.unsettled++
}

// removeUnsettledLocked takes e out of its sender's list.
func (in *Intake) removeUnsettledLocked(e *entry) {
	list := in.bySender[e.from]
	i, found := slices.BinarySearchFunc(list, e, entryOrder)
	if !found || list[i] != e {
		return
	}
	if i == 0 {
		// Settling pops a sender's lowest nonces first: O(1) each.
		list[0] = nil
		list = list[1:]
	} else {
		list = slices.Delete(list, i, i+1)
	}
	if len(list) == 0 {
		delete(in.bySender, e.from)
	} else {
		in.bySender[e.from] = list
	}
	in.unsettled--
}

// usedLocked returns the unsettled entries of from whose nonce is below
// nonce: the ones a head with that account nonce settles.
func (in *Intake) usedLocked(from common.Address, nonce uint64) []*entry {
	list := in.bySender[from]
	n := 0
	for n < len(list) && list[n].tx.Nonce() < nonce {
		n++
	}
	return slices.Clone(list[:n])
}

// unsettledLocked returns every unsettled entry.
func (in *Intake) unsettledLocked() []*entry {
	all := make([]*entry, 0, in.unsettled)
	for _, list := range in.bySender {
		all = append(all, list...)
	}
	return all
}
