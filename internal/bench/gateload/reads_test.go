package gateload

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// TestOpenLoopCountsFromDue: in an open loop, the reads that fall due while
// one answer is stalled are timed from when they were due, not from when
// the connection could send them (coordinated omission), and how late they
// were sent is reported.
func TestOpenLoopCountsFromDue(t *testing.T) {
	const stall = time.Second
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1) == 10 { // the 9th read of the run (the 1st request is RunReads' check)
			time.Sleep(stall)
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"status":"valid"}`))
	}))
	defer srv.Close()
	rep, err := RunReads(context.Background(), ReadsConfig{
		URL: srv.URL, Docs: []common.Hash{{1}}, Connections: 1, Rate: 50,
		Duration: 2 * time.Second, Timeout: 5 * time.Second,
	})
	if err != nil {
		t.Fatal(err)
	}
	if n.Load() < 12 {
		t.Fatalf("the stall was not reached: %d requests", n.Load())
	}
	// 50 reads fell due during the stall, waiting from 0 to 1 s: about a
	// quarter of the run's reads, every 4th of them sampled.
	if p95 := time.Duration(rep.Latency.P95 * float64(time.Second)); p95 < stall/4 {
		t.Errorf("p95 %v, want >= %v: reads due during the stall timed from their send", p95, stall/4)
	}
	if rep.SendLag == nil || time.Duration(rep.SendLag.Max*float64(time.Second)) < stall/2 {
		t.Errorf("send lag %+v, want a max >= %v", rep.SendLag, stall/2)
	}
}
