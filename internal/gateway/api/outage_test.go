package api

import (
	"context"
	"encoding/json"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// liveEth is a node's eth API for the pool's probe: head 10, finalized 9,
// blocks sealed one a second up to now.
type liveEth struct{ now uint64 }

func (liveEth) ChainId() hexutil.Uint64 { return 7 }

func (e liveEth) GetBlockByNumber(tag string, full bool) map[string]any {
	n := uint64(10)
	switch tag {
	case "latest":
	case "finalized":
		n = 9
	default:
		n, _ = hexutil.DecodeUint64(tag)
	}
	return map[string]any{"number": hexutil.Uint64(n), "hash": common.BigToHash(new(big.Int).SetUint64(n)), "timestamp": hexutil.Uint64(e.now - 10 + n)}
}

// unhealthyPool is a pool of one fake node whose /health/ready says DOWN
// once down is set; it is probed every 10 ms.
func unhealthyPool(t *testing.T, down *atomic.Bool) *upstream.Pool {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", liveEth{now: uint64(time.Now().Unix())}); err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/health/ready", func(w http.ResponseWriter, r *http.Request) {
		if down.Load() {
			w.WriteHeader(http.StatusServiceUnavailable)
			io.WriteString(w, `{"status":"DOWN","reasons":["peers: have 0, want at least 1"]}`)
			return
		}
		io.WriteString(w, `{"status":"UP"}`)
	})
	mux.Handle("/", srv)
	hs := httptest.NewServer(mux)
	t.Cleanup(func() { hs.Close(); srv.Stop() })
	cfg := upstream.Defaults
	cfg.URLs, cfg.ProbeInterval = []string{hs.URL}, 10*time.Millisecond
	p, err := upstream.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Start()
	t.Cleanup(func() { p.Stop() })
	return p
}

// awaitReady waits (at most 10 s) until the pool has ready nodes or not.
func awaitReady(t *testing.T, p *upstream.Pool, ready bool) {
	t.Helper()
	deadline := time.After(10 * time.Second)
	for (p.Ready() > 0) != ready {
		select {
		case <-p.Changed():
		case <-deadline:
			t.Fatalf("pool ready %v after 10 s, want %v: %+v", p.Ready() > 0, ready, p.Nodes())
		}
	}
}

// TestOutageAnswersFromCache: with the node's health failing, a read at the
// finalized block that the cache holds is answered 200 with the kept answer
// (its block, Age, Citygate-Upstream: unavailable, no-cache), as is a read
// at a final block number it holds; a read it holds nothing for, one at
// ?at=latest, and one whose kept block is older than --api.outage get the
// 503 problem.
func TestOutageAnswersFromCache(t *testing.T) {
	var down atomic.Bool
	s := &Server{cfg: Defaults, pool: unhealthyPool(t, &down), cache: newCache(1 << 20), metrics: newMetrics(nil)}
	awaitReady(t, s.pool, true)
	var reads atomic.Int64
	h := s.wrap(route{method: "GET", pattern: "/api/v1/documents/{hash}", cached: true, handler: s.read(func(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
		reads.Add(1)
		return map[string]any{"block": v.Block.Number, "path": r.URL.Path}, nil
	})})
	get := func(target string) *httptest.ResponseRecorder {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, withPath(httptest.NewRequest("GET", target, nil), "/api/v1/documents/{hash}"))
		return w
	}
	warm, cold := "/api/v1/documents/"+common.Hash{1}.Hex(), "/api/v1/documents/"+common.Hash{2}.Hex()
	first := get(warm)
	atNine := get(warm + "?at=8")
	if first.Code != 200 || atNine.Code != 200 || reads.Load() != 2 {
		t.Fatalf("warming: have %d and %d after %d reads, want 200 and 200 after 2", first.Code, atNine.Code, reads.Load())
	}

	down.Store(true)
	awaitReady(t, s.pool, false)
	w := get(warm)
	if w.Code != 200 || w.Body.String() != first.Body.String() || w.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Fatalf("cached read with the node unhealthy: have %d %q, want 200 %s", w.Code, w.Body, first.Body)
	}
	var body struct{ Block uint64 }
	if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil || body.Block != 9 {
		t.Errorf("answer's block: have %d (%v), want the last finalized block 9", body.Block, err)
	}
	if w.Header().Get("Citygate-Upstream") != "unavailable" || w.Header().Get("Cache-Control") != "no-cache" {
		t.Errorf("headers: Citygate-Upstream %q, Cache-Control %q; want unavailable, no-cache", w.Header().Get("Citygate-Upstream"), w.Header().Get("Cache-Control"))
	}
	if age, err := strconv.Atoi(w.Header().Get("Age")); err != nil || age < 1 || age > 60 {
		t.Errorf("Age %q: want the seconds since block 9 was sealed (about 1)", w.Header().Get("Age"))
	}
	if w := get(warm + "?at=8"); w.Code != 200 || w.Body.String() != atNine.Body.String() || w.Header().Get("Cache-Control") != "public, max-age=31536000, immutable" {
		t.Errorf("final block number held: have %d %q %q, want 200 %s, immutable", w.Code, w.Body, w.Header().Get("Cache-Control"), atNine.Body)
	}
	for _, target := range []string{cold, warm + "?at=latest", warm + "?at=7"} {
		if w := get(target); w.Code != http.StatusServiceUnavailable || w.Header().Get("Content-Type") != "application/problem+json" {
			t.Errorf("%s with nothing cached that applies: have %d %s %q, want the 503 problem", target, w.Code, w.Header().Get("Content-Type"), w.Body)
		}
	}
	s.cfg.Outage = time.Second / 2 // block 9 was sealed about 1 s ago
	if w := get(warm); w.Code != http.StatusServiceUnavailable {
		t.Errorf("kept answer older than --api.outage: have %d %q, want 503", w.Code, w.Body)
	}
	if reads.Load() != 2 {
		t.Errorf("the node was read %d times, want 2 (the warming reads)", reads.Load())
	}
}
