package txintake

import (
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// TestReorgAfterCompactionSurvivesCrash: a transaction is mined, the journal
// is compacted (which keeps only unsettled transactions, so it drops this
// one), a reorg takes its block away, and the node crashes before the
// transaction is mined again. The tracker journals the revived transaction
// again, so the restarted intake has it back in the pool.
func TestReorgAfterCompactionSurvivesCrash(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.CompactMin = 4; c.FinalityDepth = 100 })
	var txs []*types.Transaction
	for i := range 5 {
		txs = append(txs, transfer("alice", uint64(i)))
	}
	revived := transfer("bob", 0)
	txs = append(txs, revived)
	h.submit(txs...)
	h.chain.mine(txs...)
	h.in.check()
	if m := h.in.Metrics(); m.Journal.Compacted != 1 || m.Journal.Records != 0 {
		t.Fatalf("compactions/records once all are mined: have %d/%d, want 1/0 (the scenario needs the compaction)", m.Journal.Compacted, m.Journal.Records)
	}

	h.chain.unmine(revived) // the reorg; the pool lost it meanwhile
	h.in.check()
	h.wantState(revived, StatePending, "")
	if m := h.in.Metrics(); m.Journal.Records != 1 {
		t.Errorf("journal records after the reorg: have %d, want 1 (the revived transaction)", m.Journal.Records)
	}

	// SIGKILL: no Stop; the pool's contents are gone, the chain stays.
	h.pool = newFakePool(h.chain)
	h.in = h.newIntake()
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	if !h.pool.Has(revived.Hash()) {
		t.Fatal("pool after the crash: have not holding the revived transaction, want it restored from the journal")
	}
	h.wantState(revived, StatePending, "")
}

// TestRestartThenReorgSurvivesCrash: a transaction mined before a restart
// (whose start-up compaction drops it from the journal) is still tracked as
// settled afterwards, so a reorg that takes its block away revives it:
// resubmitted, journaled again, and back in the pool after a crash.
func TestRestartThenReorgSurvivesCrash(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FinalityDepth = 100 })
	tx, live := transfer("alice", 0), transfer("bob", 0)
	h.submit(tx, live)
	h.chain.mine(tx)

	restart := func() {
		t.Helper()
		h.pool = newFakePool(h.chain)
		h.in = h.newIntake()
		if err := h.in.Start(); err != nil {
			t.Fatal(err)
		}
	}
	restart()
	h.wantState(tx, StateMined, "")
	if m := h.in.Metrics(); m.Journal.Records != 1 {
		t.Fatalf("journal records after the restart: have %d, want 1 (the mined one compacted away)", m.Journal.Records)
	}

	h.chain.unmine(tx)
	h.in.check()
	if !h.pool.Has(tx.Hash()) {
		t.Fatal("pool after the reorg: have not holding the revived transaction, want it resubmitted")
	}
	h.wantState(tx, StatePending, "")

	restart() // a crash this time: no Stop
	for _, want := range []*types.Transaction{tx, live} {
		if !h.pool.Has(want.Hash()) {
			t.Errorf("tx %x after the crash: have not in pool, want restored from the journal", want.Hash().Bytes()[:4])
		}
	}
}
