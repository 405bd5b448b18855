package clique

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// TestClockOffset: the future-block check reads the engine's clock, shifted
// by SetClockOffset (the fault suite's clock skew, ADR 073).
func TestClockOffset(t *testing.T) {
	now := time.Now()
	cases := []struct {
		name   string
		offset time.Duration
		at     time.Time // the header's time
		future bool
	}{
		{"5 s ahead, true clock", 0, now.Add(5 * time.Second), true},
		{"5 s ahead, clock 10 s fast", 10 * time.Second, now.Add(5 * time.Second), false},
		{"5 s behind, true clock", 0, now.Add(-5 * time.Second), false},
		{"5 s behind, clock 10 s slow", -10 * time.Second, now.Add(-5 * time.Second), true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := New(&params.CliqueConfig{Period: 1}, rawdb.NewMemoryDatabase())
			e.SetClockOffset(c.offset)
			if got := e.Now().Sub(now) - c.offset; got < 0 || got > time.Minute {
				t.Fatalf("Now is %v off the wall clock, want the offset %v", got+c.offset, c.offset)
			}
			h := &types.Header{Number: big.NewInt(1), Time: uint64(c.at.Unix())}
			err := e.VerifyHeader(nil, h, nil)
			if future := errors.Is(err, consensus.ErrFutureBlock); future != c.future {
				t.Fatalf("VerifyHeader: %v, want a future block: %v", err, c.future)
			}
		})
	}
}
