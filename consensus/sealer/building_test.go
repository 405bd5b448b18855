package sealer

import (
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestBuildingCountsApplied: the count the batch hold reads (Sealer.Building)
// follows the transactions applied to the block, not those offered: a
// transaction behind a nonce gap is not counted.
func TestBuildingCountsApplied(t *testing.T) {
	e := newEnv(t, 1)
	w := e.firstWork()
	var n atomic.Int64
	w.building = &n
	a0, a1, b2 := e.transfer(1, 0), e.transfer(1, 1), e.transfer(2, 2) // b2: a gap, not applied
	for _, tx := range []*types.Transaction{a0, a1, b2} {
		types.Sender(types.LatestSigner(e.gspec.Config), tx)
	}
	w.incoming = []*types.Transaction{a0, a1, b2}
	w.fillIncoming()
	if have, want := n.Load(), int64(2); have != want || len(w.txs) != 2 {
		t.Fatalf("building after applying a0 a1 (b2 behind a gap): have %d (block holds %d), want %d", have, len(w.txs), want)
	}
}

// buildingSink records the sealer's Building count when a block is handed
// over, then inserts it.
type buildingSink struct {
	chainSink
	sealer *Sealer
	seen   chan int
}

func (s buildingSink) InsertSealed(block *types.Block, receipts types.Receipts, statedb *state.StateDB) error {
	if len(block.Transactions()) > 0 {
		select {
		case s.seen <- s.sealer.Building():
		default:
		}
	}
	return s.chainSink.InsertSealed(block, receipts, statedb)
}

// TestBuildingZeroAtHandOver: the block's transactions stop counting as being
// built before the sink sees the block, so that the node never leaves them
// out of the backlog twice (once as built, once as leaving, ADR 095).
func TestBuildingZeroAtHandOver(t *testing.T) {
	e := newEnv(t, 0)
	s := e.newSealer(0, new(MemGuard))
	sink := buildingSink{chainSink: chainSink{e.chain}, sealer: s, seen: make(chan int, 1)}
	s.sink = sink
	txs := []*types.Transaction{e.transfer(1, 0), e.transfer(1, 1), e.transfer(2, 0)}
	for i, err := range e.pool.Add(txs, true) {
		if err != nil {
			t.Fatalf("add tx %d: %v", i, err)
		}
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if block := e.waitHead(1); len(block.Transactions()) != len(txs) {
		t.Fatalf("transactions in block 1: have %d, want %d", len(block.Transactions()), len(txs))
	}
	if have := <-sink.seen; have != 0 {
		t.Fatalf("Building when the block of %d transactions was handed over: have %d, want 0", len(txs), have)
	}
}
