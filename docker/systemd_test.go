package docker

import (
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/systemdtest"
)

// TestSystemdUnit checks docker/systemd/citynode.service with systemd's own
// tools in a root of its own holding the built citynode and the host's
// system units: `systemd-analyze verify` must say nothing at all (it only
// warns about unknown keys), `systemd-analyze security --offline` must rate
// the sandbox exposure at most 3.0, the sysusers file must parse
// (systemdtest.Check), the unit must hold its hardening and restart lines,
// and the example /etc/citynode/citynode.toml must be a configuration
// citynode accepts, with the unit's own command line.
func TestSystemdUnit(t *testing.T) {
	systemdtest.RequireTools(t)
	bin, cleanup, err := proctest.Build("../cmd/citynode", "citynode")
	if err != nil {
		t.Fatal(err)
	}
	defer cleanup()
	systemdtest.Check(t, systemdtest.Unit{Name: "citynode", Dir: "systemd", Binary: bin, Extra: map[string]string{"bin/kill": "/bin/kill"}})
	for _, want := range []string{"User=citynode", "ProtectSystem=strict", "ReadWritePaths=/var/lib/citynode", "NoNewPrivileges=yes", "LimitNOFILE=", "ExecReload=/bin/kill -HUP $MAINPID", "Restart=on-failure"} {
		if !strings.Contains(readFile(t, "systemd/citynode.service"), want) {
			t.Errorf("citynode.service lacks %s", want)
		}
	}

	// The unit's command line, with the example configuration: dumpconfig
	// takes the same flags and refuses unknown keys.
	out, err := exec.Command(bin, "dumpconfig", "--config", "systemd/citynode.toml", "--datadir", "/var/lib/citynode").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `datadir = "/var/lib/citynode"`) {
		t.Errorf("citynode dumpconfig --config systemd/citynode.toml: %v\n%s", err, out)
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
