package loadgen

import (
	"errors"
	"testing"
)

func TestCheckTarget(t *testing.T) {
	tests := []struct {
		url    string
		remote bool
		ok     bool
	}{
		{"http://127.0.0.1:8545", false, true},
		{"http://127.0.0.2:8545", false, true},
		{"http://localhost:8545", false, true},
		{"http://[::1]:8545", false, true},
		{"https://127.0.0.1", false, true},
		{"http://10.0.0.1:8545", false, false},
		{"http://192.168.1.2:8545", false, false},
		{"http://example.org:8545", false, false},
		{"http://example.org:8545", true, true},
		{"ws://127.0.0.1:8546", false, false},
		{"127.0.0.1:8545", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			err := CheckTarget(tt.url, tt.remote)
			if (err == nil) != tt.ok {
				t.Fatalf("have %v, want ok=%v", err, tt.ok)
			}
			if !tt.ok && !tt.remote && errors.Is(err, errRemoteTarget) == false && tt.url[:4] == "http" {
				t.Errorf("have %v, want %v", err, errRemoteTarget)
			}
		})
	}
}

func TestReasonKey(t *testing.T) {
	tests := map[string]string{
		"nonce too low: address 0xabc, tx: 1 state: 2": "nonce too low",
		"txpool is full":                    "txpool is full",
		"transport: Post \"http://x\": EOF": "transport",
	}
	for msg, want := range tests {
		if have := reasonKey(msg); have != want {
			t.Errorf("reasonKey(%q): have %q, want %q", msg, have, want)
		}
	}
}
