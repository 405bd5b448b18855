package main

import (
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// TestExitCodes checks the exit status and the one-line message of bad usage
// and of failures that need no node.
func TestExitCodes(t *testing.T) {
	dir := t.TempDir()
	hash := "0x" + strings.Repeat("ab", 32)
	badKey := filepath.Join(dir, "bad.key")
	os.WriteFile(badKey, []byte("not a key\n"), 0o600)
	jwt := filepath.Join(dir, "jwtsecret")
	os.WriteFile(jwt, []byte(strings.Repeat("ab", 32)+"\n"), 0o600)
	// A control listener: every request without a valid token is refused.
	control := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "missing token", http.StatusUnauthorized)
	}))
	defer control.Close()
	vote := []string{"signer", "propose", "0x00000000000000000000000000000000000c0de5"}
	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"unknown flag", []string{"doc", "verify", hash, "--nope"}, 2, "unknown flag --nope (see 'cityctl doc verify --help')"},
		{"unknown command", []string{"doc", "frob"}, 2, `unknown command "frob" (see 'cityctl doc --help')`},
		{"unknown group", []string{"frob"}, 2, `unknown command "frob" (see 'cityctl --help')`},
		{"missing required flag", []string{"poll", "relay", "ballots.jsonl"}, 2, "missing required flag --poll"},
		{"flag without its value", []string{"doc", "verify", hash, "--rpc"}, 2, "flag --rpc needs a value"},
		{"malformed flag value", []string{"poll", "results", "--poll", "abc"}, 2, `invalid value "abc" for flag -poll`},
		{"malformed argument", []string{"doc", "verify", "0x12"}, 2, "is no 32-byte hash"},
		{"missing argument", []string{"title", "show"}, 2, "want one argument, PARCEL"},
		{"unreadable input file", []string{"audit", "verify-proof", filepath.Join(dir, "none.json"), "--trusted-header", hash}, 2, "cannot read proof file"},
		{"bad key file", []string{"doc", "revoke", hash, "--key", badKey}, 2, "--key " + badKey + ": want a private key as 64 hex digits"},
		{"two keys", []string{"doc", "revoke", hash, "--key", badKey, "--keystore", dir}, 2, "either --key or --keystore"},
		{"no key", []string{"doc", "revoke", hash}, 2, "no key to sign with"},
		{"keystore directory without --from", []string{"doc", "revoke", hash, "--keystore", dir, "--password", badKey}, 2, "name the account with --from"},
		{"node unreachable", []string{"doc", "verify", hash, "--rpc", "http://127.0.0.1:1"}, 1, "node unreachable: --rpc http://127.0.0.1:1 does not answer"},
		{"node unreachable: hint", []string{"doc", "verify", hash, "--rpc", "http://127.0.0.1:1"}, 1, "is the node running, with --http?"},
		// With --jwtsecret, --rpc is a signer's control listener, not --http.
		{"control listener unreachable", []string{"signer", "propose", "0x00000000000000000000000000000000000c0de5", "--rpc", "http://127.0.0.1:1", "--jwtsecret", jwt}, 1,
			"is the node running as a signer, with its control listener (citynode --authrpc"},
		{"testnet without a network", []string{"testnet", "status", "--dir", dir}, 1, "no test network in"},
		{"testnet in a directory that cannot be made", []string{"testnet", "up", "--dir", filepath.Join(badKey, "net"), "--bin", os.Args[0]}, 1,
			"cannot make the network's directory (mkdir " + badKey + ": not a directory): give --dir a directory you can create and write"},
		{"--key missing", []string{"doc", "revoke", hash, "--key", filepath.Join(dir, "none.key")}, 2, "cannot read --key " + filepath.Join(dir, "none.key") + " (open"},
		{"--keystore missing", []string{"doc", "revoke", hash, "--keystore", filepath.Join(dir, "none"), "--from", "0x00000000000000000000000000000000000c0de5", "--password", badKey}, 2,
			"cannot read --keystore " + filepath.Join(dir, "none") + " (stat"},
		{"--from not in the keystore", []string{"doc", "revoke", hash, "--keystore", dir, "--from", "0x00000000000000000000000000000000000c0de5", "--password", badKey}, 2,
			"check --from; the keystore holds no key"},
		{"network.toml missing", []string{"genesis", "new", "--config", filepath.Join(dir, "none.toml"), "--out", filepath.Join(dir, "genesis.json")}, 1,
			"cannot read the network config " + filepath.Join(dir, "none.toml")},
		{"argument to a command that takes none", []string{"contracts", "verify", "extra"}, 2,
			`unexpected argument "extra": cityctl contracts verify takes no arguments, only flags (see 'cityctl contracts verify --help')`},
		{"forgotten flag name", []string{"testnet", "status", "--dir", dir, "net2"}, 2, `unexpected argument "net2": cityctl testnet status takes no arguments`},
		{"watch without a pause", []string{"signer", "watch", "--interval", "0s"}, 2, "invalid --interval 0s: want a positive duration"},
		{"watch a negative count", []string{"signer", "watch", "--count", "-1"}, 2, "invalid --count -1: want a number of reports"},
		// go-ethereum's client would dial these as IPC socket paths.
		{"--rpc not a URL", []string{"doc", "verify", hash, "--rpc", "127.0.0.1:8545"}, 2, `--rpc "127.0.0.1:8545" is not a node URL: give its JSON-RPC as http://HOST:PORT`},
		{"--node not a URL", []string{"upgrade", "status", "--node", "rpc1:8545"}, 2, `--node "rpc1:8545" is not a node URL`},
		{"control listener without --jwtsecret", append(vote, "--rpc", control.URL), 1, "it is a control listener, which needs a token: give --jwtsecret"},
		{"control listener, wrong --jwtsecret", append(vote, "--rpc", control.URL, "--jwtsecret", jwt), 1, "check --jwtsecret is the node's <datadir>/citynode/jwtsecret"},
		{"--jwtsecret missing", append(vote, "--rpc", control.URL, "--jwtsecret", filepath.Join(dir, "none")), 2, "cannot read --jwtsecret " + filepath.Join(dir, "none")},
		{"--jwtsecret not a secret", append(vote, "--rpc", control.URL, "--jwtsecret", badKey), 2, "--jwtsecret " + badKey + " does not hold a 32-byte secret as 64 hex digits"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := cityctl(tc.args...)
			var e *exitError
			if !errors.As(err, &e) || e.code != tc.code {
				t.Fatalf("have %v, want exit status %d", err, tc.code)
			}
			lines := strings.Split(strings.TrimSuffix(e.stderr, "\n"), "\n")
			if len(lines) != 1 || !strings.HasPrefix(lines[0], "cityctl: error: ") || !strings.Contains(lines[0], tc.msg) {
				t.Errorf("stderr: have %q, want one line \"cityctl: error: ...%s...\"", e.stderr, tc.msg)
			}
		})
	}
}

// TestBinaryExitAndEnvironment runs the cityctl binary: its exit status
// comes from main, and a flag set in the environment (CITYCTL_RPC) counts.
func TestBinaryExitAndEnvironment(t *testing.T) {
	if testing.Short() {
		t.Skip("builds cityctl")
	}
	bin, cleanup, err := proctest.Build(".", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	for _, tc := range []struct {
		args   []string
		env    string
		code   int
		stderr string
	}{
		{[]string{"doc", "verify", "--nope"}, "", 2, "cityctl: error: unknown flag --nope (see 'cityctl doc verify --help')\n"},
		{[]string{"contracts", "list"}, "CITYCTL_RPC=http://127.0.0.1:1", 1, "cityctl: error: node unreachable: --rpc http://127.0.0.1:1 does not answer"},
		{[]string{"poll", "results"}, "CITYCTL_POLL=abc", 2, `cityctl: error: could not parse "abc" as uint64 value from environment variable "CITYCTL_POLL"`},
		{[]string{"--version"}, "", 0, ""},
	} {
		cmd := exec.Command(bin, tc.args...)
		cmd.Env = append(os.Environ(), tc.env)
		var stderr strings.Builder
		cmd.Stderr = &stderr
		err := cmd.Run()
		code := 0
		var exit *exec.ExitError
		if errors.As(err, &exit) {
			code = exit.ExitCode()
		}
		if code != tc.code || !strings.HasPrefix(stderr.String(), tc.stderr) {
			t.Errorf("%s cityctl %s: have exit status %d, stderr %q; want %d, %q", tc.env, strings.Join(tc.args, " "), code, stderr.String(), tc.code, tc.stderr)
		}
	}
}

// TestTestnetFlagsAfterArguments drives the testnet group with flags after
// arguments and the renamed flags, old names included.
func TestTestnetFlagsAfterArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode processes")
	}
	dir := filepath.Join(t.TempDir(), "net")
	t.Cleanup(func() {
		if nw, err := testnet.Load(dir); err == nil {
			nw.Down()
		}
	})
	var nodes []nodeView
	_, out, err := cityctlOut("testnet", "up", "--dir", dir, "--signers", "1", "--rpc-nodes", "0", "--miner.gaslimit", "30000000", "--bin", citynodeBin, "--json")
	if err != nil || json.Unmarshal([]byte(out), &nodes) != nil || len(nodes) != 1 || nodes[0].Name != "signer1" {
		t.Fatalf("testnet up: have %v, %q; want one node, signer1", err, out)
	}
	proctest.WaitFor(t, 60*time.Second, "signer1 to seal block 1", func() bool {
		var status []testnet.NodeStatus
		_, out, err := cityctlOut("testnet", "status", "--json", "--dir", dir)
		return err == nil && json.Unmarshal([]byte(out), &status) == nil && len(status) == 1 && status[0].Head >= 1
	})
	if out := mustRun(t, "testnet", "stop", "signer1", "--dir", dir, "--kill"); out != "signer1: "+testnet.HaltKilled+"\n" {
		t.Errorf("stop --kill: have %q, want it to say signer1 was killed", out)
	}
	if out := mustRun(t, "testnet", "stop", "signer1", "--dir", dir); out != "signer1: "+testnet.HaltNotRunning+"\n" {
		t.Errorf("stop of a stopped node: have %q, want it to say signer1 was not running", out)
	}
	if out := mustRun(t, "testnet", "status", "--dir", dir); !strings.Contains(out, "stopped") {
		t.Errorf("status after stop: %s", out)
	}
	// start returns once the node answers, as up and add do: status then
	// shows it running, not an error for a node still starting.
	mustRun(t, "testnet", "start", "signer1", "--dir", dir)
	if out := mustRun(t, "testnet", "status", "--dir", dir); !strings.Contains(out, "running") || strings.Contains(out, "error") {
		t.Errorf("status right after start: want signer1 running, have:\n%s", out)
	}
	var added testnet.Node
	if _, out, err := cityctlOut("testnet", "add", "--dir", dir, "--role", "rpc", "--json"); err != nil || json.Unmarshal([]byte(out), &added) != nil || added.Name != "rpc1" {
		t.Fatalf("testnet add: have %v, %q; want rpc1", err, out)
	}
	// The old names still work, with a warning (here refused: the directory holds a network).
	all, err := cityctl("testnet", "up", "--dir", dir, "--rpc", "0", "--gaslimit", "1", "--bin", citynodeBin)
	for _, want := range []string{"cityctl: warning: --rpc is deprecated, use --rpc-nodes", "cityctl: warning: --gaslimit is deprecated, use --miner.gaslimit", "already holds a test network"} {
		if !strings.Contains(all, want) {
			t.Errorf("testnet up with the old names: output lacks %q:\n%s", want, all)
		}
	}
	if exitCode(err) != 1 {
		t.Errorf("testnet up on a used directory: have %v, want exit status 1", err)
	}
	if _, err := cityctl("testnet", "stop", "signer9", "--dir", dir); exitCode(err) != 1 {
		t.Errorf("testnet stop of no such node: have %v, want exit status 1", err)
	}
	if out := mustRun(t, "testnet", "stop", "signer1", "--dir", dir); out != "signer1: "+testnet.HaltStopped+"\n" {
		t.Errorf("stop (SIGTERM): have %q, want it to say signer1 stopped", out)
	}
	mustRun(t, "testnet", "down", "--dir", dir)
}
