package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGenesisCommands: new writes the genesis and its JSON summary, verify
// passes it (flags after the argument too) and exits 1 on a changed byte, a
// bad network.toml exits 2 naming the key, and an existing output is kept.
func TestGenesisCommands(t *testing.T) {
	dir := t.TempDir()
	cfg := "../../genesis/ceremony/testdata/network.toml"
	out := filepath.Join(dir, "genesis.json")
	_, stdout, err := cityctlOut("genesis", "new", "--config", cfg, "--out", out, "--json")
	if err != nil {
		t.Fatal(err)
	}
	var res struct {
		Hash    string `json:"hash"`
		Signers []any  `json:"signers"`
	}
	if err := json.Unmarshal([]byte(stdout), &res); err != nil || len(res.Signers) != 4 || len(res.Hash) != 66 {
		t.Fatalf("genesis new --json: %v %s", err, stdout)
	}
	if text, err := cityctl("genesis", "verify", out, "--config", cfg); err != nil || !strings.Contains(text, "exactly") || !strings.Contains(text, res.Hash) {
		t.Errorf("genesis verify: %v %s", err, text)
	}
	if _, err := cityctl("genesis", "new", "--config", cfg, "--out", out); exitCode(err) != 1 || !strings.Contains(err.Error(), "--force") {
		t.Errorf("genesis new over an existing file: have %v, want exit 1 naming --force", err)
	}
	data, _ := os.ReadFile(out)
	if err := os.WriteFile(out, []byte(strings.Replace(string(data), `"gasLimit": "0x1c9c380"`, `"gasLimit": "0x1c9c381"`, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := cityctl("genesis", "verify", "--config", cfg, out); exitCode(err) != 1 || !strings.Contains(err.Error(), "gasLimit: file has 30000001, config gives 30000000") {
		t.Errorf("verify of a changed file: have %v, want exit 1 naming gasLimit", err)
	}
	bad := filepath.Join(dir, "bad.toml")
	os.WriteFile(bad, []byte("chain_id = 0\nshanghai_time = 5\n"), 0o644)
	if _, err := cityctl("genesis", "new", "--config", bad, "--out", filepath.Join(dir, "x.json")); exitCode(err) != 2 || !strings.Contains(err.Error(), "shanghai_time") {
		t.Errorf("genesis new with a bad config: have %v, want exit 2 naming shanghai_time", err)
	}
	if _, err := cityctl("genesis", "verify", "--config", cfg); exitCode(err) != 2 {
		t.Errorf("genesis verify without a file: have %v, want exit 2", err)
	}
}
