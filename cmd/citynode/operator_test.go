package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// checkout is the commit and dirty flag the binary under test was stamped with
// at build time (proctest.Stamping): what it must report, even if the tree
// changed since (an edit during the run would otherwise flip "-dirty"). The
// stamped commit must be the checkout's HEAD.
func checkout(t *testing.T) (commit string, dirty bool) {
	t.Helper()
	commit, dirty, err := proctest.Stamping(binPath)
	if err != nil {
		t.Fatalf("reading the binary's stamping: %v", err)
	}
	head, err := exec.Command("git", "rev-parse", "HEAD").Output()
	if err != nil {
		t.Fatalf("git rev-parse HEAD: %v (the version tests run in a git checkout)", err)
	}
	if h := strings.TrimSpace(string(head)); commit != h {
		t.Fatalf("the binary was stamped with commit %s, the checkout's HEAD is %s", commit, h)
	}
	return commit, dirty
}

// versionRE is the form of the short version: release version, 8 hex digits
// of the commit, "-dirty" for a tree with uncommitted changes.
var versionRE = regexp.MustCompile(`^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?-[0-9a-f]{8}(-dirty)?$`)

// shortVersion is the version string a binary built from commit reports.
func shortVersion(commit string, dirty bool) string {
	s := buildinfo.Version + "-" + commit[:8]
	if dirty {
		s += "-dirty"
	}
	return s
}

// runSplit runs citynode with extra environment variables and returns its
// standard output and standard error apart.
func runSplit(t *testing.T, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	cmd := exec.Command(binPath, args...)
	cmd.Env = append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}

// TestVersion: `citynode version` and `--version` name the commit the
// binary was built from and whether the tree was dirty.
func TestVersion(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	commit, dirty := checkout(t)
	out, _, err := runSplit(t, nil, "version")
	if err != nil {
		t.Fatalf("citynode version: %v\n%s", err, out)
	}
	for _, want := range []string{"citynode\n", "Version: " + buildinfo.Version + "\n", "Git Commit: " + commit + "\n", fmt.Sprintf("Dirty: %t\n", dirty), "go-ethereum: v1.17.10\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("citynode version: have\n%s\nwant it to contain %q", out, want)
		}
	}
	out, _, err = runSplit(t, nil, "--version")
	if want := "citynode version " + shortVersion(commit, dirty) + "\n"; err != nil || out != want {
		t.Errorf("citynode --version: have %q (err %v), want %q", out, err, want)
	}
	if v := strings.TrimSuffix(strings.TrimPrefix(out, "citynode version "), "\n"); !versionRE.MatchString(v) {
		t.Errorf("citynode --version: have version %q, want the form %s", v, versionRE)
	}
	if _, stderr, err := runSplit(t, nil, "version", "extra"); exitStatus(err) != 2 || !strings.Contains(stderr, "takes no arguments") {
		t.Errorf("citynode version extra: have exit status %d, %q; want 2 and the usage", exitStatus(err), stderr)
	}
}

// TestUnknownEnvWarned: a CITYNODE_ variable no flag reads is named in a
// warning with the closest one a flag does read; the known ones are not.
func TestUnknownEnvWarned(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	_, stderr, err := runSplit(t, []string{"CITYNODE_HTTP_PROT=8546", "CITYNODE_VERBOSITY=3", "CITYNODE_MINER_GASLIMT=1"}, "version")
	if err != nil {
		t.Fatalf("citynode version: %v\n%s", err, stderr)
	}
	for _, want := range []string{
		"Unknown environment variable ignored: no citynode flag reads it name=CITYNODE_HTTP_PROT closest=CITYNODE_HTTP_PORT",
		"name=CITYNODE_MINER_GASLIMT closest=CITYNODE_MINER_GASLIMIT",
	} {
		if !strings.Contains(stderr, want) {
			t.Errorf("have\n%s\nwant a warning containing %q", stderr, want)
		}
	}
	if strings.Contains(stderr, "name=CITYNODE_VERBOSITY") {
		t.Errorf("a known variable was warned about:\n%s", stderr)
	}
}

// TestLogAndPprofConfig: the [log] and [pprof] sections of the TOML file
// configure a running node (JSON log lines, the profiling endpoint), flags
// win over the file, and a bad section is refused naming the key.
func TestLogAndPprofConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	key := genesis.DevAccounts(1)[0]
	dir := t.TempDir()
	if out, err := run(t, "init", writeGenesis(t, 4245, key.Address), "--datadir", dir); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	pprofPort := freeport.T(t)
	config := filepath.Join(t.TempDir(), "citynode.toml")
	writeTo(t, config, fmt.Sprintf("datadir = %q\n\n[log]\njson = true\nverbosity = 4\n\n[pprof]\nenabled = true\naddr = \"127.0.0.1:%d\"\n", dir, pprofPort))

	// dumpconfig: the file's sections, a flag after the subcommand over the file.
	out, _, err := runSplit(t, nil, "dumpconfig", "--config", config, "--verbosity", "2")
	if err != nil {
		t.Fatalf("dumpconfig: %v\n%s", err, out)
	}
	for _, want := range []string{"[log]\n  verbosity = 2\n  json = true\n", "[pprof]\n  enabled = true\n  addr = \"127.0.0.1:" + fmt.Sprint(pprofPort) + "\"\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("dumpconfig: have\n%s\nwant it to contain %q", out, want)
		}
	}

	// A node run with the file logs JSON lines at level 4 and serves pprof.
	p := startProc(t, "--config", config, "--mode", "rpc", "--http", "--http.port", fmt.Sprint(freeport.T(t)), "--port", fmt.Sprint(freeport.T(t)), "--nodiscover")
	waitFor(t, 60*time.Second, "the profiling endpoint", func() bool {
		resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/debug/pprof/", pprofPort))
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
	waitFor(t, 30*time.Second, "a debug line", func() bool { return strings.Contains(p.output(), `"lvl":"debug"`) })
	p.stop()
	for _, line := range strings.Split(strings.TrimSpace(p.output()), "\n") {
		if !json.Valid([]byte(line)) {
			t.Errorf("[log] json = true: a line that is not JSON: %q", line)
			break
		}
	}

	// A bad value in [log] is refused at start with the key named.
	bad := filepath.Join(t.TempDir(), "bad.toml")
	writeTo(t, bad, "[log]\nvmodule = \"sealer\"\n")
	if _, stderr, err := runSplit(t, nil, "--config", bad, "--datadir", dir); exitStatus(err) != 2 || !strings.Contains(stderr, "[log] vmodule") {
		t.Errorf("bad [log] vmodule: have exit status %d, %q; want 2 naming the key", exitStatus(err), stderr)
	}
	writeTo(t, bad, "[log]\nverbosty = 4\n")
	if _, stderr, err := runSplit(t, nil, "--config", bad, "--datadir", dir); err == nil || !strings.Contains(stderr, "unknown keys log.verbosty") {
		t.Errorf("misspelt [log] key: have err %v, %q; want the key named", err, stderr)
	}
}

// TestDevHostsWSAndBuildInfo: an extra --http.vhosts name is accepted, WebSocket
// is served (dev's default), no CORS header is sent unless asked for,
// web3_clientVersion and citychain_build_info carry the commit, and the node
// logs the consensus it runs after geth's banner.
func TestDevHostsWSAndBuildInfo(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	commit, dirty := checkout(t)
	port, metricsPort := freeport.T(t), freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := startProc(t, "dev", "--http.port", fmt.Sprint(port), "--http.vhosts", "localhost,127.0.0.1,dapp.test",
		"--metrics", "--metrics.port", fmt.Sprint(metricsPort))
	client := dial(t, p, url)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()

	// --http.vhosts: the extra name is served, another is not.
	for host, status := range map[string]int{"dapp.test": http.StatusOK, "evil.test": http.StatusForbidden} {
		req := rpcRequest(t, http.MethodPost, url, "eth_chainId")
		req.Host = host
		if resp := do(t, req); resp.StatusCode != status {
			t.Errorf("Host %s: have status %d, want %d", host, resp.StatusCode, status)
		}
	}
	// No CORS header without --http.corsdomain.
	req := rpcRequest(t, http.MethodPost, url, "eth_chainId")
	req.Header.Set("Origin", "https://dapp.example")
	if h := do(t, req).Header.Get("Access-Control-Allow-Origin"); h != "" {
		t.Errorf("dev without --http.corsdomain: have Access-Control-Allow-Origin %q, want none", h)
	}
	// WebSocket on the HTTP port, as dev's --ws help says.
	ws, err := ethclient.DialContext(ctx, fmt.Sprintf("ws://127.0.0.1:%d", port))
	if err != nil {
		t.Fatalf("WebSocket: %v", err)
	}
	if _, err := ws.ChainID(ctx); err != nil {
		t.Errorf("eth_chainId over WebSocket: %v", err)
	}
	ws.Close()

	// The version with its commit: web3_clientVersion and the build info metric.
	var clientVersion string
	if err := client.Client().CallContext(ctx, &clientVersion, "web3_clientVersion"); err != nil {
		t.Fatal(err)
	}
	if want := "citynode/v" + shortVersion(commit, dirty) + "/"; !strings.HasPrefix(clientVersion, want) {
		t.Errorf("web3_clientVersion: have %q, want the prefix %q", clientVersion, want)
	}
	resp, err := http.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", metricsPort))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	info := regexp.MustCompile(`(?m)^citychain_build_info\{.*\} 1$`).FindString(string(body))
	for _, want := range []string{`commit="` + commit + `"`, fmt.Sprintf(`dirty="%t"`, dirty), `version="` + buildinfo.Version + `"`, `go_version="go1.`, `geth_version="1.17.10"`} {
		if !strings.Contains(info, want) {
			t.Errorf("citychain_build_info: have %q, want it to contain %s", info, want)
		}
	}

	// The consensus line after geth's "Beacon (proof-of-stake)" banner.
	p.stop()
	out := p.output()
	dev := genesis.DevAccounts(1)[0].Address.Hex()
	consensus := regexp.MustCompile(`Consensus: Clique proof-of-authority \(EIP-225\).* period=1 epoch=30000 signers=1 head=0 mode=dev sealer=` + dev)
	beacon := strings.Index(out, "Consensus: Beacon (proof-of-stake)")
	if loc := consensus.FindStringIndex(out); loc == nil || beacon < 0 || loc[0] < beacon {
		t.Errorf("want geth's Beacon line, then one matching %s; logs:\n%s", consensus, out)
	}
}

// TestDevWSOff: `citynode dev --ws=false` serves no WebSocket.
func TestDevWSOff(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	port := freeport.T(t)
	p := startProc(t, "dev", "--ws=false", "--http.port", fmt.Sprint(port))
	dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", port))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if c, err := rpc.DialContext(ctx, fmt.Sprintf("ws://127.0.0.1:%d", port)); err == nil {
		c.Close()
		t.Error("dev --ws=false: WebSocket still served")
	}
	p.stop()
}

// rpcRequest is a JSON-RPC request for method (no body if method is "").
func rpcRequest(t *testing.T, verb, url, method string) *http.Request {
	t.Helper()
	var body io.Reader
	if method != "" {
		body = strings.NewReader(fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":%q,"params":[]}`, method))
	}
	req, err := http.NewRequest(verb, url, body)
	if err != nil {
		t.Fatal(err)
	}
	if method != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return req
}

// do sends req and returns the answer with its body read and closed.
func do(t *testing.T, req *http.Request) *http.Response {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp
}

func writeTo(t *testing.T, path, content string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

// TestDevGenesisRoundTrip runs the dev chain lines of README.md (with a free
// port and a temporary DIR): `citynode dev --datadir DIR --verbosity 2
// --http.corsdomain '*'` takes the log flag after the subcommand (no INFO
// lines), answers a browser origin with the CORS headers and writes
// DIR/genesis.json, with which `cityctl audit signers --genesis
// DIR/genesis.json` audits the chain; once the node is stopped, `citynode
// dumpgenesis --datadir DIR` prints the same genesis, and `citynode init`
// with it makes the same genesis block. A proof asked for above the head says
// the block is not sealed yet.
func TestDevGenesisRoundTrip(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	cityctl, cleanup, err := proctest.Build("../cityctl", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	dir := t.TempDir()
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	p := startProc(t, "dev", "--datadir", dir, "--verbosity", "2", "--http.corsdomain", "*", "--http.port", fmt.Sprint(port))
	client := dial(t, p, url)
	waitFor(t, 30*time.Second, "block 3", func() bool { return headNumber(t, client) >= 3 })
	waitFor(t, 10*time.Second, "the dev banner", func() bool { return strings.Contains(p.output(), "Genesis file: ") })
	genesisFile := filepath.Join(dir, "genesis.json")
	if !strings.Contains(p.output(), "Genesis file: "+genesisFile+"\n") {
		t.Errorf("dev banner: want the line %q\n%s", "Genesis file: "+genesisFile, p.output())
	}

	// CORS: the preflight and the call itself.
	preflight := rpcRequest(t, http.MethodOptions, url, "")
	preflight.Header.Set("Origin", "https://dapp.example")
	preflight.Header.Set("Access-Control-Request-Method", "POST")
	preflight.Header.Set("Access-Control-Request-Headers", "content-type")
	if resp := do(t, preflight); resp.Header.Get("Access-Control-Allow-Origin") != "*" || !strings.Contains(resp.Header.Get("Access-Control-Allow-Methods"), "POST") {
		t.Errorf("preflight: have status %d, headers %v; want Access-Control-Allow-Origin * and POST allowed", resp.StatusCode, resp.Header)
	}
	call := rpcRequest(t, http.MethodPost, url, "eth_chainId")
	call.Header.Set("Origin", "https://dapp.example")
	if resp := do(t, call); resp.StatusCode != http.StatusOK || resp.Header.Get("Access-Control-Allow-Origin") != "*" {
		t.Errorf("call from a browser origin: have status %d, Access-Control-Allow-Origin %q; want 200 and *", resp.StatusCode, resp.Header.Get("Access-Control-Allow-Origin"))
	}

	// cityctl with the written genesis, as printed in README.md.
	out, err := exec.Command(cityctl, "audit", "signers", "--rpc", url, "--genesis", genesisFile).CombinedOutput()
	if err != nil {
		t.Fatalf("cityctl audit signers --genesis %s: %v\n%s", genesisFile, err, out)
	}
	// A proof above the head.
	out, err = exec.Command(cityctl, "audit", "prove", "document", "0x"+strings.Repeat("ab", 32), "--block", "1000000", "--rpc", url).CombinedOutput()
	if exitStatus(err) != 1 || !strings.Contains(string(out), "block 1000000 is not sealed yet") || strings.Contains(string(out), "archive") {
		t.Errorf("audit prove above the head: have exit status %d, %q; want 1, not sealed yet, no archive hint", exitStatus(err), out)
	}
	p.stop()
	// --verbosity 2 after the subcommand: warnings only.
	for _, line := range strings.Split(p.output(), "\n") {
		if strings.HasPrefix(line, "INFO ") || strings.HasPrefix(line, "DEBUG") {
			t.Errorf("--verbosity 2 after dev: have the line %q", line)
			break
		}
	}

	// dumpgenesis of the stopped data dir, as printed.
	dumped, stderr, err := runSplit(t, nil, "dumpgenesis", "--datadir", dir)
	if err != nil {
		t.Fatalf("dumpgenesis: %v\n%s", err, stderr)
	}
	written, err := os.ReadFile(genesisFile)
	if err != nil {
		t.Fatal(err)
	}
	if dumped != string(written) {
		t.Errorf("dumpgenesis differs from DIR/genesis.json:\n%s\nwant\n%s", dumped, written)
	}
	// A log flag before the subcommand counts too.
	if _, stderr, err := runSplit(t, nil, "--log.json", "dumpgenesis", "--datadir", dir); err != nil || !json.Valid([]byte(strings.SplitN(stderr, "\n", 2)[0])) {
		t.Errorf("--log.json before dumpgenesis: have %v, first line %q; want JSON", err, strings.SplitN(stderr, "\n", 2)[0])
	}
	stored := regexp.MustCompile(`genesis (0x[0-9a-f]{64})\)`).FindStringSubmatch(p.output())
	if stored == nil {
		t.Fatalf("no genesis hash in the dev banner:\n%s", p.output())
	}
	out2, err := run(t, "init", writeFile(t, dumped), "--datadir", t.TempDir())
	if err != nil || !strings.Contains(out2, "with genesis "+stored[1]+"\n") {
		t.Errorf("init with the dumped genesis: have %v\n%s\nwant genesis %s", err, out2, stored[1])
	}
	// A data dir without a chain is refused with the fix.
	if _, stderr, err := runSplit(t, nil, "dumpgenesis", "--datadir", t.TempDir()); exitStatus(err) != 1 || !strings.Contains(stderr, "has no chain") {
		t.Errorf("dumpgenesis of an empty dir: have exit status %d, %q; want 1, has no chain", exitStatus(err), stderr)
	}
	// Scheduling the permissions rule on the stopped chain, as
	// docs/operations.md prints it: `citynode init --datadir DIR
	// genesis.json` with the genesis carrying config.citychain. A block at or
	// below the head is refused, naming it; one above is stored, and
	// dumpgenesis shows it.
	headLine := regexp.MustCompile(`the chain's head is block ([0-9]+)`)
	for _, tt := range []struct {
		block string
		ok    bool
	}{{"1", false}, {"1000000", true}} {
		scheduled := strings.Replace(dumped, `"config": {`, `"config": {"citychain": {"permissionsBlock": `+tt.block+`},`, 1)
		out, err := run(t, "init", "--datadir", dir, writeFile(t, scheduled))
		m := headLine.FindStringSubmatch(out)
		if tt.ok != (err == nil) || !tt.ok && (exitStatus(err) != 1 || m == nil || len(m[1]) == 1 && m[1] < "3") {
			t.Errorf("init with permissionsBlock %s: have %v\n%s\nwant ok=%v, a refusal naming the head (3 or more)", tt.block, err, out, tt.ok)
		}
	}
	dumped, _, err = runSplit(t, nil, "dumpgenesis", "--datadir", dir)
	if err != nil || !strings.Contains(dumped, `"permissionsBlock": 1000000`) {
		t.Errorf("dumpgenesis after scheduling the permissions block: have %v, want config.citychain.permissionsBlock 1000000\n%s", err, dumped)
	}
}
