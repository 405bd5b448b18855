package api

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// TestMalformedPathWithNoNodeReady: a malformed path parameter gets the 400
// problem naming it on every route that has one, also while no node is
// ready (it was 503 "no node ready" with Retry-After, a retry that can
// never succeed).
func TestMalformedPathWithNoNodeReady(t *testing.T) {
	var down atomic.Bool
	down.Store(true)
	s := &Server{cfg: Defaults, pool: unhealthyPool(t, &down), cache: newCache(1 << 20), metrics: newMetrics(nil)}
	awaitReady(t, s.pool, false)
	checked := 0
	for _, rt := range s.table() {
		if !strings.Contains(rt.pattern, "{") || rt.pattern == Prefix+"/problems/{kind}" {
			continue
		}
		name, target := malformed(rt.pattern)
		w := httptest.NewRecorder()
		s.wrap(rt).ServeHTTP(w, withPath(httptest.NewRequest(rt.method, target, strings.NewReader("{}")), rt.pattern))
		if w.Code != http.StatusBadRequest || !strings.Contains(w.Body.String(), name) {
			t.Errorf("%s %s: have %d %s, want 400 naming %s", rt.method, target, w.Code, w.Body, name)
		}
		checked++
	}
	if checked < 15 {
		t.Fatalf("checked %d routes with path parameters, want the API's 15 or more", checked)
	}
}

// malformed fills a pattern's last parameter with 40 bytes of "x!" (not a
// number, hash, address or cadastral number) and the others with
// values that read well; it returns that parameter's name and the path.
func malformed(pattern string) (string, string) {
	segs := strings.Split(pattern, "/")
	last := -1
	for i, seg := range segs {
		if strings.HasPrefix(seg, "{") {
			last = i
		}
	}
	name := strings.Trim(segs[last], "{}")
	for i, seg := range segs {
		switch {
		case i == last:
			segs[i] = strings.Repeat("x!", 20)
		case strings.HasPrefix(seg, "{"):
			segs[i] = "1"
		}
	}
	return name, strings.Join(segs, "/")
}

// withPath sets the request's path values as the mux would.
func withPath(r *http.Request, pattern string) *http.Request {
	ps, ts := strings.Split(pattern, "/"), strings.Split(r.URL.Path, "/")
	for i, seg := range ps {
		if strings.HasPrefix(seg, "{") {
			r.SetPathValue(strings.Trim(seg, "{}"), ts[i])
		}
	}
	return r
}
