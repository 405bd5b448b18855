package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// metricValue reads one sample of a metric from a /metrics page; -1 if absent.
func metricValue(t *testing.T, url, sample string) float64 {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), sample+" "); ok {
			v, _ := strconv.ParseFloat(rest, 64)
			return v
		}
	}
	return -1
}

// loadWindow is how many reads TestFailover waits to see answered before
// the kill, and again after citygate saw it.
const loadWindow = 300

// TestFailover reads through citygate in front of two rpc nodes of a real
// consortium (one signer, two rpc nodes) while one rpc node is killed with
// SIGKILL under load: no request fails (a call that failed on the dead node
// is retried once on the other), and the dead node is taken out.
func TestFailover(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode processes and citygate")
	}
	nw, err := testnet.Up(testnet.Config{Dir: filepath.Join(t.TempDir(), "net"), Binary: citynodeBin, Signers: 1, RPC: 2, Period: 1, ChainID: 4343})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Down() })
	var rpc []*testnet.Node
	for _, n := range nw.Nodes {
		if n.Role == testnet.RoleRPC {
			rpc = append(rpc, n)
		}
	}
	for _, n := range rpc {
		waitFor(t, 60*time.Second, n.Name+" at block 2", func() bool { return headOf(n.RPC) >= 2 })
	}
	mport := freeport.T(t)
	g := startGate(t, "--rpc", rpc[0].RPC, "--rpc", rpc[1].RPC, "--upstream.health", "minPeers=1", "--api.ratelimit", "0",
		"--upstream.probe", "200ms", "--metrics", "--metrics.port", fmt.Sprint(mport))
	metrics := fmt.Sprintf("http://127.0.0.1:%d/metrics", mport)
	waitFor(t, 20*time.Second, "both rpc nodes ready", func() bool {
		return metricValue(t, metrics, "citygate_upstream_ready_nodes") == 2
	})

	load := startReadLoad(t, g.url, 12)
	waitFor(t, 60*time.Second, fmt.Sprintf("%d reads answered before the kill", loadWindow), func() bool { return load.answered.Load() >= loadWindow })
	before := load.total.Load()
	if err := nw.Stop(rpc[0].Name, true); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed %s after %d reads", rpc[0].Name, before)
	waitFor(t, 30*time.Second, "citygate to see the kill (citygate_upstream_ready_nodes 1)", func() bool {
		return metricValue(t, metrics, "citygate_upstream_ready_nodes") == 1
	})
	seen := load.answered.Load()
	waitFor(t, 60*time.Second, fmt.Sprintf("%d reads answered after citygate saw the kill", loadWindow), func() bool { return load.answered.Load() >= seen+loadWindow })
	load.stop()
	retries := metricValue(t, metrics, "citygate_upstream_retries_total")
	total, failed, failures := load.total.Load(), load.failed.Load(), load.failures()
	t.Logf("%d reads, %d failed; retries %v", total, failed, retries)
	if retries < 1 {
		t.Errorf("citygate_upstream_retries_total %v: no read was in flight on the killed node, so failover was not exercised", retries)
	}
	if failed > 0 {
		t.Errorf("%d of %d reads failed, want none: %v", failed, total, failures[:min(5, len(failures))])
	}
	if v := metricValue(t, metrics, "citygate_upstream_ready_nodes"); v != 1 {
		t.Errorf("citygate_upstream_ready_nodes %v after the kill, want 1", v)
	}
	if v := metricValue(t, metrics, fmt.Sprintf(`citygate_upstream_ready{node=%q}`, strings.TrimPrefix(rpc[0].RPC, "http://"))); v != 0 {
		t.Errorf("the killed node's citygate_upstream_ready is %v, want 0", v)
	}
}

// readLoad is workers reading fresh document hashes through citygate until
// stopped: reads sent, answered 200, failed (with the first failures).
type readLoad struct {
	total, answered, failed atomic.Int64
	mu                      sync.Mutex
	errs                    []string
	quit                    chan struct{}
	once                    sync.Once
	wg                      sync.WaitGroup
}

// startReadLoad starts workers reading through the gateway at url; the
// test's cleanup stops them if the test does not.
func startReadLoad(t *testing.T, url string, workers int) *readLoad {
	l := &readLoad{quit: make(chan struct{})}
	client := &http.Client{Timeout: 15 * time.Second}
	for w := range workers {
		l.wg.Add(1)
		go l.work(client, url, w)
	}
	t.Cleanup(l.stop)
	return l
}

// work reads until stopped. A fresh hash at the latest block is never
// cached: every read reaches a node.
func (l *readLoad) work(client *http.Client, url string, w int) {
	defer l.wg.Done()
	for i := 0; ; i++ {
		select {
		case <-l.quit:
			return
		default:
		}
		h := crypto.Keccak256Hash([]byte(fmt.Sprint(w, " ", i, " ", time.Now().UnixNano())))
		l.total.Add(1)
		resp, err := client.Get(url + "/api/v1/documents/" + h.Hex() + "?at=latest")
		if err != nil {
			l.fail(err.Error())
			continue
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			l.fail(fmt.Sprintf("%d %s", resp.StatusCode, body))
			continue
		}
		l.answered.Add(1)
	}
}

func (l *readLoad) fail(msg string) {
	l.failed.Add(1)
	l.mu.Lock()
	l.errs = append(l.errs, msg)
	l.mu.Unlock()
}

// stop ends the workers and waits for them.
func (l *readLoad) stop() {
	l.once.Do(func() { close(l.quit) })
	l.wg.Wait()
}

func (l *readLoad) failures() []string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return slices.Clone(l.errs)
}
