package docsrun

import (
	"fmt"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// modulePath is the import path of the module's root.
const modulePath = "github.com/citychain/citychain/"

// TestImportsFollowTheMap fails when a package's non-test files import a
// package the "## Imports" table of docs/architecture.md forbids it: the
// map's layers hold only while no import crosses them upward.
func TestImportsFollowTheMap(t *testing.T) {
	rules, err := importRules(filepath.Join(repoRoot, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	if len(rules) < 5 {
		t.Fatalf("read %d rules from docs/architecture.md's Imports table, want its every row", len(rules))
	}
	imports, err := moduleImports(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	if len(imports) < 50 {
		t.Fatalf("read the imports of %d packages, want the whole module", len(imports))
	}
	for _, v := range importViolations(rules, imports) {
		t.Error(v)
	}
}

// TestImportViolationsFound checks the checker itself: each forbidden
// import of a made-up package is reported, an allowed one is not.
func TestImportViolationsFound(t *testing.T) {
	rules, err := importRules(filepath.Join(repoRoot, "docs", "architecture.md"))
	if err != nil {
		t.Fatal(err)
	}
	imports := map[string][]string{
		"genesis/x":           {"internal/node", "internal/cmdkit/atomicfile"},
		"contracts/y/ytest":   {"internal/testkit/proctest"},
		"internal/client/z":   {"internal/node", "internal/node/allowlist"},
		"internal/cmdkit/w":   {"genesis"},
		"internal/node/v":     {"internal/node/gossip"},
		"internal/testkit/u":  {"cmd/citynode"},
		"cmd/cityctl":         {"internal/testkit/testnet", "internal/node/allowlist"},
		"internal/gateway/tt": {"internal/client/registry"},
	}
	have := importViolations(rules, imports)
	want := []string{"contracts/y/ytest imports internal/testkit/proctest", "genesis/x imports internal/node",
		"internal/client/z imports internal/node", "internal/cmdkit/w imports genesis", "internal/testkit/u imports cmd/citynode"}
	if len(have) != len(want) {
		t.Fatalf("found %d violations, want %d:\n%s", len(have), len(want), strings.Join(have, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(have[i], want[i]+",") {
			t.Errorf("violation %d: have %q, want it to start %q", i, have[i], want[i])
		}
	}
}

// importRule is a row of the Imports table: packages matching importer
// may not import packages matching any of forbidden.
type importRule struct {
	importer, forbidden []string
}

// importRowRE is a row of the Imports table: two cells of backquoted patterns.
var importRowRE = regexp.MustCompile("^\\| (`[^|]+`) \\| (`[^|]+`) \\|$")

// importRules reads the "## Imports" table of the document at path.
func importRules(path string) ([]importRule, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	_, section, ok := strings.Cut(string(data), "\n## Imports\n")
	if !ok {
		return nil, fmt.Errorf("%s has no \"## Imports\" section: put back the table of what each layer may not import", path)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	var rules []importRule
	for _, line := range strings.Split(section, "\n") {
		if m := importRowRE.FindStringSubmatch(line); m != nil {
			rules = append(rules, importRule{importer: patterns(m[1]), forbidden: patterns(m[2])})
		}
	}
	return rules, nil
}

// patterns splits a cell of backquoted, comma-separated patterns.
func patterns(cell string) []string {
	var out []string
	for _, p := range strings.Split(cell, ", ") {
		out = append(out, strings.Trim(p, "`"))
	}
	return out
}

// matches tells whether package pkg matches pattern: P/... is P and every
// package below it, anything else that package alone.
func matches(pattern, pkg string) bool {
	if base, ok := strings.CutSuffix(pattern, "/..."); ok {
		return pkg == base || strings.HasPrefix(pkg, base+"/")
	}
	return pkg == pattern
}

// importViolations lists, sorted, each import of imports (package ->
// module-relative imports) a rule forbids.
func importViolations(rules []importRule, imports map[string][]string) []string {
	var out []string
	for pkg, deps := range imports {
		for _, r := range rules {
			if !slices.ContainsFunc(r.importer, func(p string) bool { return matches(p, pkg) }) {
				continue
			}
			for _, dep := range deps {
				if i := slices.IndexFunc(r.forbidden, func(p string) bool { return matches(p, dep) }); i >= 0 {
					out = append(out, fmt.Sprintf("%s imports %s, which docs/architecture.md's Imports table forbids it (%s may not import %s): move the code down a layer or hand %s an interface",
						pkg, dep, strings.Join(r.importer, ", "), r.forbidden[i], pkg))
				}
			}
		}
	}
	slices.SortFunc(out, func(a, b string) int { return strings.Compare(a, b) })
	return out
}

// moduleImports reads the imports of every package's non-test files under
// root: package -> imported packages of the module, both relative to root.
func moduleImports(root string) (map[string][]string, error) {
	pkgs, err := goPackages(root)
	if err != nil {
		return nil, err
	}
	imports := map[string][]string{}
	for _, pkg := range pkgs {
		files, err := filepath.Glob(filepath.Join(root, filepath.FromSlash(pkg), "*.go"))
		if err != nil {
			return nil, err
		}
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			parsed, err := parser.ParseFile(token.NewFileSet(), f, nil, parser.ImportsOnly)
			if err != nil {
				return nil, err
			}
			for _, spec := range parsed.Imports {
				path, _ := strconv.Unquote(spec.Path.Value)
				if rel, ok := strings.CutPrefix(path, modulePath); ok && !slices.Contains(imports[pkg], rel) {
					imports[pkg] = append(imports[pkg], rel)
				}
			}
		}
	}
	return imports, nil
}
