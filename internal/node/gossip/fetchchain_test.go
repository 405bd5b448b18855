package gossip

import (
	"slices"
	"strings"
	"testing"
)

// TestFetchChain: the blocks above the chain's head, oldest first, from the
// named peer; a gap longer than the limit, or an unknown peer, is an error.
func TestFetchChain(t *testing.T) {
	ahead := extend(mainChain[4], 5, "main") // 6..10
	cfg := testConfig()
	cfg.SyncThreshold = 1 // B hands A's head to SyncFrom (the fake records it) instead of fetching it
	a := newService(t, cfg, newFakeChain(append(slices.Clone(mainChain), ahead...)...))
	b := newService(t, cfg, newFakeChain(mainChain...))
	link(t, a, "A", b, "B")
	waitFor(t, "peers", func() bool { return len(a.Peers()) == 1 && len(b.Peers()) == 1 })

	tip := ahead[len(ahead)-1].Hash()
	blocks, err := b.FetchChain(nodeID("A"), tip, 5)
	if err != nil {
		t.Fatal(err)
	}
	if have, want := hashes(blocks...), hashes(ahead...); !slices.Equal(have, want) {
		t.Fatalf("have blocks %v, want %v", have, want)
	}
	if _, err := b.FetchChain(nodeID("A"), tip, 4); err == nil || !strings.Contains(err.Error(), "no known ancestor within 4 blocks") {
		t.Fatalf("a 5-block gap with limit 4: have error %v, want no known ancestor", err)
	}
	if _, err := b.FetchChain(nodeID("C"), tip, 5); err == nil || !strings.Contains(err.Error(), "peer disconnected") {
		t.Fatalf("unknown peer: have error %v, want peer disconnected", err)
	}
}
