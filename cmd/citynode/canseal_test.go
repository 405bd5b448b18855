package main

import (
	"strings"
	"testing"
)

// TestSignerModeNeedsSigner runs citynode in signer mode, the default,
// without --signer, from flags, the environment and a TOML file: it must
// refuse to start (exit 2) naming --signer, --password and --mode rpc; it
// ran silently as a follower that never sealed.
func TestSignerModeNeedsSigner(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	dir := t.TempDir()
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
	// The other modes and a signer with its account get past this check
	// (they fail later: the data dir holds no chain).
	for _, args := range [][]string{{"--mode", "rpc"}, {"--mode", "auditor"}, {"--signer", "0x4a4c0000000000000000000000000000000000a1", "--password", config}} {
		_, stderr, _ := runSplit(t, nil, append(args, "--datadir", t.TempDir())...)
		if strings.Contains(stderr, "without --signer") {
			t.Errorf("%v refused as a signer without --signer: %s", args, stderr)
		}
	}
}
