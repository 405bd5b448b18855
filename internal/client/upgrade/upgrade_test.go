package upgrade

import (
	"errors"
	"strings"
	"testing"
)

// TestAgree: nodes with the same current, next and last fork agree; a node
// whose next fork differs (another time, or none) is named.
func TestAgree(t *testing.T) {
	shanghai := &Fork{ActivationTime: 1_800_000_000, ForkID: []byte{1, 2, 3, 4}}
	other := &Fork{ActivationTime: 1_800_000_060, ForkID: []byte{1, 2, 3, 5}}
	same := []Schedule{{Node: "a", Next: shanghai, Last: shanghai}, {Node: "b", Next: shanghai, Last: shanghai}}
	if err := Agree(same); err != nil {
		t.Fatalf("same schedules: %v", err)
	}
	for _, odd := range []Schedule{{Node: "c"}, {Node: "c", Next: other, Last: other}} {
		err := Agree(append(same, odd))
		if !errors.Is(err, ErrDisagree) || !strings.Contains(err.Error(), "c (next") || strings.Contains(err.Error(), "b (next") {
			t.Errorf("with %+v: have %v, want ErrDisagree naming c only", odd, err)
		}
	}
}
