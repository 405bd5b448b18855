package main

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// initDataDir makes a data dir initialised with a one-signer genesis.
func initDataDir(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	g := writeGenesis(t, 4243, common.HexToAddress("0x4a4c0000000000000000000000000000000000a1"))
	if out, err := run(t, "init", "--datadir", dir, g); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	return dir
}

// TestSignerModeNeedsSigner runs citynode in signer mode, the default,
// without --signer, from flags, the environment and a TOML file, on an
// initialised data dir: it must refuse to start (exit 2) naming --signer,
// --password and --mode rpc; it ran silently as a follower that never sealed.
func TestSignerModeNeedsSigner(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	dir := initDataDir(t)
	config := writeFile(t, "mode = \"signer\"\ndatadir = \""+dir+"\"\n")
	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"default mode", nil, []string{"--datadir", dir}},
		{"--mode signer", nil, []string{"--mode", "signer", "--datadir", dir}},
		{"CITYNODE_MODE", []string{"CITYNODE_MODE=signer"}, []string{"--datadir", dir}},
		{"TOML", nil, []string{"--config", config}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runSplit(t, tc.env, tc.args...)
			if status := exitStatus(err); status != 2 {
				t.Fatalf("exit status %d, want 2 (refused before start); stderr:\n%s", status, stderr)
			}
			for _, want := range []string{"--mode signer without --signer", "--signer 0xADDRESS --password FILE", "citynode account list --datadir " + dir, "--mode rpc"} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not say %q", stderr, want)
				}
			}
		})
	}
	// The other modes and a signer with its account get past this check:
	// each fails later, on what its row names.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--mode", "rpc", "--p2p.allowlist", filepath.Join(dir, "no-such-allowlist")}, "no-such-allowlist"},
		{[]string{"--mode", "auditor"}, "--mode auditor"},
		{[]string{"--signer", "0x4a4c0000000000000000000000000000000000a1", "--password", config}, "is not in the keystore"},
	} {
		// Port 0: these nodes get as far as listening, so the default port
		// (30303), held by any other node on the machine, would fail them first.
		_, stderr, err := runSplit(t, nil, append(tc.args, "--datadir", dir, "--port", "0", "--nodiscover")...)
		if exitStatus(err) != 1 || strings.Contains(stderr, "without --signer") || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: have exit status %d, stderr %q; want 1 and %q, not refused as a signer without --signer", tc.args, exitStatus(err), stderr, tc.want)
		}
	}
}

// TestFirstRunSaysInitFirst: a new operator's first run, on a data dir not
// initialised, is told to run citynode init before anything about the
// signer (it was told to give --signer, whose key goes in the keystore of a
// data dir init makes); settings that are wrong are still named first.
func TestFirstRunSaysInitFirst(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	dir := t.TempDir()
	for _, tc := range []struct {
		name   string
		args   []string
		status int
		want   string
	}{
		{"no signer", []string{"--datadir", dir}, 1, "run `citynode init --datadir " + dir + " genesis.json` first"},
		{"placeholder signer", []string{"--datadir", dir, "--signer", "0x0000000000000000000000000000000000000000", "--password", writeFile(t, "pw\n")}, 1, "run `citynode init --datadir " + dir + " genesis.json` first"},
		{"bad setting", []string{"--datadir", dir, "--cache", "8"}, 1, "invalid --cache"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runSplit(t, nil, tc.args...)
			if status := exitStatus(err); status != tc.status || !strings.Contains(stderr, tc.want) {
				t.Errorf("have exit status %d, stderr %q; want %d and %q", status, stderr, tc.status, tc.want)
			}
			for _, not := range []string{"without --signer", "placeholder"} {
				if strings.Contains(stderr, not) {
					t.Errorf("stderr %q says %q before the data dir is initialised", stderr, not)
				}
			}
		})
	}
}

// TestPlaceholderSignerRefused: the zero address, the placeholder
// docker/systemd/citynode.toml ships, left in as the signer from the TOML
// file, the environment or a flag, is refused (exit 2) saying it is the
// placeholder and where the address goes; it failed on the keystore.
func TestPlaceholderSignerRefused(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	dir := initDataDir(t)
	const zero = "0x0000000000000000000000000000000000000000"
	password := writeFile(t, "pw\n")
	config := writeFile(t, "signer = \""+zero+"\"\npassword_file = \""+password+"\"\ndatadir = \""+dir+"\"\n")
	for _, tc := range []struct {
		name string
		env  []string
		args []string
	}{
		{"TOML", nil, []string{"--config", config}},
		{"CITYNODE_SIGNER", []string{"CITYNODE_SIGNER=" + zero}, []string{"--datadir", dir, "--password", password}},
		{"--signer", nil, []string{"--datadir", dir, "--signer", zero, "--password", password}},
		{"--signer.external", nil, []string{"--datadir", dir, "--signer", zero, "--signer.external", "http://127.0.0.1:1"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, stderr, err := runSplit(t, tc.env, tc.args...)
			if status := exitStatus(err); status != 2 {
				t.Fatalf("exit status %d, want 2 (refused before start); stderr:\n%s", status, stderr)
			}
			for _, want := range []string{"placeholder of the example configuration", `signer = "0xADDRESS"`, "CITYNODE_SIGNER=0xADDRESS", "--signer 0xADDRESS", "citynode account list --datadir " + dir} {
				if !strings.Contains(stderr, want) {
					t.Errorf("stderr %q does not say %q", stderr, want)
				}
			}
		})
	}
}
