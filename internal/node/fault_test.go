package node

import (
	"strings"
	"testing"
	"time"
)

// TestFaultClockOffsetRefused: the clock offset (ADR 073) is accepted in dev
// mode or with --fault.allow, refused elsewhere with a message that says why
// and what to do, and bounded.
func TestFaultClockOffsetRefused(t *testing.T) {
	for _, c := range []struct {
		mode   string
		offset time.Duration
		allow  bool
		want   string // in the error; "" for none
	}{
		{ModeSigner, 0, false, ""},
		{ModeDev, 2 * time.Second, false, ""},
		{ModeSigner, -10 * time.Second, true, ""},
		{ModeSigner, 2 * time.Second, false, "add --fault.allow only on a network you are testing"},
		{ModeRPC, -2 * time.Second, false, "refused in rpc mode"},
		{ModeSigner, time.Hour, true, "out of range"},
	} {
		err := FaultConfig{ClockOffset: c.offset, Allow: c.allow}.check(c.mode)
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s, offset %v, allow %v: %v, want accepted", c.mode, c.offset, c.allow, err)
		case c.want != "" && (err == nil || !strings.Contains(err.Error(), c.want)):
			t.Errorf("%s, offset %v, allow %v: %v, want an error with %q", c.mode, c.offset, c.allow, err, c.want)
		}
	}
}

// TestValidateRefusesClockOffset: Validate applies the check.
func TestValidateRefusesClockOffset(t *testing.T) {
	cfg := Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Fault.ClockOffset = 10 * time.Second
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "--fault.allow") {
		t.Fatalf("Validate with a clock offset in %s mode: %v, want it refused naming --fault.allow", cfg.Mode, err)
	}
}
