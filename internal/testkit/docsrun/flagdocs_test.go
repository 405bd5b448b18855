package docsrun

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// ourBinaries are the commands whose flags the documents are checked
// against.
var ourBinaries = []string{"citynode", "cityctl", "citygate", "citybench"}

// foreignFlags are flags the documents name in a code span of their own
// that belong to another program, with that program.
var foreignFlags = map[string]string{
	"--allow-insecure-unlock": "geth 1.13.15 (docs/benchmarks.md's baseline)",
	"--mine":                  "geth 1.13.15",
	"--miner.etherbase":       "geth 1.13.15",
	"--unlock":                "geth 1.13.15",
	"--networkid":             "geth 1.13.15",
	"--nodiscover":            "geth 1.13.15",
	"--jsonrpc-experimental":  "Nethermind (docs/integration.md)",
	"--configdir":             "clef (docs/operations.md, external signer)",
	"--suppress-bootwarn":     "clef",
	"--lightkdf":              "clef",
	"--rules":                 "clef",
	"--nousb":                 "clef",
	"--ipcdisable":            "clef, geth",
	"--auditlog":              "clef",
	"--entrypoint":            "docker",
	"--rm":                    "docker-compose run",
	"--no-deps":               "docker-compose run",
	"--profile":               "docker-compose",
	"--now":                   "systemctl enable --now",
	"--probability":           "iptables -m statistic",
	"--v2":                    "abigen",
	"--flag":                  "docs/cityctl.md's placeholder for any flag",
	"--gcmode":                "geth's, which citynode refuses naming its own (CHANGELOG.md)",
	"--ws.addr":               "geth's, which citynode refuses naming its own",
	"--ws.port":               "geth's, which citynode refuses naming its own",
	"--pprof.port":            "geth's, which citynode refuses naming its own",
	"--netrestrict":           "geth's, which citynode refuses naming its own",
}

// hiddenFlags are flags of ours that --help does not list, on purpose.
var hiddenFlags = map[string]string{
	"--fault.clock-offset": "citynode's fault injection, hidden from --help (ADR 073, docs/security.md)",
	"--fault.allow":        "citynode's fault injection, hidden from --help (ADR 073)",
	"--gaslimit":           "cityctl testnet up's old name of --miner.gaslimit, hidden (docs/cityctl.md, Renamed flags)",
	"--allowlist":          "cityctl signer approve/remove's old name of --p2p.allowlist, hidden (docs/cityctl.md)",
}

// A command's help as the flag guard reads it.
type helpPage struct {
	path  []string          // e.g. [cityctl doc issue]
	flags map[string]string // flag -> its default as printed, unquoted ("" if none)
	env   map[string]bool   // the environment variables its flags read
	subs  map[string]*helpPage
}

var (
	helpFlagRE    = regexp.MustCompile(`^\s+(--[a-z][a-z0-9.-]*)(?:, -[a-zA-Z])?(?: value)?(.*)$`)
	helpDefaultRE = regexp.MustCompile(`\(default: ("[^"]*"|[^)]*)\)`)
	helpEnvRE     = regexp.MustCompile(`\$((?:CITYNODE|CITYGATE|CITYCTL|CITYBENCH)_[A-Z0-9_]+)`)
	docEnvRE      = regexp.MustCompile(`\b(?:CITYNODE|CITYGATE|CITYCTL|CITYBENCH)_[A-Z0-9_]*[A-Z0-9]\b`)
	helpCommandRE = regexp.MustCompile(`^\s+([a-z][a-z0-9-]*)(?:, [a-z]+)?\s{2,}\S`)
)

// readHelp runs `path... --help` with the binaries in bin and reads its
// flags and subcommands, recursively.
func readHelp(t *testing.T, bin string, path ...string) *helpPage {
	t.Helper()
	cmd := exec.Command(filepath.Join(bin, path[0]), append(path[1:], "--help")...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s --help: %v\n%s", strings.Join(path, " "), err, out)
	}
	p := &helpPage{path: path, flags: map[string]string{}, env: map[string]bool{}, subs: map[string]*helpPage{}}
	for _, m := range helpEnvRE.FindAllStringSubmatch(string(out), -1) {
		p.env[m[1]] = true
	}
	section := ""
	for _, line := range strings.Split(string(out), "\n") {
		if line != "" && line[0] != ' ' {
			section = strings.TrimSpace(line)
			continue
		}
		if section == "COMMANDS:" {
			if m := helpCommandRE.FindStringSubmatch(line); m != nil && m[1] != "help" {
				p.subs[m[1]] = nil
			}
			continue
		}
		if m := helpFlagRE.FindStringSubmatch(line); m != nil {
			def := ""
			if d := helpDefaultRE.FindStringSubmatch(m[2]); d != nil {
				def = strings.Trim(d[1], `"`)
			}
			p.flags[m[1]] = def
		}
	}
	for sub := range p.subs {
		p.subs[sub] = readHelp(t, bin, append(append([]string{}, path...), sub)...)
	}
	return p
}

// allEnv adds the environment variables of p and its subcommands to into.
func (p *helpPage) allEnv(into map[string]bool) {
	for e := range p.env {
		into[e] = true
	}
	for _, s := range p.subs {
		s.allEnv(into)
	}
}

// envNotInHelp are variables the documents name that no --help lists, with
// why.
var envNotInHelp = map[string]string{
	"CITYNODE_HTTP_PROT":          "CHANGELOG.md's example of a mistyped variable citynode warns about",
	"CITYNODE_FAULT_CLOCK_OFFSET": "the variable of a hidden flag (hiddenFlags)",
	"CITYNODE_FAULT_ALLOW":        "the variable of a hidden flag (hiddenFlags)",
	"CITYNODE_TXTRACE":            "docs/benchmarks.md: a diagnostic build's variable (branch net8-diag), not read by main's citynode",
}

// checkEnv checks that every CITYNODE_, CITYGATE_, CITYCTL_ or CITYBENCH_
// variable a document names is one a flag of ours reads.
func checkEnv(t *testing.T, env map[string]bool, doc string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range strings.Split(string(data), "\n") {
		for _, name := range docEnvRE.FindAllString(line, -1) {
			if !env[name] && envNotInHelp[name] == "" {
				t.Errorf("%s:%d: %s is listed by the --help of none of %s", doc, i+1, name, strings.Join(ourBinaries, ", "))
			}
		}
	}
}

// allFlags adds every flag of p and its subcommands to into, with the
// defaults each is printed with.
func (p *helpPage) allFlags(into map[string]map[string]bool) {
	for f, d := range p.flags {
		if into[f] == nil {
			into[f] = map[string]bool{}
		}
		into[f][d] = true
	}
	for _, s := range p.subs {
		s.allFlags(into)
	}
}

// commandFlags returns the page of the command that words (a command line
// without its binary) runs, and the flags the words give.
func (p *helpPage) commandFlags(words []string) (*helpPage, []string) {
	page := p
	var flags []string
	for _, w := range words {
		if sub := page.subs[w]; sub != nil && len(flags) == 0 {
			page = sub
			continue
		}
		if strings.HasPrefix(w, "--") && len(w) > 2 {
			name, _, _ := strings.Cut(w, "=")
			flags = append(flags, strings.TrimRight(name, ",.;:)"))
		}
	}
	return page, flags
}

var (
	codeSpanRE = regexp.MustCompile("`([^`]+)`")
	// A default stated right after a flag's span, as one value with at
	// most a unit: (default X), (default: X), (default `X`), (default 512
	// MiB), (X by default). Prose such as (default: twice the signer count)
	// is not a value and is not checked.
	spanDefaultRE = regexp.MustCompile("^,? \\((?:default:? `?([^`(),; ]+)`?(?: (?:MiB|GiB|KiB|bytes|blocks|seconds))?|`?([^`(),; ]+)`? by default)\\)")
	envAssignRE   = regexp.MustCompile(`^[A-Z_][A-Z0-9_]*=`)
)

// ourCommand returns the binary a command line or span starts with (after
// any VAR=value), and the words after it; "" if it is not one of ours.
func ourCommand(text string) (string, []string) {
	words := strings.Fields(text)
	for len(words) > 0 && envAssignRE.MatchString(words[0]) {
		words = words[1:]
	}
	if len(words) == 0 {
		return "", nil
	}
	name := strings.TrimPrefix(strings.TrimPrefix(words[0], "./"), "build/bin/")
	for _, b := range ourBinaries {
		if name == b {
			return b, words[1:]
		}
	}
	return "", nil
}

// TestDocumentedFlags checks every flag README.md and docs/*.md name
// against the binaries' --help: a command of ours, in a sh block or a code
// span, gives only flags its own help lists; a flag in a code span of its own
// is a flag of one of our binaries (foreignFlags: another program's;
// hiddenFlags: ours, hidden on purpose); and a default the text states right
// after a flag is the default some command's help prints for it.
func TestDocumentedFlags(t *testing.T) {
	bin := binaries(t)
	pages := map[string]*helpPage{}
	any := map[string]map[string]bool{}
	env := map[string]bool{}
	for _, b := range ourBinaries {
		pages[b] = readHelp(t, bin, b)
		pages[b].allFlags(any)
		pages[b].allEnv(env)
	}
	if len(any) < 100 || len(env) < 100 {
		t.Fatalf("read %d flags from the binaries' help, want them all (did the help format change?)", len(any))
	}
	docs, err := Documents(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	for _, doc := range docs {
		cmds, err := Parse(repoRoot, doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range cmds {
			for _, part := range splitShell(c.Key) {
				checkCommand(t, pages, c.String(), part, false)
			}
		}
		checkSpans(t, pages, any, doc)
		flags := any
		if b := tableBinary[doc]; b != "" {
			flags = map[string]map[string]bool{}
			pages[b].allFlags(flags)
		}
		checkTables(t, flags, doc)
		checkEnv(t, env, doc)
		checkEnumerations(t, pages["cityctl"], doc)
	}
	checkReadmeRows(t, pages)
	checkSpans(t, pages, any, "CHANGELOG.md")
	checkEnv(t, env, "CHANGELOG.md")
}

// splitShell splits a command line at ;, && and |.
func splitShell(line string) []string {
	return strings.FieldsFunc(strings.NewReplacer("&&", ";", "||", ";", "|", ";").Replace(line), func(r rune) bool { return r == ';' })
}

// checkCommand checks the flags of one command of ours. In prose, a flag
// given to a binary that is only a set of subcommands (`cityctl --rpc.ca
// FILE`) names a flag of any of them.
func checkCommand(t *testing.T, pages map[string]*helpPage, where, text string, prose bool) {
	t.Helper()
	b, words := ourCommand(text)
	if b == "" {
		return
	}
	page, flags := pages[b].commandFlags(words)
	shared := map[string]map[string]bool{}
	if prose && page == pages[b] && onlySubcommands(page) {
		page.allFlags(shared)
	}
	for _, f := range flags {
		if _, ok := page.flags[f]; !ok && shared[f] == nil && hiddenFlags[f] == "" && f != "--help" {
			t.Errorf("%s: `%s` has no flag %s (see `%s --help`)", where, strings.Join(page.path, " "), f, strings.Join(page.path, " "))
		}
	}
}

// onlySubcommands reports whether a command does nothing but hold
// subcommands: it has some, and no flag beyond --help and --version.
func onlySubcommands(p *helpPage) bool {
	for f := range p.flags {
		if f != "--help" && f != "--version" {
			return false
		}
	}
	return len(p.subs) > 0
}

// checkSpans checks the code spans of a document's prose.
func checkSpans(t *testing.T, pages map[string]*helpPage, any map[string]map[string]bool, doc string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range proseLines(string(data)) {
		if line == "" {
			continue
		}
		where := doc + ":" + strconv.Itoa(i+1)
		for _, loc := range codeSpanRE.FindAllStringSubmatchIndex(line, -1) {
			span := line[loc[2]:loc[3]]
			if b, _ := ourCommand(span); b != "" {
				checkCommand(t, pages, where, span, true)
				continue
			}
			if !strings.HasPrefix(span, "--") || len(span) < 3 || span[2] < 'a' || span[2] > 'z' {
				continue
			}
			checkFlagSpan(t, any, where, span, line[loc[1]:])
		}
	}
}

// checkFlagSpan checks a code span that is a flag (`--cache`, `--ws=false`,
// `--from|--to`): each flag it names is one of ours, and a default stated
// right after it (rest) is the one help prints.
func checkFlagSpan(t *testing.T, any map[string]map[string]bool, where, span, rest string) {
	t.Helper()
	first, _, _ := strings.Cut(strings.Fields(span)[0], "=")
	alternatives := strings.Split(first, "|")
	for _, name := range alternatives {
		if foreignFlags[name] != "" || hiddenFlags[name] != "" {
			continue
		}
		defaults := any[name]
		if defaults == nil {
			t.Errorf("%s: `%s` is a flag of none of %s (a flag of another program goes in foreignFlags with it)", where, name, strings.Join(ourBinaries, ", "))
			continue
		}
		stated := ""
		if m := spanDefaultRE.FindStringSubmatch(rest); m != nil && len(alternatives) == 1 {
			stated = m[1] + m[2]
		}
		if stated != "" && !defaultMatches(defaults, stated) {
			t.Errorf("%s: `%s` is documented with default %q; --help prints %s", where, name, stated, strings.Join(sortedKeys(defaults), " or "))
		}
	}
}

// defaultMatches reports whether a default stated in prose or a table is
// one that help prints (canonical forms compared).
func defaultMatches(printed map[string]bool, stated string) bool {
	want := canonical(stated)
	for p := range printed {
		for _, a := range canonical(p) {
			if slices.Contains(want, a) {
				return true
			}
		}
	}
	return false
}

// proseLines returns a document's lines with those inside fenced blocks
// blanked, so that line numbers stay right.
func proseLines(text string) []string {
	lines := strings.Split(text, "\n")
	in := false
	fence := ""
	for i, l := range lines {
		trim := strings.TrimSpace(l)
		switch {
		case !in && (strings.HasPrefix(trim, "```") || strings.HasPrefix(trim, "~~~")):
			in, fence = true, trim[:3]
			lines[i] = ""
		case in:
			if strings.HasPrefix(trim, fence) && strings.Trim(trim, fence[:1]) == "" {
				in = false
			}
			lines[i] = ""
		}
	}
	return lines
}

// tableBinary is the binary whose flags a document's flag table lists.
var tableBinary = map[string]string{"README.md": "citynode", "docs/gateway.md": "citygate"}

var (
	rowDefaultRE = regexp.MustCompile("\\(default:? `?([^`(),; ]+)`?(?: (?:MiB|GiB|KiB|bytes|blocks|seconds))?\\)")
	flagSpanRE   = regexp.MustCompile("`(--[a-z][a-z0-9.-]*)[^`]*`")
)

// checkTables checks the flag tables of a document: in a table whose header
// has a "default" column, the defaults of each row (one per flag of its
// first cell, or one for all) are those the binary's help prints; in a row
// whose first cell is one flag, a "(default X)" in the row is checked too.
func checkTables(t *testing.T, flags map[string]map[string]bool, doc string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		t.Fatal(err)
	}
	col := -1
	for i, line := range proseLines(string(data)) {
		if !strings.HasPrefix(line, "|") {
			col = -1
			continue
		}
		cells := tableCells(line)
		if strings.HasPrefix(cells[0], "flag") {
			col = slices.Index(cells, "default")
			continue
		}
		var names []string
		for _, m := range flagSpanRE.FindAllStringSubmatch(cells[0], -1) {
			names = append(names, m[1])
		}
		if len(names) == 0 {
			continue
		}
		where := doc + ":" + strconv.Itoa(i+1)
		var stated []string
		switch {
		case col > 0 && col < len(cells):
			stated = splitDefaults(cells[col])
		case len(names) == 1:
			if m := rowDefaultRE.FindStringSubmatch(line); m != nil {
				stated = []string{m[1]}
			}
		}
		if len(stated) == 0 {
			continue
		}
		if len(stated) == 1 {
			for len(stated) < len(names) {
				stated = append(stated, stated[0])
			}
		}
		if len(stated) != len(names) {
			t.Errorf("%s: %d flags and %d defaults: give one default for each flag, or one for all", where, len(names), len(stated))
			continue
		}
		for j, name := range names {
			printed, ok := flags[name]
			if !ok {
				t.Errorf("%s: `%s` is not a flag of %s", where, name, tableBinary[doc])
				continue
			}
			if !defaultMatches(printed, stated[j]) {
				t.Errorf("%s: `%s` is documented with default %q; `%s --help` prints %s", where, name, stated[j], tableBinary[doc], strings.Join(sortedKeys(printed), " or "))
			}
		}
	}
}

// tableCells returns the trimmed cells of a table row.
func tableCells(line string) []string {
	cells := strings.Split(strings.Trim(strings.TrimSpace(line), "|"), "|")
	for i := range cells {
		cells[i] = strings.TrimSpace(cells[i])
	}
	return cells
}

// splitDefaults splits a default cell ("off, `127.0.0.1`, 6062") at the
// commas outside backquotes, and drops each value's parenthesis ("0 (no
// limit)").
func splitDefaults(cell string) []string {
	var out []string
	var cur strings.Builder
	quoted := false
	for i, r := range cell {
		switch {
		case r == '`':
			quoted = !quoted
			cur.WriteRune(r)
		case r == ',' && !quoted && i+1 < len(cell) && cell[i+1] == ' ' && !(i > 0 && cell[i-1] >= '0' && cell[i-1] <= '9' && i+1 < len(cell) && cell[i+1] >= '0' && cell[i+1] <= '9'):
			out = append(out, cur.String())
			cur.Reset()
		default:
			cur.WriteRune(r)
		}
	}
	out = append(out, cur.String())
	for i, v := range out {
		if p := strings.Index(v, " ("); p > 0 {
			v = v[:p]
		}
		out[i] = strings.TrimSpace(v)
	}
	return out
}

// canonical returns the forms a default value may take: quotes and
// backquotes dropped; off/on/none as false/true/""; a duration in Go's form;
// a number without thousands commas, and a size also in bytes and KiB.
func canonical(v string) []string {
	v = strings.TrimSpace(strings.Trim(strings.TrimSpace(v), "`\"'"))
	switch strings.ToLower(v) {
	case "off", "false":
		return []string{"false"}
	case "on", "true":
		return []string{"true"}
	case "none", "":
		return []string{""}
	}
	out := []string{v}
	compact := strings.ReplaceAll(strings.NewReplacer(" min", "m", "/s", "").Replace(v), " ", "")
	if d, err := time.ParseDuration(compact); err == nil {
		out = append(out, d.String())
	}
	num, unit, _ := strings.Cut(strings.TrimSuffix(v, "/s"), " ")
	num = strings.ReplaceAll(num, ",", "")
	if n, err := strconv.ParseFloat(num, 64); err == nil {
		out = append(out, strconv.FormatFloat(n, 'f', -1, 64))
		scale := map[string]float64{"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30}[unit]
		if scale > 0 {
			out = append(out, strconv.FormatFloat(n*scale, 'f', -1, 64), strconv.FormatFloat(n*scale/1024, 'f', -1, 64))
		}
	}
	return out
}

// enumerationRE is a span listing a command's subcommands: `signer
// list|status|watch`.
var enumerationRE = regexp.MustCompile(`^([a-z][a-z-]*) ([a-z][a-z-]*(?:\|[a-z][a-z-]*)+)$`)

// checkEnumerations checks that a span listing a cityctl command's
// subcommands (`dept list|add|grant|revoke`) lists exactly the ones it has.
func checkEnumerations(t *testing.T, cityctl *helpPage, doc string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, doc))
	if err != nil {
		t.Fatal(err)
	}
	for i, line := range proseLines(string(data)) {
		for _, m := range codeSpanRE.FindAllStringSubmatch(line, -1) {
			e := enumerationRE.FindStringSubmatch(m[1])
			if e == nil || cityctl.subs[e[1]] == nil {
				continue
			}
			listed := strings.Split(e[2], "|")
			have := sortedKeys(cityctl.subs[e[1]].subs)
			slices.Sort(listed)
			if !slices.Equal(listed, have) {
				t.Errorf("%s:%d: `%s` lists %v; `cityctl %s` has %v", doc, i+1, m[1], listed, e[1], have)
			}
		}
	}
}

// checkReadmeRows checks that README.md's row of citynode and of cityctl
// names each of its commands in a code span.
func checkReadmeRows(t *testing.T, pages map[string]*helpPage) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(repoRoot, "README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range []string{"citynode", "cityctl"} {
		prefix := "| `" + b + "` |"
		var row string
		for _, line := range strings.Split(string(data), "\n") {
			if strings.HasPrefix(line, prefix) {
				row = line
			}
		}
		if row == "" {
			t.Errorf("README.md has no row starting %s", prefix)
			continue
		}
		for _, sub := range sortedKeys(pages[b].subs) {
			if !strings.Contains(row, "`"+sub+"`") && !strings.Contains(row, "`"+sub+" ") && !strings.Contains(row, "`"+sub+"/") && !strings.Contains(row, "/"+sub+"`") {
				t.Errorf("README.md's row of %s does not name its command %s", b, sub)
			}
		}
	}
}
