package main

import (
	"crypto/ecdsa"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/contracts/ballots"
)

// runAction runs action as the one command of an app with flags and args.
func runAction(t *testing.T, flags []cli.Flag, args []string, action cli.ActionFunc) error {
	t.Helper()
	app := &cli.App{Name: "citybench", Flags: flags, Action: action, ExitErrHandler: func(*cli.Context, error) {}}
	return app.Run(append([]string{"citybench"}, args...))
}

// TestEmitReport checks that a report goes as indented JSON to --report and
// as text to standard output without --json.
func TestEmitReport(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.json")
	texts := 0
	err := runAction(t, []cli.Flag{reportFlag, jsonFlag}, []string{"--report", path}, func(c *cli.Context) error {
		return emitReport(c, map[string]int{"tps": 7}, func(io.Writer) error { texts++; return nil })
	})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := os.ReadFile(path)
	if have, want := string(raw), "{\n  \"tps\": 7\n}\n"; err != nil || have != want {
		t.Errorf("--report file: have %q (%v), want %q", have, err, want)
	}
	if texts != 1 {
		t.Errorf("text report written %d times, want 1", texts)
	}
}

// TestBuildElectorate checks the voters' keys and the eligibility tree the
// ballot workloads share, and that more voters than residents is bad usage.
func TestBuildElectorate(t *testing.T) {
	flags := []cli.Flag{votersFlag, electorateFlag, voterSeedFlag}
	var (
		keys []*ecdsa.PrivateKey
		el   *ballots.Eligibility
	)
	err := runAction(t, flags, []string{"--voters", "3", "--electorate", "5"}, func(c *cli.Context) (err error) {
		keys, el, err = buildElectorate(c)
		return err
	})
	if err != nil || len(keys) != 3 || el == nil || el.Len() != 5 || el.Root() == (common.Hash{}) {
		t.Fatalf("buildElectorate: have %d keys, tree %v, %v; want 3 keys and a tree of 5", len(keys), el, err)
	}
	if have, want := el.Voter(0), crypto.PubkeyToAddress(keys[0].PublicKey); have != want {
		t.Errorf("first resident: have %s, want the first voter %s", have, want)
	}
	err = runAction(t, flags, []string{"--voters", "6", "--electorate", "5"}, func(c *cli.Context) error {
		_, _, err := buildElectorate(c)
		return err
	})
	var exit cli.ExitCoder
	if !errors.As(err, &exit) || exit.ExitCode() != 2 || !strings.Contains(err.Error(), "want 1 <= voters <= electorate") {
		t.Errorf("6 voters of 5 residents: have %v, want exit 2 naming the rule", err)
	}
}
