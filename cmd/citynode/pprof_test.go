package main

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

// TestPprofBlockAndMutexProfiles: --pprof.blockprofilerate and
// --pprof.mutexprofilefraction turn on the profiles /debug/pprof/block and
// /debug/pprof/mutex serve (Go records none by default, so they were always
// empty), and a negative rate is refused naming the flag.
func TestPprofBlockAndMutexProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	pprofPort := freeport.T(t)
	base := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", pprofPort)
	startProc(t, "dev", "--http.port", fmt.Sprint(freeport.T(t)), "--pprof", "--pprof.addr", fmt.Sprintf("127.0.0.1:%d", pprofPort),
		"--pprof.blockprofilerate", "1", "--pprof.mutexprofilefraction", "7")
	// The mutex profile states its sampling fraction; the block profile
	// has samples ("CYCLES COUNT @ PC...") once any goroutine blocked.
	waitFor(t, 60*time.Second, "the mutex profile's sampling period 7", func() bool {
		return strings.Contains(getText(base+"mutex?debug=1"), "sampling period=7\n")
	})
	waitFor(t, 30*time.Second, "a sample in the block profile", func() bool {
		return strings.Contains(getText(base+"block?debug=1"), " @ 0x")
	})

	for _, flag := range []string{"--pprof.blockprofilerate", "--pprof.mutexprofilefraction"} {
		_, stderr, err := runSplit(t, nil, "version", "--pprof", "--pprof.addr", fmt.Sprintf("127.0.0.1:%d", freeport.T(t)), flag, "-1")
		if exitStatus(err) != 2 || !strings.Contains(stderr, "invalid "+flag) {
			t.Errorf("%s -1: have exit status %d, %q; want 2 naming the flag", flag, exitStatus(err), stderr)
		}
	}
}

// getText is the body of a GET of url, "" on any failure.
func getText(url string) string {
	resp, err := http.Get(url)
	if err != nil {
		return ""
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		return ""
	}
	return string(body)
}
