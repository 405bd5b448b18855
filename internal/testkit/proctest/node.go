package proctest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// nodeTimeout bounds one run of a Node.js script.
const nodeTimeout = 2 * time.Minute

// NodeScript runs contracts/scripts/script with Node.js, with the npm packages
// of contracts/package.json (dependencies and devDependencies) installed in
// contracts/node_modules, feeding stdin; it returns the script's standard
// output and fails the test if the script fails. contractsDir is the path of
// contracts/ from the calling test's directory.
//
// Under CI (UnderCI) a missing Node.js or package fails the test; elsewhere it
// skips the test saying what to install.
func NodeScript(t testing.TB, contractsDir, script string, stdin []byte, args ...string) []byte {
	t.Helper()
	out, err := RunNodeScript(t, contractsDir, script, stdin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// RunNodeScript is NodeScript returning the script's failure (its exit
// status and standard error) instead of failing the test.
func RunNodeScript(t testing.TB, contractsDir, script string, stdin []byte, args ...string) ([]byte, error) {
	t.Helper()
	node := RequireNode(t, contractsDir)
	cmd := exec.Command(node, append([]string{filepath.Join("scripts", script)}, args...)...)
	cmd.Dir = contractsDir
	cmd.Stdin = bytes.NewReader(stdin)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("node %s: %v", script, err)
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return stdout.Bytes(), fmt.Errorf("node %s: %v: %s", script, err, bytes.TrimSpace(stderr.Bytes()))
		}
	case <-time.After(nodeTimeout):
		cmd.Process.Kill()
		<-done
		return nil, fmt.Errorf("node %s: still running after %v\n%s", script, nodeTimeout, stderr.Bytes())
	}
	return stdout.Bytes(), nil
}

// RequireNode returns the path of Node.js once it has checked that the npm
// packages of contractsDir/package.json are installed. Under CI (UnderCI) a
// missing one fails the test; elsewhere it skips it.
func RequireNode(t testing.TB, contractsDir string) string {
	t.Helper()
	missing := func(what string) {
		t.Helper()
		msg := what + ": install Node.js 20 or later and run `npm ci --prefix contracts` (.ci/run does)"
		if UnderCI() {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	node, err := exec.LookPath("node")
	if err != nil {
		missing("node not found")
	}
	data, err := os.ReadFile(filepath.Join(contractsDir, "package.json"))
	if err != nil {
		t.Fatal(err)
	}
	var pkg struct {
		Dependencies    map[string]string `json:"dependencies"`
		DevDependencies map[string]string `json:"devDependencies"`
	}
	if err := json.Unmarshal(data, &pkg); err != nil {
		t.Fatalf("contracts/package.json: %v", err)
	}
	for _, deps := range []map[string]string{pkg.Dependencies, pkg.DevDependencies} {
		for name := range deps {
			if _, err := os.Stat(filepath.Join(contractsDir, "node_modules", name, "package.json")); err != nil {
				missing("npm package " + name + " is not installed in contracts/node_modules")
			}
		}
	}
	return node
}
