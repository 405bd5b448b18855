package docsrun

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	testSpanRE = regexp.MustCompile("`((?:Test|Fuzz|Benchmark)[A-Z][A-Za-z0-9_]*)`")
	testFuncRE = regexp.MustCompile(`(?m)^func ((?:Test|Fuzz|Benchmark)[A-Za-z0-9_]*)\(`)
)

// testsNotHere are test names the documents give that are not tests of
// this repository, with what they are.
var testsNotHere = map[string]string{
	"BenchmarkEcrecoverSignature": "go-ethereum's own benchmark (docs/benchmarks.md)",
	"TestLateRoundTakesIncoming":  "the test of a change reverted with it, as docs/benchmarks.md says",
	"FuzzXxx":                     "docs/testing.md's placeholder",
}

// TestNamedTestsExist checks that every test, fuzz target or benchmark that
// README.md, docs/*.md and CHANGELOG.md name in a code span (the invariants'
// tests of docs/testing.md and docs/security.md among them) exists.
func TestNamedTestsExist(t *testing.T) {
	cmd := exec.Command("git", "ls-files", "*_test.go")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	funcs := map[string]bool{}
	for _, f := range strings.Fields(string(out)) {
		data, err := os.ReadFile(filepath.Join(repoRoot, f))
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range testFuncRE.FindAllStringSubmatch(string(data), -1) {
			funcs[m[1]] = true
		}
	}
	for _, doc := range readDocs(t) {
		for i, line := range doc.lines {
			for _, m := range testSpanRE.FindAllStringSubmatch(line, -1) {
				if !funcs[m[1]] && testsNotHere[m[1]] == "" {
					t.Errorf("%s:%d: names %s, which no _test.go file of the repository defines", doc.name, i+1, m[1])
				}
			}
		}
	}
}
