package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis/joinrequest"
	"github.com/citychain/citychain/internal/client/signers"
	"github.com/citychain/citychain/internal/node/metrics"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

var citynodeBin string

func TestMain(m *testing.M) {
	os.Exit(proctest.Main(m, "../citynode", "citynode", &citynodeBin))
}

// cityctl runs the command line in process as main does and returns what it
// printed on standard output and error, interleaved; a non-zero exit status
// is an *exitError.
func cityctl(args ...string) (string, error) {
	out, _, err := cityctlOut(args...)
	return out, err
}

// mustCityctl runs cityctl and fails the test if it fails.
func mustCityctl(t *testing.T, args ...string) string {
	t.Helper()
	out, err := cityctl(args...)
	if err != nil {
		t.Fatalf("cityctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// refusedCityctl runs cityctl, which must fail saying want.
func refusedCityctl(t *testing.T, want string, args ...string) {
	t.Helper()
	out, err := cityctl(args...)
	if err == nil || !strings.Contains(out, want) {
		t.Fatalf("cityctl %s: have %v\n%s\nwant a refusal naming %q", strings.Join(args, " "), err, out, want)
	}
}

// cityctlOut is cityctl that also returns standard output alone.
func cityctlOut(args ...string) (combined, stdout string, err error) {
	var all, out, stderr bytes.Buffer
	app := newApp()
	app.Writer, app.ErrWriter = io.MultiWriter(&all, &out), io.MultiWriter(&all, &stderr)
	if code := run(context.Background(), app, append([]string{"cityctl"}, args...)); code != 0 {
		err = &exitError{code: code, stderr: stderr.String()}
	}
	return all.String(), out.String(), err
}

// exitError is a cityctl run that exited with a non-zero status.
type exitError struct {
	code   int
	stderr string
}

func (e *exitError) Error() string {
	return fmt.Sprintf("exit status %d: %s", e.code, strings.TrimSpace(e.stderr))
}

// exitCode returns the exit status of a cityctl run.
func exitCode(err error) int {
	var e *exitError
	if errors.As(err, &e) {
		return e.code
	}
	return 0
}

func mustRun(t *testing.T, args ...string) string {
	t.Helper()
	out, err := cityctl(args...)
	if err != nil {
		t.Fatalf("cityctl %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// statusJSON returns the signer report of node n as `cityctl signer status --json` prints it.
func statusJSON(t *testing.T, n *testnet.Node) *signers.Report {
	t.Helper()
	_, out, err := cityctlOut("signer", "status", "--json", "--rpc", n.RPC)
	if err != nil {
		return nil
	}
	r := new(signers.Report)
	if err := json.Unmarshal([]byte(out), r); err != nil {
		t.Fatalf("status --json: %v\n%s", err, out)
	}
	return r
}

// TestSignerOnboardingAndRemoval runs the procedure on real processes:
// a 3-signer network; a fourth department onboards, two of three signers
// approve its join request (bad input is refused and changes nothing), it
// seals; then an original signer is removed by three of four votes and stops
// sealing, and its node is released from the allowlist.
func TestSignerOnboardingAndRemoval(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir := t.TempDir()
	start := time.Now()
	step := func(what string) { t.Logf("%5.1fs %s", time.Since(start).Seconds(), what) }
	// Votes and the allowlist reload go through each signer's control listener.
	nw, err := testnet.Up(testnet.Config{Dir: filepath.Join(dir, "net"), Binary: citynodeBin, Signers: 3, Period: 1, ChainID: 4321})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Down() })
	s1, s2, s3 := nw.Nodes[0], nw.Nodes[1], nw.Nodes[2]
	proctest.WaitFor(t, 60*time.Second, "block 2", func() bool { r := statusJSON(t, s1); return r != nil && r.Head >= 2 })

	// Departments come from the on-chain directory: signer n runs DEPTn.
	for i, sh := range statusJSON(t, s1).Signers {
		n := slices.IndexFunc(nw.Nodes, func(nd *testnet.Node) bool { return nd.Address == sh.Address })
		if want := fmt.Sprintf("DEPT%d", n+1); sh.Department == nil || sh.Department.Code != want {
			t.Errorf("signer %d %s: department %+v, want %s from the directory", i, sh.Address, sh.Department, want)
		}
	}
	step("network up")
	// The new department's machine: keys and a signed join request.
	port := freeport.T(t)
	dataDir, req := filepath.Join(dir, "parks"), filepath.Join(dir, "parks-join.json")
	password := filepath.Join(nw.Dir, "password")
	out := mustRun(t, "signer", "onboard", "--datadir", dataDir, "--password", password, "--genesis", nw.Genesis,
		"--department.code", "PARKS", "--department.name", "Parks & Gardens", "--p2p.addr", "127.0.0.1", "--port", fmt.Sprint(port), "--out", req)
	if !strings.Contains(out, "Next steps") {
		t.Errorf("onboard output: have %q, want next steps", out)
	}
	request, err := joinrequest.Load(req)
	if err != nil {
		t.Fatal(err)
	}
	keystoreFiles, _ := filepath.Glob(filepath.Join(dataDir, "keystore", "UTC--*"))
	if len(keystoreFiles) != 1 {
		t.Fatalf("keystore files: have %d, want 1", len(keystoreFiles))
	}
	if data, _ := os.ReadFile(keystoreFiles[0]); !bytes.Contains(data, []byte(`"crypto"`)) {
		t.Fatal("signer key is not in keystore (encrypted) format")
	}
	step("onboarded")
	parks, err := nw.Join(testnet.JoinSpec{Name: "parks", DataDir: dataDir, Signer: request.Signer, Password: password, Port: port})
	if err != nil {
		t.Fatal(err)
	}
	if enode.MustParse(parks.Enode).ID() != enode.MustParse(request.Enode).ID() {
		t.Fatalf("enode: have %s, want the request's %s", parks.Enode, request.Enode)
	}

	step("joined")
	// Bad input: each refused with a clear message, nothing changed.
	allow := nw.AllowlistPath()
	before, _ := os.ReadFile(allow)
	tampered := filepath.Join(dir, "tampered.json")
	data, _ := os.ReadFile(req)
	os.WriteFile(tampered, bytes.Replace(data, []byte("Parks & Gardens"), []byte("Police"), 1), 0o600)
	otherKey, _ := crypto.GenerateKey()
	wrongNet, err := joinrequest.New(otherKey, 4321, common.Hash{0x01}, joinrequest.Department{Code: "X", Name: "X"}, request.Enode, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	wrongNetFile := filepath.Join(dir, "wrong-network.json")
	os.WriteFile(wrongNetFile, wrongNet.Encode(), 0o600)
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"signer", "approve", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, "--p2p.allowlist", allow, tampered}, "not by the stated signer"},
		{[]string{"signer", "approve", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, "--p2p.allowlist", allow, wrongNetFile}, "another network"},
		{[]string{"signer", "approve", "--rpc", parks.Control, "--jwtsecret", parks.JWTSecret, "--p2p.allowlist", allow, req}, "not among the 3 signers"},
		{[]string{"signer", "approve", "--rpc", "http://127.0.0.1:1", "--p2p.allowlist", allow, req}, "node unreachable"},
		{[]string{"signer", "propose", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, s2.Address.Hex()}, "already one of the 3 signers"},
		{[]string{"signer", "propose", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, common.Address{}.Hex()}, "zero address"},
		{[]string{"signer", "remove", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, request.Signer.Hex()}, "is not one of the 3 signers"},
		// Votes on the public listener, or with no or another node's token.
		{[]string{"signer", "propose", "--rpc", s1.RPC, request.Signer.Hex()}, "takes no votes: votes go to a signer's control listener"},
		{[]string{"signer", "approve", "--rpc", s1.RPC, "--p2p.allowlist", allow, req}, "takes no votes"},
		{[]string{"signer", "propose", "--rpc", s1.Control, request.Signer.Hex()}, "the control listener refused the token (HTTP 401): it is a control listener, which needs a token: give --jwtsecret"},
		{[]string{"signer", "approve", "--rpc", s1.Control, "--jwtsecret", s2.JWTSecret, "--p2p.allowlist", allow, req}, "check --jwtsecret is the node's <datadir>/citynode/jwtsecret"},
	} {
		out, err := cityctl(c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("cityctl %s: have %v, want an error containing %q\n%s", strings.Join(c.args, " "), err, c.want, out)
		}
	}
	if after, _ := os.ReadFile(allow); !bytes.Equal(before, after) {
		t.Errorf("allowlist changed by refused commands:\n%s", after)
	}
	for _, n := range []*testnet.Node{s1, s2, s3} {
		if p := statusJSON(t, n).Proposals; len(p) != 0 {
			t.Errorf("%s proposals after refused commands: have %v, want none", n.Name, p)
		}
	}

	step("bad input refused")
	// Two of three signers approve; status shows the progress.
	out = mustRun(t, "signer", "approve", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, "--p2p.allowlist", allow, req)
	if !strings.Contains(out, "the node reloaded it") || !strings.Contains(out, "votes to add "+request.Signer.Hex()) {
		t.Errorf("approve output: %q", out)
	}
	if data, _ := os.ReadFile(allow); !bytes.Contains(data, []byte(request.Enode+" # PARKS Parks & Gardens")) {
		t.Errorf("allowlist lacks the new node:\n%s", data)
	}
	status := func(n *testnet.Node, arg string) string {
		out, _ := cityctl("signer", "status", "--rpc", n.RPC, arg)
		return out
	}
	proctest.WaitFor(t, 30*time.Second, "status to show 1/2 votes", func() bool {
		return strings.Contains(status(s1, req), "joining: 1/2 votes, 1 more needed")
	})
	mustRun(t, "signer", "approve", "--rpc", s2.Control, "--jwtsecret", s2.JWTSecret, "--p2p.allowlist", allow, req)
	proctest.WaitFor(t, 30*time.Second, "the new signer voted in", func() bool {
		out := status(s1, req)
		return strings.Contains(out, "majority reached") || strings.Contains(out, "a signer, sealing")
	})
	proctest.WaitFor(t, 60*time.Second, "the new signer to seal", func() bool {
		return strings.Contains(status(s1, req), "a signer, sealing: last sealed block")
	})
	if out := status(parks, req); !strings.Contains(out, "PARKS") || !strings.Contains(out, "(this node)") {
		t.Errorf("status on the new node:\n%s", out)
	}
	// The metrics show the step: four signers, blocks sealed by the newcomer.
	waitMetric(t, s1, "four signers in the metrics", "citychain_clique_signers", func(v float64) bool { return v == 4 })
	waitMetric(t, s1, "the newcomer's sealed blocks in the metrics", "citychain_clique_blocks_sealed_total", func(v float64) bool { return v >= 1 }, "signer", request.Signer.Hex())
	step("new signer seals")
	// The two approvers' proposals are settled now: drop them.
	for _, n := range []*testnet.Node{s1, s2} {
		mustRun(t, "signer", "discard", "--rpc", n.Control, "--jwtsecret", n.JWTSecret, request.Signer.Hex())
	}
	if out := status(s1, req); !strings.Contains(out, "4 signers is an even count") {
		t.Errorf("status with 4 signers lacks the even-count warning:\n%s", out)
	}

	step("discarded")
	// Removal of signer3 by three of four (the majority of 4 is 3).
	for i, n := range []*testnet.Node{s1, s2, parks} {
		out := mustRun(t, "signer", "remove", "--rpc", n.Control, "--jwtsecret", n.JWTSecret, s3.Address.Hex())
		if !strings.Contains(out, "votes to remove "+s3.Address.Hex()) {
			t.Errorf("remove on %s: %q", n.Name, out)
		}
		if i == 0 {
			proctest.WaitFor(t, 30*time.Second, "status to show 1/3 votes to remove", func() bool {
				return strings.Contains(status(s1, s3.Address.Hex()), "leaving: 1/3 votes, 2 more needed")
			})
			waitMetric(t, s1, "a pending vote in the metrics", "citychain_clique_votes_pending", func(v float64) bool { return v >= 1 })
		}
	}
	proctest.WaitFor(t, 60*time.Second, "signer3 voted out", func() bool {
		return strings.Contains(status(s1, s3.Address.Hex()), "not a signer")
	})
	waitMetric(t, s1, "three signers in the metrics", "citychain_clique_signers", func(v float64) bool { return v == 3 })
	step("signer3 out")
	r := statusJSON(t, s1)
	removedAt := r.Head
	if len(r.Signers) != 3 || slices.ContainsFunc(r.Signers, func(s signers.SignerHealth) bool { return s.Address == s3.Address }) {
		t.Fatalf("signers after removal: have %v", r.Signers)
	}
	// Once out, removal again releases its node (proposal discarded, allowlist line gone).
	out = mustRun(t, "signer", "remove", "--rpc", s1.Control, "--jwtsecret", s1.JWTSecret, "--p2p.allowlist", allow, "--enode", s3.Enode, s3.Address.Hex())
	if !strings.Contains(out, "Discarded") || !strings.Contains(out, "the node reloaded it") {
		t.Errorf("release output: %q", out)
	}
	if data, _ := os.ReadFile(allow); bytes.Contains(data, []byte(s3.Enode)) {
		t.Errorf("allowlist still holds signer3:\n%s", data)
	}
	// The chain goes on without it and it seals nothing more.
	proctest.WaitFor(t, 60*time.Second, fmt.Sprintf("6 blocks after the removal at %d", removedAt), func() bool {
		r := statusJSON(t, s1)
		return r != nil && r.Head >= removedAt+6
	})
	step("6 more blocks")
	c, err := signers.Dial(context.Background(), s1.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	in, err := c.Input(context.Background(), 100)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range in.Blocks {
		if b.Number > removedAt && b.Signer == s3.Address {
			t.Errorf("block %d sealed by the removed signer3", b.Number)
		}
	}
}

// waitMetric waits until the node's metric (the first series with the given
// label pairs) satisfies ok.
func waitMetric(t *testing.T, n *testnet.Node, what, name string, ok func(float64) bool, labels ...string) {
	t.Helper()
	var last float64
	var found bool
	proctest.WaitFor(t, 30*time.Second, what, func() bool {
		sample, err := metrics.Scrape(context.Background(), n.Metrics)
		if err != nil {
			return false
		}
		last, found = sample.Value(name, labels...)
		return found && ok(last)
	})
}
