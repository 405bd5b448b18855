package sealer

import (
	"bytes"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// sortedSigners returns the env's signer indexes (into e.keys) sorted by
// address, the order Clique's turns follow: block n is in turn for [n % 2].
func (e *env) sortedSigners(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	addr := func(i int) []byte { a := crypto.PubkeyToAddress(e.keys[i].PublicKey); return a[:] }
	if n == 2 && bytes.Compare(addr(0), addr(1)) > 0 {
		idx[0], idx[1] = 1, 0
	}
	return idx
}

// TestGiveWayOutOfTurn: an out-of-turn signer that hears of another block of
// its height on its parent holds off instead of releasing a competing block;
// if that block never becomes the head, it seals after all (no stall).
func TestGiveWayOutOfTurn(t *testing.T) {
	e := newEnvSigners(t, 1, 2)
	signers := e.sortedSigners(2)
	genesis := e.chain.CurrentBlock()
	s := e.newSealer(signers[0], new(MemGuard)) // out of turn at block 1
	s.Incoming(&types.Header{ParentHash: genesis.Hash(), Number: big.NewInt(1), Difficulty: big.NewInt(2)})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()

	b1 := e.waitHead(1)
	if st := s.Stats(); st.GaveWay == 0 {
		t.Fatalf("gave way: have %d times, want at least once before sealing block 1", st.GaveWay)
	}
	signer, err := e.engine.Author(b1.Header())
	if err != nil {
		t.Fatal(err)
	}
	if want := crypto.PubkeyToAddress(e.keys[signers[0]].PublicKey); signer != want {
		t.Fatalf("block 1 signer: have %s, want %s (the sealer, after giving way)", signer, want)
	}
}

// TestInTurnDoesNotGiveWay: the in-turn signer seals whatever arrives.
func TestInTurnDoesNotGiveWay(t *testing.T) {
	e := newEnvSigners(t, 1, 2)
	signers := e.sortedSigners(2)
	genesis := e.chain.CurrentBlock()
	s := e.newSealer(signers[1], new(MemGuard)) // in turn at block 1
	s.Incoming(&types.Header{ParentHash: genesis.Hash(), Number: big.NewInt(1), Difficulty: big.NewInt(1)})
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()

	b1 := e.waitHead(1)
	if b1.Difficulty().Uint64() != 2 {
		t.Fatalf("block 1 difficulty: have %d, want 2 (in turn)", b1.Difficulty())
	}
	if st := s.Stats(); st.GaveWay != 0 {
		t.Fatalf("gave way: have %d times, want 0 in turn", st.GaveWay)
	}
}

// TestOutOfTurnHoldsOff: an out-of-turn signer does not build its block while
// the in-turn block may still come; told of a block of its height meanwhile,
// it gives way having executed nothing, and seals after all (with the pending
// transactions) if that block never arrives.
func TestOutOfTurnHoldsOff(t *testing.T) {
	// Block 1's slot is 2-3 s ahead: the round starts well before its hold.
	e := newEnvAt(t, 1, 2, uint64(time.Now().Unix())+1)
	signers := e.sortedSigners(2)
	genesis := e.chain.CurrentBlock()
	txs := []*types.Transaction{e.transfer(2, 0), e.transfer(2, 1)}
	for i, err := range e.pool.Add(txs, true) {
		if err != nil {
			t.Fatalf("add tx %d: %v", i, err)
		}
	}
	s := e.newSealer(signers[0], new(MemGuard)) // out of turn at block 1
	holding := make(chan struct{}, 8)
	s.holding = func() {
		select {
		case holding <- struct{}{}:
		default:
		}
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()

	select {
	case <-holding:
	case <-time.After(10 * time.Second):
		t.Fatal("the out-of-turn round did not hold off within 10s")
	}
	s.Incoming(&types.Header{ParentHash: genesis.Hash(), Number: big.NewInt(1), Difficulty: big.NewInt(2)})

	b1 := e.waitHead(1)
	st := s.Stats()
	if st.GaveWay == 0 {
		t.Errorf("gave way: have %d times, want at least once", st.GaveWay)
	}
	if st.Discarded != 0 {
		t.Errorf("discarded transactions: have %d, want 0 (nothing executed before giving way)", st.Discarded)
	}
	if have := len(b1.Transactions()); have != len(txs) {
		t.Errorf("transactions in block 1: have %d, want %d", have, len(txs))
	}
	if b1.Difficulty().Uint64() != 1 {
		t.Errorf("block 1 difficulty: have %d, want 1 (out of turn)", b1.Difficulty())
	}
}

// TestAbandonCountsDiscarded: a dropped block's transactions count as
// discarded, whichever way it was dropped.
func TestAbandonCountsDiscarded(t *testing.T) {
	e := newEnv(t, 1)
	s := e.newSealer(0, new(MemGuard))
	s.abandon(errHeadChanged, &work{txs: make([]*types.Transaction, 3)})
	s.abandon(errGaveWay, &work{txs: make([]*types.Transaction, 2)})
	s.abandon(errStopped, &work{})
	if st := s.Stats(); st.Discarded != 5 || st.Abandons != 1 || st.GaveWay != 1 {
		t.Fatalf("stats: have discarded %d, abandons %d, gave way %d; want 5, 1, 1", st.Discarded, st.Abandons, st.GaveWay)
	}
}
