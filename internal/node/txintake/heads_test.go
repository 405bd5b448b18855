package txintake

import (
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// heads subscribes to the fake chain's block events and returns a function
// handing the events queued since its last call to the tracker as one burst,
// as its loop does.
func (h *harness) heads() func() {
	h.t.Helper()
	ch := make(chan core.ChainEvent, 64)
	sub := h.chain.feed.Subscribe(ch)
	h.t.Cleanup(sub.Unsubscribe)
	return func() {
		h.t.Helper()
		select {
		case ev := <-ch:
			h.in.onHeads(drain(ch, ev))
		default:
			h.t.Fatal("no block event queued")
		}
	}
}

// rounds returns the tracker's full checks, head rounds and sweeps so far.
func (h *harness) rounds() (full, heads, sweeps uint64) {
	c := &h.in.counters
	return c.fullChecks.Load(), c.heads.Load(), c.sweeps.Load()
}

// wantRounds checks the tracker's rounds by kind.
func (h *harness) wantRounds(full, heads, sweeps uint64) {
	h.t.Helper()
	if f, hd, s := h.rounds(); f != full || hd != heads || s != sweeps {
		h.t.Errorf("full checks/heads/sweeps: have %d/%d/%d, want %d/%d/%d", f, hd, s, full, heads, sweeps)
	}
}

// wantMined checks that tx is mined in block.
func (h *harness) wantMined(tx *types.Transaction, block uint64) {
	h.t.Helper()
	st := h.wantState(tx, StateMined, "")
	if st.Block == nil || *st.Block != block {
		h.t.Errorf("block of %x: have %v, want %d", tx.Hash().Bytes()[:4], st.Block, block)
	}
}

// TestHeadRevisitsItsSenders: after the first (full) check, a head on top of
// the last one settles the senders its block names, without asking the pool
// about anything, and a burst of heads is one round that settles each
// transaction at its own block; settled transactions are forgotten once
// FinalityDepth blocks deep.
func TestHeadRevisitsItsSenders(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FinalityDepth = 2 })
	next := h.heads()
	a0, a1, a2 := transfer("alice", 0), transfer("alice", 1), transfer("alice", 2)
	b0, b1, c0 := transfer("bob", 0), transfer("bob", 1), transfer("carol", 0)
	h.submit(a0, a1, a2, b0, b1, c0)
	h.in.check()
	asked := h.pool.hasCalls()

	first := h.chain.mine(a0, b0)
	next()
	h.wantMined(a0, first)
	h.wantMined(b0, first)
	h.wantState(a1, StatePending, "")

	second := h.chain.mine(a1)
	third := h.chain.mine(a2, b1)
	next() // both blocks: one round
	h.wantMined(a1, second)
	h.wantMined(a2, third)
	h.wantMined(b1, third)
	h.wantState(c0, StatePending, "")
	h.wantRounds(1, 2, 0)
	if have := h.pool.hasCalls(); have != asked {
		t.Errorf("pool asked on heads: have %d calls, want none (the sweep asks)", have-asked)
	}

	if m := h.in.Metrics(); m.Tracked != 4 || m.Mined != 2 {
		t.Errorf("tracked/mined at first+2: have %d/%d, want 4/2 (a0, b0 final)", m.Tracked, m.Mined)
	}
	h.chain.mine()
	next()
	if m := h.in.Metrics(); m.Tracked != 3 || m.Mined != 3 {
		t.Errorf("tracked/mined at second+2: have %d/%d, want 3/3 (a1 final)", m.Tracked, m.Mined)
	}
	h.chain.mine()
	h.chain.mine()
	next()
	if m := h.in.Metrics(); m.Tracked != 1 || m.Mined != 5 {
		t.Errorf("tracked/mined at third+2: have %d/%d, want 1/5 (carol's left)", m.Tracked, m.Mined)
	}
	h.wantMined(a2, third) // from the chain's index now
	h.wantRounds(1, 4, 0)
}

// TestHeadReplacedBySameNonce: a transaction replaced by another with the
// same nonce is reported replaced by the head that mines the other one,
// whether the other one was sent elsewhere or through the intake too.
func TestHeadReplacedBySameNonce(t *testing.T) {
	tests := []struct {
		name    string
		tracked bool // the replacement was submitted here too
	}{
		{"replacement sent elsewhere", false},
		{"replacement sent here", true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			next := h.heads()
			orig := transfer("alice", 0)
			replacement := transferFee("alice", 0, big.NewInt(3*params.GWei))
			h.submit(orig)
			if tt.tracked {
				h.submit(replacement)
			}
			h.in.check()

			block := h.chain.mine(replacement)
			next()
			h.wantState(orig, StateReplaced, "nonce 0 used by another transaction")
			if tt.tracked {
				h.wantMined(replacement, block)
			}
			h.wantRounds(1, 1, 0)
		})
	}
}

// TestReorgFreesNonces: a reorg to a branch without a mined transaction frees
// its nonce; the head event of the new branch does not extend the last head,
// so the tracker checks everything: the transaction is unsettled, resubmitted
// and journaled again, and the next block mining it settles it again.
func TestReorgFreesNonces(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FinalityDepth = 10 })
	next := h.heads()
	a0, a1 := transfer("alice", 0), transfer("alice", 1)
	h.submit(a0, a1)
	h.in.check()
	first := h.chain.mine(a0, a1)
	next()
	h.wantMined(a1, first)
	records := h.in.Metrics().Journal.Records

	fork := h.chain.reorg([]*types.Transaction{a1}, a0)
	next()
	h.wantRounds(2, 1, 0)
	h.wantMined(a0, fork)
	if !h.pool.Has(a1.Hash()) {
		t.Fatal("pool after the reorg: have not holding a1, want it resubmitted")
	}
	h.wantState(a1, StatePending, "")
	if have := h.in.Metrics().Journal.Records; have != records+1 {
		t.Errorf("journal records after the reorg: have %d, want %d (a1 journaled again)", have, records+1)
	}

	again := h.chain.mine(a1)
	next()
	h.wantMined(a1, again)
	h.wantRounds(2, 2, 0)
}

// TestGapChecksEverything: a block the tracker never saw an event for (here
// one in which another transaction of alice used her nonce) leaves a gap; the
// next head does not extend the last one it saw, so it checks everything and
// reports the replacement.
func TestGapChecksEverything(t *testing.T) {
	h := newHarness(t, nil)
	next := h.heads()
	a0, b0 := transfer("alice", 0), transfer("bob", 0)
	h.submit(a0, b0)
	h.in.check()
	h.chain.useNonce("alice", 0) // no event
	block := h.chain.mine(b0)
	next()
	h.wantRounds(2, 0, 0)
	h.wantState(a0, StateReplaced, "nonce 0")
	h.wantMined(b0, block)
}

// TestHeadMovedWithoutEvent: on the timer, a head the tracker got no event
// for (a rewind) gets a full check once it has stood a whole Recheck (its
// event may be on its way: the first tick does nothing); an unchanged head
// gets a sweep.
func TestHeadMovedWithoutEvent(t *testing.T) {
	h := newHarness(t, nil)
	a0 := transfer("alice", 0)
	h.submit(a0)
	h.in.check()
	h.in.onTimer()
	h.wantRounds(1, 0, 1)
	h.chain.useNonce("alice", 0)
	h.in.onTimer()
	h.wantRounds(1, 0, 1)
	h.wantState(a0, StatePending, "")
	h.in.onTimer()
	h.wantRounds(2, 0, 1)
	h.wantState(a0, StateReplaced, "nonce 0")
}

// TestHeadAfterFullCheckNotesItsBlock: a full check that read a head whose
// event was still queued settles its transactions within the lookup budget
// only; the event, though it brings nothing new, records the blocks of the
// rest, so the next head settles them as mined without lookups.
func TestHeadAfterFullCheckNotesItsBlock(t *testing.T) {
	h := newHarness(t, nil)
	next := h.heads()
	const n = lookupBudget + 6
	var txs []*types.Transaction
	for i := range n {
		txs = append(txs, transfer("alice", uint64(i)))
	}
	h.submit(txs...)
	block := h.chain.mine(txs...) // its event is queued
	h.in.check()                  // reads the new head: the budget's worth settled
	next()                        // the queued event: nothing new, its block noted
	h.chain.mine()
	next()
	for _, tx := range txs {
		h.wantMined(tx, block)
	}
	h.wantRounds(1, 1, 0)
	if have := h.chain.looked; have != lookupBudget {
		t.Errorf("chain lookups: have %d, want %d (the full check's budget, none after)", have, lookupBudget)
	}
}

// TestSweepWithoutHead: a transaction the pool evicts while no block comes is
// resubmitted by the sweep on the Recheck timer, without a full check.
func TestSweepWithoutHead(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Recheck = 10 * time.Millisecond })
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	tx := transfer("alice", 0)
	h.submit(tx)
	// The first round after Start is a full check: wait for it.
	waitFor(t, func() bool { full, _, _ := h.rounds(); return full == 1 })
	h.pool.remove(tx)
	waitFor(t, func() bool { return h.pool.Has(tx.Hash()) })
	if full, heads, sweeps := h.rounds(); full != 1 || heads != 0 || sweeps == 0 {
		t.Errorf("full checks/heads/sweeps: have %d/%d/%d, want 1/0/>0", full, heads, sweeps)
	}
	if have := h.in.Metrics().Resubmitted; have != 1 {
		t.Errorf("resubmitted: have %d, want 1", have)
	}
}

// TestSweepSettlesNonceMovedOutsideBlocks: a nonce that moved without any
// transaction of its sender in a block (a delegated account's code creating
// a contract) is caught by the sweep: the pool refuses the lost transaction
// as nonce too low, and the sender is settled at once, without a full check.
func TestSweepSettlesNonceMovedOutsideBlocks(t *testing.T) {
	h := newHarness(t, nil)
	a0, b0 := transfer("alice", 0), transfer("bob", 0)
	h.submit(a0, b0)
	h.in.check()
	h.chain.setNonce("alice", 1)
	h.pool.remove(a0) // the pool's reset drops it
	h.in.onTimer()
	h.wantRounds(1, 0, 1)
	h.wantState(a0, StateReplaced, "nonce 0")
	h.wantState(b0, StatePending, "")
}

// TestHeadLookupBudgetCarriesOver: a head that settles more unseen
// transactions than one round may look up settles the rest at the next head.
func TestHeadLookupBudgetCarriesOver(t *testing.T) {
	h := newHarness(t, nil)
	next := h.heads()
	const n = lookupBudget + 6
	var txs []*types.Transaction
	for i := range n {
		txs = append(txs, transfer("alice", uint64(i)))
	}
	h.submit(txs...)
	h.in.check()
	// Another transaction of alice's, sent elsewhere, at nonce n: the tracked
	// ones below it were mined in blocks the tracker never saw.
	h.chain.setNonce("alice", n)
	h.chain.mine(transfer("alice", n))
	next()
	if have := h.in.Metrics().Tracked; have != n {
		t.Fatalf("tracked: have %d, want %d", have, n)
	}
	settled := 0
	for _, tx := range txs {
		if h.in.Status(tx.Hash()).State == StateReplaced {
			settled++
		}
	}
	if settled != lookupBudget {
		t.Errorf("settled by the first head: have %d, want %d (the budget)", settled, lookupBudget)
	}
	h.chain.mine()
	next()
	for _, tx := range txs {
		h.wantState(tx, StateReplaced, "")
	}
	h.wantRounds(1, 2, 0)
}
