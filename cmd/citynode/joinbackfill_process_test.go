package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/p2p"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/historygap"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// joinLogger emits one LOG1 (topic 7, data 0x2a) on any call.
var (
	joinLogger     = common.HexToAddress("0x00000000000000000000000000000000000000c4")
	joinLoggerCode = []byte{0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x07, 0x60, 0x20, 0x60, 0x00, 0xa1, 0x00} // mstore(0, 0x2a); log1(0, 32, 7)
)

// TestJoinBackfillResumeAfterKill: a citynode process that joined a
// 3-signer, 200-block chain by the join driver backfills the bodies and
// receipts below its pivot (198) in steps of 128 blocks; killed with SIGKILL
// while its second step's answer is held back by the source, it restarts
// serving, resumes the backfill from the lowest block its first step stored
// (70), and ends with blocks and receipts equal to the source's, and with
// eth_getLogs over the backfilled blocks equal to the source's (a contract's
// event in every block), over HTTP and WebSocket, and again after a restart
// that rebuilds go-ethereum's log index over the whole history.
func TestJoinBackfillResumeAfterKill(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	spec, signers, sender := transferSpec(4548)
	spec.Alloc = types.GenesisAlloc{
		sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))},
		joinLogger:     {Balance: new(big.Int), Code: joinLoggerCode},
	}
	g, gpath := writeSpecGenesis(t, spec)
	// The source answers the first three body requests (the pivot's, the
	// two blocks above it, the backfill's first step) and holds the rest
	// until released.
	hold := bodiesHold(3)
	t.Cleanup(hold.open)
	f := startFeederWith(t, g, signers, func(n *node.Node) { hold.wrap(n.Stack().Server().Protocols) })

	// Each block: three transfers and a call of joinLogger, which logs.
	head, _ := sealTransfers(t, f, g, sender, func(nonce uint64) types.TxData {
		return &types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10e9), Gas: 60000, To: &joinLogger}
	})

	dir := t.TempDir()
	if out, err := run(t, "init", "--mode", "rpc", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	wsURL := fmt.Sprintf("ws://127.0.0.1:%d", port)
	args := []string{"--datadir", dir, "--mode", "rpc", "--syncmode", "snap", "--sync.pivot", "finalized", "--http", "--ws", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freeport.T(t)), "--nodiscover", "--staticnodes", f.enode()}
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
	ws, err := ethclient.Dial(wsURL)
	if err != nil {
		t.Fatalf("WebSocket on the joined node: %v", err)
	}
	checkHistoryGap(t, ws, f.n.Eth().BlockChain(), 70)
	ws.Close()
	checkChunkedGap(t, url, 70)
	p.kill()
	hold.open()

	p = startProc(t, args...)
	restarted := p
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("the restarted node's logs:\n%s", restarted.output())
		}
	})
	client := dial(t, p, url)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	chain := f.n.Eth().BlockChain()
	waitFor(t, 60*time.Second, "block 1's transactions backfilled on the restarted node", func() bool {
		b, err := client.BlockByNumber(ctx, big.NewInt(1))
		return err == nil && b.Hash() == chain.GetCanonicalHash(1) && len(b.Transactions()) == 4
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
	// Logs over the backfilled blocks: numbered over HTTP (citynode's
	// eth_getLogs fast path, from the receipts) and up to "latest" over
	// WebSocket (go-ethereum's filter system, whose log index this process
	// disabled at start, the history then incomplete: unindexed mode).
	waitFor(t, 30*time.Second, "the restarted node at the chain's head", func() bool { return headNumber(t, client) >= head.NumberU64() })
	checkSameLogs(t, f.n, client, head.NumberU64(), true)
	checkSameLogs(t, f.n, dialWS(t, wsURL), head.NumberU64(), false)
	p.stop()
	p = startProc(t, args...)
	dial(t, p, url)
	ws = dialWS(t, wsURL)
	waitFor(t, 60*time.Second, "go-ethereum's log indexer started after a restart", func() bool {
		return strings.Contains(p.output(), "Started log indexer")
	})
	checkSameLogs(t, f.n, ws, head.NumberU64(), false)
	if strings.Contains(p.output(), "reverting to unindexed mode") {
		t.Errorf("the log index of a node whose history is whole fell back to unindexed mode; logs:\n%s", p.output())
	}
	p.stop()
}

func dialWS(t *testing.T, url string) *ethclient.Client {
	t.Helper()
	c, err := ethclient.Dial(url)
	if err != nil {
		t.Fatalf("WebSocket %s: %v", url, err)
	}
	t.Cleanup(c.Close)
	return c
}

// checkSameLogs: the joinLogger's logs from block 1 (to block to when
// numbered, else to "latest") equal the source's: one a block.
func checkSameLogs(t *testing.T, src *node.Node, client *ethclient.Client, to uint64, numbered bool) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	q := ethereum.FilterQuery{FromBlock: big.NewInt(1), Addresses: []common.Address{joinLogger}}
	if numbered {
		q.ToBlock = new(big.Int).SetUint64(to)
	}
	have, err := client.FilterLogs(ctx, q)
	if err != nil {
		t.Fatalf("eth_getLogs from block 1 (numbered %v) on the joined node: %v", numbered, err)
	}
	q.ToBlock = new(big.Int).SetUint64(to)
	srcClient := ethclient.NewClient(src.Stack().Attach())
	defer srcClient.Close()
	want, err := srcClient.FilterLogs(ctx, q)
	if err != nil || len(want) != int(to) {
		t.Fatalf("eth_getLogs 1..%d on the source: %d logs (%v), want one a block", to, len(want), err)
	}
	if len(have) < len(want) {
		t.Fatalf("eth_getLogs from block 1 (numbered %v) on the joined node: %d logs, the source %d up to block %d", numbered, len(have), len(want), to)
	}
	for i := range want {
		if have[i].TxHash != want[i].TxHash || have[i].BlockNumber != want[i].BlockNumber || have[i].Index != want[i].Index || have[i].Topics[0] != want[i].Topics[0] {
			t.Errorf("log %d (numbered %v): have %+v, want %+v", i, numbered, have[i], want[i])
		}
	}
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

// answerHold wraps a node's protocol proto: its messages of code code after
// the first `after` wait until open is called.
type answerHold struct {
	proto   string
	code    uint64
	after   int32
	release chan struct{}
	once    sync.Once
	sent    atomic.Int32
	held    atomic.Int32
}

// bodiesHold holds a node's BlockBodies answers after the first after.
func bodiesHold(after int32) *answerHold {
	return &answerHold{proto: eth.ProtocolName, code: eth.BlockBodiesMsg, after: after, release: make(chan struct{})}
}

func (h *answerHold) open() { h.once.Do(func() { close(h.release) }) }

func (h *answerHold) wrap(protos []p2p.Protocol) {
	for i := range protos {
		if protos[i].Name != h.proto {
			continue
		}
		run := protos[i].Run
		protos[i].Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(p, answerHoldRW{MsgReadWriter: rw, h: h})
		}
	}
}

type answerHoldRW struct {
	p2p.MsgReadWriter
	h *answerHold
}

func (w answerHoldRW) WriteMsg(msg p2p.Msg) error {
	if msg.Code == w.h.code && w.h.sent.Add(1) > w.h.after {
		w.h.held.Add(1)
		<-w.h.release
	}
	return w.MsgReadWriter.WriteMsg(msg)
}
