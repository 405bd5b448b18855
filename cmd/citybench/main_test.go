package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"
)

// TestGenesisCommand checks that the genesis citybench writes passes the genesis
// package's strict decoding and funds exactly the accounts the load commands derive.
func TestGenesisCommand(t *testing.T) {
	dir := t.TempDir()
	signer, err := loadgen.DeriveAccounts("bench-signer", 1)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(dir, "signer.key")
	if err := os.WriteFile(keyFile, []byte(signer[0].KeyHex()+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(dir, "genesis.json")
	args := []string{"citybench", "--verbosity", "1", "genesis", "--accounts", "7", "--seed", "s",
		"--signer-key", keyFile, "--period", "1", "--timestamp", "1800000000", "--gaslimit", "600000000", "--chainid", "4242", "--out", out}
	if err := newApp().Run(args); err != nil {
		t.Fatal(err)
	}
	g, err := genesis.Load(out)
	if err != nil {
		t.Fatalf("citybench genesis output does not load: %v", err)
	}
	signers, err := genesis.Signers(g)
	if err != nil {
		t.Fatal(err)
	}
	if len(signers) != 1 || signers[0] != signer[0].Address {
		t.Errorf("have signers %v, want [%s]", signers, signer[0].Address)
	}
	if have := g.Config.ChainID.Uint64(); have != 4242 {
		t.Errorf("have chain id %d, want 4242", have)
	}
	if g.Timestamp != 1_800_000_000 {
		t.Errorf("have timestamp %d, want 1800000000", g.Timestamp)
	}
	if g.GasLimit != 600_000_000 || g.Config.Clique == nil || g.Config.Clique.Period != 1 {
		t.Errorf("have gas limit %d, clique %+v; want 600000000, period 1", g.GasLimit, g.Config.Clique)
	}
	accounts, _ := loadgen.DeriveAccounts("s", 7)
	if len(g.Alloc) != len(accounts) {
		t.Errorf("have %d allocated accounts, want %d", len(g.Alloc), len(accounts))
	}
	for _, a := range accounts {
		if acc, ok := g.Alloc[a.Address]; !ok || acc.Balance.Sign() <= 0 {
			t.Errorf("account %d (%s) not funded", a.Index, a.Address)
		}
	}
	if genesis.ForksOf(g.Config).Any() {
		t.Errorf("default genesis schedules forks: want London rules")
	}

	// --evm prague: the same genesis with the transition at genesis (ADR 044).
	prague := filepath.Join(dir, "prague.json")
	if err := newApp().Run(append(args[:len(args)-1], prague, "--evm", "prague")); err != nil {
		t.Fatal(err)
	}
	pg, err := genesis.Load(prague)
	if err != nil {
		t.Fatalf("--evm prague output does not load: %v", err)
	}
	if f := genesis.ForksOf(pg.Config); f.Shanghai == nil || *f.Prague != 0 || len(pg.Alloc) != len(accounts)+4 {
		t.Errorf("--evm prague: forks %+v, %d accounts; want all at 0 and the 4 system contracts", f, len(pg.Alloc))
	}
	app := newApp()
	app.ExitErrHandler = func(*cli.Context, error) {} // return the error, do not exit
	if err := app.Run(append(args[:len(args)-1], prague, "--evm", "cancun")); err == nil || !strings.Contains(err.Error(), `want "london" or "prague"`) {
		t.Errorf("--evm cancun: have %v, want refused", err)
	}
}

func TestGenesisCommandSignerAddresses(t *testing.T) {
	out := filepath.Join(t.TempDir(), "genesis.json")
	a, b := "0x00000000000000000000000000000000000000b2", "0x00000000000000000000000000000000000000a1"
	args := []string{"citybench", "--verbosity", "1", "genesis", "--accounts", "2", "--signer", a, "--signer", b, "--out", out}
	if err := newApp().Run(args); err != nil {
		t.Fatal(err)
	}
	g, err := genesis.Load(out)
	if err != nil {
		t.Fatal(err)
	}
	signers, _ := genesis.Signers(g)
	want := []common.Address{common.HexToAddress(b), common.HexToAddress(a)} // ascending
	if len(signers) != 2 || signers[0] != want[0] || signers[1] != want[1] {
		t.Errorf("have signers %v, want %v", signers, want)
	}
}

func TestWorkloadCommands(t *testing.T) {
	var names []string
	for _, c := range workloadCommands() {
		names = append(names, c.Name)
	}
	if have, want := strings.Join(names, ","), "docs,docs-batch,transfers"; have != want {
		t.Errorf("have workload commands %q, want %q", have, want)
	}
}
