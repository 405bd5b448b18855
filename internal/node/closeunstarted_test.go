package node_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/node"
)

// poolLoops counts the goroutines running go-ethereum's transaction pool
// loop, which eth.New starts and only the pool's Close ends. The dump of
// every goroutine is read whole: a fixed buffer cut it short when the
// package's earlier tests left many goroutines behind, and the count came
// out 0 (seen once in a whole-package run).
func poolLoops() int {
	return strings.Count(allStacks(), "core/txpool.(*TxPool).loop(")
}

// allStacks returns the stacks of all goroutines, growing the buffer until
// the dump fits.
func allStacks() string {
	for size := 1 << 22; ; size *= 2 {
		buf := make([]byte, size)
		if n := runtime.Stack(buf, true); n < size {
			return string(buf[:n])
		}
	}
}

// TestCloseUnstartedStopsChain: a node made by New and closed without Start
// stops what eth.New set running before its databases close. geth's node
// does not stop services it never started, and a state snapshot generation
// still running after the close panicked "pebble: closed" (ci27). The pool's
// loop, started by eth.New beside the chain, stands for what must end: it
// ran on after Close before the fix.
func TestCloseUnstartedStopsChain(t *testing.T) {
	cfg, _ := devConfig(t, 4361, nil)
	cfg.HTTP.Enabled = false
	before := poolLoops()
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if have := poolLoops(); have != before+1 {
		n.Close()
		t.Fatalf("pool loops after New: have %d, want %d (the test no longer sees eth.New's pool)", have, before+1)
	}
	if err := n.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if have := poolLoops(); have != before {
		t.Errorf("pool loops after Close of a node never started: have %d, want %d (eth.New's services left running on closed databases)", have, before)
	}
}
