package gateload

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

// TestRunDrain: the drain is timed from the first status read, reports the
// ballots held then, and reads the poll's count and recount once the queue
// is empty; a queue that never empties is an error within the limit.
func TestRunDrain(t *testing.T) {
	var reads atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/api/v1/status":
			left := max(0, 3-int(reads.Add(1))) * 100 // 200, 100, 0 held
			fmt.Fprintf(w, `{"intake":{"queued":%d,"inflight":%d}}`, left/2, left-left/2)
		case "/api/v1/polls/7":
			w.Write([]byte(`{"total":200}`))
		case "/api/v1/polls/7/recount":
			w.Write([]byte(`{"match":true}`))
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	rep, err := RunDrain(context.Background(), DrainConfig{URL: srv.URL, Poll: 7, Accepted: 200, Limit: 10 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Held != 200 || rep.Counted != 200 || !rep.RecountMatches || rep.DrainSeconds <= 0 || rep.DrainPerSec <= 0 {
		t.Fatalf("have %+v, want 200 held, 200 counted, a match and a positive drain time and rate", rep)
	}

	stuck := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"intake":{"queued":5,"inflight":0}}`))
	}))
	defer stuck.Close()
	if rep, err := RunDrain(context.Background(), DrainConfig{URL: stuck.URL, Poll: 1, Limit: 300 * time.Millisecond}); err == nil || rep.Held != 5 {
		t.Fatalf("a queue that stays at 5: have %+v, err %v; want 5 held and an error", rep, err)
	}
}
