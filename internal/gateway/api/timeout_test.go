package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// TestRequestTimeout: a read whose node does not answer within the
// gateway's request timeout is answered 504 with a timeout problem, in
// about the timeout (issue 15: bounded request times, errors as problems).
func TestRequestTimeout(t *testing.T) {
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", probedEth{}); err != nil {
		t.Fatal(err)
	}
	var stall atomic.Bool
	release := make(chan struct{})
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if stall.Load() {
			select { // the node hangs until the test ends
			case <-release:
			case <-r.Context().Done():
			}
		}
		srv.ServeHTTP(w, r)
	}))
	t.Cleanup(func() { close(release); hs.Close(); srv.Stop() })
	ucfg := upstream.Defaults
	ucfg.URLs, ucfg.ProbeInterval = []string{hs.URL}, time.Hour
	pool, err := upstream.New(ucfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	pool.Start()
	t.Cleanup(func() { pool.Stop() })
	cfg := Defaults
	cfg.RateLimit, cfg.Timeout = 0, 200*time.Millisecond
	s, err := New(cfg, Options{Pool: pool})
	if err != nil {
		t.Fatal(err)
	}
	stall.Store(true)
	start := time.Now()
	w := httptest.NewRecorder()
	s.Handler().ServeHTTP(w, httptest.NewRequest("GET", "/api/v1/documents/0x"+"11111111111111111111111111111111111111111111111111111111111111aa"+"?at=latest", nil))
	took := time.Since(start)
	var p Problem
	if err := json.Unmarshal(w.Body.Bytes(), &p); err != nil {
		t.Fatalf("answer %d %q is not problem JSON: %v", w.Code, w.Body, err)
	}
	if w.Code != http.StatusGatewayTimeout || p.Type != problemBase+"timeout" || p.Status != 504 || p.Detail == "" ||
		w.Header().Get("Content-Type") != "application/problem+json" {
		t.Errorf("a read of a hanging node: have %d %s %+v, want 504 with the timeout problem", w.Code, w.Header().Get("Content-Type"), p)
	}
	if took > 5*time.Second {
		t.Errorf("answered after %v, want about the 200ms timeout", took)
	}
}
