package docsrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestReadmeStartsWithSetup checks that README.md opens, under its title,
// with the two set-up commands and nothing else: a sh block whose command
// lines are exactly `make run` and `make test` (comments after them allowed).
func TestReadmeStartsWithSetup(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(data), "\n")
	if len(lines) < 6 || !strings.HasPrefix(lines[0], "# ") || lines[1] != "" || lines[2] != "```sh" {
		t.Fatalf("README.md must open with its title, a blank line and a ```sh block of the set-up commands; it opens with:\n%s", strings.Join(lines[:min(6, len(lines))], "\n"))
	}
	cmds, err := Parse(repoRoot, "README.md")
	if err != nil {
		t.Fatal(err)
	}
	var first []string
	for _, c := range cmds {
		if c.Line > 3 && c.Line < 6 {
			first = append(first, c.Key)
		}
	}
	if len(first) != 2 || first[0] != "make run" || first[1] != "make test" || lines[5] != "```" {
		t.Errorf("README.md's first block: have commands %q (block closed on line 6: %v), want exactly [make run, make test]", first, lines[5] == "```")
	}
}
