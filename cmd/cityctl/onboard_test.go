package main

import (
	"strings"
	"testing"
)

// TestOnboardNeedsDataDir: `signer onboard` without --datadir is refused as
// bad usage naming it; it made the signer key and node key in citynode-data
// in the current directory, where the department's node, started with its own
// --datadir, did not find them.
func TestOnboardNeedsDataDir(t *testing.T) {
	_, err := cityctl("signer", "onboard", "--password", "no-such-password-file", "--genesis", "no-such-genesis.json",
		"--department.code", "PARKS", "--department.name", "Parks", "--p2p.addr", "127.0.0.1")
	var stderr string
	if e, ok := err.(*exitError); ok {
		stderr = e.stderr
	}
	if exitCode(err) != 2 || !strings.Contains(stderr, "missing required flag --datadir") {
		t.Errorf("onboard without --datadir: have exit status %d, %q; want 2 naming --datadir", exitCode(err), stderr)
	}
}
