package main

import (
	"bufio"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
)

// Mutation is one deliberate bug: in File, the one occurrence of From
// becomes To, and the tests named in Tests (of package Package) must fail.
type Mutation struct {
	ID      string        // short name, unique in the list
	Guards  string        // the invariant the mutation breaks, in words
	File    string        // path relative to the repository root
	From    string        // text that must occur exactly once in File
	To      string        // its replacement
	Package string        // Go package whose tests run, e.g. ./consensus/sealer
	Tests   []string      // top-level test names; all of them run together
	Build   string        // "contracts" to recompile the contracts first; "" for none
	Timeout time.Duration // bound on one run of the tests
	Line    int           // line of the list where the entry starts
}

// defaultTimeout bounds a test run whose entry sets no timeout.
const defaultTimeout = 5 * time.Minute

// RunPattern returns the -test.run pattern that selects exactly m's tests.
func (m *Mutation) RunPattern() string {
	quoted := make([]string, len(m.Tests))
	for i, t := range m.Tests {
		quoted[i] = regexp.QuoteMeta(t)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}

// testName matches a Go test function name.
var testName = regexp.MustCompile(`^(Test|Fuzz)[A-Za-z0-9_]*$`)

// idName matches a mutation id.
var idName = regexp.MustCompile(`^[a-z0-9][a-z0-9-]*$`)

// Parse reads a mutation list. An entry starts with a line "[id]" and holds
// "key: value" lines (guards, file, from, to, test, and optionally build and
// timeout); "#" starts a comment line. Values are trimmed; in from and to,
// "\t" and "\n" stand for a tab and a newline.
func Parse(r io.Reader) ([]*Mutation, error) {
	var (
		list []*Mutation
		cur  *Mutation
		ids  = make(map[string]int)
		errs []string
	)
	fail := func(line int, format string, args ...any) {
		errs = append(errs, fmt.Sprintf("line %d: %s", line, fmt.Sprintf(format, args...)))
	}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "" || strings.HasPrefix(line, "#"):
			continue
		case strings.HasPrefix(line, "[") && strings.HasSuffix(line, "]"):
			id := strings.TrimSpace(line[1 : len(line)-1])
			if !idName.MatchString(id) {
				fail(n, "invalid id %q: want lowercase letters, digits and dashes", id)
			}
			if first, ok := ids[id]; ok {
				fail(n, "id %q already used on line %d", id, first)
			}
			ids[id] = n
			cur = &Mutation{ID: id, Line: n, Timeout: defaultTimeout}
			list = append(list, cur)
			continue
		}
		if cur == nil {
			fail(n, "%q outside an entry: start one with [id]", line)
			continue
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			fail(n, "%q: want key: value", line)
			continue
		}
		value = strings.TrimSpace(value)
		switch strings.TrimSpace(key) {
		case "guards":
			cur.Guards = value
		case "file":
			cur.File = value
		case "from":
			cur.From = unescape(value)
		case "to":
			cur.To = unescape(value)
		case "test":
			fields := strings.Fields(value)
			if len(fields) < 2 {
				fail(n, "test %q: want a package and at least one test name", value)
				continue
			}
			cur.Package, cur.Tests = fields[0], fields[1:]
			for _, t := range cur.Tests {
				if !testName.MatchString(t) {
					fail(n, "test %q is not a test function name", t)
				}
			}
		case "build":
			if value != "contracts" {
				fail(n, "build %q: the only build step is contracts", value)
			}
			cur.Build = value
		case "timeout":
			d, err := time.ParseDuration(value)
			if err != nil || d <= 0 {
				fail(n, "timeout %q: want a positive duration such as 2m", value)
				continue
			}
			cur.Timeout = d
		default:
			fail(n, "unknown key %q: want guards, file, from, to, test, build or timeout", key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, m := range list {
		switch {
		case m.Guards == "":
			fail(m.Line, "[%s] says nothing under guards: name the invariant", m.ID)
		case m.File == "" || m.From == "" || m.Package == "":
			fail(m.Line, "[%s] needs file, from and test", m.ID)
		case m.From == m.To:
			fail(m.Line, "[%s] from and to are the same", m.ID)
		case !strings.HasPrefix(m.Package, "./"):
			fail(m.Line, "[%s] package %q: want a path relative to the repository root, such as ./consensus/sealer", m.ID, m.Package)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("mutation list:\n  %s", strings.Join(errs, "\n  "))
	}
	return list, nil
}

// unescape turns "\t" and "\n" into a tab and a newline.
func unescape(s string) string {
	return strings.NewReplacer(`\t`, "\t", `\n`, "\n").Replace(s)
}

// Apply returns src with m applied, or an error if m.From does not occur
// exactly once (the code moved: the list must follow it).
func (m *Mutation) Apply(src string) (string, error) {
	switch n := strings.Count(src, m.From); n {
	case 1:
		return strings.Replace(src, m.From, m.To, 1), nil
	case 0:
		return "", fmt.Errorf("[%s] %s: original text %q not found (the code moved or changed: update the entry on line %d)", m.ID, m.File, m.From, m.Line)
	default:
		return "", fmt.Errorf("[%s] %s: original text %q occurs %d times, want once (make it longer)", m.ID, m.File, m.From, n)
	}
}
