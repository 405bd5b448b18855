package gateload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"runtime"
	"sync/atomic"
	"testing"
	"time"
)

// TestGetRecountWaitsForBackgroundCount: a 503 with Retry-After (the
// gateway still counting) is asked again; a 503 without it, or a 504, is
// an error.
func TestGetRecountWaitsForBackgroundCount(t *testing.T) {
	var n atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"match":true}`))
	}))
	defer srv.Close()
	var rc struct {
		Match bool `json:"match"`
	}
	if err := getRecount(srv.Client(), srv.URL, &rc); err != nil || !rc.Match || n.Load() != 2 {
		t.Fatalf("have match %v after %d requests, err %v; want a match at the second request", rc.Match, n.Load(), err)
	}
	bad := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGatewayTimeout)
	}))
	defer bad.Close()
	if err := getRecount(bad.Client(), bad.URL, &rc); err == nil {
		t.Fatal("504: have no error, want one")
	}
}

// TestPostAllLeavesNoGoroutine checks that postAll's progress log ends with
// it (it leaked one goroutine per run: a stopped ticker's channel stays open).
func TestPostAllLeavesNoGoroutine(t *testing.T) {
	before := runtime.NumGoroutine()
	for range 3 {
		(&ballotPosters{}).postAll(context.Background(), 4)
	}
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > before {
		if time.Now().After(deadline) {
			t.Fatalf("goroutines: %d before three runs, %d 5 s after", before, runtime.NumGoroutine())
		}
		time.Sleep(10 * time.Millisecond)
	}
}
