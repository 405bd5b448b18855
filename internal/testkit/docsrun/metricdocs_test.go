package docsrun

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// metricDocs are the documents whose tables document citychain's and
// citygate's metrics.
var metricDocs = []string{"docs/operations.md", "docs/gateway.md"}

// flagGatedMetrics are the metrics a process registers only with a flag (or
// mode) set: a run without it does not show them, so the documents must say
// which flag: each one's table row names the flag.
var flagGatedMetrics = map[string]string{
	"citychain_backfill_lowest_block":         "--sync.pivot finalized",
	"citychain_backfill_remaining_blocks":     "--sync.pivot finalized",
	"citychain_rpc_refused_total":             "--http.rpc-deny",
	"citychain_p2p_gossip_transactions_total": "--txpool.gossipbatch",
}

var (
	// A metric name as code gives it: a whole Go string literal.
	metricLiteralRE = regexp.MustCompile(`"((?:citychain|citygate)_[a-z0-9_]*[a-z0-9])"`)
	// A name put together from a prefix, which the guard cannot read.
	metricPrefixRE = regexp.MustCompile(`"(?:citychain|citygate)_[a-z0-9_]*_"\s*\+`)
	// A metric name in a document; a name followed by * is a family
	// (`citychain_clique_*`), not a metric.
	metricDocRE = regexp.MustCompile(`\b((?:citychain|citygate)_[a-z0-9_]*[a-z0-9])(_?\*)?`)
)

// codeMetrics returns the citychain_ and citygate_ metric names that the
// repository's non-test Go files give, with the files giving each.
func codeMetrics(t *testing.T, root string) map[string][]string {
	t.Helper()
	cmd := exec.Command("git", "ls-files", "*.go")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("git ls-files: %v", err)
	}
	names := map[string][]string{}
	for _, f := range strings.Fields(string(out)) {
		if strings.HasSuffix(f, "_test.go") || strings.HasPrefix(f, "internal/testkit/") {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, f))
		if err != nil {
			t.Fatal(err)
		}
		if p := metricPrefixRE.Find(data); p != nil {
			t.Errorf("%s: a metric name put together from %s: give each metric its whole name as one literal, so that the documents can be checked against it", f, p)
		}
		for _, m := range metricLiteralRE.FindAllStringSubmatch(string(data), -1) {
			names[m[1]] = append(names[m[1]], f)
		}
	}
	return names
}

// docMetrics returns the metric names a document names, and the lines
// naming each.
func docMetrics(t *testing.T, root, doc string) map[string][]string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, doc))
	if err != nil {
		t.Fatal(err)
	}
	names := map[string][]string{}
	for _, line := range strings.Split(string(data), "\n") {
		for _, m := range metricDocRE.FindAllStringSubmatch(line, -1) {
			if m[2] == "" {
				names[m[1]] = append(names[m[1]], line)
			}
		}
	}
	return names
}

// TestMetricsDocumented checks docs/operations.md and docs/gateway.md
// against the code: every citychain_ or citygate_ metric they name is one
// the code registers (a _bucket, _sum or _count series of a histogram counts
// as its histogram), every one the code registers is documented in a table
// row of one of them, and the row of a metric registered only behind a flag
// names the flag (flagGatedMetrics). The names are read from the source, so
// a metric behind a flag is seen without starting anything; the runtime
// checks (internal/node/metrics' TestClusterMetrics, cmd/citygate's
// conformance test) compare a live scrape with the same documents.
func TestMetricsDocumented(t *testing.T) {
	code := codeMetrics(t, repoRoot)
	if len(code) < 50 {
		t.Fatalf("found %d metric names in the Go source, want them all (did the way metrics are named change?)", len(code))
	}
	documented := map[string][]string{}
	for _, doc := range metricDocs {
		for name, lines := range docMetrics(t, repoRoot, doc) {
			base := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				if trimmed, ok := strings.CutSuffix(name, suffix); ok && code[trimmed] != nil {
					base = trimmed
				}
			}
			if code[base] == nil {
				t.Errorf("%s names %s, which no code registers", doc, name)
			}
			documented[base] = append(documented[base], lines...)
		}
	}
	for _, name := range sortedKeys(code) {
		row := tableRow(documented[name], name)
		switch {
		case row == "":
			t.Errorf("%s (registered in %s) has no row in the metric tables of %s", name, strings.Join(code[name], ", "), strings.Join(metricDocs, " or "))
		case flagGatedMetrics[name] != "" && !strings.Contains(row, flagGatedMetrics[name]):
			t.Errorf("%s is registered only with %s, but its row does not say so:\n%s", name, flagGatedMetrics[name], row)
		}
	}
	for name := range flagGatedMetrics {
		if code[name] == nil {
			t.Errorf("flagGatedMetrics lists %s, which no code registers", name)
		}
	}
}

// tableRow returns the table row among lines that documents name (its first
// cell is the name), or "".
func tableRow(lines []string, name string) string {
	for _, l := range lines {
		if strings.HasPrefix(l, "| `"+name+"`") {
			return l
		}
	}
	return ""
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
