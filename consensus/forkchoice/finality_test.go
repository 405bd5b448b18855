package forkchoice

import (
	"errors"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestMajority is the counting rule of finality and safety as a table:
// floor(N/2)+1 distinct signers of the N in the block's snapshot.
func TestMajority(t *testing.T) {
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
			if have := majority(signers, sealed); have != tt.want {
				t.Errorf("have majority %v, want %v", have, tt.want)
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
		final   uint64   // blocks between the head and the finalized block
		safe    uint64   // blocks between the head and the safe block
	}{
		{"one signer: every block is final", 1, []string{"A", "A", "A", "A", "A", "A"}, 0, 0},
		{"two signers", 2, []string{"A", "B", "A", "B", "A", "B"}, 2, 1},
		{"three signers in turn", 3, []string{"B", "C", "A", "B", "C", "A", "B"}, 2, 1},
		{"three signers out of turn", 3, []string{"A", "B", "C", "A", "C", "B", "A"}, 2, 1},
		{"three signers, one offline", 3, []string{"A", "B", "A", "B", "A", "B", "A"}, 2, 1},
		{"five signers in turn", 5, []string{"B", "C", "D", "E", "A", "B", "C", "D"}, 3, 2},
		{"five signers out of turn", 5, []string{"A", "E", "C", "B", "D", "E", "A", "C", "B"}, 3, 2},
		{"five signers, two offline", 5, []string{"A", "B", "C", "A", "B", "C", "A", "B"}, 3, 2},
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
				want := nd.chain.GetHeaderByNumber(n - min(n, tt.final))
				if have := res.Finalized; have.Hash() != want.Hash() {
					t.Fatalf("head %d: have finalized %d, want %d", n, have.Number, want.Number)
				}
				if have := nd.fc.Finalized(); have.Hash() != want.Hash() {
					t.Fatalf("head %d: Finalized() is %d, want %d", n, have.Number, want.Number)
				}
				if have := nd.chain.CurrentFinalBlock(); have == nil || have.Hash() != want.Hash() {
					t.Fatalf("head %d: go-ethereum's finalized block is %v, want %d", n, have, want.Number)
				}
				wantSafe := nd.chain.GetHeaderByNumber(n - min(n, tt.safe))
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
	if have, want := nd.fc.Stats(), (Stats{Extended: 2, SideBlocks: 3, Reorgs: 1, MaxReorgDepth: 2, Finalized: 1}); have != want {
		t.Fatalf("have stats %+v, want %+v", have, want)
	}
	// E, D and A sealed on top of block 1: three of five.
	if have, want := nd.fc.Finalized().Hash(), side[0].Hash(); have != want {
		t.Fatalf("have finalized %s, want %s", net.name(nd.fc.Finalized()), net.name(side[0].Header()))
	}
}

// TestRefuseBranchWithoutFinalized: three signers. B seals block 1 in turn
// and C block 2 on it; A's block 1 and C's block 2 on it come as a side
// branch, which A's in-turn block 3 makes heavier: the chain reorganises and
// A's block 1 is final (C and A sealed on top of it). Then A seals block 3
// on the first branch too, which would now win (an equivocation, like C's two
// blocks 2: our sealer's guard prevents them, and finality is what protects a
// node from them): it is refused, and so is any other block at or below the
// finalized height.
func TestRefuseBranchWithoutFinalized(t *testing.T) {
	net := newTestnet(t, 3, 1)
	b1 := net.build(net.genesis, "B") // TD 3
	c2b := net.build(b1, "C")         // TD 5
	a1 := net.build(net.genesis, "A") // TD 2
	c2 := net.build(a1, "C")          // TD 4
	a3 := net.build(c2, "A")          // TD 6
	a3b := net.build(c2b, "A")        // TD 7
	c1 := net.build(net.genesis, "C") // TD 2
	nd := net.newNode()

	for _, step := range []struct {
		block  *types.Block
		status Status
		depth  uint64
	}{
		{b1, StatusExtended, 0},
		{c2b, StatusExtended, 0},
		{a1, StatusSide, 0},
		{c2, StatusSide, 0},
		{a3, StatusReorged, 2},
	} {
		res := nd.insert(step.block)
		if res.Status != step.status || res.ReorgDepth != step.depth {
			t.Fatalf("block %s: have %v depth %d, want %v depth %d", net.name(step.block.Header()), res.Status, res.ReorgDepth, step.status, step.depth)
		}
	}
	if have := nd.fc.Finalized(); have.Hash() != a1.Hash() {
		t.Fatalf("have finalized %s, want %s", net.name(have), net.name(a1.Header()))
	}
	if Compare(net.candidate(a3b), net.candidate(a3)) >= 0 {
		t.Fatalf("%s does not win over %s: the test proves nothing", net.name(a3b.Header()), net.name(a3.Header()))
	}
	for _, block := range []*types.Block{a3b, c1} {
		if _, err := nd.fc.Insert(block); !errors.Is(err, ErrFinalizedConflict) {
			t.Fatalf("block %s: have error %v, want %v", net.name(block.Header()), err, ErrFinalizedConflict)
		}
		if nd.chain.HasBlock(block.Hash(), block.NumberU64()) {
			t.Fatalf("block %s was stored", net.name(block.Header()))
		}
	}
	if have := nd.fc.Head(); have.Hash() != a3.Hash() {
		t.Fatalf("have head %s, want %s", net.name(have), net.name(a3.Header()))
	}
	if have := nd.fc.Finalized(); have.Hash() != a1.Hash() {
		t.Fatalf("finality moved: have %s, want %s", net.name(have), net.name(a1.Header()))
	}
	if have := nd.fc.Stats().FinalizedConflicts; have != 2 {
		t.Fatalf("have %d finality conflicts, want 2", have)
	}
	// The finalized branch goes on.
	if res := nd.insert(net.build(a3, "B")); res.Status != StatusExtended {
		t.Fatalf("block 4 on the finalized branch: have %v, want %v", res.Status, StatusExtended)
	}
}
