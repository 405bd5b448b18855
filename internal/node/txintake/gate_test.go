package txintake

import (
	"context"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/internal/node/permissions"
)

// fakeGate permits the accounts in allowed, and contract creations by those
// in deployers; views counts the states opened.
type fakeGate struct {
	allowed, deployers map[common.Address]bool
	views              int
	err                error
}

func (g *fakeGate) View() (func(common.Address, bool) error, error) {
	g.views++
	if g.err != nil {
		return nil, g.err
	}
	return func(from common.Address, create bool) error {
		switch {
		case create && !g.deployers[from]:
			return &permissions.DeniedError{Account: from, Create: true}
		case !g.allowed[from]:
			return &permissions.DeniedError{Account: from}
		}
		return nil
	}, nil
}

func creation(label string, nonce uint64) *types.Transaction {
	return types.MustSignNewTx(testKeys.key(label), testSigner, &types.DynamicFeeTx{
		ChainID: big.NewInt(testChainID), Nonce: nonce, GasTipCap: big.NewInt(params.GWei),
		GasFeeCap: big.NewInt(2 * params.GWei), Gas: 100_000, Data: []byte{0x60, 0x00},
	})
}

// TestGate checks that a refused sender's transaction gets the gate's error,
// never reaches the pool, and is counted by reason, while the rest of the
// batch goes through; and that one state is opened per batch.
func TestGate(t *testing.T) {
	gate := &fakeGate{
		allowed:   map[common.Address]bool{testKeys.addr("alice"): true, testKeys.addr("dora"): true},
		deployers: map[common.Address]bool{testKeys.addr("dora"): true},
	}
	h := newHarness(t, func(c *Config) { c.Gate = gate })
	txs := []*types.Transaction{transfer("alice", 0), transfer("mallory", 0), creation("alice", 1), creation("dora", 0)}
	errs := h.in.Submit(context.Background(), txs)
	want := []error{nil, permissions.ErrNotPermitted, permissions.ErrCreateNotPermitted, nil}
	for i, err := range errs {
		if (want[i] == nil) != (err == nil) || want[i] != nil && !errors.Is(err, want[i]) {
			t.Errorf("tx %d: have %v, want %v", i, err, want[i])
		}
		if have := h.pool.Has(txs[i].Hash()); have != (want[i] == nil) {
			t.Errorf("tx %d in the pool: have %v, want %v", i, have, want[i] == nil)
		}
	}
	if gate.views != 1 {
		t.Errorf("states opened for one batch: have %d, want 1", gate.views)
	}
	m := h.in.Metrics()
	if m.Rejected[RejectNotPermitted] != 1 || m.Rejected[RejectCreateNotPermitted] != 1 || m.Accepted != 2 {
		t.Errorf("counters: have rejected %v accepted %d, want 1 not_permitted, 1 create_not_permitted, 2 accepted", m.Rejected, m.Accepted)
	}

	// Without the head's state nobody is let in.
	gate.err = errors.New("no state")
	if err := h.in.Submit(context.Background(), []*types.Transaction{transfer("alice", 2)})[0]; !errors.Is(err, gate.err) {
		t.Errorf("without state: have %v, want %v", err, gate.err)
	}
}
