package forkchoice

import (
	"math/rand/v2"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"
)

// TestRandomArrivalOrders grows random block trees, then delivers each tree
// to fresh nodes in random orders: every node must end on the same head, the
// best block of the tree by Compare.
//
// The trees follow a network with some latency: each block is sealed by a
// random signer that may seal there (EIP-225 signer limit, and never two
// blocks at one height, as the sealer's guard ensures) on the best block it
// has seen, which is the newest best block or, one time in three, the best
// block one step earlier (the newest had not reached it yet). Such late
// blocks race the head and sometimes win it, but never reach back past a
// block that a majority of signers built on, so the best block never
// conflicts with a block a node finalized (see
// docs/adr/005-forkchoice-finality.md). A block that lost long ago may arrive
// after a node finalized past it: it is refused (ErrFinalizedConflict), which
// must not change the head the node ends on.
func TestRandomArrivalOrders(t *testing.T) {
	seeds, orders := 60, 3
	if testing.Short() {
		seeds = 10
	}
	var reorgs, sides, stale uint64
	for seed := range uint64(seeds) {
		rng := rand.New(rand.NewPCG(seed, 3436))
		net := newTestnet(t, 2+rng.IntN(4), 1) // 2 to 5 signers
		labels := make([]string, 0, len(net.keys.keys))
		for label := range net.keys.keys {
			labels = append(labels, label)
		}
		var (
			built  []*types.Block
			bests  = []*types.Block{net.genesis}
			signed = make(map[string]map[uint64]bool) // signer -> heights it sealed
		)
		for attempt := 0; len(built) < 16 && attempt < 400; attempt++ {
			lag := 0
			if rng.IntN(3) == 0 {
				lag = 1
			}
			parent := bests[max(0, len(bests)-1-lag)]
			signer := labels[rng.IntN(len(labels))]
			number := parent.NumberU64() + 1
			if signed[signer][number] {
				continue
			}
			block, err := net.tryBuild(parent, signer, nil)
			if err != nil {
				continue // not allowed to seal on this parent
			}
			if signed[signer] == nil {
				signed[signer] = make(map[uint64]bool)
			}
			signed[signer][number] = true
			built = append(built, block)
			bests = append(bests, net.best([]*types.Block{block, bests[len(bests)-1]}))
		}
		want := bests[len(bests)-1]
		if best := net.best(append([]*types.Block{net.genesis}, built...)); best != want {
			t.Fatalf("seed %d: tree best %s differs from the running best %s", seed, net.name(best.Header()), net.name(want.Header()))
		}
		for range orders {
			order := append([]*types.Block(nil), built...)
			rng.Shuffle(len(order), func(i, j int) { order[i], order[j] = order[j], order[i] })
			nd := net.newNode()
			refused := nd.deliverStale(order)
			if have := nd.fc.Head(); have.Hash() != want.Hash() || refused[want.Hash()] {
				for _, b := range built {
					t.Logf("%s on %s, td %v", net.name(b.Header()), net.name(net.builder.GetHeaderByHash(b.ParentHash())), net.tds[b.Hash()])
				}
				t.Fatalf("seed %d, %d signers, order %v (%d refused): have head %s, want %s", seed, len(labels), names(net, order), len(refused), net.name(have), net.name(want.Header()))
			}
			st := nd.fc.Stats()
			reorgs += st.Reorgs
			sides += st.SideBlocks
			stale += uint64(len(refused))
		}
	}
	// The trees must have made the nodes choose, not just follow one chain.
	if reorgs == 0 || sides == 0 {
		t.Fatalf("weak run: %d reorgs and %d side blocks over all orders", reorgs, sides)
	}
	if testing.Verbose() {
		t.Logf("%d seeds x %d orders: %d reorgs, %d side blocks, %d stale blocks refused", seeds, orders, reorgs, sides, stale)
	}
}
