package docsrun

import (
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// TestArchitectureListsEveryPackage fails when a Go package of the module
// is missing from the package table of docs/architecture.md, stands in it
// more than once, or when the table names a package that does not exist:
// the map says where code goes only while it names every package once.
func TestArchitectureListsEveryPackage(t *testing.T) {
	pkgs, err := goPackages(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	listed, err := packageTable(filepath.Join(repoRoot, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(pkgs) < 50 {
		t.Fatalf("found %d packages under %s, want the whole module", len(pkgs), repoRoot)
	}
	for _, p := range pkgs {
		if n := listed[p]; n != 1 {
			t.Errorf("package %s stands in %d rows of docs/architecture.md's package table: give it exactly one row, `%s` | its job in one line", p, n, p)
		}
	}
	for p := range listed {
		if !slices.Contains(pkgs, p) {
			t.Errorf("docs/architecture.md's package table names %s, which holds no Go package: remove or rename its row", p)
		}
	}
}

// goPackages returns the folders under root, relative to it, that hold a
// .go file, passing over those the go command ignores and built or
// installed trees.
func goPackages(root string) ([]string, error) {
	var pkgs []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") || name == "testdata" || name == "node_modules" || name == "build" || name == "vendor") {
				return filepath.SkipDir
			}
			return nil
		}
		if strings.HasSuffix(name, ".go") {
			rel, err := filepath.Rel(root, filepath.Dir(path))
			if err != nil {
				return err
			}
			if rel == "." {
				rel = "(root)"
			}
			if !slices.Contains(pkgs, filepath.ToSlash(rel)) {
				pkgs = append(pkgs, filepath.ToSlash(rel))
			}
		}
		return nil
	})
	return pkgs, err
}

// tableRowRE is a row of the package table: its first cell, the
// package(s) in backquotes.
var tableRowRE = regexp.MustCompile("^\\| (`[^|]+`) \\|")

// packageTable counts the rows of the "## Packages" section of the
// document at path that name each package.
func packageTable(path string) (map[string]int, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, section, _ := strings.Cut(string(data), "\n## Packages\n")
	section, _, _ = strings.Cut(section, "\n## ")
	listed := map[string]int{}
	for _, line := range strings.Split(section, "\n") {
		m := tableRowRE.FindStringSubmatch(line)
		if m == nil {
			continue
		}
		for _, name := range strings.Split(m[1], ", ") {
			listed[strings.Trim(name, "`")]++
		}
	}
	return listed, nil
}
