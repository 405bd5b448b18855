// Package systemdtest checks the systemd units of docker/systemd with
// systemd's own tools, offline, in a root of a test's own that holds the
// built binary and the host's system units.
package systemdtest

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// maxExposure is the highest exposure `systemd-analyze security` may rate a
// unit's sandbox, in tenths (3.0).
const maxExposure = "30"

// Unit is a service unit to check: Dir/Name.service, started as
// /usr/local/bin/Name, whose account Dir/Name.sysusers creates.
type Unit struct {
	Name   string            // "citynode"
	Dir    string            // the folder of the unit and sysusers files
	Binary string            // the built binary the unit starts
	Extra  map[string]string // more files the unit runs: path in the root -> file on the host
}

// RequireTools fails the test under CI, and skips it elsewhere, if
// systemd-analyze or systemd-sysusers is missing.
func RequireTools(t *testing.T) {
	t.Helper()
	for _, tool := range []string{"systemd-analyze", "systemd-sysusers"} {
		if _, err := exec.LookPath(tool); err != nil {
			if proctest.UnderCI() {
				t.Fatalf("%s is missing: apt-get install systemd", tool)
			}
			t.Skipf("%s is missing: apt-get install systemd", tool)
		}
	}
}

// Check installs u in a root of its own and checks it: `systemd-analyze
// verify` says nothing at all (it only warns about unknown keys),
// `systemd-analyze security --offline` rates the sandbox's exposure at most
// 3.0, and the sysusers file parses and creates u.Name.
func Check(t *testing.T, u Unit) {
	t.Helper()
	root := install(t, u)
	unit := filepath.Join(root, "etc/systemd/system", u.Name+".service")
	out, err := exec.Command("systemd-analyze", "verify", "--root="+root, unit).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command("systemd-analyze", "security", "--offline=yes", "--threshold="+maxExposure, "--root="+root, u.Name+".service").CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security (exposure above 3.0?): %v\n%s", err, out)
	}
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) > 0 {
		t.Log(lines[len(lines)-1])
	}
	proctest.CopyFile(t, "/etc/passwd", filepath.Join(root, "etc/passwd"), 0o644)
	proctest.CopyFile(t, "/etc/group", filepath.Join(root, "etc/group"), 0o644)
	sysusers, _ := filepath.Abs(filepath.Join(u.Dir, u.Name+".sysusers"))
	out, err = exec.Command("systemd-sysusers", "--root="+root, "--dry-run", sysusers).CombinedOutput()
	if err != nil || !strings.Contains(string(out), u.Name) {
		t.Errorf("systemd-sysusers: %v\n%s", err, out)
	}
}

// install makes the root: the binary, u.Extra, the unit and the host's
// system units.
func install(t *testing.T, u Unit) string {
	t.Helper()
	root := t.TempDir()
	proctest.CopyFile(t, u.Binary, filepath.Join(root, "usr/local/bin", u.Name), 0o755)
	for to, from := range u.Extra {
		proctest.CopyFile(t, from, filepath.Join(root, to), 0o755)
	}
	proctest.CopyFile(t, filepath.Join(u.Dir, u.Name+".service"), filepath.Join(root, "etc/systemd/system", u.Name+".service"), 0o644)
	if err := os.MkdirAll(filepath.Join(root, "usr/lib/systemd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", "/usr/lib/systemd/system", filepath.Join(root, "usr/lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("copy the host's units: %v\n%s", err, out)
	}
	return root
}
