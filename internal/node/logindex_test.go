package node

import (
	"strings"
	"testing"
)

func TestLogIndexedOffOnlyOnSealingSigners(t *testing.T) {
	for _, c := range []struct {
		mode, signer, setting string
		want                  bool
	}{
		{ModeSigner, "0x00000000000000000000000000000000000000aa", LogIndexAuto, false},
		{ModeSigner, "", LogIndexAuto, true}, // a signer-mode node that only follows serves reads
		{ModeRPC, "", LogIndexAuto, true},
		{ModeAuditor, "", LogIndexAuto, true},
		{ModeDev, "0x00000000000000000000000000000000000000aa", LogIndexAuto, true},
		{ModeSigner, "0x00000000000000000000000000000000000000aa", LogIndexOn, true},
		{ModeRPC, "", LogIndexOff, false},
	} {
		cfg := Defaults()
		cfg.Mode, cfg.Signer, cfg.RPC.LogIndex = c.mode, c.signer, c.setting
		if got := cfg.logIndexed(); got != c.want {
			t.Errorf("mode %s signer %q log index %s: indexed %v, want %v", c.mode, c.signer, c.setting, got, c.want)
		}
	}
}

func TestLogIndexSettingValidated(t *testing.T) {
	cfg := Defaults()
	if cfg.RPC.LogIndex != LogIndexAuto || cfg.RPC.LogRangeLimit != 0 {
		t.Fatalf("defaults: log index %q, range limit %d; want auto and 0", cfg.RPC.LogIndex, cfg.RPC.LogRangeLimit)
	}
	cfg.RPC.LogIndex = "sometimes"
	errs := cfg.validateKnobs()
	if len(errs) != 1 || !strings.Contains(errs[0].Error(), "--rpc.logindex") {
		t.Fatalf("want one error naming --rpc.logindex, have %v", errs)
	}
}
