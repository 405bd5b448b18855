package docsrun

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
)

var (
	makeSpanRE      = regexp.MustCompile("`(?:[A-Z_][A-Z0-9_]*=\\S* )*make ([a-z][a-z0-9-]*)")
	makeTargetRE    = regexp.MustCompile(`(?m)^([a-z][a-z0-9-]*):`)
	scriptSettingRE = regexp.MustCompile(`\b(?:BENCH|JOIN|GATE|RECOUNT|BALLOT|AUDIT|FAULTS|FUZZ|CITYCHAIN)_[A-Z0-9_]*[A-Z0-9]\b`)
)

// TestMakeTargetsAndSettingsExist checks that every `make TARGET` README.md,
// docs/*.md and CHANGELOG.md name in a code span is a target of the
// Makefile, and that every benchmark, fault-suite or compose setting they
// name (BENCH_*, JOIN_*, GATE_*, RECOUNT_*, BALLOT_*, AUDIT_*, FAULTS_*,
// FUZZ*, CITYCHAIN_*) is read by the Makefile, a script, the compose files
// or the Go code.
func TestMakeTargetsAndSettingsExist(t *testing.T) {
	makefile, err := os.ReadFile(filepath.Join(repoRoot, "Makefile"))
	if err != nil {
		t.Fatal(err)
	}
	targets := map[string]bool{}
	for _, m := range makeTargetRE.FindAllStringSubmatch(string(makefile), -1) {
		targets[m[1]] = true
	}
	settings := map[string]string{}
	for _, doc := range readDocs(t) {
		for i, line := range doc.lines {
			for _, m := range makeSpanRE.FindAllStringSubmatch(line, -1) {
				if !targets[m[1]] {
					t.Errorf("%s:%d: names `make %s`, which the Makefile does not have", doc.name, i+1, m[1])
				}
			}
			for _, name := range scriptSettingRE.FindAllString(line, -1) {
				if settings[name] == "" {
					settings[name] = doc.name + ":" + strconv.Itoa(i+1)
				}
			}
		}
	}
	for _, name := range sortedKeys(settings) {
		cmd := exec.Command("git", "grep", "-q", "-w", name, "--", "Makefile", "scripts", "docker", "*.go", ":!*_test.go")
		cmd.Dir = repoRoot
		if err := cmd.Run(); err != nil {
			t.Errorf("%s: names %s, which nothing in the Makefile, scripts/, docker/ or the Go code reads", settings[name], name)
		}
	}
}
