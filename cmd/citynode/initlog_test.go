package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/log"
)

// TestInitShowsNoFreshHeadWarning: `citynode init` of a new data dir does
// not print go-ethereum's "Head block is not reachable" (its freezer looks
// for a head before the genesis is written), and still logs the rest.
func TestInitShowsNoFreshHeadWarning(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	key, _ := crypto.GenerateKey()
	gen := writeGenesis(t, 4245, crypto.PubkeyToAddress(key.PublicKey))
	dir := t.TempDir()
	for _, round := range []string{"new data dir", "again"} {
		out, err := run(t, "init", "--datadir", dir, gen)
		if err != nil {
			t.Fatalf("init (%s): %v\n%s", round, err, out)
		}
		if strings.Contains(out, freshHeadWarning) || !strings.Contains(out, "Initialised data dir") {
			t.Errorf("init (%s): want no %q and the log of the init, have:\n%s", round, freshHeadWarning, out)
		}
	}
}

// TestFreshHeadWarningOnlyOnNewDataDir: the warning is left out only while
// a data dir without a chain is initialised; other records pass, and on a
// data dir with a chain the warning shows.
func TestFreshHeadWarningOnlyOnNewDataDir(t *testing.T) {
	var buf bytes.Buffer
	prev := log.Root()
	log.SetDefault(log.NewLogger(log.NewTerminalHandlerWithLevel(&buf, log.LevelTrace, false)))
	t.Cleanup(func() { log.SetDefault(prev) })
	logBoth := func() error {
		log.Warn(freshHeadWarning)
		log.Warn("Some other warning", "hash", common.Hash{1})
		return nil
	}
	fresh := t.TempDir()
	withoutFreshHeadWarning([]string{fresh}, logBoth)
	if out := buf.String(); strings.Contains(out, freshHeadWarning) || !strings.Contains(out, "Some other warning") {
		t.Errorf("new data dir: want only the other warning, have:\n%s", out)
	}
	buf.Reset()
	logBoth()
	if out := buf.String(); !strings.Contains(out, freshHeadWarning) {
		t.Errorf("after the init: the logger still drops the warning:\n%s", out)
	}
	buf.Reset()
	used := t.TempDir()
	if err := os.MkdirAll(filepath.Join(used, "citynode", "chaindata"), 0o700); err != nil {
		t.Fatal(err)
	}
	withoutFreshHeadWarning([]string{fresh, used}, logBoth)
	if out := buf.String(); !strings.Contains(out, freshHeadWarning) || !strings.Contains(out, "Some other warning") {
		t.Errorf("data dir with a chain: want both warnings, have:\n%s", out)
	}
}
