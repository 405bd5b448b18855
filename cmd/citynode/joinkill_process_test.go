package main

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// TestJoinKilledBeforePivot: a citynode process joining a 3-signer,
// 200-block chain by the join driver is killed with SIGKILL before its pivot
// is committed, restarted, and then joins: its head is the source's, every
// recipient's balance at the head equals the source's, and the backfill
// completes (block 1's body and a receipt served). Killed during the state
// download (the source holds back its account ranges after the first four),
// and with the state downloaded, while the pivot's body is asked for (the
// source holds back every block body).
func TestJoinKilledBeforePivot(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	t.Run("state download", func(t *testing.T) {
		testJoinKilledBeforePivot(t, 4549, &answerHold{proto: snap.ProtocolName, code: snap.AccountRangeMsg, after: 4, release: make(chan struct{})})
	})
	t.Run("pivot's body", func(t *testing.T) {
		testJoinKilledBeforePivot(t, 4550, bodiesHold(0))
	})
}

func testJoinKilledBeforePivot(t *testing.T, chainID int64, hold *answerHold) {
	spec, signers, sender := transferSpec(uint64(chainID))
	spec.Alloc = types.GenesisAlloc{sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}}
	g, gpath := writeSpecGenesis(t, spec)
	t.Cleanup(hold.open)
	f := startFeederWith(t, g, signers, func(n *node.Node) { hold.wrap(n.Stack().Server().Protocols) })

	head, nonce := sealTransfers(t, f, g, sender, nil)
	recipient := func(i int) common.Address { return transferTo(uint64(i)) }

	dir := t.TempDir()
	if out, err := run(t, "init", "--mode", "rpc", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"--datadir", dir, "--mode", "rpc", "--syncmode", "snap", "--sync.pivot", "finalized", "--http", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freeport.T(t)), "--nodiscover", "--staticnodes", f.enode()}
	p := startProc(t, args...)
	waitFor(t, 90*time.Second, "the joining node's request held back by the source", func() bool {
		select {
		case <-p.done:
			t.Fatalf("citynode exited during its join; logs:\n%s", p.output())
		default:
		}
		return hold.held.Load() > 0
	})
	if strings.Contains(p.output(), "Joined the chain") {
		t.Fatalf("the node joined before its request was held: the kill would not interrupt it; logs:\n%s", p.output())
	}
	p.kill()
	hold.open()

	p = startProc(t, args...)
	client := dial(t, p, url)
	waitFor(t, 90*time.Second, fmt.Sprintf("the restarted node at the source's head %d", head.NumberU64()), func() bool {
		select {
		case <-p.done:
			t.Fatalf("the restarted citynode exited; logs:\n%s", p.output())
		default:
		}
		return headNumber(t, client) >= head.NumberU64()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	chain := f.n.Eth().BlockChain()
	at := chain.CurrentBlock()
	state, err := chain.StateAt(at.Root, at.Number, at.Time)
	if err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, fmt.Sprintf("the restarted node at block %d", at.Number), func() bool {
		return headNumber(t, client) >= at.Number.Uint64()
	})
	for i := range int(nonce) {
		addr := recipient(i)
		bal, err := client.BalanceAt(ctx, addr, at.Number)
		if want := state.GetBalance(addr).ToBig(); err != nil || bal.Cmp(want) != 0 || want.Sign() == 0 {
			t.Fatalf("balance of %s at block %d on the restarted node: have %v (%v), want %v (not 0); logs:\n%s", addr, at.Number, bal, err, want, p.output())
		}
	}
	if !strings.Contains(p.output(), "Joined the chain") {
		t.Errorf("the restarted node did not join by the driver; logs:\n%s", p.output())
	}
	waitFor(t, 60*time.Second, "block 1's transactions backfilled on the restarted node", func() bool {
		b, err := client.BlockByNumber(ctx, big.NewInt(1))
		return err == nil && b.Hash() == chain.GetCanonicalHash(1) && len(b.Transactions()) == 3
	})
	tx := chain.GetBlockByNumber(1).Transactions()[0]
	if r, err := client.TransactionReceipt(ctx, tx.Hash()); err != nil || r.BlockNumber.Uint64() != 1 || r.Status != types.ReceiptStatusSuccessful {
		t.Errorf("receipt of block 1's first transaction on the restarted node: %+v (%v)", r, err)
	}
	p.stop()
}
