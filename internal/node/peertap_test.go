package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/triedb"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/peertap"
)

// TestTapOnLiveNodes: the join driver's transport (ADR 084) works between two
// running citynodes, beside geth's own handlers (the joining node's
// downloader syncs meanwhile over the same connections): a node whose eth and
// snap protocols are tapped fetches the source's headers 1..head, equal to
// the source's, and go-ethereum's snap syncer over the tap takes the state
// at the source's head into a database of its own, with the source's
// balances.
func TestTapOnLiveNodes(t *testing.T) {
	warnings := captureWarnings(t)
	src, sc := snapSource(t, snapBlocks, nil)
	ethTap, snapTap := peertap.NewEth(), peertap.NewSnap()
	// The joining node offers snap/1 only, so that the connection runs
	// the version of the syncer driven over it (snap/2 heals by block
	// access lists, which this pre-Amsterdam chain has none of).
	join := joinNodeTapped(t, src, sc, func(protos []p2p.Protocol) []p2p.Protocol {
		out := protos[:0]
		for _, p := range protos {
			switch {
			case p.Name == eth.ProtocolName:
				p = ethTap.Wrap(p)
			case p.Name == snap.ProtocolName && p.Version != snap.SNAP1:
				continue
			case p.Name == snap.ProtocolName:
				p = snapTap.Wrap(p)
			}
			out = append(out, p)
		}
		return out
	})
	id := src.Stack().Server().Self().ID()
	waitFor(t, 20*time.Second, "tapped eth and snap connections to the source", func() bool {
		return ethTap.Peer(id) != nil && snapTap.Peer(id) != nil
	})
	srcChain := src.Eth().BlockChain()
	head := srcChain.CurrentBlock()

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	headers, err := ethTap.Peer(id).Headers(ctx, 1, head.Number.Uint64())
	if err != nil {
		t.Fatalf("headers 1..%d over the tap: %v", head.Number, err)
	}
	if len(headers) != int(head.Number.Uint64()) || headers[len(headers)-1].Hash() != head.Hash() {
		t.Fatalf("headers over the tap: have %d ending %x, want %d ending at the source's head %x", len(headers), headers[len(headers)-1].Hash(), head.Number, head.Hash())
	}

	db := rawdb.NewMemoryDatabase()
	syncer := snap.NewV1Syncer(db, rawdb.HashScheme)
	peer, err := peertap.NewSnapPeer(snapTap.Peer(id), syncer)
	if err != nil {
		t.Fatal(err)
	}
	if err := syncer.Register(peer); err != nil {
		t.Fatal(err)
	}
	stop := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- syncer.Sync(head, stop) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("state at block %d over the tap: %v", head.Number, err)
		}
	case <-time.After(20 * time.Second):
		t.Logf("progress %+v, peer dropped %v", syncer.Progress(), snapTap.Peer(id) == nil || snapTap.Peer(id).Dropped())
		close(stop)
		t.Fatalf("state at block %d over the tap: not done in 20 s (%v)", head.Number, <-done)
	}
	got, err := state.New(head.Root, state.NewDatabase(triedb.NewDatabase(db, triedb.HashDefaults), nil))
	if err != nil {
		t.Fatalf("state synced over the tap: %v", err)
	}
	want, err := srcChain.StateAt(head.Root, head.Number, head.Time)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		addr := snapRecipient(i)
		if x, y := want.GetBalance(addr), got.GetBalance(addr); x.Cmp(y) != 0 || x.IsZero() {
			t.Errorf("balance of %s: over the tap %v, source %v (want equal, not zero)", addr, y, x)
		}
	}
	if warnings.has("failing verification") {
		t.Error("a peer was dropped for chain data failing verification: the tap disturbed geth's own sync")
	}
	waitFor(t, 60*time.Second, "the joining node's own sync (geth's downloader, beside the tap) at the source's head", func() bool {
		return join.Eth().BlockChain().CurrentBlock().Number.Uint64() >= head.Number.Uint64()
	})
}

// joinNodeTapped is joinNode with tap applied to the joining node's
// protocols before it starts.
func joinNodeTapped(t *testing.T, src *node.Node, sc *nodeChain, tap func([]p2p.Protocol) []p2p.Protocol) *node.Node {
	t.Helper()
	cfg := node.Defaults()
	cfg.Mode, cfg.SyncMode, cfg.DataDir = node.ModeRPC, node.SyncFull, t.TempDir()
	cfg.Genesis = sc.genesis
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	srv := n.Stack().Server()
	srv.Protocols = tap(srv.Protocols)
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	n.Stack().Server().AddPeer(src.Stack().Server().Self())
	return n
}
