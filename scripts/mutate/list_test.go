package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestParse(t *testing.T) {
	list, err := Parse(strings.NewReader(`
# a comment
[sealer-memory]
guards: the sealer remembers what it signed
file: consensus/sealer/sealer.go
from: s.last = block
to: _ = block
test: ./consensus/sealer TestA TestB

[two-lines]
guards: something
file: a.go
from: if x {\n\t\treturn
to: if !x {\n\t\treturn
test: ./a TestC
build: contracts
timeout: 90s
`))
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 2 {
		t.Fatalf("entries: have %d, want 2", len(list))
	}
	m := list[0]
	if m.ID != "sealer-memory" || m.From != "s.last = block" || m.To != "_ = block" || m.Package != "./consensus/sealer" ||
		m.RunPattern() != "^(TestA|TestB)$" || m.Timeout != defaultTimeout || m.Line != 3 {
		t.Errorf("first entry: have %+v", m)
	}
	m = list[1]
	if m.From != "if x {\n\t\treturn" || m.To != "if !x {\n\t\treturn" || m.Build != "contracts" || m.Timeout != 90*time.Second {
		t.Errorf("second entry: have %+v", m)
	}
}

// TestParseErrors: every mistake in a list is reported with its line.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		name, list, want string
	}{
		{"outside an entry", "file: x.go\n", `line 1: "file: x.go" outside an entry`},
		{"bad id", "[Bad_ID]\n", `line 1: invalid id "Bad_ID"`},
		{"duplicate id", "[a]\nguards: g\nfile: f\nfrom: x\nto: y\ntest: ./p TestX\n[a]\n", `line 7: id "a" already used on line 1`},
		{"no guards", "[a]\nfile: f\nfrom: x\nto: y\ntest: ./p TestX\n", "says nothing under guards"},
		{"no test", "[a]\nguards: g\nfile: f\nfrom: x\nto: y\n", "needs file, from and test"},
		{"not a test name", "[a]\nguards: g\nfile: f\nfrom: x\nto: y\ntest: ./p helper\n", `test "helper" is not a test function name`},
		{"same text", "[a]\nguards: g\nfile: f\nfrom: x\nto: x\ntest: ./p TestX\n", "from and to are the same"},
		{"unknown key", "[a]\nguard: g\n", `unknown key "guard"`},
		{"bad timeout", "[a]\ntimeout: soon\n", `timeout "soon"`},
		{"package path", "[a]\nguards: g\nfile: f\nfrom: x\nto: y\ntest: consensus/sealer TestX\n", "want a path relative to the repository root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Parse(strings.NewReader(tt.list))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("have %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestApply(t *testing.T) {
	m := &Mutation{ID: "x", File: "f.go", From: "a > b", To: "a >= b", Line: 4}
	if have, err := m.Apply("if a > b {"); err != nil || have != "if a >= b {" {
		t.Errorf("once: have %q, %v", have, err)
	}
	if _, err := m.Apply("if a < b {"); err == nil || !strings.Contains(err.Error(), "not found (the code moved") {
		t.Errorf("missing: have %v, want a not-found error", err)
	}
	if _, err := m.Apply("a > b; a > b"); err == nil || !strings.Contains(err.Error(), "occurs 2 times") {
		t.Errorf("twice: have %v, want an ambiguity error", err)
	}
}

// TestListApplies checks the repository's list as every test run does, so
// that code moved away from an entry fails `make test` as well as `make
// mutate`: every entry parses, applies to its file exactly once, names a
// package directory that exists, and is listed in docs/testing.md.
func TestListApplies(t *testing.T) {
	root := filepath.Join("..", "..")
	f, err := os.Open(filepath.Join(root, "scripts", "mutations.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	list, err := Parse(f)
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 25 {
		t.Errorf("mutations: have %d, want at least 25", len(list))
	}
	doc, err := os.ReadFile(filepath.Join(root, "docs", "testing.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range list {
		if !strings.Contains(string(doc), "| `"+m.ID+"` |") {
			t.Errorf("[%s] is not in the table of docs/testing.md", m.ID)
		}
		src, err := os.ReadFile(filepath.Join(root, m.File))
		if err != nil {
			t.Errorf("[%s] %v", m.ID, err)
			continue
		}
		if _, err := m.Apply(string(src)); err != nil {
			t.Error(err)
		}
		if info, err := os.Stat(filepath.Join(root, m.Package)); err != nil || !info.IsDir() {
			t.Errorf("[%s] package %s: not a directory", m.ID, m.Package)
		}
	}
}
