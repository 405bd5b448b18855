package anchor

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura/auratest"
)

// TestAuraSpanEnd cuts a span at the last header Anchors takes as a
// checkpoint: sealed and authored by its step's proposer in Anchors' list.
func TestAuraSpanEnd(t *testing.T) {
	ks := auratest.Keys(4)
	list := auratest.Addresses(ks[:3]...)
	c := auratest.NewChain(1, 5, 100, common.Address{})
	c.Rotate(ks[:3], 3)
	step := c.Head().Step + 1
	c.Seal(step, ks[3], nil) // a validator Anchors does not track (a contract's new set)
	hs := c.Blocks[1:]
	if n := auraSpanEnd(hs, list); n != 3 {
		t.Fatalf("span ending with an untracked sealer: cut at %d, want 3", n)
	}
	if n := auraSpanEnd(hs[3:], list); n != 0 {
		t.Fatalf("span of an untracked sealer alone: cut at %d, want 0", n)
	}
	if n := auraSpanEnd(hs, nil); n != 0 {
		t.Fatalf("no tracked set: cut at %d, want 0", n)
	}
	// Anchors' list in another order than the chain's: no header is its step's proposer.
	if n := auraSpanEnd(hs[:3], []common.Address{list[1], list[2], list[0]}); n != 0 {
		t.Fatalf("list in another order: cut at %d, want 0", n)
	}
}
