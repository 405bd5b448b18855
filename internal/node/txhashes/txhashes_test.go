package txhashes

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb/pebble"
	"github.com/ethereum/go-ethereum/event"
)

// block returns n transactions and their receipts, those at the indexes in
// logged with one log each.
func block(n int, size int, logged func(int) bool) (types.Receipts, types.Transactions) {
	txs := make(types.Transactions, n)
	receipts := make(types.Receipts, n)
	for i := range n {
		txs[i] = types.NewTx(&types.LegacyTx{Nonce: uint64(i), GasPrice: big.NewInt(1), Gas: 21000, Data: make([]byte, size)})
		receipts[i] = &types.Receipt{Logs: []*types.Log{}}
		if logged(i) {
			receipts[i].Logs = append(receipts[i].Logs, &types.Log{})
		}
	}
	return receipts, txs
}

// TestEncode checks an entry's layout and what Fits accepts.
func TestEncode(t *testing.T) {
	receipts, txs := block(5, 10, func(i int) bool { return i != 1 && i != 4 })
	e, has, err := Encode(receipts, txs)
	if err != nil || !has {
		t.Fatalf("Encode: has %v, err %v; want an entry", has, err)
	}
	if e.Len() != 3 || len(e) != 3*36 {
		t.Fatalf("entry of %d bytes, %d transactions; want 3 of 36 bytes", len(e), e.Len())
	}
	for j, i := range []int{0, 2, 3} {
		if index, hash := e.At(j); index != uint32(i) || hash != txs[i].Hash() {
			t.Errorf("entry %d: have %d %s, want %d %s", j, index, hash, i, txs[i].Hash())
		}
	}
	if !e.Fits(receipts) {
		t.Error("an entry does not fit its own block")
	}
	other, _, err := Encode(block(5, 10, func(i int) bool { return i != 2 }))
	if err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]Entry{
		"truncated":        e[:len(e)-1],
		"one missing":      e[:2*36],
		"one more":         append(append(Entry{}, e...), e[:36]...),
		"another's":        other,
		"empty for logs":   Entry{},
		"wrong index":      append(append(Entry{}, e[:36]...), append([]byte{0, 0, 0, 1}, e[40:]...)...),
		"shifted by bytes": append(Entry{0}, e[:len(e)-1]...),
	} {
		if bad.Fits(receipts) {
			t.Errorf("%s entry fits", name)
		}
	}
	if _, has, _ := Encode(block(3, 10, func(int) bool { return false })); has {
		t.Error("a block without logs got an entry")
	}
	if _, _, err := Encode(receipts[:4], txs); err == nil {
		t.Error("receipts and transactions of different numbers: no error")
	}
}

// feedChain is a chain announcing what is sent on its feed.
type feedChain struct{ feed event.Feed }

func (c *feedChain) SubscribeChainEvent(ch chan<- core.ChainEvent) event.Subscription {
	return c.feed.Subscribe(ch)
}

// TestStopWritesAnnounced checks that the blocks announced before Stop are
// written by the time it returns, and only those with logs.
func TestStopWritesAnnounced(t *testing.T) {
	db := rawdb.NewMemoryDatabase()
	chain := new(feedChain)
	x := New(db, chain)
	if err := x.Start(); err != nil {
		t.Fatal(err)
	}
	var hashes []common.Hash
	for i := range 200 {
		receipts, txs := block(3, 10, func(j int) bool { return i%2 == 0 && j == 1 })
		h := &types.Header{Number: big.NewInt(int64(i))}
		hashes = append(hashes, h.Hash())
		chain.feed.Send(core.ChainEvent{Header: h, Receipts: receipts, Transactions: txs})
	}
	if err := x.Stop(); err != nil {
		t.Fatal(err)
	}
	if have := x.Stats(); have != (Stats{Written: 100}) {
		t.Fatalf("have %+v, want 100 written", have)
	}
	for i, h := range hashes {
		if _, ok := Read(db, h); ok != (i%2 == 0) {
			t.Errorf("block %d: entry %v, want %v", i, ok, i%2 == 0)
		}
	}
}

// BenchmarkIndexBlock measures what the index adds to a block's import:
// encoding an announced block's entry (hashes already computed, as geth's
// are) and writing it to a pebble database on disk.
func BenchmarkIndexBlock(b *testing.B) {
	for _, c := range []struct{ txs, size int }{{22, 111_000}, {5000, 110}} {
		b.Run(fmt.Sprintf("txs=%d", c.txs), func(b *testing.B) {
			kv, err := pebble.New(b.TempDir(), 64, 16, "", false)
			if err != nil {
				b.Fatal(err)
			}
			defer kv.Close()
			x := New(kv, nil)
			receipts, txs := block(c.txs, c.size, func(int) bool { return true })
			for _, tx := range txs {
				tx.Hash()
			}
			b.ResetTimer()
			for i := range b.N {
				x.add(core.ChainEvent{Header: &types.Header{Number: big.NewInt(int64(i))}, Receipts: receipts, Transactions: txs})
			}
		})
	}
}
