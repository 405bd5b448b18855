package main

import (
	"bufio"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
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

	var (
		total, failed atomic.Int64
		stop          = make(chan struct{})
		wg            sync.WaitGroup
		mu            sync.Mutex
		failures      []string
	)
	client := &http.Client{Timeout: 15 * time.Second}
	for w := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				// A fresh hash at the latest block: never cached, every read reaches a node.
				h := crypto.Keccak256Hash([]byte(fmt.Sprint(w, " ", i, " ", time.Now().UnixNano())))
				resp, err := client.Get(g.url + "/api/v1/documents/" + h.Hex() + "?at=latest")
				total.Add(1)
				if err != nil {
					failed.Add(1)
					mu.Lock()
					failures = append(failures, err.Error())
					mu.Unlock()
					continue
				}
				body, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				if resp.StatusCode != http.StatusOK {
					failed.Add(1)
					mu.Lock()
					failures = append(failures, fmt.Sprintf("%d %s", resp.StatusCode, body))
					mu.Unlock()
				}
			}
		}()
	}
	time.Sleep(4 * time.Second)
	before := total.Load()
	if err := nw.Stop(rpc[0].Name, true); err != nil {
		t.Fatal(err)
	}
	t.Logf("killed %s after %d reads", rpc[0].Name, before)
	time.Sleep(6 * time.Second)
	close(stop)
	wg.Wait()
	retries := metricValue(t, metrics, "citygate_upstream_retries_total")
	t.Logf("%d reads, %d failed; retries %v", total.Load(), failed.Load(), retries)
	if retries < 1 {
		t.Errorf("citygate_upstream_retries_total %v: no read was in flight on the killed node, so failover was not exercised", retries)
	}
	if failed.Load() > 0 {
		t.Errorf("%d of %d reads failed, want none: %v", failed.Load(), total.Load(), failures[:min(5, len(failures))])
	}
	if total.Load() <= before {
		t.Errorf("no read after the node was killed (%d before, %d in all)", before, total.Load())
	}
	if v := metricValue(t, metrics, "citygate_upstream_ready_nodes"); v != 1 {
		t.Errorf("citygate_upstream_ready_nodes %v after the kill, want 1", v)
	}
	if v := metricValue(t, metrics, fmt.Sprintf(`citygate_upstream_ready{node=%q}`, strings.TrimPrefix(rpc[0].RPC, "http://"))); v != 0 {
		t.Errorf("the killed node's citygate_upstream_ready is %v, want 0", v)
	}
}
