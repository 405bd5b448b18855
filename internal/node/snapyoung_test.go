package node_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/rawdb"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/follow"
)

// TestSnapSyncYoungChain: a fresh rpc node with snap sync joins a young
// chain. At or below go-ethereum's 64 blocks executed after the pivot the
// downloader would take the node's own genesis as the pivot and stall ("layer
// stale", ADR 076); up to follow.SnapMinTarget the node fetches and executes
// the blocks instead (it holds every block's state and records no pivot);
// above, it snap-syncs (a pivot recorded, no state for early blocks). Each
// reaches the source's head with its state and then follows a new block.
func TestSnapSyncYoungChain(t *testing.T) {
	for _, c := range []struct {
		head uint64
		snap bool
	}{
		{15, false},
		{64, false},
		{70, false},
		{follow.SnapMinTarget + 10, true},
	} {
		t.Run(fmt.Sprintf("head%d", c.head), func(t *testing.T) {
			src, sc := snapSource(t, 0, nil)
			sc.sealTo(c.head)
			join := joinNode(t, src, sc.genesis, node.ModeRPC, node.SyncSnap)
			srcChain, chain := src.Eth().BlockChain(), join.Eth().BlockChain()
			head := srcChain.CurrentBlock()
			waitFor(t, 60*time.Second, fmt.Sprintf("the joining node at the source's head %d", head.Number), func() bool {
				return chain.CurrentBlock().Number.Uint64() >= head.Number.Uint64()
			})
			if got := chain.GetHeaderByNumber(head.Number.Uint64()).Hash(); got != head.Hash() {
				t.Fatalf("head %d: have %x, want %x", head.Number, got, head.Hash())
			}
			checkSameState(t, head, src, join)
			pivot := rawdb.ReadLastPivotNumber(join.Eth().ChainDb())
			early := chain.GetHeaderByNumber(5)
			switch {
			case c.snap && (pivot == nil || *pivot == 0):
				t.Errorf("head %d: no snap pivot recorded, want a snap sync", head.Number)
			case c.snap && chain.HasState(early.Root):
				t.Errorf("head %d: state of block 5 held, want it snap-synced past", head.Number)
			case !c.snap && pivot != nil:
				t.Errorf("head %d: snap pivot %d recorded, want every block executed", head.Number, *pivot)
			case !c.snap && !chain.HasState(early.Root):
				t.Errorf("head %d: no state for block 5, want every block executed", head.Number)
			}
			sc.seal(1)
			next := srcChain.CurrentBlock()
			waitFor(t, 30*time.Second, "the joining node following a new block", func() bool {
				return chain.CurrentBlock().Hash() == next.Hash()
			})
			checkSameState(t, next, src, join)
		})
	}
}

// sealTo seals rounds of transfers until the head is at least number.
func (c *nodeChain) sealTo(number uint64) {
	c.t.Helper()
	for c.n.Eth().BlockChain().CurrentBlock().Number.Uint64() < number {
		c.seal(1)
	}
}

// TestSnapSyncYoungThenFarBehind: a node that joined a young chain by
// executing its blocks (its downloader still in snap mode), cut off from its
// peer while the chain grows past follow.SnapMinTarget, catches up when the
// peer comes back, with the source's state.
func TestSnapSyncYoungThenFarBehind(t *testing.T) {
	src, sc := snapSource(t, 0, nil)
	sc.sealTo(20)
	join := joinNode(t, src, sc.genesis, node.ModeRPC, node.SyncSnap)
	chain := join.Eth().BlockChain()
	young := src.Eth().BlockChain().CurrentBlock()
	waitFor(t, 60*time.Second, "the joining node at the young head", func() bool {
		return chain.CurrentBlock().Number.Uint64() >= young.Number.Uint64()
	})
	self := src.Stack().Server().Self()
	join.Stack().Server().RemovePeer(self)
	waitFor(t, 10*time.Second, "the peer gone", func() bool { return join.Stack().Server().PeerCount() == 0 })
	sc.sealTo(young.Number.Uint64() + follow.SnapMinTarget + 30)
	head := src.Eth().BlockChain().CurrentBlock()
	join.Stack().Server().AddPeer(self)
	waitFor(t, 90*time.Second, fmt.Sprintf("the joining node at the source's head %d", head.Number), func() bool {
		return chain.CurrentBlock().Number.Uint64() >= head.Number.Uint64()
	})
	if got := chain.GetHeaderByNumber(head.Number.Uint64()).Hash(); got != head.Hash() {
		t.Fatalf("head %d: have %x, want %x", head.Number, got, head.Hash())
	}
	checkSameState(t, head, src, join)
	sc.seal(1)
	next := src.Eth().BlockChain().CurrentBlock()
	waitFor(t, 30*time.Second, "the joining node following a new block", func() bool {
		return chain.CurrentBlock().Hash() == next.Hash()
	})
	checkSameState(t, next, src, join)
}
