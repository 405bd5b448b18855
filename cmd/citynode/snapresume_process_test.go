package main

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/p2p"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// TestSnapSyncResumeAfterKillProcess: a fresh rpc node (default --syncmode:
// snap on an rpc node; --sync.pivot head-64, go-ethereum's downloader) joining a chain longer than follow.SnapMinTarget is
// killed with SIGKILL in the middle of its snap sync (bodies and receipts
// being stored, the pivot's state asked for and held back by the source);
// restarted, it finishes the sync: it reaches the source's head with the
// source's balances and holds no state for an early block (it snap-synced,
// not executed from genesis).
func TestSnapSyncResumeAfterKillProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	spec, signers, sender := transferSpec(4546)
	spec.Alloc = types.GenesisAlloc{sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}}
	g, gpath := writeSpecGenesis(t, spec)

	// The source holds back its first answers to snap account range requests
	// until released, and counts the receipts it serves.
	hold := &snapHold{release: make(chan struct{})}
	t.Cleanup(hold.open)
	f := startFeederWith(t, g, signers, func(n *node.Node) { hold.wrap(n.Stack().Server().Protocols) })

	// The chain: blocks of 3 transfers each to new accounts, well above
	// the shortest chain a node snap-syncs.
	head, nonce := sealTransfers(t, f, g, sender, nil)
	recipient := func(i int) common.Address { return transferTo(uint64(i)) }

	dir := t.TempDir()
	if out, err := run(t, "init", "--mode", "rpc", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"--datadir", dir, "--mode", "rpc", "--sync.pivot", "head-64", "--http", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freeport.T(t)), "--nodiscover", "--staticnodes", f.enode()}
	p := startProc(t, args...)
	waitFor(t, 90*time.Second, "the joining node storing receipts with the pivot's state held back", func() bool {
		select {
		case <-p.done:
			t.Fatalf("citynode exited during its snap sync; logs:\n%s", p.output())
		default:
		}
		return hold.held.Load() > 0 && hold.receipts.Load() >= 2
	})
	p.kill()
	hold.open()

	p = startProc(t, args...)
	client := dial(t, p, url)
	waitFor(t, 120*time.Second, fmt.Sprintf("the restarted node at the source's head %d", head.NumberU64()), func() bool {
		return headNumber(t, client) >= head.NumberU64()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := client.HeaderByNumber(ctx, head.Number())
	if err != nil || got.Hash() != head.Hash() {
		t.Fatalf("block %d on the restarted node: have %v (%v), want %x; logs:\n%s", head.NumberU64(), got, err, head.Hash(), p.output())
	}
	state, err := f.n.Eth().BlockChain().StateAt(head.Root(), head.Number(), head.Time())
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, 1, int(nonce) / 2, int(nonce) - 1} {
		addr := recipient(i)
		bal, err := client.BalanceAt(ctx, addr, head.Number())
		if want := state.GetBalance(addr).ToBig(); err != nil || bal.Cmp(want) != 0 || want.Sign() == 0 {
			t.Errorf("balance of %s at %d: have %v (%v), want %v (not 0)", addr, head.NumberU64(), bal, err, want)
		}
	}
	if _, err := client.BalanceAt(ctx, recipient(0), big.NewInt(5)); err == nil {
		t.Errorf("the restarted node answers a balance at block 5: it executed the chain instead of snap-syncing; logs:\n%s", p.output())
	}
	p.stop()
}

// snapHold wraps a node's protocols: the snap protocol's account range
// answers wait until open is called; the eth protocol's receipts answers are
// counted.
type snapHold struct {
	release  chan struct{}
	once     sync.Once
	held     atomic.Int32 // account range answers held back
	receipts atomic.Int32 // receipts answers sent
}

func (h *snapHold) open() { h.once.Do(func() { close(h.release) }) }

func (h *snapHold) wrap(protos []p2p.Protocol) {
	for i := range protos {
		run, name := protos[i].Run, protos[i].Name
		protos[i].Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(p, holdRW{MsgReadWriter: rw, h: h, name: name})
		}
	}
}

type holdRW struct {
	p2p.MsgReadWriter
	h    *snapHold
	name string
}

func (w holdRW) WriteMsg(msg p2p.Msg) error {
	switch {
	case w.name == snap.ProtocolName && msg.Code == snap.AccountRangeMsg:
		w.h.held.Add(1)
		<-w.h.release
	case w.name == "eth" && msg.Code == 0x10: // ReceiptsMsg
		w.h.receipts.Add(1)
	}
	return w.MsgReadWriter.WriteMsg(msg)
}

// sortedSignerKeys is n new signer keys in the order of their addresses,
// the order Clique's turns follow.
func sortedSignerKeys(n int) []*ecdsa.PrivateKey {
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		keys[i], _ = crypto.GenerateKey()
	}
	slices.SortFunc(keys, func(a, b *ecdsa.PrivateKey) int {
		return crypto.PubkeyToAddress(a.PublicKey).Cmp(crypto.PubkeyToAddress(b.PublicKey))
	})
	return keys
}
