package main

import (
	"os"
	"runtime/debug"
	"testing"

	"github.com/citychain/citychain/internal/node"
)

// TestLimitMemory: the Go memory limit follows --cache unless GOMEMLIMIT is
// set, which wins.
func TestLimitMemory(t *testing.T) {
	before := debug.SetMemoryLimit(-1)
	t.Cleanup(func() { debug.SetMemoryLimit(before) })

	t.Setenv("GOMEMLIMIT", "")
	os.Unsetenv("GOMEMLIMIT") // restored by t.Setenv's cleanup
	limitMemory(512)
	if have, want := debug.SetMemoryLimit(-1), node.MemoryLimit(512); have != want || want != 1280<<20 {
		t.Errorf("--cache 512: have limit %d, want %d (1280 MiB)", have, want)
	}

	t.Setenv("GOMEMLIMIT", "off")
	debug.SetMemoryLimit(before)
	limitMemory(512)
	if have := debug.SetMemoryLimit(-1); have != before {
		t.Errorf("GOMEMLIMIT set: have limit %d, want the runtime's %d untouched", have, before)
	}
}
