package docsrun

import (
	"os/exec"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var (
	tomlTagRE = regexp.MustCompile(`toml:"([a-z_]+)`)
	// "[log] verbosity, json, vmodule" in prose.
	tomlSectionRE = regexp.MustCompile(`\[([a-z]+)\] ([a-z_]+(?:, [a-z_]+)*)`)
	// `upstream.maxlag`, `relayer.*` in a table's TOML column.
	tomlDottedRE = regexp.MustCompile("`([a-z]+)\\.([a-z_]+|\\*)`")
)

// TestTOMLKeysExist checks that every TOML section and key README.md,
// docs/*.md and CHANGELOG.md name ("[log] verbosity, json", and the TOML
// column of docs/gateway.md's flag table) is one a configuration struct of
// the code decodes.
func TestTOMLKeysExist(t *testing.T) {
	cmd := exec.Command("git", "grep", "-h", `toml:"`, "--", "*.go", ":!*_test.go")
	cmd.Dir = repoRoot
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git grep: %v", err)
	}
	keys := map[string]bool{"*": true}
	for _, m := range tomlTagRE.FindAllStringSubmatch(string(out), -1) {
		keys[m[1]] = true
	}
	for _, doc := range readDocs(t) {
		tomlCol := -1
		for i, line := range doc.lines {
			var named []string
			for _, m := range tomlSectionRE.FindAllStringSubmatch(line, -1) {
				named = append(named, m[1])
				named = append(named, strings.Split(m[2], ", ")...)
			}
			if cells := tableCells(line); strings.HasPrefix(line, "|") && cells[0] == "flag" {
				tomlCol = slices.Index(cells, "TOML")
			} else if !strings.HasPrefix(line, "|") {
				tomlCol = -1
			} else if tomlCol > 0 && tomlCol < len(cells) {
				for _, m := range tomlDottedRE.FindAllStringSubmatch(cells[tomlCol], -1) {
					named = append(named, m[1], m[2])
				}
			}
			for _, k := range named {
				if !keys[k] {
					t.Errorf("%s:%d: names the TOML key %s, which no configuration struct decodes", doc.name, i+1, k)
				}
			}
		}
	}
	if len(keys) < 50 {
		t.Fatalf("found %d TOML keys in the code, want them all", len(keys))
	}
}
