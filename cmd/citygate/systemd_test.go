package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/testkit/systemdtest"
)

// systemdDir holds the unit, the sysusers file and the example configuration.
const systemdDir = "../../docker/systemd"

// TestSystemdUnit checks docker/systemd/citygate.service with systemd's own
// tools in a root of its own holding the built citygate and the host's
// system units: `systemd-analyze verify` says nothing, `systemd-analyze
// security --offline` rates the sandbox's exposure at most 3.0, the
// sysusers file parses (systemdtest.Check), and the example configuration
// is one citygate takes with the unit's own command line (unknown keys are
// refused).
func TestSystemdUnit(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citygate")
	}
	systemdtest.RequireTools(t)
	systemdtest.Check(t, systemdtest.Unit{Name: "citygate", Dir: systemdDir, Binary: citygateBin, Extra: map[string]string{"bin/kill": "/bin/kill"}})
	if unit, err := os.ReadFile(filepath.Join(systemdDir, "citygate.service")); err != nil || !strings.Contains(string(unit), "ExecReload=/bin/kill -HUP $MAINPID") {
		t.Errorf("citygate.service lacks ExecReload=/bin/kill -HUP $MAINPID (systemctl reload re-reads the TLS certificate): %v", err)
	}
	out, err := exec.Command(citygateBin, "dumpconfig", "--config", filepath.Join(systemdDir, "citygate.toml"), "--datadir", "/var/lib/citygate").CombinedOutput()
	if err != nil || !strings.Contains(string(out), `datadir = "/var/lib/citygate"`) || !strings.Contains(string(out), `"http://10.0.2.12:8545"`) {
		t.Errorf("citygate dumpconfig --config citygate.toml: %v\n%s", err, out)
	}
}
