package node

import (
	"strings"
	"testing"
)

// TestSyncModeByNodeMode: auto is snap on rpc nodes only; an auditor always
// syncs full; an explicit choice holds elsewhere.
func TestSyncModeByNodeMode(t *testing.T) {
	for _, c := range []struct{ mode, setting, want string }{
		{ModeRPC, SyncAuto, SyncSnap},
		{ModeRPC, "", SyncFull},
		{ModeSigner, SyncAuto, SyncFull},
		{ModeDev, SyncAuto, SyncFull},
		{ModeAuditor, SyncAuto, SyncFull},
		{ModeRPC, SyncFull, SyncFull},
		{ModeSigner, SyncSnap, SyncSnap},
	} {
		cfg := Defaults()
		cfg.Mode, cfg.SyncMode = c.mode, c.setting
		if got := cfg.syncMode(); got != c.want {
			t.Errorf("mode %s, --syncmode %q: sync %s, want %s", c.mode, c.setting, got, c.want)
		}
	}
}

// TestSyncModeDefaultAuto: a node given no --syncmode snap-syncs if it is an
// rpc node and syncs full otherwise (ADR 076's second amendment: a chain too
// short for snap sync is executed instead).
func TestSyncModeDefaultAuto(t *testing.T) {
	for mode, want := range map[string]string{ModeRPC: SyncSnap, ModeSigner: SyncFull, ModeDev: SyncFull, ModeAuditor: SyncFull} {
		cfg := Defaults()
		cfg.Mode = mode
		if got := cfg.syncMode(); got != want {
			t.Errorf("mode %s with the default --syncmode: sync %s, want %s", mode, got, want)
		}
	}
}

func TestSyncModeValidated(t *testing.T) {
	for _, c := range []struct{ mode, setting, want string }{
		{ModeRPC, "fast", "invalid --syncmode \"fast\""},
		{ModeAuditor, SyncSnap, "--syncmode snap in auditor mode"},
	} {
		cfg := Defaults()
		cfg.Mode, cfg.SyncMode = c.mode, c.setting
		errs := cfg.validateKnobs()
		if len(errs) != 1 || !strings.Contains(errs[0].Error(), c.want) {
			t.Errorf("mode %s, --syncmode %s: want one error containing %q, have %v", c.mode, c.setting, c.want, errs)
		}
	}
}
