package api

import (
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// frontServer is a Server built by New on a probed fake node, with a
// document's answer at the finalized block cached as its route reads it.
func frontServer(t testing.TB, cfg Config) (s *Server, path string, body []byte) {
	t.Helper()
	s, err := New(cfg, Options{Pool: probedPool(t)})
	if err != nil {
		t.Fatal(err)
	}
	path, body = "/api/v1/documents/0x01", []byte(`{"status":"valid"}`)
	final, _ := s.pool.Known(upstream.At{Tag: upstream.TagFinalized})
	i := slices.IndexFunc(s.routes, func(rt route) bool { return rt.pattern == Prefix+"/documents/{hash}" })
	r := httptest.NewRequest("GET", path, nil)
	r.Pattern = "GET " + s.routes[i].pattern
	s.cache.lru.Add(cacheKey(r, final), entryFor(s.routeOf(r), body))
	return s, path, body
}

// TestFrontAnswersHits: Server.Handler answers a cached route's hit before
// the mux with the route's answer and metrics (200, 304, HEAD); an entry no
// cached route read (the network's, read at the head block) is left to the
// mux; a client over its rate still gets the 429.
func TestFrontAnswersHits(t *testing.T) {
	cfg := Defaults
	cfg.RateLimit, cfg.RateBurst = 0.001, 3
	s, path, body := frontServer(t, cfg)
	h := s.Handler()
	get := func(method, target string, hdr ...string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, target, nil)
		for i := 0; i+1 < len(hdr); i += 2 {
			r.Header.Set(hdr[i], hdr[i+1])
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	ok := s.metrics.requests.WithLabelValues(Prefix+"/documents/{hash}", "200")
	w := get("GET", path)
	if w.Code != 200 || w.Body.String() != string(body) || w.Header().Get("Cache-Control") != "public, max-age=1" {
		t.Fatalf("hit: have %d %q %q, want 200 %s with max-age=1", w.Code, w.Body, w.Header().Get("Cache-Control"), body)
	}
	if n := testutil.ToFloat64(ok); n != 1 {
		t.Errorf("route's 200 count after a hit: have %v, want 1", n)
	}
	if w := get("HEAD", path); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: have %d with %d bytes, want 200 without a body", w.Code, w.Body.Len())
	}
	if w := get("GET", path, "If-None-Match", w.Header().Get("ETag")); w.Code != http.StatusNotModified {
		t.Errorf("If-None-Match: have %d, want 304", w.Code)
	}
	if n := testutil.ToFloat64(s.metrics.requests.WithLabelValues(Prefix+"/documents/{hash}", "304")); n != 1 {
		t.Errorf("route's 304 count: have %v, want 1", n)
	}
	if w := get("GET", path); w.Code != http.StatusTooManyRequests || w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("fourth read with a burst of 3: have %d %q, want the 429 problem", w.Code, w.Body)
	}

	// The network route reads at the head block under the same request key:
	// an entry it left at a hash that is now the finalized one is not a
	// finalized answer.
	s, _, _ = frontServer(t, Defaults)
	final, _ := s.pool.Known(upstream.At{Tag: upstream.TagFinalized})
	s.cache.lru.Add(cacheKey(httptest.NewRequest("GET", Prefix+"/network", nil), final), entry([]byte(`{"planted":true}`)))
	w = httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", Prefix+"/network", nil))
	if w.Body.String() == `{"planted":true}` {
		t.Errorf("the front answered an entry no cached route read")
	}
}

// BenchmarkHandlerHit is a cached read at the finalized block through
// Server.Handler, as the HTTP server calls it.
func BenchmarkHandlerHit(b *testing.B) {
	cfg := Defaults
	cfg.RateLimit = 0
	s, path, _ := frontServer(b, cfg)
	h := s.Handler()
	r := httptest.NewRequest("GET", path, nil)
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		if w.Code != 200 {
			b.Fatalf("have %d", w.Code)
		}
	}
}

// TestCORS: with origins configured, an allowed origin's read and preflight
// get the CORS headers and an unlisted origin's get none; with none
// configured (the default), no origin gets them (same origin only).
func TestCORS(t *testing.T) {
	cfg := Defaults
	cfg.CORS = []string{"https://verify.city.example"}
	s, path, _ := frontServer(t, cfg)
	plain, _, _ := frontServer(t, Defaults)
	do := func(h http.Handler, method, origin string) *httptest.ResponseRecorder {
		r := httptest.NewRequest(method, path, nil)
		r.Header.Set("Origin", origin)
		if method == http.MethodOptions {
			r.Header.Set("Access-Control-Request-Method", http.MethodPost)
			r.Header.Set("Access-Control-Request-Headers", "Content-Type")
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, r)
		return w
	}
	allowed, other := "https://verify.city.example", "https://evil.example"
	if w := do(s.Handler(), "GET", allowed); w.Code != 200 || w.Header().Get("Access-Control-Allow-Origin") != allowed ||
		!strings.Contains(w.Header().Get("Access-Control-Expose-Headers"), "Etag") {
		t.Errorf("allowed origin's read: %d, Allow-Origin %q, Expose %q; want 200, the origin, ETag exposed", w.Code,
			w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Expose-Headers"))
	}
	if w := do(s.Handler(), "OPTIONS", allowed); w.Code/100 != 2 || w.Header().Get("Access-Control-Allow-Origin") != allowed ||
		!strings.Contains(w.Header().Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("allowed origin's preflight: %d, Allow-Origin %q, Methods %q; want 2xx, the origin, POST", w.Code,
			w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Methods"))
	}
	for _, tc := range []struct {
		name string
		h    http.Handler
		org  string
	}{{"an unlisted origin", s.Handler(), other}, {"no origins configured", plain.Handler(), allowed}} {
		for _, m := range []string{"GET", "OPTIONS"} {
			if w := do(tc.h, m, tc.org); w.Header().Get("Access-Control-Allow-Origin") != "" || w.Header().Get("Access-Control-Allow-Methods") != "" {
				t.Errorf("%s, %s: Allow-Origin %q, Methods %q; want no CORS headers", tc.name, m,
					w.Header().Get("Access-Control-Allow-Origin"), w.Header().Get("Access-Control-Allow-Methods"))
			}
		}
	}
}
