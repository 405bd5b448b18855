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
// node off the list is disconnected with the allowlist's reason before any
// protocol runs, and never becomes a gossip peer.
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

	events := make(chan *p2p.PeerEvent, 16)
	sub := stranger.Stack().Server().SubscribeEvents(events)
	defer sub.Unsubscribe()
	stranger.Stack().Server().AddPeer(self)
	strangerID := stranger.Stack().Server().Self().ID()
	timeout := time.After(30 * time.Second)
	poll := time.NewTicker(20 * time.Millisecond)
	defer poll.Stop()
	for {
		select {
		case ev := <-events:
			if ev.Peer != self.ID() || ev.Type != p2p.PeerEventTypeDrop {
				continue
			}
			if !strings.Contains(ev.Error, allowlist.RefuseReason.String()) {
				t.Errorf("disconnect reason: have %q, want %q", ev.Error, allowlist.RefuseReason)
			}
			if gossipPeer(guarded, strangerID) {
				t.Error("the node off the allowlist is a gossip peer")
			}
			return
		case <-poll.C:
			if gossipPeer(guarded, strangerID) {
				t.Fatal("the node off the allowlist became a gossip peer: the allowlist is not enforced")
			}
		case <-timeout:
			t.Fatal("the node off the allowlist was not disconnected within 30s")
		}
	}
}
