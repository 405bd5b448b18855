package main

import (
	"os/exec"
	"strings"
	"testing"
)

// TestDoesNotLinkTheNode: cityctl talks to nodes over JSON-RPC; it must not
// link the node's wiring, the sealer or geth's eth service (ADRs 033, 039).
func TestDoesNotLinkTheNode(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatalf("go list -deps: %v", err)
	}
	forbidden := []string{
		"github.com/citychain/citychain/internal/node",
		"github.com/citychain/citychain/consensus/sealer",
		"github.com/ethereum/go-ethereum/eth",
	}
	for _, pkg := range strings.Fields(string(out)) {
		for _, f := range forbidden {
			if pkg == f {
				t.Errorf("cityctl links %s: move what it needs to a small package (internal/cmdkit, internal/client)", pkg)
			}
		}
	}
}
