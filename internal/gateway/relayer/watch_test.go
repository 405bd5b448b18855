package relayer

import (
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// TestSortMined pairs each mined transaction with its own receipt when
// receipts of transactions not mined come between them (a receipt the node
// did not have yet, a nonce taken): finishing a batch with another's
// receipt, or none, would store wrong outcomes or crash the watcher.
func TestSortMined(t *testing.T) {
	fs := make([]*flight, 5)
	for i := range fs {
		fs[i] = &flight{rec: &intake.TxRecord{Nonce: uint64(10 + i)}}
	}
	rcpt := func(n int64) *types.Receipt { return &types.Receipt{BlockNumber: big.NewInt(n)} }
	// fs[1] not mined, fs[4] past the receipts asked for.
	receipts := []*types.Receipt{rcpt(10), nil, rcpt(12), rcpt(13)}
	mined, rcpts, waiting := sortMined(fs, receipts)
	if len(mined) != 3 || len(rcpts) != 3 {
		t.Fatalf("mined: have %d transactions and %d receipts, want 3 and 3", len(mined), len(rcpts))
	}
	for i, f := range mined {
		if want := int64(f.rec.Nonce); rcpts[i].BlockNumber.Int64() != want {
			t.Errorf("transaction of nonce %d paired with the receipt of %d", f.rec.Nonce, rcpts[i].BlockNumber)
		}
	}
	if len(waiting) != 2 || waiting[0].rec.Nonce != 11 || waiting[1].rec.Nonce != 14 {
		t.Errorf("waiting: have %v, want nonces 11 and 14", waiting)
	}
}

// TestFailedSendRetriedSoon: a relay whose send failed (no rpc node ready:
// the gateway took a busy node out for a moment) is sent again at the
// watcher's first check a second later, not after Resend like one the node
// took; every nonce after it waits for it (ADR 100).
func TestFailedSendRetriedSoon(t *testing.T) {
	r := &Relayer{cfg: Defaults}
	t0 := time.Unix(1_800_000_000, 0)
	cases := []struct {
		name string
		err  error
		at   time.Duration // since the send
		due  bool
	}{
		{"taken, at once", nil, 0, false},
		{"taken, a second later", nil, sendRetry, false},
		{"taken, just before resend", nil, Defaults.Resend - time.Millisecond, false},
		{"taken, at resend", nil, Defaults.Resend, true},
		{"already known, a second later", errors.New("already known"), sendRetry, false},
		{"no node ready, at once", upstream.ErrNoReady, 0, false},
		{"no node ready, a second later", upstream.ErrNoReady, sendRetry, true},
		{"node unreachable, a second later", errors.New("dial tcp 127.0.0.1:8545: connection refused"), sendRetry, true},
	}
	for _, c := range cases {
		f := &flight{due: nextSend(c.err, t0, Defaults.Resend)}
		if have := r.dueAt(f, t0.Add(c.at)); have != c.due {
			t.Errorf("%s: due %v, want %v", c.name, have, c.due)
		}
	}
	if !r.dueAt(&flight{}, t0) {
		t.Error("a transaction not sent since the start is not due at the first check")
	}
	if Defaults.Resend <= 5*sendRetry {
		t.Errorf("resend %v is not well above the retry of a failed send %v", Defaults.Resend, sendRetry)
	}
}
