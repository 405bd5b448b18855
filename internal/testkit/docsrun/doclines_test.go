package docsrun

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// docText is one document's lines, numbered from 1 by their index + 1.
type docText struct {
	name  string
	lines []string
}

// readDocs returns README.md's, docs/*.md's and CHANGELOG.md's lines, the
// documents whose references the guards check.
func readDocs(t *testing.T) []docText {
	t.Helper()
	docs, err := Documents(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	var out []docText
	for _, doc := range append(docs, "CHANGELOG.md") {
		data, err := os.ReadFile(filepath.Join(repoRoot, doc))
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, docText{doc, strings.Split(string(data), "\n")})
	}
	return out
}
