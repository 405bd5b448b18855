package forkchoice

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/clique"
)

// TestReconcile moves the head behind fork choice's back with InsertChain, as
// go-ethereum's downloader does with a sync target, and checks that Reconcile
// keeps the better head by EIP-3436, never leaves the finalized branch and
// refuses what our engine refuses.
func TestReconcile(t *testing.T) {
	net := newTestnet(t, 5, 1)
	canon := net.chain(net.genesis, "B", "C")          // TD 5 at 2
	side := net.chain(net.genesis, "A", "E", "D", "A") // TD 3 at 2, 6 at 4
	next := net.build(side[3], "E")                    // TD 7 at 5
	other := net.chain(canon[1], "D", "E")             // TD 9 at 4, without side[1]
	nd := net.newNode()
	nd.deliver(canon)

	tests := []struct {
		name   string
		insert []*types.Block // set as head behind fork choice's back
		status Status
		err    error
		head   *types.Block // head after Reconcile
		final  *types.Block // finalized block after Reconcile
	}{
		{"head did not move", nil, StatusKnown, nil, canon[1], net.genesis},
		{"lighter sync target: back to the chosen head", side[:2], StatusSide, nil, canon[1], net.genesis},
		{"heavier sync target: adopted", side[2:], StatusReorged, nil, side[3], side[0]},
		{"sync ahead on the same branch", []*types.Block{next}, StatusExtended, nil, next, side[1]},
		{"target without the finalized block: refused", other, StatusSide, ErrFinalizedConflict, next, side[1]},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if len(tt.insert) > 0 {
				if _, err := nd.chain.InsertChain(tt.insert); err != nil {
					t.Fatal(err)
				}
				last := tt.insert[len(tt.insert)-1]
				if nd.chain.CurrentBlock().Hash() != last.Hash() {
					t.Fatalf("InsertChain did not set the head")
				}
			}
			res, err := nd.fc.Reconcile()
			if !errors.Is(err, tt.err) || (tt.err == nil && err != nil) {
				t.Fatalf("have error %v, want %v", err, tt.err)
			}
			if res.Status != tt.status {
				t.Fatalf("have status %v, want %v", res.Status, tt.status)
			}
			if have := nd.fc.Head(); have.Hash() != tt.head.Hash() {
				t.Fatalf("have head %s, want %s", net.name(have), net.name(tt.head.Header()))
			}
			if have := nd.fc.Finalized(); have.Hash() != tt.final.Hash() {
				t.Fatalf("have finalized %s, want %s", net.name(have), net.name(tt.final.Header()))
			}
			if have, want := nd.fc.TD(tt.head.Hash()), net.tds[tt.head.Hash()]; have.Cmp(want) != 0 {
				t.Fatalf("have head td %v, want %v", have, want)
			}
		})
	}
}

// TestReconcileInvalid: a head that upstream accepted but our engine refuses
// (the early recently-signed gap, see TestInsertRecentlySignedEarly) is
// undone.
func TestReconcileInvalid(t *testing.T) {
	net := newTestnet(t, 4, 1)
	nd := net.newNode()
	b1 := net.build(net.genesis, "B")
	nd.insert(b1)
	h, err := net.prepare(b1, "C")
	if err != nil {
		t.Fatal(err)
	}
	h.Difficulty = big.NewInt(1)
	b2 := net.seal(h, "B")
	if _, err := nd.chain.InsertChain(types.Blocks{b2}); err != nil {
		t.Fatalf("upstream refuses the block (fixed upstream? keep this test for our engine): %v", err)
	}
	res, err := nd.fc.Reconcile()
	if !errors.Is(err, ErrInvalidBlock) || !errors.Is(err, clique.ErrRecentlySigned) {
		t.Fatalf("have error %v, want %v wrapping %v", err, ErrInvalidBlock, clique.ErrRecentlySigned)
	}
	if res.Status != StatusSide || nd.fc.Head().Hash() != b1.Hash() {
		t.Fatalf("have status %v head %s, want %v head %s", res.Status, net.name(nd.fc.Head()), StatusSide, net.name(b1.Header()))
	}
}
