package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// fakeEth is the part of a node's eth API the pool probes.
type fakeEth struct {
	chainID  uint64
	head     atomic.Uint64
	finalLag uint64
	calls    atomic.Int64
	healthy  atomic.Int32 // 0: no /health/ready, 1: UP, 2: DOWN, 3: no answer (until the request is given up, at most 10 s)
	stalled  atomic.Bool  // blocks are not answered until the request is given up (at most 10 s)
}

func (f *fakeEth) ChainId() hexutil.Uint64 { return hexutil.Uint64(f.chainID) }

func (f *fakeEth) BlockNumber() hexutil.Uint64 {
	f.calls.Add(1)
	return hexutil.Uint64(f.head.Load())
}

func (f *fakeEth) GetBlockByNumber(ctx context.Context, tag string, full bool) (map[string]any, error) {
	if f.stalled.Load() {
		select {
		case <-ctx.Done():
		case <-time.After(10 * time.Second):
		}
		return nil, errors.New("stalled")
	}
	n := f.head.Load()
	switch tag {
	case "latest":
	case "finalized":
		n -= min(n, f.finalLag)
	default:
		v, err := hexutil.DecodeUint64(tag)
		if err != nil {
			return nil, err
		}
		if v > n {
			return nil, nil
		}
		n = v
	}
	return map[string]any{"number": hexutil.Uint64(n), "hash": common.BigToHash(new(big.Int).SetUint64(n + f.chainID<<32)), "timestamp": hexutil.Uint64(1000 + n)}, nil
}

// fakeNode serves fakeEth over HTTP, and /health/ready as set.
func fakeNode(t *testing.T, chainID, head uint64) (*fakeEth, *httptest.Server) {
	t.Helper()
	f := &fakeEth{chainID: chainID, finalLag: 1}
	f.head.Store(head)
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", f); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/health/ready", func(w http.ResponseWriter, r *http.Request) {
		switch f.healthy.Load() {
		case 1:
			io.WriteString(w, `{"status":"UP"}`)
		case 2:
			w.WriteHeader(503)
			io.WriteString(w, `{"status":"DOWN","reasons":["peers: have 0, want at least 1"]}`)
		case 3:
			select {
			case <-r.Context().Done():
			case <-time.After(10 * time.Second):
			}
		default:
			http.NotFound(w, r)
		}
	})
	mux.Handle("/", srv)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() { hs.Close(); srv.Stop() })
	return f, hs
}

func testPool(t *testing.T, urls ...string) *Pool {
	t.Helper()
	cfg := Defaults
	cfg.URLs, cfg.ProbeInterval, cfg.CallTimeout = urls, time.Hour, 2*time.Second
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.probeAll()
	return p
}

func readiness(p *Pool) []bool {
	out := make([]bool, len(p.nodes))
	for i, n := range p.nodes {
		out[i] = n.Ready()
	}
	return out
}

// TestReadiness takes out a node that lags, is on another chain, or says
// it is not ready, and takes it back once it is fine.
func TestReadiness(t *testing.T) {
	a, sa := fakeNode(t, 7, 100)
	b, sb := fakeNode(t, 7, 90)
	_, sc := fakeNode(t, 8, 100)
	p := testPool(t, sa.URL, sb.URL, sc.URL)
	defer p.Stop()
	if have := fmt.Sprint(readiness(p)); have != "[true false false]" {
		t.Fatalf("readiness: have %s, want [true false false] (b lags 10 blocks, c is on chain 8)", have)
	}
	if st := p.nodes[1].Status(); st.Lag != 10 {
		t.Errorf("lag of b: have %d, want 10", st.Lag)
	}
	b.head.Store(97) // within MaxLag (4)
	p.probeAll()
	if have := fmt.Sprint(readiness(p)); have != "[true true false]" {
		t.Errorf("after b caught up: have %s, want [true true false]", have)
	}
	defer func(d time.Duration) { healthRecheck = d }(healthRecheck)
	healthRecheck = 0  // a was upgraded: it serves /health/ready now
	a.healthy.Store(2) // and says it is not ready
	p.probeAll()
	if have := fmt.Sprint(readiness(p)); have != "[false true false]" {
		t.Errorf("after a's /health/ready went DOWN: have %s, want [false true false]", have)
	}
	if st := p.nodes[0].Status(); st.Health != "not ready" {
		t.Errorf("health of a: have %q, want not ready", st.Health)
	}
	a.healthy.Store(1)
	p.probeAll()
	if have := fmt.Sprint(readiness(p)); have != "[true true false]" {
		t.Errorf("after a's /health/ready came UP: have %s", have)
	}
	if h := p.Head(); h == nil || h.Number != 100 {
		t.Errorf("best head: have %+v, want 100", h)
	}
	if p.ChainID() != 7 {
		t.Errorf("chain id: have %d, want 7", p.ChainID())
	}
}

// TestFailoverOnce retries a call failed by a dead node once on another,
// and never retries an answer.
func TestFailoverOnce(t *testing.T) {
	a, sa := fakeNode(t, 7, 50)
	b, sb := fakeNode(t, 7, 50)
	p := testPool(t, sa.URL, sb.URL)
	defer p.Stop()
	sa.Close() // a dies without the pool knowing
	for i := range 4 {
		var n hexutil.Uint64
		attempts := 0
		err := p.Do(context.Background(), func(ctx context.Context, node *Node) error {
			attempts++
			return node.RPC().CallContext(ctx, &n, "eth_blockNumber")
		})
		if err != nil || n != 50 {
			t.Fatalf("call %d: have %v, %d; want block 50 from b", i, err, n)
		}
		if attempts > 2 {
			t.Fatalf("call %d: %d attempts, want at most 2", i, attempts)
		}
	}
	if a.calls.Load() != 0 || b.calls.Load() != 4 {
		t.Errorf("calls: a %d, b %d; want 0 and 4", a.calls.Load(), b.calls.Load())
	}
	if p.nodes[0].Ready() {
		t.Error("a is still ready after a failed call")
	}
	// An answer (here: no such method) is not retried.
	attempts := 0
	err := p.Do(context.Background(), func(ctx context.Context, node *Node) error {
		attempts++
		return node.RPC().CallContext(ctx, nil, "eth_nope")
	})
	var rerr rpc.Error
	if !errors.As(err, &rerr) || attempts != 1 {
		t.Errorf("JSON-RPC error: have %v after %d attempts, want the error after 1", err, attempts)
	}
	sb.Close()
	p.probeAll()
	if err := p.Do(context.Background(), func(context.Context, *Node) error { return nil }); !errors.Is(err, ErrNoReady) {
		t.Errorf("no node ready: have %v, want %v", err, ErrNoReady)
	}
}

func TestFailoverClassification(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{&url.Error{Op: "Post", URL: "http://x", Err: syscall.ECONNREFUSED}, true},
		{fmt.Errorf("Documents.verify: %w", syscall.ECONNRESET), true},
		{context.DeadlineExceeded, true},
		{io.ErrUnexpectedEOF, true},
		{rpc.HTTPError{StatusCode: 502}, true},
		{rpc.HTTPError{StatusCode: 429}, true},
		{rpc.HTTPError{StatusCode: 413}, false},
		{errors.New("execution reverted"), false},
		{nil, false},
	} {
		if have := Failover(tc.err); have != tc.want {
			t.Errorf("Failover(%v): have %v, want %v", tc.err, have, tc.want)
		}
	}
}

func TestParseAt(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want At
		ok   bool
	}{
		{"", At{Tag: TagFinalized}, true},
		{"finalized", At{Tag: TagFinalized}, true},
		{"latest", At{Tag: TagLatest}, true},
		{"1234", At{Number: 1234}, true},
		{"0x10", At{Number: 16}, true},
		{"pending", At{}, false},
		{"-1", At{}, false},
		{"0xzz", At{}, false},
	} {
		have, err := ParseAt(tc.in)
		if (err == nil) != tc.ok || have != tc.want {
			t.Errorf("ParseAt(%q): have %+v, %v; want %+v, ok %v", tc.in, have, err, tc.want, tc.ok)
		}
	}
}

// TestView reads at the finalized block, the latest, and a number: final
// numbers are remembered, a number above the head is not found.
func TestView(t *testing.T) {
	_, s := fakeNode(t, 7, 20)
	p := testPool(t, s.URL)
	defer p.Stop()
	n := p.nodes[0]
	ctx := context.Background()
	v, err := p.View(ctx, n, At{Tag: TagFinalized})
	if err != nil || v.Block.Number != 19 || !v.Final {
		t.Errorf("finalized: have %+v, %v; want block 19, final", v, err)
	}
	if v, err = p.View(ctx, n, At{Tag: TagLatest}); err != nil || v.Block.Number != 20 || v.Final {
		t.Errorf("latest: have %+v, %v; want block 20, not final", v, err)
	}
	if v, err = p.View(ctx, n, At{Number: 5}); err != nil || v.Block.Number != 5 || !v.Final {
		t.Errorf("block 5: have %+v, %v; want block 5, final", v, err)
	}
	if _, ok := p.final.Get(5); !ok {
		t.Error("the header of final block 5 is not remembered")
	}
	if _, err := p.View(ctx, n, At{Number: 21}); !errors.Is(err, ErrBlockNotFound) {
		t.Errorf("block 21: have %v, want %v", err, ErrBlockNotFound)
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		mod func(*Config)
		ok  bool
	}{
		{func(*Config) {}, true},
		{func(c *Config) { c.URLs = nil }, false},
		{func(c *Config) { c.URLs = []string{"ws://x:1"} }, false},
		{func(c *Config) { c.URLs = []string{"http://x:1", "http://x:1"} }, false},
		{func(c *Config) { c.ProbeInterval = time.Millisecond }, false},
		{func(c *Config) { c.HealthQuery = "minPeers=%zz" }, false},
	} {
		cfg := Defaults
		tc.mod(&cfg)
		if err := cfg.Validate(); (err == nil) != tc.ok {
			t.Errorf("%+v: have %v, want ok %v", cfg, err, tc.ok)
		}
	}
}

// TestSlowHealthKeepsVerdict keeps a node that answers its JSON-RPC probe
// but not /health/ready within the probe's time (an overloaded gateway's
// probe, or a busy node): slow, not gone; a node whose endpoint says DOWN
// is taken out.
func TestSlowHealthKeepsVerdict(t *testing.T) {
	a, sa := fakeNode(t, 7, 100)
	a.healthy.Store(1)
	cfg := Defaults
	cfg.URLs, cfg.ProbeInterval, cfg.CallTimeout = []string{sa.URL}, 250*time.Millisecond, 200*time.Millisecond // probes bounded by 1 s
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	defer func(d time.Duration) { healthRecheck = d }(healthRecheck)
	healthRecheck = 0
	p.probeAll()
	if !p.nodes[0].Ready() {
		t.Fatalf("node not ready with /health/ready UP: %+v", p.nodes[0].Status())
	}
	a.healthy.Store(3)
	p.probeAll()
	if st := p.nodes[0].Status(); !st.Ready || st.Health != "ready" {
		t.Errorf("after /health/ready did not answer in time: ready %v, health %q (%s); want still ready", st.Ready, st.Health, st.Reason)
	}
	a.healthy.Store(2)
	p.probeAll()
	if st := p.nodes[0].Status(); st.Ready || st.Health != "not ready" {
		t.Errorf("after /health/ready said DOWN: ready %v, health %q; want taken out", st.Ready, st.Health)
	}
}

// TestProbeMissesBeforeOut keeps a ready node whose probes go unanswered in
// time (an overloaded gateway or node) for probeMisses-1 rounds and takes it
// out at the probeMisses-th, keeping its last finalized block; it is back at
// the next answered probe. A node that refuses the connection is out at once.
func TestProbeMissesBeforeOut(t *testing.T) {
	a, sa := fakeNode(t, 7, 100)
	_, sb := fakeNode(t, 7, 100)
	cfg := Defaults
	cfg.URLs, cfg.ProbeInterval, cfg.CallTimeout = []string{sa.URL, sb.URL}, 10*time.Millisecond, 10*time.Millisecond // probes bounded by 40 ms
	p, err := New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer p.Stop()
	p.probeAll()
	if have := fmt.Sprint(readiness(p)); have != "[true true]" {
		t.Fatalf("readiness: have %s, want [true true]", have)
	}
	a.stalled.Store(true)
	sb.Close() // b is gone: connection refused
	for round := 1; round < probeMisses; round++ {
		p.probeAll()
		if have := fmt.Sprint(readiness(p)); have != "[true false]" {
			t.Fatalf("after %d unanswered probes of a and b gone: have %s, want [true false]", round, have)
		}
	}
	p.probeAll()
	st := p.nodes[0].Status()
	if st.Ready || !strings.Contains(st.Reason, fmt.Sprintf("%d probes in a row failed", probeMisses)) {
		t.Fatalf("after %d unanswered probes: ready %v, reason %q; want taken out, saying so", probeMisses, st.Ready, st.Reason)
	}
	if st.Finalized == nil || st.Finalized.Number != 99 {
		t.Errorf("finalized block kept while out: have %+v, want 99", st.Finalized)
	}
	a.stalled.Store(false)
	p.probeAll()
	if !p.nodes[0].Ready() {
		t.Errorf("not back after an answered probe: %+v", p.nodes[0].Status())
	}
}

// TestAnswersUncompressed: neither the calls (through the JSON-RPC client or
// posted by a caller on the node's HTTP client) nor the probes ask the node
// for gzip (ADR 097).
func TestAnswersUncompressed(t *testing.T) {
	_, hs := fakeNode(t, 7, 10)
	var asked, gz atomic.Int32
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked.Add(1)
		if strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			gz.Add(1)
		}
		target, _ := url.Parse(hs.URL)
		r.URL.Scheme, r.URL.Host, r.RequestURI = target.Scheme, target.Host, ""
		resp, err := http.DefaultTransport.RoundTrip(r)
		if err != nil {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		defer resp.Body.Close()
		w.WriteHeader(resp.StatusCode)
		io.Copy(w, resp.Body)
	}))
	defer front.Close()
	p := testPool(t, front.URL)
	n := p.nodes[0]
	var head hexutil.Uint64
	if err := n.RPC().CallContext(context.Background(), &head, "eth_blockNumber"); err != nil || head != 10 {
		t.Fatalf("eth_blockNumber: have %d, err %v; want 10", head, err)
	}
	resp, err := n.HTTPClient().Post(front.URL, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if asked.Load() < 3 || gz.Load() != 0 {
		t.Fatalf("have %d of %d requests asking for gzip, want none of at least 3 (probe, call, post)", gz.Load(), asked.Load())
	}
}
