package params

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core"
)

// geth113Env names the geth 1.13.15 binary TestDevGeth113 runs under
// UPDATE_GOLDEN=1 (scripts/update-genesis-golden.sh sets it; default the
// worktree's .bench/bin/geth, which scripts/build-geth113.sh builds).
const geth113Env = "GETH113"

// updateGeth113 rewrites the geth 1.13.15 golden files of a preset from geth
// itself: `geth init` of the preset written as JSON, the genesis hash geth's
// console reads back (eth.getBlock(0).hash) into hashFile, and `geth
// dumpgenesis` into dump. Nothing here is computed by citychain's code.
func updateGeth113(t *testing.T, preset *core.Genesis, hashFile, dump string) {
	t.Helper()
	geth := os.Getenv(geth113Env)
	if geth == "" {
		geth = filepath.Join("..", ".bench", "bin", "geth")
	}
	if out, err := exec.Command(geth, "version").CombinedOutput(); err != nil || !strings.Contains(string(out), "1.13.15") {
		t.Fatalf("UPDATE_GOLDEN needs geth 1.13.15 at $%s or .bench/bin/geth (scripts/build-geth113.sh): %v\n%s", geth113Env, err, out)
	}
	dir := t.TempDir()
	file, data := filepath.Join(dir, "genesis.json"), filepath.Join(dir, "data")
	js, err := json.Marshal(preset)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, js, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	run := func(args ...string) []byte {
		out, err := exec.CommandContext(ctx, geth, append([]string{"--datadir", data}, args...)...).Output()
		if err != nil {
			t.Fatalf("geth %s: %v", strings.Join(args, " "), err)
		}
		return out
	}
	run("init", file)
	out := run("--nodiscover", "--maxpeers", "0", "--port", "0", "--ipcdisable", "--authrpc.port", "0", "--exec", "eth.getBlock(0).hash", "console")
	hash := regexp.MustCompile(`0x[0-9a-f]{64}`).Find(out)
	if hash == nil {
		t.Fatalf("geth console printed no block hash:\n%s", out)
	}
	if err := os.WriteFile(hashFile, append(hash, '\n'), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dump, run("dumpgenesis"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("wrote %s (%s) and %s from geth 1.13.15", hashFile, hash, dump)
}

// readGeth113Hash reads a hash updateGeth113 wrote.
func readGeth113Hash(t *testing.T, hashFile string) string {
	t.Helper()
	data, err := os.ReadFile(hashFile)
	if err != nil {
		t.Fatalf("%v (scripts/update-genesis-golden.sh writes it)", err)
	}
	return strings.TrimSpace(string(data))
}
