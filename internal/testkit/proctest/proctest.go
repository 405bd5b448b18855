// Package proctest holds what tests that run real processes share: building a
// binary once per test binary, starting a process with its output collected
// (output.go), bounded polling for a condition, finding the external tools a
// test needs, and running the Node.js scripts of contracts/scripts that check
// our formats against other tools (node.go).
package proctest

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// pollInterval is how often WaitFor checks its condition.
const pollInterval = 50 * time.Millisecond

// Build compiles the Go package at pkg (a path relative to the caller's test
// directory) into a temporary directory, with the commit as `make build`
// links it (VersionLDFlags), and returns the binary's path and a function
// that removes it. Call it from TestMain.
func Build(pkg, name string) (string, func(), error) {
	dir, err := os.MkdirTemp("", name+"-bin-")
	if err != nil {
		return "", nil, err
	}
	path := filepath.Join(dir, name)
	if out, err := exec.Command("go", "build", "-ldflags", VersionLDFlags(), "-o", path, pkg).CombinedOutput(); err != nil {
		os.RemoveAll(dir)
		return "", nil, fmt.Errorf("build %s: %v\n%s", pkg, err, out)
	}
	return path, func() { os.RemoveAll(dir) }, nil
}

// WaitFor polls cond until it holds, failing the test after timeout.
func WaitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		if cond() {
			return
		}
		time.Sleep(pollInterval)
	}
	t.Fatalf("timed out after %v waiting for %s", timeout, what)
}

// Main is a TestMain body: unless -short, it builds pkg as name into *bin for
// the tests, runs them, and removes the binary. It returns the exit code.
func Main(m *testing.M, pkg, name string, bin *string) int {
	flag.Parse()
	if testing.Short() {
		return m.Run()
	}
	path, cleanup, err := Build(pkg, name)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer cleanup()
	*bin = path
	return m.Run()
}

// UnderCI reports whether the tests run in CI: the CI environment variable is
// set to anything but the empty string (CI=true, CI=1, ...).
func UnderCI() bool { return os.Getenv("CI") != "" }

// Tool returns the path of the external program name. If it is missing, the
// test fails under CI (UnderCI: CI must install it) and is skipped elsewhere;
// either way the message says how to install it.
func Tool(t testing.TB, name, install string) string {
	t.Helper()
	path, err := exec.LookPath(name)
	if err == nil {
		return path
	}
	msg := fmt.Sprintf("%s not found: install it with `%s`", name, install)
	if UnderCI() {
		t.Fatal(msg + " (CI is set: a missing tool fails the test)")
	}
	t.Skip(msg)
	return ""
}
