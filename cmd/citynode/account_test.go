package main

import (
	"path/filepath"
	"strings"
	"testing"
)

// TestAccountListSaysWhatIsMissing: `citynode account list` of a data dir
// that does not exist fails naming --datadir; of one without keys it says
// how to make one (it printed nothing at all in both cases).
func TestAccountListSaysWhatIsMissing(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	missing := filepath.Join(t.TempDir(), "no-such-dir")
	if out, err := run(t, "account", "list", "--datadir", missing); exitStatus(err) != 1 || !strings.Contains(out, "citynode: error: cannot list the accounts of data dir "+missing) || !strings.Contains(out, "check --datadir") {
		t.Errorf("account list of a missing data dir: have %v\n%s\nwant exit status 1 naming --datadir", err, out)
	}
	empty := t.TempDir()
	if out, err := run(t, "account", "list", "--datadir", empty); err != nil || !strings.Contains(out, "No accounts in "+filepath.Join(empty, "keystore")+": make one with `citynode account new") {
		t.Errorf("account list of a data dir without keys: have %v\n%s\nwant how to make one", err, out)
	}
}
