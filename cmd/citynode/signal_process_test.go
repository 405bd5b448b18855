package main

import (
	"fmt"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

// TestInterruptDuringStartup: SIGINT sent while the node is still starting
// stops it once start-up is done. The process starts with SIGINT ignored, as
// a shell starts a background job, so a signal that came before citynode
// listened for it would be lost and the node would run on.
func TestInterruptDuringStartup(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a real process")
	}
	p := &proc{t: t, done: make(chan struct{})}
	p.cmd = exec.Command("sh", "-c", `trap "" INT; exec "$0" "$@"`, binPath,
		"dev", "--datadir", t.TempDir(), "--http.port", fmt.Sprint(freeport.T(t)))
	startCmd(t, p)
	waitFor(t, 60*time.Second, "citynode's first log line", func() bool { return strings.TrimSpace(p.output()) != "" })
	if err := p.cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	select {
	case <-p.done:
	case <-time.After(60 * time.Second):
		t.Fatalf("citynode still runs 60 s after a SIGINT sent during start-up; logs:\n%s", p.output())
	}
	if out := p.output(); !strings.Contains(out, "Got interrupt, shutting down") {
		t.Errorf("no orderly shutdown in the logs:\n%s", out)
	}
}
