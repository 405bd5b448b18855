package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/BurntSushi/toml"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// TestHealthProcess runs a dev chain and probes its health endpoints on the
// metrics and JSON-RPC listeners, directly and through `citynode health`.
// A dev chain has no peers: ready with minPeers=0, not ready by default.
func TestHealthProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir := t.TempDir()
	httpPort, metricsPort := freeport.T(t), freeport.T(t)
	p := startProc(t, "dev", "--datadir", dir, "--period", "1", "--cache", "128",
		"--http.port", fmt.Sprint(httpPort), "--metrics", "--metrics.port", fmt.Sprint(metricsPort))
	c := dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", httpPort))
	waitFor(t, 30*time.Second, "block 3", func() bool { return headNumber(t, c) >= 3 })

	for _, base := range []string{fmt.Sprintf("http://127.0.0.1:%d", metricsPort), fmt.Sprintf("http://127.0.0.1:%d", httpPort)} {
		code, body := get(t, base+"/health/live")
		if code != 200 || !strings.Contains(body, `"UP"`) {
			t.Errorf("%s/health/live: have %d %s, want 200 UP", base, code, body)
		}
		code, body = get(t, base+"/health/ready?minPeers=0")
		var s struct {
			Status string `json:"status"`
			Head   uint64 `json:"head"`
		}
		if err := json.Unmarshal([]byte(body), &s); err != nil || code != 200 || s.Status != "UP" || s.Head < 3 {
			t.Errorf("%s/health/ready?minPeers=0: have %d %s, want 200 UP at head >= 3", base, code, body)
		}
		code, body = get(t, base+"/health/ready")
		if code != 503 || !strings.Contains(body, "peers: have 0, want at least 1") {
			t.Errorf("%s/health/ready: have %d %s, want 503 naming the missing peers", base, code, body)
		}
	}
	probe := func(url string) (int, string) {
		out, err := exec.Command(binPath, "health", "--url", url).CombinedOutput()
		if err != nil {
			if ee, ok := err.(*exec.ExitError); ok {
				return ee.ExitCode(), string(out)
			}
			t.Fatal(err)
		}
		return 0, string(out)
	}
	if code, out := probe(fmt.Sprintf("http://127.0.0.1:%d/health/ready?minPeers=0", metricsPort)); code != 0 || !strings.Contains(out, `"UP"`) {
		t.Errorf("citynode health (ready): exit %d, %s; want 0 and the UP body", code, out)
	}
	if code, out := probe(fmt.Sprintf("http://127.0.0.1:%d/health/ready", metricsPort)); code != 1 || !strings.Contains(out, "503") {
		t.Errorf("citynode health (no peers): exit %d, %s; want 1 naming the 503", code, out)
	}
	if code, out := probe(fmt.Sprintf("http://127.0.0.1:%d/health/ready", freeport.T(t))); code != 1 || !strings.Contains(out, "no answer") {
		t.Errorf("citynode health (nothing listening): exit %d, %s; want 1", code, out)
	}
	if out := p.output(); !strings.Contains(out, "handles=") {
		t.Errorf("log lacks the database handles line:\n%s", out)
	}
	p.stop()
	// The dev chain stays small on disk: pebble preallocates its write-ahead
	// log at the memtable size, an eighth of the database's share of --cache.
	size := dirSize(t, dir)
	t.Logf("dev chain with --cache 128: %d MiB allocated on disk", size>>20)
	if size > 100<<20 {
		t.Errorf("dev chain with --cache 128: have %d MiB allocated on disk, want at most 100", size>>20)
	}
}

// TestKnobFlags: the operator knobs reach the configuration, round-trip
// through dumpconfig's TOML, and bad values are refused naming the flag.
func TestKnobFlags(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	out, err := exec.Command(binPath, "dumpconfig", "--cache", "256", "--nat", "extip:10.0.0.5",
		"--bootnodes", "enode://"+strings.Repeat("ab", 64)+"@10.0.0.6:30303",
		"--rpc.gascap", "1000000", "--rpc.evmtimeout", "3s", "--rpc.batch-request-limit", "50", "--rpc.batch-response-max-size", "1000000",
		"--txpool.batchhold", "0", "--txpool.gossipbatch", "--cache.noprefetch", "--history.state", "64").CombinedOutput()
	if err != nil {
		t.Fatalf("dumpconfig: %v\n%s", err, out)
	}
	cfg := node.Defaults()
	if _, err := toml.Decode(string(out), &cfg); err != nil {
		t.Fatalf("dumpconfig output does not decode: %v\n%s", err, out)
	}
	if cfg.Cache != 256 || cfg.P2P.NAT != "extip:10.0.0.5" || len(cfg.P2P.Bootnodes) != 1 || cfg.RPC.GasCap != 1_000_000 ||
		cfg.RPC.EVMTimeout != 3*time.Second || cfg.RPC.BatchRequestLimit != 50 || cfg.RPC.BatchResponseMaxSize != 1_000_000 || cfg.TxPool.BatchHold != 0 || !cfg.TxPool.GossipBatch || !cfg.NoPrefetch || cfg.StateHistory != 64 {
		t.Errorf("knobs lost on the way: %+v %v %v %+v %+v %+v", cfg.Cache, cfg.NoPrefetch, cfg.StateHistory, cfg.P2P, cfg.RPC, cfg.TxPool)
	}
	if d := node.Defaults(); d.P2P.NAT != "none" || d.Cache != node.DefaultCache || d.TxPool.BatchHold != 2*time.Second || d.TxPool.GossipBatch || d.NoPrefetch || d.StateHistory != node.DefaultStateHistory {
		t.Errorf("defaults: have nat %q cache %d batch hold %v gossip batch %v state history %d, want none, %d, 2s, false and %d", d.P2P.NAT, d.Cache, d.TxPool.BatchHold, d.TxPool.GossipBatch, d.StateHistory, node.DefaultCache, node.DefaultStateHistory)
	}
	dir := t.TempDir()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"--cache", "8"}, "invalid --cache: have 8 MiB"},
		{[]string{"--nat", "stun"}, "STUN asks public servers"},
		{[]string{"--nat", "extip:nowhere"}, "invalid --nat"},
		{[]string{"--bootnodes", "enode://zz"}, "invalid --bootnodes entry"},
		{[]string{"--rpc.batch-request-limit", "0"}, "invalid --rpc.batch-request-limit"},
		{[]string{"--rpc.evmtimeout", "-1s"}, "invalid --rpc.evmtimeout"},
		{[]string{"--txpool.batchhold", "-1s"}, "invalid --txpool.batchhold"},
	} {
		// --mode rpc: a signer-mode node without --signer is refused first
		// (TestSignerModeNeedsSigner); these rows test the knobs.
		out, err := exec.Command(binPath, append([]string{"--mode", "rpc", "--datadir", dir}, tt.args...)...).CombinedOutput()
		if err == nil || !strings.Contains(string(out), tt.want) {
			t.Errorf("%v: have %v %s, want an error containing %q", tt.args, err, out, tt.want)
		}
	}
}

// TestLoopbackWarning: devp2p on loopback with a remote static peer warns.
func TestLoopbackWarning(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir := t.TempDir()
	g := writeGenesis(t, 4242, common.HexToAddress("0x4a4c0000000000000000000000000000000000a1"))
	if out, err := exec.Command(binPath, "init", "--datadir", dir, g).CombinedOutput(); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	key, _ := crypto.GenerateKey()
	remote := enode.NewV4(&key.PublicKey, net.IPv4(10, 255, 0, 6), 30303, 0).URLv4()
	p := startProc(t, "--mode", "rpc", "--datadir", dir, "--port", fmt.Sprint(freeport.T(t)), "--p2p.addr", "127.0.0.1", "--staticnodes", remote)
	waitFor(t, 30*time.Second, "the loopback warning", func() bool {
		return strings.Contains(p.output(), "devp2p listens on loopback but a peer is remote")
	})
	p.stop()
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(body)
}

func dirSize(t *testing.T, dir string) int64 {
	t.Helper()
	var size int64
	filepath.Walk(dir, func(_ string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			size += info.Sys().(*syscall.Stat_t).Blocks * 512 // allocated, preallocation included
		}
		return nil
	})
	return size
}

// TestHealthNoAnswer: a probe of a listener that does not answer says the
// node may still be starting (its metrics listener opens last), not only
// that it may lack --metrics.
func TestHealthNoAnswer(t *testing.T) {
	app := newApp()
	var out bytes.Buffer
	app.ErrWriter, app.Writer = &out, &out
	code := cliutil.Run(context.Background(), app, []string{"citynode", "health", "--url", "http://127.0.0.1:1/health/ready", "--timeout", "2s"})
	if code != cliutil.ExitFailed || !strings.Contains(out.String(), "no answer from http://127.0.0.1:1/health/ready") || !strings.Contains(out.String(), "A starting node opens this listener last") {
		t.Errorf("health of nothing: exit status %d, %q; want 1 and the reasons", code, out.String())
	}
}
