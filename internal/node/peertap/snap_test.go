package peertap

import (
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
)

// snapChain is a chain whose genesis holds 200 funded accounts and a
// contract with code and storage, and serves snap from it.
func snapChain(t *testing.T) *core.BlockChain {
	t.Helper()
	alloc := types.GenesisAlloc{}
	for i := range 200 {
		alloc[common.BigToAddress(big.NewInt(int64(0x1000+i)))] = types.Account{Balance: big.NewInt(int64(i + 1))}
	}
	alloc[common.HexToAddress("0xc0de")] = types.Account{Balance: big.NewInt(1), Code: []byte{0x60, 0x00, 0x00},
		Storage: map[common.Hash]common.Hash{{1}: {2}, {3}: {4}}}
	g := &core.Genesis{Config: params.AllEthashProtocolChanges, Alloc: alloc, GasLimit: 30_000_000, Difficulty: big.NewInt(1)}
	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), g, ethash.NewFaker(), core.DefaultConfig().WithStateScheme(rawdb.HashScheme))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(chain.Stop)
	return chain
}

// serveSnap answers the snap requests read on remote from chain, passing
// account answers through tamper first, until remote closes.
func serveSnap(chain *core.BlockChain, remote p2p.MsgReadWriter, tamper func([]*snap.AccountData)) {
	for {
		msg, err := remote.ReadMsg()
		if err != nil {
			return
		}
		switch msg.Code {
		case snap.GetAccountRangeMsg:
			var req snap.GetAccountRangePacket
			if msg.Decode(&req) != nil {
				return
			}
			accounts, proof := snap.ServiceGetAccountRangeQuery(chain, &req)
			if tamper != nil {
				tamper(accounts)
			}
			_ = p2p.Send(remote, snap.AccountRangeMsg, &snap.AccountRangePacket{ID: req.ID, Accounts: accounts, Proof: proof})
		case snap.GetStorageRangesMsg:
			var req snap.GetStorageRangesPacket
			if msg.Decode(&req) != nil {
				return
			}
			slots, proof := snap.ServiceGetStorageRangesQuery(chain, &req)
			_ = p2p.Send(remote, snap.StorageRangesMsg, &snap.StorageRangesPacket{ID: req.ID, Slots: slots, Proof: proof})
		case snap.GetByteCodesMsg:
			var req snap.GetByteCodesPacket
			if msg.Decode(&req) != nil {
				return
			}
			_ = p2p.Send(remote, snap.ByteCodesMsg, &snap.ByteCodesPacket{ID: req.ID, Codes: snap.ServiceGetByteCodesQuery(chain, &req)})
		case snap.GetTrieNodesMsg:
			var req snap.GetTrieNodesPacket
			if msg.Decode(&req) != nil {
				return
			}
			nodes, _ := snap.ServiceGetTrieNodesQuery(chain, &req)
			_ = p2p.Send(remote, snap.TrieNodesMsg, &snap.TrieNodesPacket{ID: req.ID, Nodes: nodes})
		default:
			_ = msg.Discard()
		}
	}
}

// syncFrom runs go-ethereum's snap/1 syncer on a fresh database against a
// tapped peer serving chain's genesis state (tampered by tamper). The sync
// is cancelled once stop reports true (nil: never); a sync that neither
// ends nor is stopped within 30 s fails the test. It returns the database,
// the peer's connection and Sync's error.
func syncFrom(t *testing.T, chain *core.BlockChain, tamper func([]*snap.AccountData), stop func(*Conn) bool) (ethdb.Database, *Conn, error) {
	t.Helper()
	tap := New(SnapAnswers...)
	remote, _, conn := tappedVersion(t, tap, enode.ID{9}, snap.SNAP1)
	go serveSnap(chain, remote, tamper)
	db := rawdb.NewMemoryDatabase()
	syncer := snap.NewV1Syncer(db, rawdb.HashScheme)
	peer, err := NewSnapPeer(conn, syncer)
	if err != nil {
		t.Fatal(err)
	}
	if err := syncer.Register(peer); err != nil {
		t.Fatal(err)
	}
	cancel := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- syncer.Sync(chain.Genesis().Header(), cancel) }()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	deadline := time.After(30 * time.Second)
	for {
		select {
		case err := <-done:
			return db, conn, err
		case <-deadline:
			close(cancel)
			<-done
			t.Fatal("snap sync neither ended nor was stopped within 30 s")
		case <-tick.C:
			if stop != nil && stop(conn) {
				close(cancel)
				return db, conn, <-done
			}
		}
	}
}

// TestSnapStateOverTap: go-ethereum's snap syncer, fed through the tap,
// takes a peer's state at a root and ends with every account, the code and
// the storage equal to the source's.
func TestSnapStateOverTap(t *testing.T) {
	chain := snapChain(t)
	db, conn, err := syncFrom(t, chain, nil, nil)
	if err != nil {
		t.Fatalf("snap sync over the tap: %v", err)
	}
	if conn.Dropped() {
		t.Fatal("an honest peer was dropped")
	}
	root := chain.Genesis().Root()
	got, err := state.New(root, state.NewDatabase(triedb.NewDatabase(db, triedb.HashDefaults), nil))
	if err != nil {
		t.Fatalf("synced state %x: %v", root, err)
	}
	want, err := chain.State()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 200 {
		addr := common.BigToAddress(big.NewInt(int64(0x1000 + i)))
		if g, w := got.GetBalance(addr), want.GetBalance(addr); g.Cmp(w) != 0 || g.IsZero() {
			t.Fatalf("balance of %s: synced %v, source %v", addr, g, w)
		}
	}
	c := common.HexToAddress("0xc0de")
	if g := got.GetState(c, common.Hash{1}); g != (common.Hash{2}) {
		t.Errorf("contract slot 1: synced %x, want 2", g)
	}
	if g := got.GetCode(c); len(g) != 3 {
		t.Errorf("contract code: synced %x, want 3 bytes", g)
	}
}

// TestSnapBadStateRefused: a peer whose account range carries a changed
// balance (its proof no longer matches the root) is dropped, the sync does
// not complete and no state at the root is stored.
func TestSnapBadStateRefused(t *testing.T) {
	chain := snapChain(t)
	tamper := func(accounts []*snap.AccountData) {
		if len(accounts) == 0 {
			return
		}
		acc, err := types.FullAccount(accounts[0].Body)
		if err != nil {
			panic(err)
		}
		acc.Balance.AddUint64(acc.Balance, 1)
		accounts[0].Body = types.SlimAccountRLP(*acc)
	}
	db, conn, err := syncFrom(t, chain, tamper, (*Conn).Dropped)
	if !conn.Dropped() {
		t.Fatal("the peer serving a changed balance was not dropped")
	}
	if err == nil {
		t.Fatal("snap sync from a peer serving a changed balance completed")
	}
	root := chain.Genesis().Root()
	if _, err := state.New(root, state.NewDatabase(triedb.NewDatabase(db, triedb.HashDefaults), nil)); err == nil {
		t.Fatalf("state %x stored from a refused peer", root)
	}
}

// TestSnapPeerVersion: a snap/2 connection is refused as a snap/1 syncer's
// peer (its message codes differ).
func TestSnapPeerVersion(t *testing.T) {
	_, _, conn := tappedVersion(t, New(SnapAnswers...), enode.ID{10}, snap.SNAP2)
	if _, err := NewSnapPeer(conn, snap.NewV1Syncer(rawdb.NewMemoryDatabase(), rawdb.HashScheme)); err == nil || !strings.Contains(err.Error(), "snap/2") {
		t.Fatalf("err %v, want one naming snap/2", err)
	}
}
