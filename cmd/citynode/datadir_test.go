package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// TestDataDirNeeded: the commands that make a chain or a key (init, account
// new, account import) refuse to run without a data dir given (exit 2), and
// write nothing: they made citynode-data in the current directory, where
// the node, started with its own --datadir, never found the chain or the
// key. CITYNODE_DATADIR counts as given. A node started without a data dir
// is told that the default was tried.
func TestDataDirNeeded(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	work := t.TempDir()
	gen := writeGenesis(t, 4246, common.HexToAddress("0x4a4c0000000000000000000000000000000000a1"))
	password := writeFile(t, "pw\n")
	keyFile := writeFile(t, "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318\n")
	for _, tc := range []struct {
		args []string
		cmd  string
	}{
		{[]string{"init", gen}, "init"},
		{[]string{"account", "new", "--password", password}, "account new"},
		{[]string{"account", "import", "--password", password, keyFile}, "account import"},
	} {
		_, stderr, err := runIn(t, work, nil, tc.args...)
		want := "citynode " + tc.cmd + " needs --datadir DIR (or CITYNODE_DATADIR)"
		if exitStatus(err) != 2 || !strings.Contains(stderr, want) {
			t.Errorf("%v: have exit status %d, %q; want 2 and %q", tc.args, exitStatus(err), stderr, want)
		}
	}
	if entries, _ := os.ReadDir(work); len(entries) != 0 {
		t.Errorf("refused commands wrote %v into the current directory", entries)
	}

	dir := t.TempDir()
	if _, stderr, err := runIn(t, work, []string{"CITYNODE_DATADIR=" + dir}, "init", gen); err != nil {
		t.Fatalf("init with CITYNODE_DATADIR: %v\n%s", err, stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "citynode", "chaindata")); err != nil {
		t.Errorf("init with CITYNODE_DATADIR did not initialise %s: %v", dir, err)
	}

	_, stderr, err := runIn(t, work, nil, "--mode", "rpc")
	for _, want := range []string{"run `citynode init --datadir citynode-data genesis.json` first", "No data dir was given", "--datadir /var/lib/citynode"} {
		if exitStatus(err) != 1 || !strings.Contains(stderr, want) {
			t.Errorf("node without a data dir: have exit status %d, %q; want 1 and %q", exitStatus(err), stderr, want)
		}
	}
	if _, stderr, _ := runIn(t, work, nil, "--mode", "rpc", "--datadir", t.TempDir()); strings.Contains(stderr, "No data dir was given") {
		t.Errorf("node with --datadir told no data dir was given: %s", stderr)
	}
}

// runIn runs citynode in dir with env added, killing it after a minute (a
// node that was meant to be refused but started).
func runIn(t *testing.T, dir string, env []string, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, binPath, args...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	var o, e bytes.Buffer
	cmd.Stdout, cmd.Stderr = &o, &e
	err = cmd.Run()
	return o.String(), e.String(), err
}
