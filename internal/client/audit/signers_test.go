package audit

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
)

// memSource serves headers from memory.
type memSource []*types.Header

func (m memSource) Headers(_ context.Context, from, to uint64) ([]*types.Header, error) {
	if to >= uint64(len(m)) {
		return nil, fmt.Errorf("block %d not found", to)
	}
	return m[from : to+1], nil
}

// testSigners holds the keys of the signers of a test chain, sorted by address.
type testSigners struct {
	keys  map[common.Address]*ecdsa.PrivateKey
	addrs []common.Address // sorted
}

func newTestSigners(n int) *testSigners {
	s := &testSigners{keys: make(map[common.Address]*ecdsa.PrivateKey)}
	for i := range n {
		key, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("citychain audit test signer %d", i))))
		addr := crypto.PubkeyToAddress(key.PublicKey)
		s.keys[addr] = key
		s.addrs = append(s.addrs, addr)
	}
	slices.SortFunc(s.addrs, common.Address.Cmp)
	return s
}

func (s *testSigners) sign(signer common.Address, hash []byte) ([]byte, error) {
	return crypto.Sign(hash, s.keys[signer])
}

// testChainBuilder seals empty blocks with our engine, as a signer would.
type testChainBuilder struct {
	t       *testing.T
	genesis *core.Genesis
	signers *testSigners
	engine  *clique.Engine
	chain   *headerChain
	headers []*types.Header
}

func newTestChainBuilder(t *testing.T, signers *testSigners, epoch uint64) *testChainBuilder {
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period, spec.Epoch = 4345, 1, epoch
	spec.Signers = signers.addrs
	spec.Timestamp = uint64(time.Now().Add(-time.Hour).Unix())
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	head := g.ToBlock().Header()
	return &testChainBuilder{
		t: t, genesis: g, signers: signers,
		engine:  clique.New(g.Config.Clique, rawdb.NewMemoryDatabase()),
		chain:   newHeaderChain(g.Config, head),
		headers: []*types.Header{head},
	}
}

// seal adds a block sealed by the in-turn signer if it may seal, else by the
// first signer allowed to, voting on the proposals given (address: authorize).
func (b *testChainBuilder) seal(votes map[common.Address]bool) *types.Header {
	b.t.Helper()
	for addr := range b.engine.Proposals() {
		b.engine.Discard(addr)
	}
	for addr, auth := range votes {
		b.engine.Propose(addr, auth)
	}
	parent := b.headers[len(b.headers)-1]
	var best *types.Header
	var signer common.Address
	for _, candidate := range b.signers.addrs {
		h := &types.Header{
			ParentHash: parent.Hash(), Root: parent.Root, TxHash: types.EmptyTxsHash, ReceiptHash: types.EmptyReceiptsHash,
			Number: new(big.Int).Add(parent.Number, common.Big1), GasLimit: parent.GasLimit,
			BaseFee: eip1559.CalcBaseFee(b.genesis.Config, parent), Extra: make([]byte, clique.ExtraVanity),
		}
		if err := b.engine.Prepare(b.chain, h, candidate); err != nil {
			continue
		}
		if best == nil || h.Difficulty.Cmp(common.Big2) == 0 {
			best, signer = h, candidate
		}
	}
	if best == nil {
		b.t.Fatalf("no signer may seal block %d", len(b.headers))
	}
	best.Time = parent.Time + b.genesis.Config.Clique.Period // not now: keep the chain in the past
	sealed, err := b.engine.Seal(best, signer, b.signers.sign)
	if err != nil {
		b.t.Fatal(err)
	}
	if err := b.engine.VerifyHeader(b.chain, sealed, nil); err != nil {
		b.t.Fatalf("built an invalid block %d: %v", sealed.Number, err)
	}
	b.chain.insert(sealed)
	b.headers = append(b.headers, sealed)
	return sealed
}

// votingChain builds 3 signers, two votes that remove the third at block 3,
// a vote to add an outsider that never passes, a checkpoint at block 8, and
// 10 blocks in all.
func votingChain(t *testing.T) (*testChainBuilder, common.Address, common.Address) {
	signers := newTestSigners(3)
	b := newTestChainBuilder(t, signers, 8)
	removed, outsider := signers.addrs[2], common.HexToAddress("0x00000000000000000000000000000000000000d0")
	b.seal(map[common.Address]bool{removed: false}) // 1: signer 1 votes to drop signer 2
	b.seal(nil)                                     // 2: signer 2, no vote
	b.seal(map[common.Address]bool{removed: false}) // 3: signer 0 votes; 2 of 3: signer 2 dropped
	b.seal(nil)                                     // 4
	b.seal(map[common.Address]bool{outsider: true}) // 5: one vote to add an outsider
	for range 5 {                                   // 6..10, checkpoint 8 resets the vote
		b.seal(nil)
	}
	return b, removed, outsider
}

func TestAuditSigners(t *testing.T) {
	b, removed, outsider := votingChain(t)
	a, err := AuditSigners(context.Background(), b.genesis, memSource(b.headers), 0, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	sealer := func(n int) common.Address {
		s, err := b.engine.Author(b.headers[n])
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	wantVotes := []VoteRecord{
		{Block: 1, Voter: sealer(1), Subject: removed, Authorize: false},
		{Block: 3, Voter: sealer(3), Subject: removed, Authorize: false},
		{Block: 5, Voter: sealer(5), Subject: outsider, Authorize: true},
	}
	if !slices.Equal(a.Votes, wantVotes) {
		t.Errorf("votes: have %+v, want %+v", a.Votes, wantVotes)
	}
	remaining := b.signers.addrs[:2]
	if len(a.Changes) != 1 || a.Changes[0].Block != 3 || a.Changes[0].Subject != removed || a.Changes[0].Added || !slices.Equal(a.Changes[0].Signers, remaining) {
		t.Errorf("changes: have %+v, want signer %s dropped at block 3 leaving %v", a.Changes, removed, remaining)
	}
	if len(a.Epochs) != 1 || a.Epochs[0].Block != 8 || !a.Epochs[0].Matches || !slices.Equal(a.Epochs[0].Signers, remaining) {
		t.Errorf("checkpoints: have %+v, want block 8 listing %v", a.Epochs, remaining)
	}
	if len(a.Blocks) != 10 || a.To != 10 || a.Violation != nil {
		t.Errorf("blocks: have %d up to %d (violation %v), want 10 up to 10", len(a.Blocks), a.To, a.Violation)
	}
	for _, blk := range a.Blocks {
		if blk.Sealer != sealer(int(blk.Block)) || blk.InTurn != (b.headers[blk.Block].Difficulty.Uint64() == 2) {
			t.Errorf("block %d: have %+v", blk.Block, blk)
		}
		if blk.Block > 3 && blk.Sealer == removed {
			t.Errorf("block %d sealed by the removed signer", blk.Block)
		}
	}
	// A range starting after the first checkpoint starts there, on trust.
	late, err := AuditSigners(context.Background(), b.genesis, memSource(b.headers), 9, 10, nil)
	if err != nil {
		t.Fatal(err)
	}
	if late.Start.Block != 8 || len(late.Blocks) != 2 || len(late.Votes) != 0 {
		t.Errorf("range 9..10: have start %d, %d blocks, %d votes; want start 8, 2 blocks, no votes", late.Start.Block, len(late.Blocks), len(late.Votes))
	}
}

// TestAuditSignersTampered changes one block of the voting chain at a time
// (re-sealed with a valid signature, so only the rule is broken) and expects
// the audit to stop at that block with the rule named.
func TestAuditSignersTampered(t *testing.T) {
	tests := []struct {
		name   string
		block  int
		tamper func(b *testChainBuilder, removed common.Address, h *types.Header) common.Address // returns the signer to re-seal with
		rule   string
	}{
		{"removed signer seals", 9, func(b *testChainBuilder, removed common.Address, h *types.Header) common.Address { return removed }, "unauthorized signer"},
		{"signer limit", 6, func(b *testChainBuilder, _ common.Address, h *types.Header) common.Address {
			prev, _ := b.engine.Author(b.headers[5])
			return prev
		}, "recently signed"},
		{"checkpoint lists the removed signer", 8, func(b *testChainBuilder, _ common.Address, h *types.Header) common.Address {
			x := &clique.Extra{Signers: b.signers.addrs}
			h.Extra = x.Encode()
			s, _ := b.engine.Author(b.headers[8])
			return s
		}, "mismatching signer list on checkpoint block"},
		{"wrong difficulty", 4, func(b *testChainBuilder, _ common.Address, h *types.Header) common.Address {
			h.Difficulty = new(big.Int).Sub(common.Big3, h.Difficulty) // 1 <-> 2
			s, _ := b.engine.Author(b.headers[4])
			return s
		}, "wrong difficulty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, removed, _ := votingChain(t)
			headers := slices.Clone(b.headers)
			h := types.CopyHeader(headers[tt.block])
			signer := tt.tamper(b, removed, h)
			sealed, err := b.engine.Seal(h, signer, b.signers.sign)
			if err != nil {
				t.Fatal(err)
			}
			headers[tt.block] = sealed
			headers = headers[:tt.block+1] // later blocks no longer link
			a, err := AuditSigners(context.Background(), b.genesis, memSource(headers), 0, uint64(tt.block), nil)
			if !errors.Is(err, ErrRuleViolation) {
				t.Fatalf("have %v, want %v", err, ErrRuleViolation)
			}
			if a.Violation == nil || a.Violation.Block != uint64(tt.block) || a.Violation.Rule != tt.rule {
				t.Fatalf("violation: have %+v, want block %d rule %q", a.Violation, tt.block, tt.rule)
			}
			if a.To != uint64(tt.block-1) {
				t.Errorf("checked up to: have %d, want %d", a.To, tt.block-1)
			}
		})
	}
}

func TestAuditSignersWrongGenesis(t *testing.T) {
	b, _, _ := votingChain(t)
	other := newTestChainBuilder(t, newTestSigners(2), 8)
	if _, err := AuditSigners(context.Background(), other.genesis, memSource(b.headers), 0, 3, nil); err == nil {
		t.Fatal("audit of a chain against another genesis: no error")
	}
}
