package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// systemdDir holds the unit, the sysusers file and the example configuration.
const systemdDir = "../../docker/systemd"

// TestSystemdUnit checks docker/systemd/citygate.service with systemd's own
// tools in a root of its own holding the built citygate and the host's
// system units: `systemd-analyze verify` says nothing, `systemd-analyze
// security --offline` rates the sandbox's exposure at most 3.0, the
// sysusers file parses, and the example configuration is one citygate
// takes with the unit's own command line (unknown keys are refused).
func TestSystemdUnit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citygate")
	}
	for _, tool := range []string{"systemd-analyze", "systemd-sysusers"} {
		if _, err := exec.LookPath(tool); err != nil {
			if proctest.UnderCI() {
				t.Fatalf("%s is missing: apt-get install systemd", tool)
			}
			t.Skipf("%s is missing: apt-get install systemd", tool)
		}
	}
	root := t.TempDir()
	copyFile(t, citygateBin, filepath.Join(root, "usr/local/bin/citygate"), 0o755)
	copyFile(t, filepath.Join(systemdDir, "citygate.service"), filepath.Join(root, "etc/systemd/system/citygate.service"), 0o644)
	if err := os.MkdirAll(filepath.Join(root, "usr/lib/systemd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", "/usr/lib/systemd/system", filepath.Join(root, "usr/lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("copy the host's units: %v\n%s", err, out)
	}
	unit := filepath.Join(root, "etc/systemd/system/citygate.service")
	out, err := exec.Command("systemd-analyze", "verify", "--root="+root, unit).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command("systemd-analyze", "security", "--offline=yes", "--threshold=30", "--root="+root, "citygate.service").CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security (exposure above 3.0?): %v\n%s", err, out)
	}
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) > 0 {
		t.Log(lines[len(lines)-1])
	}
	copyFile(t, "/etc/passwd", filepath.Join(root, "etc/passwd"), 0o644)
	copyFile(t, "/etc/group", filepath.Join(root, "etc/group"), 0o644)
	sysusers, _ := filepath.Abs(filepath.Join(systemdDir, "citygate.sysusers"))
	out, err = exec.Command("systemd-sysusers", "--root="+root, "--dry-run", sysusers).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "citygate") {
		t.Errorf("systemd-sysusers: %v\n%s", err, out)
	}
	out, err = exec.Command(citygateBin, "dumpconfig", "--config", filepath.Join(systemdDir, "citygate.toml"), "--datadir", "/var/lib/citygate").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `datadir = "/var/lib/citygate"`) || !strings.Contains(string(out), `"http://10.0.2.12:8545"`) {
		t.Errorf("citygate dumpconfig --config citygate.toml: %v\n%s", err, out)
	}
}

func copyFile(t *testing.T, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}
