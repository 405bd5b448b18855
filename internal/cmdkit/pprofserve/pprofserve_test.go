package pprofserve

import (
	"io"
	"net"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestServeBlockAndMutexProfiles: the rates turn on the profiles the
// listener serves (Go records neither by default): the mutex profile states
// its sampling period, the block profile has a sample once a goroutine
// blocked; stop closes the listener.
func TestServeBlockAndMutexProfiles(t *testing.T) {
	t.Cleanup(func() { runtime.SetBlockProfileRate(0); runtime.SetMutexProfileFraction(0) })
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	stop := Config{Enabled: true, BlockProfileRate: 1, MutexProfileFraction: 7}.serve(l)
	base := "http://" + l.Addr().String() + "/debug/pprof/"

	// A goroutine blocked on a channel for a while: one block event.
	var wg sync.WaitGroup
	ch := make(chan struct{})
	wg.Add(1)
	go func() { defer wg.Done(); <-ch }()
	time.Sleep(10 * time.Millisecond) // let it block: the event to sample, not a wait for one
	close(ch)
	wg.Wait()

	if body := get(t, base+"mutex?debug=1"); !strings.Contains(body, "sampling period=7\n") {
		t.Errorf("mutex profile: want sampling period=7, have\n%.300s", body)
	}
	if body := get(t, base+"block?debug=1"); !strings.Contains(body, " @ 0x") {
		t.Errorf("block profile: want a sample (\" @ 0x\"), have\n%.300s", body)
	}
	stop()
	if _, err := http.Get(base); err == nil {
		t.Errorf("GET %s answered after stop", base)
	}
}

// TestCheckRates: a negative rate is refused naming its flag and TOML key.
func TestCheckRates(t *testing.T) {
	for _, c := range []struct {
		cfg  Config
		want string // "": accepted
	}{
		{Config{}, ""},
		{Config{BlockProfileRate: 1, MutexProfileFraction: 5}, ""},
		{Config{BlockProfileRate: -1}, "invalid --pprof.blockprofilerate ([pprof] blockprofilerate): have -1"},
		{Config{MutexProfileFraction: -1}, "invalid --pprof.mutexprofilefraction ([pprof] mutexprofilefraction): have -1"},
	} {
		err := c.cfg.CheckRates()
		if (err == nil) != (c.want == "") || err != nil && !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: have %v, want %q", c.cfg, err, c.want)
		}
	}
}

// get is the body of a GET of url; the test fails on any error.
func get(t *testing.T, url string) string {
	t.Helper()
	c := &http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(body)
}
