package api

import (
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// probedEth is the part of a node's eth API the pool's probe reads: head 10,
// finalized 9.
type probedEth struct{}

func (probedEth) ChainId() hexutil.Uint64 { return 7 }

func (probedEth) GetBlockByNumber(tag string, full bool) map[string]any {
	n := uint64(10)
	if tag == "finalized" {
		n = 9
	}
	return map[string]any{"number": hexutil.Uint64(n), "hash": common.BigToHash(new(big.Int).SetUint64(n)), "timestamp": hexutil.Uint64(1000 + n)}
}

// probedPool is a pool of one fake node, probed.
func probedPool(t testing.TB) *upstream.Pool {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", probedEth{}); err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv)
	t.Cleanup(func() { hs.Close(); srv.Stop() })
	cfg := upstream.Defaults
	cfg.URLs, cfg.ProbeInterval = []string{hs.URL}, time.Hour
	p, err := upstream.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	p.Start() // probes once before it returns
	t.Cleanup(func() { p.Stop() })
	if p.Ready() != 1 {
		t.Fatalf("the fake node is not ready after a probe: %+v", p.Nodes())
	}
	return p
}

// TestCacheHitsBeforeTimeout answers a read the cache holds at the block
// its ?at= names without running the route's handler (nor its request
// timeout), with the same ETag, Cache-Control and 304 as the handler's
// path; reads at another block, a block number or a bad ?at= reach the
// handler.
func TestCacheHitsBeforeTimeout(t *testing.T) {
	s := &Server{cfg: Defaults, pool: probedPool(t), cache: newCache(1 << 20), metrics: newMetrics(nil)}
	path := "/api/v1/documents/" + common.Hash{1}.Hex()
	final, _ := s.pool.Known(upstream.At{Tag: upstream.TagFinalized})
	body := []byte(`{"status":"valid"}`)
	ent := entry(body)
	s.cache.lru.Add(cacheKey(httptest.NewRequest("GET", path, nil), final), ent)
	var reached []string
	h := s.wrap(route{method: "GET", pattern: "/api/v1/documents/{hash}", cached: true, handler: func(w http.ResponseWriter, r *http.Request) {
		reached = append(reached, r.URL.RawQuery)
		w.WriteHeader(http.StatusTeapot)
	}})
	get := func(target string, hdr ...string) *httptest.ResponseRecorder {
		r := withPath(httptest.NewRequest("GET", target, nil), "/api/v1/documents/{hash}")
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	etag := string(ent[:etagLen])
	for _, target := range []string{path, path + "?at=finalized"} {
		w := get(target)
		if w.Code != 200 || w.Body.String() != string(body) || w.Header().Get("ETag") != etag || w.Header().Get("Content-Type") != "application/json" {
			t.Errorf("%s: have %d %q ETag %q, want 200 %s ETag %s", target, w.Code, w.Body, w.Header().Get("ETag"), body, etag)
		}
		if cc := w.Header().Get("Cache-Control"); !strings.HasPrefix(cc, "public, max-age=") {
			t.Errorf("%s: Cache-Control %q, want public with a max-age", target, cc)
		}
	}
	if w := get(path, "If-None-Match", etag); w.Code != http.StatusNotModified || w.Body.Len() != 0 {
		t.Errorf("If-None-Match of the ETag: have %d with %d bytes, want 304 without a body", w.Code, w.Body.Len())
	}
	if len(reached) != 0 {
		t.Errorf("cache hits reached the handler: %q", reached)
	}
	for _, target := range []string{path + "?at=latest", path + "?at=9", path + "?at=soon"} {
		if w := get(target); w.Code != http.StatusTeapot {
			t.Errorf("%s: have %d, want the handler's 418 (not the finalized block's cached answer)", target, w.Code)
		}
	}
	if len(reached) != 3 {
		t.Errorf("handler reached by %q, want the 3 reads the cache does not hold", reached)
	}

	// The final block moved on: the previous one's answer is given while a
	// refresh runs (not before: the handler's path starts it).
	other := "/api/v1/documents/" + common.Hash{2}.Hex()
	older := upstream.View{Block: upstream.Head{Number: final.Block.Number - 1, Hash: common.Hash{0xee}, Time: final.Block.Time - 1}, Final: true}
	old := entry([]byte(`{"status":"valid","at":"older"}`))
	s.cache.keepRecent(requestKey(httptest.NewRequest("GET", other, nil)), older, old)
	reached = nil
	if w := get(other); w.Code != http.StatusTeapot {
		t.Errorf("previous block's answer with no refresh running: have %d, want the handler's 418", w.Code)
	}
	s.cache.refreshing.Store(cacheKey(httptest.NewRequest("GET", other, nil), final), true)
	w := get(other)
	if w.Code != 200 || w.Body.String() != string(entryBody(old)) || w.Header().Get("ETag") != string(old[:etagLen]) {
		t.Errorf("previous block's answer while refreshing: have %d %q, want 200 %s", w.Code, w.Body, entryBody(old))
	}
	if w := get(other + "?at=latest"); w.Code != http.StatusTeapot {
		t.Errorf("at=latest while the finalized answer refreshes: have %d, want the handler's 418", w.Code)
	}
	if len(reached) != 2 {
		t.Errorf("handler reached by %q, want the read before the refresh and the one at latest", reached)
	}
}

// TestCacheKeyForms: the key built for a read without a query is the one
// the handler's path builds from the request key and the block hash.
func TestCacheKeyForms(t *testing.T) {
	v := upstream.View{Block: upstream.Head{Number: 9, Hash: common.HexToHash("0xabcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789")}}
	for _, target := range []string{"/api/v1/documents/0x01", "/api/v1/documents/0x01?at=finalized&b=2&a=1", "/"} {
		r := httptest.NewRequest("GET", target, nil)
		if have, want := cacheKey(r, v), requestKey(r)+"@"+v.Block.Hash.Hex(); have != want {
			t.Errorf("%s: key %q, want %q", target, have, want)
		}
	}
}

// BenchmarkCacheHit is a cached read at the finalized block through the
// route's handlers (instrument, hits), without the HTTP server.
func BenchmarkCacheHit(b *testing.B) {
	s := &Server{cfg: Defaults, pool: probedPool(b), cache: newCache(1 << 20), metrics: newMetrics(nil)}
	path := "/api/v1/documents/" + common.Hash{1}.Hex()
	final, _ := s.pool.Known(upstream.At{Tag: upstream.TagFinalized})
	s.cache.lru.Add(cacheKey(httptest.NewRequest("GET", path, nil), final), entry([]byte(`{"status":"valid"}`)))
	h := s.wrap(route{method: "GET", pattern: "/api/v1/documents/{hash}", cached: true, handler: func(w http.ResponseWriter, r *http.Request) {
		b.Fatal("a hit reached the handler")
	}})
	r := withPath(httptest.NewRequest("GET", path, nil), "/api/v1/documents/{hash}")
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
	}
}
