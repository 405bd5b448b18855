// Command mutate checks that the tests guard the safety invariants: it plants
// each mutation of a list (scripts/mutations.txt), one at a time, in a scratch
// copy of the repository, runs the tests the entry names, and fails unless
// every mutation makes them fail. A mutation whose original text is no longer
// in its file fails too, so the list follows the code. The real tree is never
// modified. `make mutate` runs it; docs/testing.md explains how to add an
// entry.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"
)

// outcome is what became of one mutation.
type outcome int

const (
	killed   outcome = iota // the tests failed: the mutation is caught
	survived                // the tests passed with the bug in place
	broken                  // the mutation does not build, or could not be tried
)

func (o outcome) String() string {
	return [...]string{"KILLED", "SURVIVED", "BROKEN"}[o]
}

// result is one mutation's outcome and the line that explains it.
type result struct {
	m       *Mutation
	outcome outcome
	detail  string
	took    time.Duration
}

// options are the command-line flags.
type options struct {
	list     string    // the mutation list, relative to the repository root
	only     string    // comma-separated ids; "" for all
	keep     bool      // keep the scratch copy
	discover bool      // list the failing tests of each mutation's package instead
	out      io.Writer // progress and results
}

func main() {
	opts := options{out: os.Stdout}
	flag.StringVar(&opts.list, "list", "scripts/mutations.txt", "the mutation list")
	flag.StringVar(&opts.only, "only", "", "comma-separated ids: run only these mutations")
	flag.BoolVar(&opts.keep, "keep", false, "keep the scratch copy (its path is printed)")
	flag.BoolVar(&opts.discover, "discover", false, "for each mutation, run every test of its package and list those that fail (to choose the tests of a new entry)")
	flag.Parse()
	results, err := run(opts)
	if err == nil {
		err = check(results)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		os.Exit(1)
	}
}

// run plants the listed mutations and returns what became of each (nothing
// with discover). It returns an error if the list is wrong, an entry does
// not apply, or the baseline fails.
func run(opts options) ([]result, error) {
	start := time.Now()
	out := opts.out
	root, err := repoRoot()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(root, opts.list))
	if err != nil {
		return nil, fmt.Errorf("open the mutation list: %w", err)
	}
	list, err := Parse(f)
	f.Close()
	if err != nil {
		return nil, err
	}
	if list, err = selectIDs(list, opts.only); err != nil {
		return nil, err
	}
	// Every entry must still apply to the real tree before anything runs.
	var missing []string
	for _, m := range list {
		src, err := os.ReadFile(filepath.Join(root, m.File))
		if err != nil {
			missing = append(missing, fmt.Sprintf("[%s] %v", m.ID, err))
			continue
		}
		if _, err := m.Apply(string(src)); err != nil {
			missing = append(missing, err.Error())
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("%d mutations do not apply:\n  %s", len(missing), strings.Join(missing, "\n  "))
	}
	scratch, err := os.MkdirTemp("", "citychain-mutate-")
	if err != nil {
		return nil, err
	}
	if opts.keep {
		fmt.Fprintln(out, "scratch copy:", scratch)
	} else {
		defer os.RemoveAll(scratch)
	}
	if err := copyTree(root, scratch); err != nil {
		return nil, fmt.Errorf("copy the repository: %w", err)
	}
	fmt.Fprintf(out, "%d mutations, scratch copy %s\n", len(list), scratch)

	if opts.discover {
		for _, m := range list {
			failing, took, err := discoverTests(root, scratch, m)
			if err != nil {
				return nil, err
			}
			fmt.Fprintf(out, "[%s] %5.1fs  failing tests of %s: %s\n", m.ID, took.Seconds(), m.Package, strings.Join(failing, " "))
		}
		return nil, nil
	}
	// Baseline: unmutated, every named test must run and pass.
	if err := baseline(out, scratch, list); err != nil {
		return nil, err
	}
	var results []result
	for i, m := range list {
		r := try(root, scratch, m)
		results = append(results, r)
		fmt.Fprintf(out, "%2d/%d %-8s %-34s %5.1fs  %s\n", i+1, len(list), r.outcome, m.ID, r.took.Seconds(), r.detail)
	}
	count := map[outcome]int{}
	for _, r := range results {
		count[r.outcome]++
	}
	fmt.Fprintf(out, "\n%d mutations: %d killed, %d survived, %d broken, in %s\n",
		len(results), count[killed], count[survived], count[broken], time.Since(start).Round(time.Second))
	return results, nil
}

// selectIDs keeps the mutations named in only (all if only is empty).
func selectIDs(list []*Mutation, only string) ([]*Mutation, error) {
	if only == "" {
		return list, nil
	}
	var out []*Mutation
	for _, id := range strings.Split(only, ",") {
		i := slices.IndexFunc(list, func(m *Mutation) bool { return m.ID == id })
		if i < 0 {
			return nil, fmt.Errorf("-only: no mutation %q in the list", id)
		}
		out = append(out, list[i])
	}
	return out, nil
}

// check returns an error unless every mutation was killed.
func check(results []result) error {
	var bad []string
	for _, r := range results {
		if r.outcome != killed {
			bad = append(bad, fmt.Sprintf("%s [%s] %s: %s (guards: %s)", r.outcome, r.m.ID, r.m.File, r.detail, r.m.Guards))
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("not every mutation was caught:\n  %s", strings.Join(bad, "\n  "))
	}
	return nil
}

// repoRoot returns the top of the git work tree around the current directory.
func repoRoot() (string, error) {
	out, err := exec.Command("git", "rev-parse", "--show-toplevel").Output()
	if err != nil {
		return "", fmt.Errorf("not inside the repository's git work tree (run from the checkout): %w", err)
	}
	return strings.TrimSpace(string(out)), nil
}

// copyTree copies the files git tracks or would track (untracked ones that
// are not ignored: work in progress is mutated as it is) from root to dst,
// and links contracts/node_modules (ignored, needed to compile contracts).
func copyTree(root, dst string) error {
	cmd := exec.Command("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return err
	}
	for _, rel := range strings.Split(strings.TrimRight(string(out), "\x00"), "\x00") {
		src := filepath.Join(root, rel)
		info, err := os.Lstat(src)
		if errors.Is(err, os.ErrNotExist) {
			continue // deleted in the work tree
		}
		if err != nil {
			return err
		}
		if err := copyFile(src, filepath.Join(dst, rel), info.Mode()); err != nil {
			return err
		}
	}
	modules := filepath.Join(root, "contracts", "node_modules")
	if _, err := os.Stat(modules); err == nil {
		return os.Symlink(modules, filepath.Join(dst, "contracts", "node_modules"))
	}
	return nil
}

func copyFile(src, dst string, mode os.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if mode&os.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// baseline runs, on the unmutated copy, every test the entries name (one
// build and one run per package) and requires each named test to run and
// pass: otherwise a "kill" would prove nothing.
func baseline(out io.Writer, scratch string, list []*Mutation) error {
	var pkgs []string
	tests := map[string][]string{}
	for _, m := range list {
		if _, ok := tests[m.Package]; !ok {
			pkgs = append(pkgs, m.Package)
		}
		for _, t := range m.Tests {
			if !slices.Contains(tests[m.Package], t) {
				tests[m.Package] = append(tests[m.Package], t)
			}
		}
	}
	fmt.Fprintf(out, "baseline: the named tests of %d packages on the unmutated copy\n", len(pkgs))
	for _, pkg := range pkgs {
		m := &Mutation{Package: pkg, Tests: tests[pkg], Timeout: 2 * defaultTimeout}
		bin, err := compile(scratch, m)
		if err != nil {
			return fmt.Errorf("baseline: %s does not build: %v", pkg, err)
		}
		log, err := runTests(scratch, bin, m, true)
		if err != nil {
			return fmt.Errorf("baseline: %s %s fails without any mutation (fix that first):\n%s", pkg, m.RunPattern(), tail(log, 40))
		}
		for _, t := range m.Tests {
			if !strings.Contains(log, "--- PASS: "+t+" ") {
				return fmt.Errorf("baseline: %s: test %s did not run and pass (misspelt, or skipped?):\n%s", pkg, t, tail(log, 20))
			}
		}
	}
	return nil
}

// try plants m in the scratch copy, runs its tests, and restores the copy.
func try(root, scratch string, m *Mutation) result {
	start := time.Now()
	res := func(o outcome, detail string) result { return result{m, o, detail, time.Since(start)} }
	path := filepath.Join(scratch, m.File)
	orig, err := os.ReadFile(path)
	if err != nil {
		return res(broken, err.Error())
	}
	mutated, err := m.Apply(string(orig))
	if err != nil {
		return res(broken, err.Error())
	}
	if err := os.WriteFile(path, []byte(mutated), 0o644); err != nil {
		return res(broken, err.Error())
	}
	defer func() {
		os.WriteFile(path, orig, 0o644)
		if m.Build == "contracts" {
			restoreContracts(root, scratch)
		}
	}()
	if m.Build == "contracts" {
		if out, err := buildContracts(scratch); err != nil {
			return res(broken, "contracts do not compile: "+tail(out, 5))
		}
	}
	bin, err := compile(scratch, m)
	if err != nil {
		return res(broken, "does not build: "+err.Error())
	}
	out, err := runTests(scratch, bin, m, false)
	if err == nil {
		return res(survived, fmt.Sprintf("%s %s passed with the mutation", m.Package, strings.Join(m.Tests, " ")))
	}
	return res(killed, firstFailure(out))
}

// discoverTests plants m and runs every test of its package, returning the
// names of the top-level tests that fail.
func discoverTests(root, scratch string, m *Mutation) ([]string, time.Duration, error) {
	start := time.Now()
	all := &Mutation{ID: m.ID, File: m.File, From: m.From, To: m.To, Package: m.Package, Build: m.Build, Timeout: 10 * time.Minute}
	path := filepath.Join(scratch, m.File)
	orig, err := os.ReadFile(path)
	if err != nil {
		return nil, 0, err
	}
	mutated, err := m.Apply(string(orig))
	if err != nil {
		return nil, 0, err
	}
	if err := os.WriteFile(path, []byte(mutated), 0o644); err != nil {
		return nil, 0, err
	}
	defer func() {
		os.WriteFile(path, orig, 0o644)
		if m.Build == "contracts" {
			restoreContracts(root, scratch)
		}
	}()
	if m.Build == "contracts" {
		if out, err := buildContracts(scratch); err != nil {
			return nil, 0, fmt.Errorf("[%s] contracts do not compile: %s", m.ID, tail(out, 5))
		}
	}
	bin, err := compile(scratch, all)
	if err != nil {
		return nil, 0, fmt.Errorf("[%s] does not build: %v", m.ID, err)
	}
	cmd := exec.Command(bin, "-test.v", "-test.count", "1", "-test.timeout", all.Timeout.String())
	cmd.Dir = filepath.Join(scratch, m.Package)
	out, _ := cmd.CombinedOutput()
	var failing []string
	for _, match := range topFail.FindAllStringSubmatch(string(out), -1) {
		failing = append(failing, fmt.Sprintf("%s(%ss)", match[1], match[2]))
	}
	return failing, time.Since(start), nil
}

// topFail matches the report line of a failing top-level test.
var topFail = regexp.MustCompile(`(?m)^--- FAIL: (\S+) \(([0-9.]+)s\)`)

// compile builds the test binary of m's package in the scratch copy.
func compile(scratch string, m *Mutation) (string, error) {
	bin := filepath.Join(scratch, ".mutate", strings.NewReplacer("/", "_", ".", "_").Replace(m.Package)+".test")
	cmd := exec.Command("go", "test", "-c", "-o", bin, m.Package)
	cmd.Dir = scratch
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("%v: %s", err, tail(string(out), 10))
	}
	return bin, nil
}

// runTests runs m's tests from the test binary in the package's directory,
// as go test does, and returns their output.
func runTests(scratch, bin string, m *Mutation, verbose bool) (string, error) {
	ctx, cancel := context.WithTimeout(context.Background(), m.Timeout+time.Minute)
	defer cancel()
	args := []string{"-test.run", m.RunPattern(), "-test.count", "1", "-test.timeout", m.Timeout.String()}
	if verbose {
		args = append(args, "-test.v")
	}
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Dir = filepath.Join(scratch, m.Package)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// buildContracts compiles contracts/src and regenerates the bindings, as
// `make contracts` does.
func buildContracts(scratch string) (string, error) {
	var all bytes.Buffer
	for _, args := range [][]string{
		{"node", "contracts/scripts/compile.js"},
		{"go", "run", "./contracts/internal/bindgen", "-artifacts", "contracts/artifacts", "-out", "contracts/bindings"},
	} {
		cmd := exec.Command(args[0], args[1:]...)
		cmd.Dir = scratch
		cmd.Stdout, cmd.Stderr = &all, &all
		if err := cmd.Run(); err != nil {
			return all.String(), err
		}
	}
	return all.String(), nil
}

// restoreContracts copies the committed artifacts and bindings back.
func restoreContracts(root, scratch string) {
	for _, dir := range []string{"contracts/artifacts", "contracts/bindings"} {
		os.RemoveAll(filepath.Join(scratch, dir))
		filepath.Walk(filepath.Join(root, dir), func(path string, info os.FileInfo, err error) error {
			if err != nil || info.IsDir() {
				return err
			}
			rel, _ := filepath.Rel(root, path)
			return copyFile(path, filepath.Join(scratch, rel), info.Mode())
		})
	}
}

// failLine matches the first line of a failing test's report.
var failLine = regexp.MustCompile(`(?m)^\s*--- FAIL: .*$|^panic: .*$|^\s+\S+_test\.go:\d+: .*$`)

// firstFailure returns the most telling line of a failing run.
func firstFailure(out string) string {
	if m := failLine.FindAllString(out, 3); len(m) > 0 {
		for _, line := range m {
			if strings.Contains(line, "_test.go:") || strings.HasPrefix(line, "panic:") {
				return strings.TrimSpace(line)
			}
		}
		return strings.TrimSpace(m[0])
	}
	return tail(out, 1)
}

// tail returns the last n lines of s.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
