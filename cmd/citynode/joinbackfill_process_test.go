package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"math/big"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/p2p"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/follow"
	"github.com/citychain/citychain/internal/node/historygap"
)

// TestJoinBackfillResumeAfterKill: a citynode process that joined a
// 3-signer, 200-block chain by the join driver backfills the bodies and
// receipts below its pivot (198) in steps of 128 blocks; killed with SIGKILL
// while its second step's answer is held back by the source, it restarts
// serving, resumes the backfill from the lowest block its first step stored
// (70), and ends with blocks and receipts equal to the source's.
func TestJoinBackfillResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	signers := sortedSignerKeys(3)
	sender := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4548, 1
	spec.Timestamp = uint64(time.Now().Add(-time.Hour).Unix())
	for _, k := range signers {
		spec.Signers = append(spec.Signers, crypto.PubkeyToAddress(k.PublicKey))
	}
	spec.Alloc = types.GenesisAlloc{sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}}
	g, gpath := writeSpecGenesis(t, spec)
	// The source answers the first three body requests (the pivot's, the
	// two blocks above it, the backfill's first step) and holds the rest
	// until released.
	hold := &bodiesHold{after: 3, release: make(chan struct{})}
	t.Cleanup(hold.open)
	f := startFeederWith(t, g, signers, func(n *node.Node) { hold.wrap(n.Stack().Server().Protocols) })

	blocks := follow.SnapMinTarget + 72
	signer := types.LatestSignerForChainID(g.Config.ChainID)
	parent := f.n.Eth().BlockChain().Genesis()
	var nonce uint64
	for n := 1; n <= blocks; n++ {
		var txs []*types.Transaction
		for range 3 {
			to := common.BigToAddress(big.NewInt(int64(0x7000 + nonce)))
			txs = append(txs, types.MustSignNewTx(sender.Key, signer, &types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonce,
				GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10e9), Gas: 21000, To: &to, Value: big.NewInt(int64(nonce + 1))}))
			nonce++
		}
		parent = f.block(parent, n%len(signers), txs)
		if _, err := f.n.ForkChoice().Insert(parent); err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
	}
	head := parent

	dir := t.TempDir()
	if out, err := run(t, "init", "--mode", "rpc", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freePort(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"--datadir", dir, "--mode", "rpc", "--syncmode", "snap", "--sync.pivot", "finalized", "--http", "--ws", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freePort(t)), "--nodiscover", "--staticnodes", f.enode()}
	p := startProc(t, args...)
	waitFor(t, 90*time.Second, "the joined node's second backfill step held back by the source", func() bool {
		select {
		case <-p.done:
			t.Fatalf("citynode exited during its join; logs:\n%s", p.output())
		default:
		}
		return hold.held.Load() > 0
	})
	checkHistoryGap(t, dial(t, p, url), f.n.Eth().BlockChain(), 70)
	ws, err := ethclient.Dial(fmt.Sprintf("ws://127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("WebSocket on the joined node: %v", err)
	}
	checkHistoryGap(t, ws, f.n.Eth().BlockChain(), 70)
	ws.Close()
	checkChunkedGap(t, url, 70)
	p.kill()
	hold.open()

	p = startProc(t, args...)
	client := dial(t, p, url)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	chain := f.n.Eth().BlockChain()
	waitFor(t, 60*time.Second, "block 1's transactions backfilled on the restarted node", func() bool {
		b, err := client.BlockByNumber(ctx, big.NewInt(1))
		return err == nil && b.Hash() == chain.GetCanonicalHash(1) && len(b.Transactions()) == 3
	})
	if !strings.Contains(p.output(), "Backfilling history below the join pivot lowest=70") {
		t.Errorf("the restarted node did not resume its backfill from block 70, the lowest its first step stored; logs:\n%s", p.output())
	}
	for _, n := range []uint64{1, 5, 69, 70, 150, head.NumberU64()} {
		want := chain.GetBlockByNumber(n)
		tx := want.Transactions()[0]
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		wantR := chain.GetReceiptsByHash(want.Hash())[0]
		if err != nil || r.BlockHash != want.Hash() || r.CumulativeGasUsed != wantR.CumulativeGasUsed || r.Status != wantR.Status {
			t.Errorf("receipt of block %d's first transaction on the restarted node: %+v (%v), want block %x, gas %d", n, r, err, want.Hash(), wantR.CumulativeGasUsed)
		}
	}
	p.stop()
}

// checkHistoryGap: a node that stores bodies and receipts down to block
// lowest answers calls needing an older block's with an error that names
// the gap (internal/node/historygap), never null, and answers the blocks it
// holds.
func checkHistoryGap(t *testing.T, client *ethclient.Client, source *core.BlockChain, lowest uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	old := source.GetBlockByNumber(5)
	want := fmt.Sprintf("stores history down to block %d", lowest)
	if _, err := client.BlockByNumber(ctx, big.NewInt(5)); err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("block 5 before its backfill: %v, want an error containing %q", err, want)
	}
	if _, err := client.BlockByHash(ctx, old.Hash()); err == nil || !strings.Contains(err.Error(), "not yet backfilled") {
		t.Errorf("block 5 by hash before its backfill: %v, want a not-yet-backfilled error", err)
	}
	if _, err := client.TransactionReceipt(ctx, old.Transactions()[0].Hash()); err == nil || !strings.Contains(err.Error(), "not yet backfilled") {
		t.Errorf("receipt of a block-5 transaction before its backfill: %v, want a not-yet-backfilled error", err)
	}
	if _, err := client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(1)}); err == nil || !strings.Contains(err.Error(), "reach below the backfilled history") {
		t.Errorf("eth_getLogs from block 1 before the backfill: %v, want a refusal naming the gap", err)
	}
	held := source.GetBlockByNumber(lowest + 5)
	if b, err := client.BlockByNumber(ctx, new(big.Int).SetUint64(lowest+5)); err != nil || b.Hash() != held.Hash() || len(b.Transactions()) != len(held.Transactions()) {
		t.Errorf("block %d, backfilled: %v (%v), want the source's", lowest+5, b, err)
	}
}

// checkChunkedGap: a request body sent without a length (chunked) is
// guarded as one with a length.
func checkChunkedGap(t *testing.T, url string, lowest uint64) {
	t.Helper()
	body := `{"jsonrpc":"2.0","id":7,"method":"eth_getBlockByNumber","params":["0x5",false]}`
	req, err := http.NewRequest(http.MethodPost, url, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if req.ContentLength != 0 {
		t.Fatalf("request length %d: the body would not be chunked", req.ContentLength)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("chunked request: %v", err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a struct {
		Error *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	want := fmt.Sprintf("stores history down to block %d", lowest)
	if json.Unmarshal(raw, &a) != nil || a.Error == nil || a.Error.Code != historygap.Code || !strings.Contains(a.Error.Message, want) {
		t.Errorf("block 5 in a chunked body before its backfill: %s, want error %d containing %q", raw, historygap.Code, want)
	}
}

// bodiesHold wraps a node's eth protocol: BlockBodies answers after the
// first `after` wait until open is called.
type bodiesHold struct {
	after   int32
	release chan struct{}
	once    sync.Once
	sent    atomic.Int32
	held    atomic.Int32
}

func (h *bodiesHold) open() { h.once.Do(func() { close(h.release) }) }

func (h *bodiesHold) wrap(protos []p2p.Protocol) {
	for i := range protos {
		if protos[i].Name != eth.ProtocolName {
			continue
		}
		run := protos[i].Run
		protos[i].Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(p, bodiesHoldRW{MsgReadWriter: rw, h: h})
		}
	}
}

type bodiesHoldRW struct {
	p2p.MsgReadWriter
	h *bodiesHold
}

func (w bodiesHoldRW) WriteMsg(msg p2p.Msg) error {
	if msg.Code == eth.BlockBodiesMsg && w.h.sent.Add(1) > w.h.after {
		w.h.held.Add(1)
		<-w.h.release
	}
	return w.MsgReadWriter.WriteMsg(msg)
}
