package forkchoice

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestIsFinal is the finality definition as a table: a block is final once
// floor(N/2)+1 of the N signers of its snapshot sealed it or a block on top
// of it.
func TestIsFinal(t *testing.T) {
	a, b, c, d, e, x := common.Address{0xa}, common.Address{0xb}, common.Address{0xc}, common.Address{0xd}, common.Address{0xe}, common.Address{0xf}
	tests := []struct {
		name    string
		signers []common.Address // the snapshot at the block
		sealed  []common.Address // signers of the block and the blocks on top
		want    bool
	}{
		{"one signer: its own block", []common.Address{a}, []common.Address{a}, true},
		{"two signers: one is not enough", []common.Address{a, b}, []common.Address{a}, false},
		{"two signers: both", []common.Address{a, b}, []common.Address{a, b}, true},
		{"three signers: one", []common.Address{a, b, c}, []common.Address{a}, false},
		{"three signers: two", []common.Address{a, b, c}, []common.Address{b, c}, true},
		{"four signers: two", []common.Address{a, b, c, d}, []common.Address{a, b}, false},
		{"four signers: three", []common.Address{a, b, c, d}, []common.Address{a, b, d}, true},
		{"five signers: two", []common.Address{a, b, c, d, e}, []common.Address{a, e}, false},
		{"five signers: three", []common.Address{a, b, c, d, e}, []common.Address{a, c, e}, true},
		{"a signer counts once", []common.Address{a, b, c}, []common.Address{a, a, a}, false},
		{"signers voted in later do not count", []common.Address{a, b, c}, []common.Address{a, x}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			signers, sealed := make(map[common.Address]struct{}), make(map[common.Address]struct{})
			for _, s := range tt.signers {
				signers[s] = struct{}{}
			}
			for _, s := range tt.sealed {
				sealed[s] = struct{}{}
			}
			if have := isFinal(signers, sealed); have != tt.want {
				t.Errorf("have final %v, want %v", have, tt.want)
			}
		})
	}
}

// TestFinalityAdvances seals chains with 1, 3 and 5 signers and checks the
// finalized and safe blocks after each block, in fork choice and in
// go-ethereum (the "finalized" and "safe" RPC tags).
func TestFinalityAdvances(t *testing.T) {
	tests := []struct {
		name    string
		signers int
		order   []string // who seals blocks 1, 2, ...
		depth   uint64   // blocks between the head and the finalized block
	}{
		{"one signer: every block is final", 1, []string{"A", "A", "A", "A", "A", "A"}, 0},
		{"three signers in turn", 3, []string{"B", "C", "A", "B", "C", "A", "B"}, 1},
		{"three signers out of turn", 3, []string{"A", "B", "C", "A", "C", "B", "A"}, 1},
		{"five signers in turn", 5, []string{"B", "C", "D", "E", "A", "B", "C", "D"}, 2},
		{"five signers out of turn", 5, []string{"A", "E", "C", "B", "D", "E", "A", "C", "B"}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			net := newTestnet(t, tt.signers, 1)
			nd := net.newNode()
			if have := nd.fc.Finalized(); have.Hash() != net.genesis.Hash() {
				t.Fatalf("fresh chain: have finalized %d, want the genesis block", have.Number)
			}
			for _, block := range net.chain(net.genesis, tt.order...) {
				res := nd.insert(block)
				n := block.NumberU64()
				want := nd.chain.GetHeaderByNumber(n - min(n, tt.depth))
				if have := res.Finalized; have.Hash() != want.Hash() {
					t.Fatalf("head %d: have finalized %d, want %d", n, have.Number, want.Number)
				}
				if have := nd.fc.Finalized(); have.Hash() != want.Hash() {
					t.Fatalf("head %d: Finalized() is %d, want %d", n, have.Number, want.Number)
				}
				if have := nd.chain.CurrentFinalBlock(); have == nil || have.Hash() != want.Hash() {
					t.Fatalf("head %d: go-ethereum's finalized block is %v, want %d", n, have, want.Number)
				}
				// Safe: the head's parent, or the finalized block if newer.
				wantSafe := nd.chain.GetHeaderByNumber(max(n-1, want.Number.Uint64()))
				if have := nd.chain.CurrentSafeBlock(); have == nil || have.Hash() != wantSafe.Hash() {
					t.Fatalf("head %d: go-ethereum's safe block is %v, want %d", n, have, wantSafe.Number)
				}
				if have := nd.fc.Stats().Finalized; have != want.Number.Uint64() {
					t.Fatalf("head %d: have finalized counter %d, want %d", n, have, want.Number)
				}
			}
		})
	}
}

// TestReorgToHeavierBranch: five signers; B and C seal blocks 1 and 2 in
// turn. Meanwhile A, E, D and A seal a branch that loses block after block
// (side blocks) until its fourth block outweighs the head: the chain
// reorganises, dropping two blocks, and finality follows the new branch.
func TestReorgToHeavierBranch(t *testing.T) {
	net := newTestnet(t, 5, 1)
	canon := net.chain(net.genesis, "B", "C")          // TD 1+2+2 = 5 at 2
	side := net.chain(net.genesis, "A", "E", "D", "A") // TD 2, 3, 5 (at 3), 6
	nd := net.newNode()
	nd.deliver(canon)

	for i, want := range []Status{StatusSide, StatusSide, StatusSide, StatusReorged} {
		res := nd.insert(side[i])
		if res.Status != want {
			t.Fatalf("side block %d: have status %v, want %v", i+1, res.Status, want)
		}
		if have := res.TD; have.Cmp(net.tds[side[i].Hash()]) != 0 {
			t.Fatalf("side block %d: have td %v, want %v", i+1, have, net.tds[side[i].Hash()])
		}
	}
	if have, want := nd.fc.Head().Hash(), side[3].Hash(); have != want {
		t.Fatalf("have head %s, want %s", net.name(nd.fc.Head()), net.name(side[3].Header()))
	}
	for i, b := range side {
		if have := nd.chain.GetHeaderByNumber(uint64(i + 1)); have.Hash() != b.Hash() {
			t.Fatalf("canonical block %d: have %s, want %s", i+1, net.name(have), net.name(b.Header()))
		}
	}
	if have, want := nd.fc.Stats(), (Stats{Extended: 2, SideBlocks: 3, Reorgs: 1, MaxReorgDepth: 2, Finalized: 2}); have != want {
		t.Fatalf("have stats %+v, want %+v", have, want)
	}
	// A, D, E sealed on top of block 2: three of five.
	if have, want := nd.fc.Finalized().Hash(), side[1].Hash(); have != want {
		t.Fatalf("have finalized %s, want %s", net.name(nd.fc.Finalized()), net.name(side[1].Header()))
	}
}

// TestRefuseBranchWithoutFinalized: three signers. B's in-turn block 1 is
// the head, A's block 1 a side block; C seals block 2 on A's block, which
// wins and finalizes A's block (A and C sealed on it). C then also seals
// block 2 on B's block, a heavier branch (an equivocation our sealer's guard
// prevents, which is what finality protects against): it is refused, and so
// is any other block at or below the finalized height.
func TestRefuseBranchWithoutFinalized(t *testing.T) {
	net := newTestnet(t, 3, 1)
	b1 := net.build(net.genesis, "B") // TD 3
	a1 := net.build(net.genesis, "A") // TD 2
	c2 := net.build(a1, "C")          // TD 4
	c2b := net.build(b1, "C")         // TD 5
	c1 := net.build(net.genesis, "C") // TD 2
	nd := net.newNode()

	for _, step := range []struct {
		block  *types.Block
		status Status
		depth  uint64
	}{{b1, StatusExtended, 0}, {a1, StatusSide, 0}, {c2, StatusReorged, 1}} {
		res := nd.insert(step.block)
		if res.Status != step.status || res.ReorgDepth != step.depth {
			t.Fatalf("block %s: have %v depth %d, want %v depth %d", net.name(step.block.Header()), res.Status, res.ReorgDepth, step.status, step.depth)
		}
	}
	if have := nd.fc.Finalized(); have.Hash() != a1.Hash() {
		t.Fatalf("have finalized %s, want %s", net.name(have), net.name(a1.Header()))
	}
	if Compare(net.candidate(c2b), net.candidate(c2)) >= 0 {
		t.Fatalf("%s does not win over %s: the test proves nothing", net.name(c2b.Header()), net.name(c2.Header()))
	}
	for _, block := range []*types.Block{c2b, c1} {
		if _, err := nd.fc.Insert(block); !errors.Is(err, ErrFinalizedConflict) {
			t.Fatalf("block %s: have error %v, want %v", net.name(block.Header()), err, ErrFinalizedConflict)
		}
		if nd.chain.HasBlock(block.Hash(), block.NumberU64()) {
			t.Fatalf("block %s was stored", net.name(block.Header()))
		}
	}
	if have := nd.fc.Head(); have.Hash() != c2.Hash() {
		t.Fatalf("have head %s, want %s", net.name(have), net.name(c2.Header()))
	}
	if have := nd.fc.Finalized(); have.Hash() != a1.Hash() {
		t.Fatalf("finality moved: have %s, want %s", net.name(have), net.name(a1.Header()))
	}
	if have := nd.fc.Stats().FinalizedConflicts; have != 2 {
		t.Fatalf("have %d finality conflicts, want 2", have)
	}
	// The finalized branch goes on.
	if res := nd.insert(net.build(c2, "A")); res.Status != StatusExtended {
		t.Fatalf("block 3 on the finalized branch: have %v, want %v", res.Status, StatusExtended)
	}
}
