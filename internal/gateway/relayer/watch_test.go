package relayer

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/gateway/intake"
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
