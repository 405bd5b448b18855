package sealer

import (
	"bytes"
	"errors"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// bySigner returns the env's first n key indexes sorted by address, the order
// of Clique's turns: block k is in turn for [k % n].
func (e *env) bySigner(n int) []int {
	idx := make([]int, n)
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(a, b int) int {
		return bytes.Compare(crypto.PubkeyToAddress(e.keys[a].PublicKey).Bytes(), crypto.PubkeyToAddress(e.keys[b].PublicKey).Bytes())
	})
	return idx
}

// emptyBlock builds and signs an empty block on parent with key index signer,
// as another signer's sealer would.
func (e *env) emptyBlock(parent *types.Header, signer int) *types.Block {
	e.t.Helper()
	addr := crypto.PubkeyToAddress(e.keys[signer].PublicKey)
	header := &types.Header{ParentHash: parent.Hash(), Number: new(big.Int).Add(parent.Number, common.Big1), GasLimit: parent.GasLimit}
	header.BaseFee = eip1559.CalcBaseFee(e.gspec.Config, parent)
	if err := e.engine.Prepare(e.chain, header, addr); err != nil {
		e.t.Fatal(err)
	}
	statedb, err := e.chain.StateAt(parent.Root, parent.Number, parent.Time)
	if err != nil {
		e.t.Fatal(err)
	}
	block := core.AssembleBlock(e.chain, header, statedb, &types.Body{}, nil, nil)
	sealed, err := e.engine.Seal(block.Header(), addr, e.signFn(e.keys[signer]))
	if err != nil {
		e.t.Fatal(err)
	}
	return block.WithSeal(sealed)
}

// insert makes block the chain head (geth's InsertChain always does), as fork
// choice does when a heavier branch arrives.
func (e *env) insert(block *types.Block) {
	e.t.Helper()
	if _, err := e.chain.InsertChain(types.Blocks{block}); err != nil {
		e.t.Fatalf("insert block %d: %v", block.NumberU64(), err)
	}
	if head := e.chain.CurrentBlock(); head.Hash() != block.Hash() {
		e.t.Fatalf("head after inserting block %d: have %d %v, want %v", block.NumberU64(), head.Number, head.Hash(), block.Hash())
	}
}

// countingSink is a chainSink that records every block handed to it.
type countingSink struct {
	chainSink
	mu     sync.Mutex
	blocks []*types.Block
}

func (s *countingSink) InsertSealed(block *types.Block, receipts types.Receipts, st *state.StateDB) error {
	s.mu.Lock()
	s.blocks = append(s.blocks, block)
	s.mu.Unlock()
	return s.chainSink.InsertSealed(block, receipts, st)
}

func (s *countingSink) atHeight(n uint64) []common.Hash {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []common.Hash
	for _, b := range s.blocks {
		if b.NumberU64() == n {
			out = append(out, b.Hash())
		}
	}
	return out
}

// forgetfulGuard is a guard whose Load finds nothing: a sealer built on it
// starts with no memory of what the guard records, as if its memory were lost.
type forgetfulGuard struct{ Guard }

func (forgetfulGuard) Load() (*types.Block, error) { return nil, nil }

// reorgScenario is a 3-signer chain (period 0) under a running sealer for the
// first signer in address order, S0:
//
//	genesis - 1 (S2, out of turn) - 2 (S0, sealed by the sealer)
//	        \ 1' (S1, in turn)                      <- the new head
//
// Block 1' weighs as much as blocks 1 and 2 together and is lower, so
// EIP-3436 prefers it: a reorg to a different parent one height below the
// block the sealer just signed. The transaction of block 2 goes back to the
// pool, so the sealer has something to seal on 1' at height 2 again.
type reorgScenario struct {
	e      *env
	s      *Sealer
	sink   *countingSink
	signs  *atomic.Int32 // signatures the sealer asked for
	block2 *types.Block
}

// runReorg sets the scenario up with the sealer on guard, up to the reorg.
func runReorg(t *testing.T, guard Guard) *reorgScenario {
	t.Helper()
	e := newEnvSigners(t, 0, 3)
	order := e.bySigner(3)
	genesisHeader := e.chain.CurrentBlock()
	e.insert(e.emptyBlock(genesisHeader, order[2]))

	sc := &reorgScenario{e: e, sink: &countingSink{chainSink: chainSink{e.chain}}, signs: new(atomic.Int32)}
	key := e.keys[order[0]]
	sign := func(_ common.Address, hash []byte) ([]byte, error) {
		sc.signs.Add(1)
		return crypto.Sign(hash, key)
	}
	cfg := DefaultConfig()
	cfg.Signer = crypto.PubkeyToAddress(key.PublicKey)
	s, err := New(cfg, e.engine, e.chain, e.pool, sc.sink, guard, sign)
	if err != nil {
		t.Fatal(err)
	}
	sc.s = s
	if err := sc.s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sc.s.Stop() })

	if errs := e.pool.Add([]*types.Transaction{e.transfer(1, 0)}, true); errs[0] != nil {
		t.Fatal(errs[0])
	}
	sc.block2 = e.waitHead(2)
	if author, _ := e.engine.Author(sc.block2.Header()); author != cfg.Signer {
		t.Fatalf("block 2 author: have %v, want the sealer's %v", author, cfg.Signer)
	}
	// The reorg: 1' by the in-turn signer becomes the head.
	e.insert(e.emptyBlock(genesisHeader, order[1]))
	return sc
}

// waitRefused waits until the sealer has refused a round at least once.
func (sc *reorgScenario) waitRefused(t *testing.T) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for sc.s.Stats().Refused == 0 {
		if time.Now().After(deadline) {
			t.Fatalf("the sealer did not refuse to seal height 2 again within 15s; blocks at height 2 handed over: %v, head %d",
				sc.sink.atHeight(2), sc.e.chain.CurrentBlock().Number)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

// wantNoSecondBlock checks that nothing but block 2 was released at height 2.
func (sc *reorgScenario) wantNoSecondBlock(t *testing.T) {
	t.Helper()
	if have := sc.sink.atHeight(2); len(have) != 1 || have[0] != sc.block2.Hash() {
		t.Errorf("blocks released at height 2: have %v, want only %v", have, sc.block2.Hash())
	}
	if head := sc.e.chain.CurrentBlock(); head.Number.Uint64() != 1 {
		t.Errorf("head after the refusal: have %d %v, want block 1' (nothing sealed on it at height 2)", head.Number, head.Hash())
	}
}

// TestReorgUnderRunningSealer: after a reorg to a different parent one height
// below the block it just signed, a running sealer does not even sign a block
// at that height again: its memory of the last block signed stops the round
// before the block is built (one signature in all), and the guard still
// holds block 2.
func TestReorgUnderRunningSealer(t *testing.T) {
	guard := NewFileGuard(t.TempDir() + "/guard.rlp")
	sc := runReorg(t, guard)
	sc.waitRefused(t)
	if have := sc.signs.Load(); have != 1 {
		t.Errorf("signatures made: have %d, want 1 (block 2 only; a round at height 2 on 1' must stop before signing)", have)
	}
	sc.wantNoSecondBlock(t)
	if saved, err := guard.Load(); err != nil || saved == nil || saved.Hash() != sc.block2.Hash() {
		t.Errorf("guard after the refusal: have %v (err %v), want block 2 %v", saved, err, sc.block2.Hash())
	}
}

// TestGuardAloneRefusesAfterReorg: the same reorg under a sealer that has no
// memory of block 2 (its guard's Load finds nothing): the sealer builds and
// signs a block at height 2 on 1', and the persisted guard alone refuses to
// record it, so it is never released.
func TestGuardAloneRefusesAfterReorg(t *testing.T) {
	guard := NewFileGuard(t.TempDir() + "/guard.rlp")
	sc := runReorg(t, guard)
	// A sealer that forgot block 2 replaces the one that sealed it.
	sc.s.Stop()
	s, err := New(sc.s.cfg, sc.e.engine, sc.e.chain, sc.e.pool, sc.sink, forgetfulGuard{guard}, sc.s.sign)
	if err != nil {
		t.Fatal(err)
	}
	sc.s = s
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	sc.waitRefused(t)
	if have := sc.signs.Load(); have < 2 {
		t.Errorf("signatures made: have %d, want at least 2 (the forgetful sealer signs again; only the guard stops it)", have)
	}
	sc.wantNoSecondBlock(t)
	reopened, err := NewFileGuard(guard.path).Load()
	if err != nil || reopened == nil || reopened.Hash() != sc.block2.Hash() {
		t.Errorf("guard file after the refusal: have %v (err %v), want block 2 %v", reopened, err, sc.block2.Hash())
	}
}

// TestGuardRefusesSecondBlock checks each guard on its own: a different block
// at the recorded height or below is refused with errDoubleSign and not
// recorded; the recorded block again and any higher block are accepted; a
// file guard opened again on the same file refuses the same way.
func TestGuardRefusesSecondBlock(t *testing.T) {
	block := func(number int64, parent byte) *types.Block {
		return types.NewBlockWithHeader(&types.Header{Number: big.NewInt(number), ParentHash: common.Hash{parent}, Difficulty: big.NewInt(2), Extra: make([]byte, 97)})
	}
	path := t.TempDir() + "/guard.rlp"
	guards := map[string]func() Guard{
		"mem":  func() Guard { return new(MemGuard) },
		"file": func() Guard { return NewFileGuard(path) },
	}
	for name, make := range guards {
		t.Run(name, func(t *testing.T) {
			g := make()
			signed := block(5, 1)
			for _, b := range []*types.Block{block(4, 1), signed} {
				if err := g.Save(b); err != nil {
					t.Fatalf("save block %d: %v", b.NumberU64(), err)
				}
			}
			if err := g.Save(signed); err != nil {
				t.Fatalf("the recorded block again: have %v, want nil", err)
			}
			check := func(g Guard) {
				t.Helper()
				for _, b := range []*types.Block{block(5, 2), block(4, 2), block(3, 1)} {
					if err := g.Save(b); !errors.Is(err, errDoubleSign) {
						t.Errorf("block %d on parent %x after block 5: have %v, want %v", b.NumberU64(), b.ParentHash().Bytes()[:1], err, errDoubleSign)
					}
				}
				if have, _ := g.Load(); have == nil || have.Hash() != signed.Hash() {
					t.Errorf("record after refusals: have %v, want block 5 %v", have, signed.Hash())
				}
			}
			check(g)
			if name == "file" {
				check(NewFileGuard(path))
			}
			if err := g.Save(block(6, 9)); err != nil {
				t.Fatalf("a higher block: have %v, want nil", err)
			}
		})
	}
}
