package keyfiles

import (
	"path/filepath"
	"testing"

	"github.com/citychain/citychain/internal/testkit/powercut"
)

// TestPersistAcrossPowerCut: a key that geth's keystore wrote into a data dir
// made a moment before survives a power cut once Persist returned; one that
// was not persisted is lost with the directories made for it, which is what
// `citynode account new` and `cityctl signer onboard` did before (the test's
// control: if it ever fails, geth has started to fsync its key files).
func TestPersistAcrossPowerCut(t *testing.T) {
	for _, persist := range []bool{true, false} {
		disk := powercut.TempT(t)
		dataDir := filepath.Join(disk.Dir(), "var", "lib", "citynode")
		acct, err := Open(Dir(dataDir)).NewAccount("correct horse")
		if err != nil {
			t.Fatal(err)
		}
		if persist {
			if err := Persist(acct.URL.Path); err != nil {
				t.Fatal(err)
			}
		}
		powercut.CutAndRemount(t, disk) // mounted again at the same place
		accts := Open(Dir(dataDir)).Accounts()
		switch kept := len(accts) == 1 && accts[0].Address == acct.Address; {
		case persist && !kept:
			t.Errorf("persisted key %s: after the cut the keystore holds %v, want the key", acct.Address.Hex(), accts)
		case !persist && kept:
			t.Errorf("key not persisted: it survived the cut; geth now makes its key files durable, and Persist may be redundant")
		}
	}
}
