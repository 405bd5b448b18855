package historygap

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/node/rpcacl"
	"github.com/citychain/citychain/internal/node/wsrpc"
)

// fakeEth is an eth service as go-ethereum's: a block for any number, null
// for a transaction it does not hold; it records the blocks asked for.
type fakeEth struct {
	mu   sync.Mutex
	seen []rpc.BlockNumber
}

func (f *fakeEth) GetBlockByNumber(n rpc.BlockNumber, _ bool) (map[string]any, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.seen = append(f.seen, n)
	return map[string]any{"number": hexutil.Uint64(n)}, nil
}

func (f *fakeEth) GetTransactionByHash(h common.Hash) (map[string]any, error) {
	if h == knownTx {
		return map[string]any{"hash": h}, nil
	}
	return nil, nil
}

// wsClient serves srv over WebSocket through the guard's connection filter
// and dials it with go-ethereum's client.
func wsClient(t *testing.T, src *fakeSource) (*rpc.Client, *fakeEth) {
	t.Helper()
	eth := &fakeEth{}
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", eth); err != nil {
		t.Fatal(err)
	}
	if err := srv.RegisterName(rpcacl.Namespace, rpcacl.Service{}); err != nil {
		t.Fatal(err)
	}
	g := New(src, http.NotFoundHandler(), 1<<20)
	ts := httptest.NewServer(wsrpc.Handler(srv, nil, func() []wsrpc.Filter { return []wsrpc.Filter{g.Conn()} }))
	t.Cleanup(ts.Close)
	t.Cleanup(srv.Stop)
	client, err := rpc.Dial("ws" + strings.TrimPrefix(ts.URL, "http"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(client.Close)
	return client, eth
}

// gapError checks that err is the guard's refusal containing want.
func gapError(t *testing.T, what string, err error, want string) {
	t.Helper()
	var rerr rpc.Error
	if !errors.As(err, &rerr) || rerr.ErrorCode() != Code || !strings.Contains(err.Error(), want) {
		t.Errorf("%s: %v, want error %d containing %q", what, err, Code, want)
	}
}

func TestWebSocketRefusesCallsBelowTheBackfill(t *testing.T) {
	src := &fakeSource{lowest: 100, recorded: true}
	client, eth := wsClient(t, src)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()

	var block map[string]any
	gapError(t, "block 5 over WebSocket", client.CallContext(ctx, &block, "eth_getBlockByNumber", "0x5", false), "block 5's body and receipts are not yet backfilled")
	var tx map[string]any
	gapError(t, "unknown transaction over WebSocket", client.CallContext(ctx, &tx, "eth_getTransactionByHash", common.HexToHash("0x1234")), "not found in the history this node holds, which starts at block 100")
	if err := client.CallContext(ctx, &block, "eth_getBlockByNumber", "0x64", false); err != nil || block["number"] != "0x64" {
		t.Errorf("block 100 over WebSocket: %v (%v), want it answered", block, err)
	}
	if err := client.CallContext(ctx, &tx, "eth_getTransactionByHash", knownTx); err != nil || tx["hash"] != knownTx.Hex() {
		t.Errorf("known transaction over WebSocket: %v (%v), want it answered", tx, err)
	}

	batch := []rpc.BatchElem{
		{Method: "eth_getBlockByNumber", Args: []any{"0x7", false}, Result: new(map[string]any)},
		{Method: "eth_getBlockByNumber", Args: []any{"0x65", false}, Result: new(map[string]any)},
		{Method: "eth_getTransactionByHash", Args: []any{common.HexToHash("0x99")}, Result: new(map[string]any)},
		{Method: "eth_getTransactionByHash", Args: []any{knownTx}, Result: new(map[string]any)},
	}
	if err := client.BatchCallContext(ctx, batch); err != nil {
		t.Fatalf("batch over WebSocket: %v", err)
	}
	gapError(t, "block 7 in a batch", batch[0].Error, "block 7's")
	gapError(t, "unknown transaction in a batch", batch[2].Error, "not yet backfilled")
	if batch[1].Error != nil || (*batch[1].Result.(*map[string]any))["number"] != "0x65" || batch[3].Error != nil {
		t.Errorf("the batch's calls within the history: %v, %v; want them answered", batch[1].Error, batch[3].Error)
	}
	eth.mu.Lock()
	defer eth.mu.Unlock()
	for _, n := range eth.seen {
		if n < 100 {
			t.Errorf("refused block %d reached the server", n)
		}
	}
}

func TestWebSocketPassesEverythingOnceBackfilled(t *testing.T) {
	src := &fakeSource{lowest: 100, recorded: true}
	client, _ := wsClient(t, src)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var tx map[string]any
	gapError(t, "unknown transaction during the backfill", client.CallContext(ctx, &tx, "eth_getTransactionByHash", common.HexToHash("0x1234")), "not yet backfilled")
	src.lowest = 1
	var block map[string]any
	if err := client.CallContext(ctx, &block, "eth_getBlockByNumber", "0x5", false); err != nil || block["number"] != "0x5" {
		t.Errorf("block 5 once backfilled: %v (%v), want it answered", block, err)
	}
	if err := client.CallContext(ctx, &tx, "eth_getTransactionByHash", common.HexToHash("0x1234")); err != nil || tx != nil {
		t.Errorf("unknown transaction once backfilled: %v (%v), want geth's null", tx, err)
	}
}

// chunked posts body without a length (Transfer-Encoding: chunked).
func chunked(t *testing.T, url, body string) answer {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, url, io.MultiReader(strings.NewReader(body)))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var a answer
	if err := json.Unmarshal(raw, &a); err != nil {
		t.Fatalf("answer %q: %v", raw, err)
	}
	return a
}

func TestChunkedBodyIsGuarded(t *testing.T) {
	g, node := newGuard(true, 100)
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.ContentLength != -1 {
			t.Errorf("request with length %d reached the guard, want a chunked one", r.ContentLength)
		}
		g.ServeHTTP(w, r)
	}))
	defer ts.Close()
	a := chunked(t, ts.URL, `{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x5",false]}`)
	if a.Error == nil || a.Error.Code != Code || !strings.Contains(a.Error.Message, "block 5's") {
		t.Errorf("block 5 in a chunked body: %+v, want the refusal", a)
	}
	a = chunked(t, ts.URL, `{"jsonrpc":"2.0","id":2,"method":"eth_getTransactionByHash","params":["0x1234"]}`)
	if a.Error == nil || a.Error.Code != Code {
		t.Errorf("unknown transaction in a chunked body: %+v, want the refusal", a)
	}
	a = chunked(t, ts.URL, `{"jsonrpc":"2.0","id":3,"method":"eth_getBlockByNumber","params":["0x64",false]}`)
	if a.Error != nil || string(a.Result) != `"ok"` {
		t.Errorf("block 100 in a chunked body: %+v, want it answered", a)
	}
	if len(node.seen) != 2 {
		t.Errorf("node saw %v, want the transaction lookup and block 100", node.seen)
	}
}

func TestChunkedBodyOverTheLimitReachesGeth(t *testing.T) {
	node := &fakeNode{}
	g := New(&fakeSource{lowest: 100, recorded: true}, node, 64)
	ts := httptest.NewServer(g)
	defer ts.Close()
	body := `{"jsonrpc":"2.0","id":1,"method":"eth_getBlockByNumber","params":["0x5",false],"pad":"` + strings.Repeat("x", 100) + `"}`
	a := chunked(t, ts.URL, body)
	if len(node.seen) != 1 || a.Error != nil {
		t.Errorf("a chunked body over the limit: node saw %v, answer %+v; want it handed whole to the server behind, which refuses it by its own limit", node.seen, a)
	}
}
