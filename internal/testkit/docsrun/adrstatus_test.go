package docsrun

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
)

// An ADR as the status guard reads it.
type adr struct {
	num    int
	file   string // docs/adr/NNN-....md
	status string // the status paragraph, "" if there is none
	body   string // the whole file
}

var (
	adrFileRE    = regexp.MustCompile(`^(\d{3})-.*\.md$`)
	adrRefRE     = regexp.MustCompile(`ADRs? (\d{3})`)
	statusWordRE = regexp.MustCompile(`(?i)^(accepted|rejected|proposed|superseded|deprecated)\b`)
	// A later ADR's own status saying what it changes in earlier ones.
	changesRE = regexp.MustCompile(`(?i)\b(amends|replaces|supersedes)\b`)
	// An earlier ADR's body naming the later ADR that changed a part of it.
	changedByProseRE = regexp.MustCompile(`(?i)(?:superseded|amended|replaced) by ADR (\d{3})`)
	amendedHeadingRE = regexp.MustCompile(`(?m)^## Amendment \([^)]*ADR (\d{3})\)`)
	amendmentRE      = regexp.MustCompile(`(?m)^(?:#{2,3} |\*\*)Amendment\b|\bAmended \(\d{4}-`)
	// CHANGELOG.md saying an entry amended an ADR.
	changelogAmendedRE = regexp.MustCompile(`ADR (\d{3}),? amended`)
)

// readADRs reads every docs/adr/NNN-*.md of the repository at root.
func readADRs(t *testing.T, root string) map[int]*adr {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(root, "docs", "adr"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[int]*adr{}
	for _, e := range entries {
		m := adrFileRE.FindStringSubmatch(e.Name())
		if m == nil {
			continue
		}
		data, err := os.ReadFile(filepath.Join(root, "docs", "adr", e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		n, _ := strconv.Atoi(m[1])
		out[n] = &adr{num: n, file: "docs/adr/" + e.Name(), status: statusParagraph(string(data)), body: string(data)}
	}
	return out
}

// statusParagraph returns an ADR's status: the paragraph of a "Status:"
// line right under the title, or the paragraph under a "## Status" heading
// there, joined into one line; "" when the ADR has neither.
func statusParagraph(text string) string {
	lines := strings.Split(text, "\n")
	i := 1
	for i < len(lines) && strings.TrimSpace(lines[i]) == "" {
		i++
	}
	if i >= len(lines) {
		return ""
	}
	first := strings.TrimSpace(lines[i])
	switch {
	case strings.HasPrefix(first, "Status:"):
		lines[i] = strings.TrimSpace(strings.TrimPrefix(first, "Status:"))
	case first == "## Status":
		i++
	default:
		return ""
	}
	var para []string
	for ; i < len(lines); i++ {
		l := strings.TrimSpace(lines[i])
		if l == "" || strings.HasPrefix(l, "#") {
			break
		}
		para = append(para, l)
	}
	return strings.Join(para, " ")
}

// TestADRStatus checks docs/adr as an auditor reads it: every ADR opens
// with its status (accepted, rejected, ...); an ADR that a later one amends,
// replaces or supersedes in part names that ADR in its status, whether the
// later ADR says so in its own status or the earlier one says it in its body
// ("Superseded by ADR N", "## Amendment (..., ADR N)"); and an ADR with an
// amendment (a section, or a paragraph "Amended (DATE..."), or that
// CHANGELOG.md says was amended, says in its status that it was amended.
func TestADRStatus(t *testing.T) {
	adrs := readADRs(t, repoRoot)
	if len(adrs) < 50 {
		t.Fatalf("read %d ADRs from docs/adr, want the whole directory", len(adrs))
	}
	changelog, err := os.ReadFile(filepath.Join(repoRoot, "CHANGELOG.md"))
	if err != nil {
		t.Fatal(err)
	}
	amendedInChangelog := map[int]bool{}
	for _, m := range changelogAmendedRE.FindAllStringSubmatch(string(changelog), -1) {
		n, _ := strconv.Atoi(m[1])
		amendedInChangelog[n] = true
	}
	nums := make([]int, 0, len(adrs))
	for n := range adrs {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	for _, n := range nums {
		a := adrs[n]
		if a.status == "" {
			t.Errorf("%s: no status: write `Status: accepted (DATE)` (or a `## Status` section) right under the title", a.file)
			continue
		}
		if !statusWordRE.MatchString(a.status) {
			t.Errorf("%s: status %q does not start with accepted, rejected, proposed, superseded or deprecated", a.file, clip(a.status))
		}
		if amendmentRE.MatchString(a.body) && !strings.Contains(strings.ToLower(a.status), "amend") {
			t.Errorf("%s: has an amendment section, but its status %q does not say it was amended", a.file, clip(a.status))
		}
		if amendedInChangelog[n] && !strings.Contains(strings.ToLower(a.status), "amend") {
			t.Errorf("%s: CHANGELOG.md says it was amended, but its status %q does not", a.file, clip(a.status))
		}
		for _, later := range changedBy(a, adrs) {
			if !strings.Contains(a.status, "ADR "+later) {
				t.Errorf("%s: ADR %s amends, replaces or supersedes part of it, but its status %q does not name ADR %s", a.file, later, clip(a.status), later)
			}
		}
	}
}

// changedBy returns the numbers ("NNN") of the later ADRs that say they
// change a: in their own status, or in a's body.
func changedBy(a *adr, adrs map[int]*adr) []string {
	seen := map[string]bool{}
	for _, m := range changedByProseRE.FindAllStringSubmatch(strings.Join(strings.Fields(a.body), " "), -1) {
		seen[m[1]] = true
	}
	for _, m := range amendedHeadingRE.FindAllStringSubmatch(a.body, -1) {
		seen[m[1]] = true
	}
	for n, later := range adrs {
		if n <= a.num || !changesRE.MatchString(later.status) {
			continue
		}
		for _, m := range adrRefRE.FindAllStringSubmatch(later.status, -1) {
			if m[1] == fmt.Sprintf("%03d", a.num) {
				seen[fmt.Sprintf("%03d", n)] = true
			}
		}
	}
	var out []string
	for n := range seen {
		if num, _ := strconv.Atoi(n); num > a.num {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

// clip shortens a status for a message.
func clip(s string) string {
	if len(s) > 120 {
		return s[:120] + "..."
	}
	return s
}
