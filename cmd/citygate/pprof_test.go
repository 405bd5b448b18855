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

// TestPprof runs citygate with --pprof on a free loopback port: the
// profiling index and a CPU profile answer there, not on the API's port;
// without --pprof nothing listens on the default profiling address's port
// given with --pprof.addr.
func TestPprof(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citygate")
	}
	api, prof := freeport.T(t), freeport.T(t)
	p := startProc(t, "citygate", citygateBin, "--rpc", "http://127.0.0.1:1", "--http.port", fmt.Sprint(api),
		"--pprof", "--pprof.addr", fmt.Sprintf("127.0.0.1:%d", prof))
	get := func(url string) (int, string, error) {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
		if err != nil {
			return 0, "", err
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(body), nil
	}
	index := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", prof)
	waitFor(t, 30*time.Second, "citygate's profiling listener", func() bool {
		if p.exited() {
			t.Fatalf("citygate exited:\n%s", p.output())
		}
		code, _, err := get(index)
		return err == nil && code == 200
	})
	if code, body, err := get(index); err != nil || code != 200 || !strings.Contains(body, "goroutine") {
		t.Errorf("GET %s: %d %v, want 200 listing the profiles\n%.300s", index, code, err, body)
	}
	profile := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/profile?seconds=1", prof)
	if code, body, err := get(profile); err != nil || code != 200 || len(body) == 0 {
		t.Errorf("GET %s: %d %v, %d bytes; want 200 and a profile", profile, code, err, len(body))
	}
	onAPI := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", api)
	if code, _, err := get(onAPI); err != nil || code == 200 {
		t.Errorf("GET %s: %d %v; want the API to answer, not with the profiles", onAPI, code, err)
	}
	p.stop()

	// Off by default: the same flags without --pprof leave the port closed.
	api = freeport.T(t)
	q := startProc(t, "citygate", citygateBin, "--rpc", "http://127.0.0.1:1", "--http.port", fmt.Sprint(api),
		"--pprof.addr", fmt.Sprintf("127.0.0.1:%d", prof))
	waitFor(t, 30*time.Second, "citygate's API", func() bool {
		if q.exited() {
			t.Fatalf("citygate exited:\n%s", q.output())
		}
		_, _, err := get(fmt.Sprintf("http://127.0.0.1:%d/health/live", api))
		return err == nil
	})
	if _, _, err := get(index); err == nil {
		t.Errorf("GET %s answered without --pprof", index)
	}
	q.stop()
}

// TestPprofBlockAndMutexProfiles: --pprof.blockprofilerate and
// --pprof.mutexprofilefraction turn on the profiles citygate's
// /debug/pprof/block and /debug/pprof/mutex serve (Go records none by
// default, so they were always empty), as citynode's flags of the same names.
func TestPprofBlockAndMutexProfiles(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citygate")
	}
	prof := freeport.T(t)
	p := startProc(t, "citygate", citygateBin, "--rpc", "http://127.0.0.1:1", "--http.port", fmt.Sprint(freeport.T(t)),
		"--pprof", "--pprof.addr", fmt.Sprintf("127.0.0.1:%d", prof), "--pprof.blockprofilerate", "1", "--pprof.mutexprofilefraction", "7")
	base := fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", prof)
	text := func(url string) string {
		resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(url)
		if err != nil {
			return ""
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return string(body)
	}
	// The mutex profile states its sampling fraction; the block profile
	// has samples ("CYCLES COUNT @ PC...") once any goroutine blocked (the
	// gateway's upstream probes and timers block all the time).
	waitFor(t, 30*time.Second, "the mutex profile's sampling period 7", func() bool {
		if p.exited() {
			t.Fatalf("citygate exited:\n%s", p.output())
		}
		return strings.Contains(text(base+"mutex?debug=1"), "sampling period=7\n")
	})
	waitFor(t, 30*time.Second, "a sample in the block profile", func() bool {
		return strings.Contains(text(base+"block?debug=1"), " @ 0x")
	})
	p.stop()
}
