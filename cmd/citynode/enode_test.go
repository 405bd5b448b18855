package main

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

var enodeLine = regexp.MustCompile(`Enode: +(enode://([0-9a-f]{128})@[^\s]+)`)

// TestEnodeCommand: `citynode enode` prints the enode URL the data dir's
// node has, before the node ever ran: it makes the node key the first time
// and keeps it after, and the node started on that data dir runs with that
// very identity (its log's self enode). Bad usage is refused naming what to
// give.
func TestEnodeCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	work, dataDir := t.TempDir(), t.TempDir()
	port := freeport.T(t)
	args := []string{"enode", "--datadir", dataDir, "--p2p.addr", "127.0.0.1", "--port", fmt.Sprint(port)}
	first, stderr, err := runIn(t, work, nil, args...)
	m := enodeLine.FindStringSubmatch(first)
	if err != nil || m == nil || !strings.Contains(first, "created") || !strings.HasSuffix(m[1], fmt.Sprintf("@127.0.0.1:%d", port)) {
		t.Fatalf("first run: have %q, %q (%v); want a created node key and an enode at 127.0.0.1:%d", first, stderr, err, port)
	}
	if !strings.Contains(stderr, "give --p2p.addr") {
		t.Errorf("a loopback address: have stderr %q, want a word that only this host reaches it", stderr)
	}
	again, _, err := runIn(t, work, nil, args...)
	if m2 := enodeLine.FindStringSubmatch(again); err != nil || m2 == nil || m2[1] != m[1] || !strings.Contains(again, "kept") {
		t.Fatalf("second run: have %q (%v), want the same enode %s and the key kept", again, err, m[1])
	}

	gen := writeGenesis(t, 4247, common.HexToAddress("0x4a4c0000000000000000000000000000000000a2"))
	if _, stderr, err := runIn(t, work, nil, "init", "--datadir", dataDir, gen); err != nil {
		t.Fatalf("init: %v\n%s", err, stderr)
	}
	p := startProc(t, "--mode", "rpc", "--datadir", dataDir, "--p2p.addr", "127.0.0.1", "--port", fmt.Sprint(port), "--nodiscover", "--http=false", "--authrpc.port", fmt.Sprint(freeport.T(t)))
	waitFor(t, 30*time.Second, "the node's P2P start in its log", func() bool { return strings.Contains(p.output(), "Started P2P networking") })
	if !strings.Contains(p.output(), "enode://"+m[2]+"@") {
		t.Errorf("the node runs with another identity than %s printed:\n%s", m[2], p.output())
	}

	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"enode", "--p2p.addr", "10.0.0.9"}, "citynode enode needs --datadir DIR"},
		{[]string{"enode", "--datadir", t.TempDir(), "--p2p.addr", "0.0.0.0"}, "is not an address peers can dial"},
		{[]string{"enode", "--datadir", t.TempDir(), "--p2p.addr", "10.0.0.9", "extra"}, "citynode enode takes no arguments"},
	} {
		_, stderr, err := runIn(t, work, nil, tc.args...)
		if exitStatus(err) != 2 || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: have exit status %d, %q; want 2 and %q", tc.args, exitStatus(err), stderr, tc.want)
		}
	}
}
