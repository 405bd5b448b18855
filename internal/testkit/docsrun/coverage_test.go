package docsrun

import (
	"strings"
	"testing"
)

// TestEveryCommandCovered fails when a command line of README.md or
// docs/*.md is neither run by a docs session, nor run by a test elsewhere
// that verifiably holds it, nor exempt with a reason (ADR 042).
func TestEveryCommandCovered(t *testing.T) {
	problems, err := Check(repoRoot, Exempt, Elsewhere)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range problems {
		t.Error(p)
	}
	if len(problems) > 0 {
		t.Logf("%d problems: docs/testing.md, \"Documentation that runs\", says how to run a documented command in a test", len(problems))
	}
}

// TestCoverageCounts logs how the documented commands are covered.
func TestCoverageCounts(t *testing.T) {
	cmds, err := All(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	sessions, err := Sessions(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	var run, elsewhere, exempt int
	for _, c := range cmds {
		switch {
		case sessions[c.File][c.Key] != "":
			run++
		case covered(c):
			elsewhere++
		default:
			exempt++
		}
	}
	t.Logf("%d documented command lines: %d run by docs sessions, %d run by other tests, %d exempt", len(cmds), run, elsewhere, exempt)
}

func covered(c Command) bool {
	for _, e := range Elsewhere {
		if e.File == c.File && (e.Key == c.Key || (e.Block != "" && e.Block == c.Block)) {
			return true
		}
	}
	return false
}

// TestCheckFindsUncovered: a command line added to a document without a test
// is reported with its file, line and what to do; an Elsewhere entry whose
// test does not hold the line is refused.
func TestCheckFindsUncovered(t *testing.T) {
	problems, err := Check("testdata/repo", nil, []Covered{
		{File: "README.md", Key: "citynode version", Test: "x_test.go", Func: "TestX"},
		{File: "README.md", Key: "cityctl gone", Test: "x_test.go", Func: "TestX"},
	})
	if err != nil {
		t.Fatal(err)
	}
	all := strings.Join(problems, "\n")
	for _, want := range []string{
		"README.md:4: make run\n\tis run by no test: run it as printed in a docs session",
		"internal/testkit/docsrun/exempt.go",
		`x_test.go does not contain "citynode version"`,
		`README.md has no command "cityctl gone"`,
		`runs "cityctl doc verify" of README.md, which the document does not print`,
	} {
		if !strings.Contains(all, want) {
			t.Errorf("problems lack %q:\n%s", want, all)
		}
	}
	if strings.Contains(all, "README.md:5: cityctl doc issue") {
		t.Errorf("a command a session runs is reported:\n%s", all)
	}
}
