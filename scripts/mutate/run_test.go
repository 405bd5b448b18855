package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// tinyRepo makes a git work tree holding a one-package module, calc, whose
// Max is tested and Min is not, with the mutation list list.
func tinyRepo(t *testing.T, list string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":                "module example.com/tiny\n\ngo 1.22\n",
		"calc/calc.go":          "package calc\n\nfunc Max(a, b int) int {\n\tif a > b {\n\t\treturn a\n\t}\n\treturn b\n}\n\nfunc Min(a, b int) int {\n\tif a < b {\n\t\treturn a\n\t}\n\treturn b\n}\n",
		"calc/calc_test.go":     "package calc\n\nimport \"testing\"\n\nfunc TestMax(t *testing.T) {\n\tif Max(2, 1) != 2 || Max(1, 2) != 2 {\n\t\tt.Fatal(\"Max is wrong\")\n\t}\n}\n",
		"scripts/mutations.txt": list,
	}
	for name, content := range files {
		path := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if out, err := exec.Command("git", "-C", dir, "init", "-q").CombinedOutput(); err != nil {
		t.Fatalf("git init: %v\n%s", err, out)
	}
	t.Chdir(dir)
	return dir
}

const tinyList = `
[max-order]
guards: Max returns the larger
file: calc/calc.go
from: if a > b {
to: if a < b {
test: ./calc TestMax

[min-untested]
guards: Min returns the smaller
file: calc/calc.go
from: if a < b {
to: if a > b {
test: ./calc TestMax

[min-does-not-build]
guards: Min returns an int
file: calc/calc.go
from: func Min(a, b int) int {
to: func Min(a, b int) string {
test: ./calc TestMax
`

// TestRunOutcomes runs the tool on a tiny repository: a mutation the test
// catches is killed, one it does not catch survives, one that does not
// build is broken, and only the first passes check. The real tree is left
// as it was.
func TestRunOutcomes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a scratch module")
	}
	dir := tinyRepo(t, tinyList)
	before, _ := os.ReadFile(filepath.Join(dir, "calc", "calc.go"))
	var out bytes.Buffer
	results, err := run(options{list: "scripts/mutations.txt", out: &out})
	if err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	want := map[string]outcome{"max-order": killed, "min-untested": survived, "min-does-not-build": broken}
	if len(results) != len(want) {
		t.Fatalf("results: have %d, want %d\n%s", len(results), len(want), out.String())
	}
	for _, r := range results {
		if r.outcome != want[r.m.ID] {
			t.Errorf("[%s]: have %s, want %s (%s)", r.m.ID, r.outcome, want[r.m.ID], r.detail)
		}
	}
	err = check(results)
	if err == nil || !strings.Contains(err.Error(), "SURVIVED [min-untested]") || !strings.Contains(err.Error(), "BROKEN [min-does-not-build]") ||
		strings.Contains(err.Error(), "max-order") {
		t.Errorf("check: have %v, want the survivor and the broken one named", err)
	}
	if after, _ := os.ReadFile(filepath.Join(dir, "calc", "calc.go")); !bytes.Equal(after, before) {
		t.Error("the real tree was modified")
	}

	// -only and -discover, as docs/testing.md prints them.
	out.Reset()
	if _, err := run(options{list: "scripts/mutations.txt", only: "max-order", discover: true, out: &out}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out.String(), "[max-order]") || !strings.Contains(out.String(), "failing tests of ./calc: TestMax(") {
		t.Errorf("-discover output: have\n%s\nwant TestMax listed for max-order", out.String())
	}
	out.Reset()
	results, err = run(options{list: "scripts/mutations.txt", only: "max-order", out: &out})
	if err != nil || len(results) != 1 || check(results) != nil {
		t.Errorf("-only max-order: have %v, %v\n%s", results, err, out.String())
	}
}

// TestRunRefuses: an entry whose text moved, and an entry naming a test
// that does not exist, stop the run before any mutation is tried.
func TestRunRefuses(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test on a scratch module")
	}
	tests := []struct{ name, list, want string }{
		{"moved", "[gone]\nguards: g\nfile: calc/calc.go\nfrom: if a >= b {\nto: if a < b {\ntest: ./calc TestMax\n", "not found (the code moved"},
		{"no such test", "[typo]\nguards: g\nfile: calc/calc.go\nfrom: if a > b {\nto: if a < b {\ntest: ./calc TestMaxx\n", "test TestMaxx did not run and pass"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tinyRepo(t, tt.list)
			var out bytes.Buffer
			if _, err := run(options{list: "scripts/mutations.txt", out: &out}); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("have %v, want an error containing %q\n%s", err, tt.want, out.String())
			}
		})
	}
}
