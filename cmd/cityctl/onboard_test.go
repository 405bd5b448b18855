package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/client/signers"
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

// TestOnboardNextSteps: the steps `signer onboard` prints are commands that
// work as printed. The approval is a vote, taken only on a signer's control
// listener behind its JWT (ADR 062): step 3 said `--rpc THEIR_NODE` without
// --jwtsecret, which a new operator filled in with the node's public port,
// where the vote is refused.
func TestOnboardNextSteps(t *testing.T) {
	cfg := signers.OnboardConfig{DataDir: "/var/lib/citynode", Genesis: "genesis.json", Host: "10.0.0.9", Port: 30303, Out: "parks-join.json"}
	res := &signers.Onboarded{
		Request: &signers.JoinRequest{Signer: common.HexToAddress("0x00000000000000000000000000000000000000aa"), Enode: "enode://aa@10.0.0.9:30303"},
		Keyfile: "/var/lib/citynode/keystore/UTC--x", NodeKey: "/var/lib/citynode/citynode/nodekey",
	}
	var out bytes.Buffer
	printOnboarded(&out, cfg, res, "/etc/citynode/password")
	for _, want := range []string{
		"1. citynode init genesis.json --datadir /var/lib/citynode\n",
		"2. citynode --datadir /var/lib/citynode --signer 0x00000000000000000000000000000000000000AA --password /etc/citynode/password --p2p.addr 10.0.0.9 --port 30303",
		"`cityctl signer approve parks-join.json --rpc http://127.0.0.1:8551 --jwtsecret THEIR_DATADIR/citynode/jwtsecret --p2p.allowlist THEIR_MEMBERS.txt`",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("onboard's next steps: want %q in\n%s", want, out.String())
		}
	}
}
