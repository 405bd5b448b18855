package docsrun

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

var (
	// A path of the repository as prose names it; one followed by
	// .Identifier is a Go symbol (internal/node/ethcall.Handler).
	repoPathRE = regexp.MustCompile(`\b(?:internal|cmd|consensus|scripts|contracts|genesis|params|docker)/[A-Za-z0-9_./-]*[A-Za-z0-9_]`)
	docRefRE   = regexp.MustCompile(`\bdocs/[a-z0-9/-]+\.(?:md|json)\b`)
	adrRefsRE  = regexp.MustCompile(`\bADR (\d{3})\b`)
)

// notInRepo are paths the documents name that are not files of the
// repository, with what they are.
var notInRepo = map[string]string{
	"docker/secrets/signer-password": "made by make network-up (docs/deployment.md)",
	"internal/ethapi":                "go-ethereum's package",
}

// TestReferencesExist checks that every document README.md, CHANGELOG.md,
// docs/*.md and the ADRs send a reader to (docs/NAME.md, ADR NNN) exists,
// and so does every path of the repository README.md, CHANGELOG.md and
// docs/*.md name (the ADRs may name what was there when they were written).
func TestReferencesExist(t *testing.T) {
	docs, err := Documents(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	adrs, err := filepath.Glob(filepath.Join(repoRoot, "docs", "adr", "*.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range adrs {
		rel, _ := filepath.Rel(repoRoot, a)
		docs = append(docs, filepath.ToSlash(rel))
	}
	docs = append(docs, "CHANGELOG.md")
	for _, doc := range docs {
		current := !strings.HasPrefix(doc, "docs/adr/")
		data, err := os.ReadFile(filepath.Join(repoRoot, doc))
		if err != nil {
			t.Fatal(err)
		}
		for i, line := range strings.Split(string(data), "\n") {
			for _, ref := range docRefRE.FindAllString(line, -1) {
				if _, err := os.Stat(filepath.Join(repoRoot, ref)); err != nil {
					t.Errorf("%s:%d: names %s, which does not exist", doc, i+1, ref)
				}
			}
			for _, loc := range repoPathRE.FindAllStringIndex(line, -1) {
				ref := strings.TrimSuffix(line[loc[0]:loc[1]], ".")
				if !current || notInRepo[ref] != "" || strings.Contains(ref, ".") && symbolAfterDot(ref) {
					continue
				}
				if _, err := os.Stat(filepath.Join(repoRoot, ref)); err != nil {
					t.Errorf("%s:%d: names %s, which is not in the repository", doc, i+1, ref)
				}
			}
			for _, m := range adrRefsRE.FindAllStringSubmatch(line, -1) {
				if found, _ := filepath.Glob(filepath.Join(repoRoot, "docs", "adr", m[1]+"-*.md")); len(found) == 0 {
					t.Errorf("%s:%d: names ADR %s, which docs/adr does not hold", doc, i+1, m[1])
				}
			}
		}
	}
}

// symbolAfterDot reports whether path ends in .Identifier (a Go symbol of a
// package) rather than a file extension.
func symbolAfterDot(path string) bool {
	i := strings.LastIndex(path, ".")
	return i >= 0 && i+1 < len(path) && path[i+1] >= 'A' && path[i+1] <= 'Z'
}
