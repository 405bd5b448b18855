package node_test

import (
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/allowlist"
	"github.com/citychain/citychain/internal/node/gossip"
)

// gossipPeer reports whether n's block gossip counts id among its peers
// (past the poa/1 handshake).
func gossipPeer(n *node.Node, id enode.ID) bool {
	return slices.ContainsFunc(n.Gossip().Peers(), func(p gossip.PeerInfo) bool { return p.ID == id })
}

// TestAllowlistRefusesNonMember connects two nodes to a real node started
// with --p2p.allowlist: the member on the list peers (block gossip runs), the
// node off the list is disconnected by the guarded node with the allowlist's
// reason before any protocol runs, and never becomes a gossip peer.
func TestAllowlistRefusesNonMember(t *testing.T) {
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4347, 0
	spec.Signers = []common.Address{genesis.DevAccounts(1)[0].Address}
	spec.Alloc = types.GenesisAlloc{spec.Signers[0]: {Balance: big.NewInt(1)}}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	start := func(allow string) *node.Node {
		cfg := node.Defaults()
		cfg.Mode, cfg.DataDir, cfg.Genesis = node.ModeDev, t.TempDir(), g
		cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
		cfg.P2P.Allowlist = allow
		n, err := node.New(cfg)
		if err != nil {
			t.Fatal(err)
		}
		if err := n.Start(); err != nil {
			n.Close()
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	member, stranger := start(""), start("")
	list := filepath.Join(t.TempDir(), "members.txt")
	if err := os.WriteFile(list, []byte("# the consortium\n"+member.Stack().Server().Self().URLv4()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	guarded := start(list)
	self := guarded.Stack().Server().Self()

	member.Stack().Server().AddPeer(self)
	waitFor(t, 30*time.Second, "the member to become a gossip peer", func() bool {
		return gossipPeer(guarded, member.Stack().Server().Self().ID())
	})

	// The refusal is observed on the guarded node, where it is decided: the
	// drop event there carries the reason the node disconnected with. The
	// stranger usually reads the same reason, but it may instead see its own
	// write fail ("broken pipe") when the guarded node closes the connection
	// while the stranger is still sending its handshake: TCP does not order
	// the two, so the stranger's side only has to see the drop.
	strangerID := stranger.Stack().Server().Self().ID()
	guardedEvents := make(chan *p2p.PeerEvent, 16)
	guardedSub := guarded.Stack().Server().SubscribeEvents(guardedEvents)
	defer guardedSub.Unsubscribe()
	strangerEvents := make(chan *p2p.PeerEvent, 16)
	strangerSub := stranger.Stack().Server().SubscribeEvents(strangerEvents)
	defer strangerSub.Unsubscribe()
	stranger.Stack().Server().AddPeer(self)
	timeout := time.After(30 * time.Second)
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	var refused, dropped bool
	for !refused || !dropped {
		select {
		case ev := <-guardedEvents:
			if ev.Peer != strangerID || ev.Type != p2p.PeerEventTypeDrop || refused {
				continue
			}
			refused = true
			if !strings.Contains(ev.Error, allowlist.RefuseReason.String()) {
				t.Errorf("guarded node's disconnect reason: have %q, want %q", ev.Error, allowlist.RefuseReason)
			}
		case ev := <-strangerEvents:
			if ev.Peer == self.ID() && ev.Type == p2p.PeerEventTypeDrop {
				dropped = true
			}
		case <-poll.C:
			if gossipPeer(guarded, strangerID) {
				t.Fatal("the node off the allowlist became a gossip peer: the allowlist is not enforced")
			}
		case <-timeout:
			t.Fatalf("the node off the allowlist was not disconnected within 30s (refused by the guarded node: %v, dropped by the stranger: %v)", refused, dropped)
		}
	}
	if gossipPeer(guarded, strangerID) {
		t.Error("the node off the allowlist is a gossip peer")
	}
}
