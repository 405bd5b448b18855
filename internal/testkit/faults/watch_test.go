package faults

import (
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// The block time p95 spreads a jump of k blocks over k intervals and keeps
// to the window.
func TestBlockP95(t *testing.T) {
	t0 := time.Unix(1000, 0)
	w := &Watcher{}
	at := func(s float64) time.Time { return t0.Add(time.Duration(s * float64(time.Second))) }
	// 20 blocks a second apart, then a 4 s gap covering 2 blocks (2 s each),
	// then one block 1 s later; a 9 s gap before the window is left out.
	w.advances = append(w.advances, advance{1, at(-9)}, advance{2, at(0)})
	for i := 1; i <= 20; i++ {
		w.advances = append(w.advances, advance{uint64(2 + i), at(float64(i))})
	}
	w.advances = append(w.advances, advance{24, at(24)}, advance{25, at(25)})
	// 23 intervals: 21 of 1 s, 2 of 2 s: the 95th percentile (22nd) is 2 s.
	if have := w.blockP95(at(0.5), at(30)); have != 2*time.Second {
		t.Errorf("p95 with a 2-block jump: have %v, want 2s", have)
	}
	if have := w.blockP95(at(0.5), at(20)); have != time.Second {
		t.Errorf("p95 of a steady period: have %v, want 1s", have)
	}
	if have := w.blockP95(at(100), at(200)); have != 0 {
		t.Errorf("p95 of an empty window: have %v, want 0", have)
	}
}

// A result fails on a lost transfer, disagreement, a violation or a slow
// flood, and says which.
func TestProblems(t *testing.T) {
	ok := Result{Scenario: "x", Agree: true}
	if p := ok.Problems(); len(p) != 0 {
		t.Fatalf("a clean result has problems: %v", p)
	}
	bad := Result{Scenario: "x", Lost: []common.Hash{{1}, {2}}, BlockP95: 2 * time.Second, MaxBlockP95: 1500 * time.Millisecond, Violations: []string{"signer1: finalized block went back from 9 to 7"}}
	p := strings.Join(bad.Problems(), "\n")
	for _, want := range []string{"2 acknowledged transfers lost", "do not agree", "block time p95 2s above 1.5s", "went back"} {
		if !strings.Contains(p, want) {
			t.Errorf("problems do not say %q:\n%s", want, p)
		}
	}
	if row := bad.Row(); !strings.Contains(row, "| **2** |") || !strings.Contains(row, "**no**") {
		t.Errorf("the row does not mark the loss and the disagreement: %s", row)
	}
}
