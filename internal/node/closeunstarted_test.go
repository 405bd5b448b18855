package node_test

import (
	"runtime"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/node"
)

// poolLoops counts the goroutines running go-ethereum's transaction pool
// loop, which eth.New starts and only the pool's Close ends.
func poolLoops() int {
	buf := make([]byte, 1<<22)
	buf = buf[:runtime.Stack(buf, true)]
	return strings.Count(string(buf), "core/txpool.(*TxPool).loop(")
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
