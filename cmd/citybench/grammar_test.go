package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// TestCompareFlagsAfterArguments: `citybench compare BASE CANDIDATE --out
// FILE` takes its flag after the report files, and bad usage exits 2.
func TestCompareFlagsAfterArguments(t *testing.T) {
	dir := t.TempDir()
	base, cand, out := filepath.Join(dir, "base.json"), filepath.Join(dir, "cand.json"), filepath.Join(dir, "ratios.json")
	os.WriteFile(base, []byte(`{"label":"geth","workload":"transfer","txs":10,"mined":10,"complete":true}`), 0o600)
	os.WriteFile(cand, []byte(`{"label":"citynode","workload":"transfer","txs":10,"mined":10,"complete":true}`), 0o600)
	run := func(args ...string) (int, string) {
		var stdout, stderr bytes.Buffer
		app := newApp()
		app.Writer, app.ErrWriter = &stdout, &stderr
		return cliutil.Run(context.Background(), app, append([]string{"citybench"}, args...)), stderr.String()
	}
	if code, stderr := run("compare", base, cand, "--out", out); code != 0 {
		t.Fatalf("compare with --out after the reports: exit status %d\n%s", code, stderr)
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("--out after the reports was not written: %v", err)
	}
	if code, stderr := run("compare", base, "--out", out); code != 2 || !strings.HasPrefix(stderr, "citybench: error: usage: citybench compare") {
		t.Errorf("compare of one report: have exit status %d, %q; want 2 and the usage", code, stderr)
	}
}
