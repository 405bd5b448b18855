package sealer

import (
	"bytes"
	"math/big"
	"testing"

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
