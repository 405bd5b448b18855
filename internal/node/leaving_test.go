package node

import (
	"math/big"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// fakePool is the set of transaction hashes a pool holds.
type fakePool struct {
	mu     sync.Mutex
	hashes map[common.Hash]bool
}

func (p *fakePool) has(h common.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.hashes[h]
}

func (p *fakePool) set(txs []*types.Transaction, pooled bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, tx := range txs {
		p.hashes[tx.Hash()] = pooled
	}
}

// blockOf returns a block of n transactions numbered from first (their
// nonces make their hashes distinct).
func blockOf(first, n int) *types.Block {
	txs := make([]*types.Transaction, n)
	for i := range txs {
		txs[i] = types.NewTx(&types.LegacyTx{Nonce: uint64(first + i), Gas: 21000, GasPrice: big.NewInt(1)})
	}
	return types.NewBlockWithHeader(&types.Header{Number: big.NewInt(int64(first))}).WithBody(types.Body{Transactions: txs})
}

// TestLeaving: a block noted on its way to the head counts the pool's copies
// of its transactions until the pool takes them out (its reset to that
// head); transactions the pool never held count nothing; the last two
// blocks count, an older one no more.
func TestLeaving(t *testing.T) {
	pool := &fakePool{hashes: map[common.Hash]bool{}}
	l := newLeaving(pool.has)
	a, b, c := blockOf(0, 5), blockOf(100, 3), blockOf(200, 2)
	pool.set(a.Transactions(), true)
	pool.set(b.Transactions()[:2], true) // the pool holds 2 of b's 3

	l.note(blockOf(300, 4)) // none pooled: nothing
	if got := l.count(); got != 0 {
		t.Fatalf("after a block of transactions the pool never held: count %d, want 0", got)
	}
	l.note(a)
	l.note(b)
	if got := l.count(); got != 5+2 {
		t.Fatalf("a and b on their way: count %d, want 7", got)
	}
	pool.set(a.Transactions(), false) // the pool reset to a
	if got := l.count(); got != 2 {
		t.Fatalf("a taken out of the pool: count %d, want 2 (b's)", got)
	}
	pool.set(a.Transactions(), true) // a lost to another block: its transactions are back
	pool.set(c.Transactions(), true)
	l.note(c)
	if got := l.count(); got != 2+2 {
		t.Fatalf("b and c on their way: count %d, want 4 (a forgotten once out of the pool)", got)
	}
}
