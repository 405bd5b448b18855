package docsrun

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestReadmeLocalNetwork runs README.md's local network block as printed, in
// the repository root for make build and with /tmp/citynet in a temporary
// directory: three signers and an rpc node, a signer killed, a late rpc node,
// then down.
func TestReadmeLocalNetwork(t *testing.T) {
	t.Parallel() // the documents' chains mostly wait for blocks
	s := newSession(t, "README.md")
	s.Set("/tmp/citynet", filepath.Join(t.TempDir(), "citynet"))
	s.RunInRepo("make build")
	t.Cleanup(func() {
		// A failed test still stops the network (a no-op after its down).
		down := exec.Command(filepath.Join(s.Dir, "build/bin/cityctl"), "testnet", "down", "--dir", s.Expand("/tmp/citynet"))
		down.Run()
	})
	up := s.Run("build/bin/cityctl testnet up --dir /tmp/citynet --signers 3 --rpc-nodes 1")
	var nodes []struct{ Name, Role string }
	if err := json.Unmarshal([]byte(up.Stdout), &nodes); err != nil || len(nodes) != 4 {
		t.Fatalf("testnet up: have %v, %d nodes; want a JSON array of 4 nodes:\n%s", err, len(nodes), up.Stdout)
	}
	s.Run("build/bin/cityctl testnet status --dir /tmp/citynet", "signer1", "rpc1")
	s.Run("build/bin/cityctl testnet stop signer2 --kill --dir /tmp/citynet")
	s.Run("build/bin/cityctl testnet add --dir /tmp/citynet --role rpc")
	s.Run("build/bin/cityctl testnet down --dir /tmp/citynet")
}
