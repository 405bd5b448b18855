package docker

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestSystemdUnit checks docker/systemd/citynode.service with systemd's own
// tools in a root of its own holding the built citynode and the host's
// system units: `systemd-analyze verify` must say nothing at all (it only
// warns about unknown keys), `systemd-analyze security --offline` must rate
// the sandbox exposure at most 3.0, the sysusers file must parse, and the
// example /etc/citynode/citynode.toml must be a configuration citynode
// accepts, with the unit's own command line.
func TestSystemdUnit(t *testing.T) {
	tools := []string{"systemd-analyze", "systemd-sysusers"}
	for _, tool := range tools {
		if _, err := exec.LookPath(tool); err != nil {
			if proctest.UnderCI() {
				t.Fatalf("%s is missing: apt-get install systemd", tool)
			}
			t.Skipf("%s is missing: apt-get install systemd", tool)
		}
	}
	bin, cleanup, err := proctest.Build("../cmd/citynode", "citynode")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()

	root := t.TempDir()
	copyFile(t, bin, filepath.Join(root, "usr/local/bin/citynode"), 0o755)
	copyFile(t, "/bin/kill", filepath.Join(root, "bin/kill"), 0o755)
	copyFile(t, "systemd/citynode.service", filepath.Join(root, "etc/systemd/system/citynode.service"), 0o644)
	if err := os.MkdirAll(filepath.Join(root, "usr/lib/systemd"), 0o755); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("cp", "-r", "/usr/lib/systemd/system", filepath.Join(root, "usr/lib/systemd/")).CombinedOutput(); err != nil {
		t.Fatalf("copy the host's units: %v\n%s", err, out)
	}
	unit := filepath.Join(root, "etc/systemd/system/citynode.service")

	out, err := exec.Command("systemd-analyze", "verify", "--root="+root, unit).CombinedOutput()
	if err != nil || len(strings.TrimSpace(string(out))) > 0 {
		t.Errorf("systemd-analyze verify: %v\n%s", err, out)
	}
	out, err = exec.Command("systemd-analyze", "security", "--offline=yes", "--threshold=30", "--root="+root, "citynode.service").CombinedOutput()
	if err != nil {
		t.Errorf("systemd-analyze security (exposure above 3.0?): %v\n%s", err, out)
	}
	if lines := strings.Split(strings.TrimSpace(string(out)), "\n"); len(lines) > 0 {
		t.Log(lines[len(lines)-1])
	}
	for _, want := range []string{"User=citynode", "ProtectSystem=strict", "ReadWritePaths=/var/lib/citynode", "NoNewPrivileges=yes", "LimitNOFILE=", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure"} {
		if !strings.Contains(readFile(t, "systemd/citynode.service"), want) {
			t.Errorf("citynode.service lacks %s", want)
		}
	}

	copyFile(t, "/etc/passwd", filepath.Join(root, "etc/passwd"), 0o644)
	copyFile(t, "/etc/group", filepath.Join(root, "etc/group"), 0o644)
	sysusers, _ := filepath.Abs("systemd/citynode.sysusers")
	out, err = exec.Command("systemd-sysusers", "--root="+root, "--dry-run", sysusers).CombinedOutput()
	if err != nil || !strings.Contains(string(out), "citynode") {
		t.Errorf("systemd-sysusers: %v\n%s", err, out)
	}

	// The unit's command line, with the example configuration: dumpconfig
	// takes the same flags and refuses unknown keys.
	out, err = exec.Command(bin, "dumpconfig", "--config", "systemd/citynode.toml", "--datadir", "/var/lib/citynode").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `datadir = "/var/lib/citynode"`) {
		t.Errorf("citynode dumpconfig --config systemd/citynode.toml: %v\n%s", err, out)
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

func readFile(t *testing.T, path string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
