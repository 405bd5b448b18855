package node

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/core"
)

// TestNewRefusesFullDisk: below --datadir.minfreedisk the node does not
// start, before it opens any database (pebble spins on a full disk; ADR 074).
func TestNewRefusesFullDisk(t *testing.T) {
	cfg := Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Mode = ModeRPC
	cfg.Genesis = &core.Genesis{} // never read: the guard refuses first
	cfg.MinFreeDisk = 1 << 40     // MiB: more than any disk has
	_, err := New(cfg)
	if err == nil || !strings.Contains(err.Error(), "below --datadir.minfreedisk") || !strings.Contains(err.Error(), "start it again") {
		t.Fatalf("New with less free space than --datadir.minfreedisk: %v, want a refusal naming the flag", err)
	}
}
