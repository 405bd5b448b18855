package main

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

// joinReader returns its storage slot 0 (0x2a from genesis) to any call.
var (
	joinReader     = common.HexToAddress("0x00000000000000000000000000000000000000c3")
	joinReaderCode = []byte{0x60, 0x00, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3} // mstore(0, sload(0)); return(0, 32)
)

// TestJoinDriverProcess: a citynode process started as a fresh rpc node
// with --syncmode snap --sync.pivot finalized joins a 3-signer chain of 200
// blocks by the join driver (ADR 084): its head is the source's, the state
// it serves is that of the finalized block (two blocks below the head, the
// newest block on top of which two of the three signers sealed) and of the
// two blocks above it, executed: balances at the head and the pivot equal
// the source's, a contract read answers from the synced storage, no state
// is held below the pivot, and eth_syncing is false.
func TestJoinDriverProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	spec, signers, sender := transferSpec(4547)
	spec.Alloc = types.GenesisAlloc{
		sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))},
		joinReader:     {Balance: new(big.Int), Code: joinReaderCode, Storage: map[common.Hash]common.Hash{{}: common.BigToHash(big.NewInt(0x2a))}},
	}
	g, gpath := writeSpecGenesis(t, spec)
	f := startFeeder(t, g, signers)

	head, nonce := sealTransfers(t, f, g, sender, nil)
	recipient := func(i int) common.Address { return transferTo(uint64(i)) }
	pivot := head.NumberU64() - 2

	dir := t.TempDir()
	if out, err := run(t, "init", "--mode", "rpc", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := startProc(t, "--datadir", dir, "--mode", "rpc", "--syncmode", "snap", "--sync.pivot", "finalized", "--http", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freeport.T(t)), "--nodiscover", "--staticnodes", f.enode())
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the joining node's logs:\n%s", p.output())
		}
	})
	client := dial(t, p, url)
	waitFor(t, 90*time.Second, fmt.Sprintf("the joining node at the source's head %d", head.NumberU64()), func() bool {
		return headNumber(t, client) >= head.NumberU64()
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	got, err := client.HeaderByNumber(ctx, head.Number())
	if err != nil || got.Hash() != head.Hash() {
		t.Fatalf("block %d on the joined node: have %v (%v), want %x; logs:\n%s", head.NumberU64(), got, err, head.Hash(), p.output())
	}
	chain := f.n.Eth().BlockChain()
	for _, at := range []uint64{pivot, head.NumberU64()} {
		h := chain.GetHeaderByNumber(at)
		state, err := chain.StateAt(h.Root, h.Number, h.Time)
		if err != nil {
			t.Fatal(err)
		}
		for _, i := range []int{0, 1, int(nonce) / 2, int(nonce) - 1} {
			addr := recipient(i)
			bal, err := client.BalanceAt(ctx, addr, h.Number)
			want := state.GetBalance(addr).ToBig()
			if err != nil || bal.Cmp(want) != 0 || (at == head.NumberU64() && want.Sign() == 0) {
				t.Errorf("balance of %s at %d: have %v (%v), want %v (not 0 at the head)", addr, at, bal, err, want)
			}
		}
	}
	out, err := client.CallContract(ctx, ethereum.CallMsg{To: &joinReader}, nil)
	if err != nil || new(big.Int).SetBytes(out).Int64() != 0x2a {
		t.Errorf("eth_call of the reader contract: have %x (%v), want 0x2a", out, err)
	}
	if _, err := client.BalanceAt(ctx, recipient(0), new(big.Int).SetUint64(pivot-1)); err == nil {
		t.Errorf("the joined node answers a balance at block %d, below the pivot %d: it executed blocks below the finalized one; logs:\n%s", pivot-1, pivot, p.output())
	}
	waitFor(t, 20*time.Second, "eth_syncing false (geth's transaction indexer runs once the head moved)", func() bool {
		prog, err := client.SyncProgress(ctx)
		return err == nil && prog == nil
	})
	if !strings.Contains(p.output(), "Joined the chain") {
		t.Errorf("no \"Joined the chain\" in the log: the driver did not run; logs:\n%s", p.output())
	}
	p.stop()
}
