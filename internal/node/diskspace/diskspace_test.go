package diskspace

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	free := func(n uint64) func(string) (uint64, error) {
		return func(string) (uint64, error) { return n, nil }
	}
	if err := (Guard{Dir: "d", Min: 100 << 20, Free: free(200 << 20)}).Check(); err != nil {
		t.Errorf("200 MiB free of 100: %v", err)
	}
	err := Guard{Dir: "d", Min: 100 << 20, Free: free(5 << 20)}.Check()
	if err == nil || !strings.Contains(err.Error(), "5.0 MiB, below --datadir.minfreedisk 100.0 MiB") || !strings.Contains(err.Error(), "start it again") {
		t.Errorf("5 MiB free of 100: %v, want the figures and what to do", err)
	}
	if err := (Guard{Dir: "d", Min: 0, Free: free(0)}).Check(); err != nil {
		t.Errorf("no guard: %v", err)
	}
	boom := errors.New("boom")
	if err := (Guard{Dir: "d", Min: 1, Free: func(string) (uint64, error) { return 0, boom }}).Check(); !errors.Is(err, boom) {
		t.Errorf("statfs failing: %v", err)
	}
	if have, err := Statfs(t.TempDir()); err != nil || have == 0 {
		t.Errorf("Statfs of a temporary directory: %d, %v", have, err)
	}
}

// TestWatchStopsOnce: the watch calls stop once space falls below Min.
func TestWatchStopsOnce(t *testing.T) {
	var left atomic.Uint64
	left.Store(1 << 30)
	g := Guard{Dir: "d", Min: 1 << 20, Free: func(string) (uint64, error) { return left.Load(), nil }}
	stopped := make(chan error, 2)
	done := make(chan struct{})
	go func() { g.Watch(context.Background(), func(err error) { stopped <- err }); close(done) }()
	left.Store(0)
	select {
	case err := <-stopped:
		if !strings.Contains(err.Error(), "below --datadir.minfreedisk") {
			t.Errorf("stop said %v", err)
		}
	case <-time.After(10 * Interval):
		t.Fatal("the watch did not stop the node on a full disk")
	}
	select {
	case <-done:
	case <-time.After(10 * Interval):
		t.Fatal("the watch kept running after it stopped the node")
	}
}
