package forkchoice

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
)

// TestTDSurvivesRestart builds a chain with a side block on one node, stops
// it and opens a new chain and fork choice on the same database: total
// difficulties, head and finalized block are as before. Then it deletes every
// stored total difficulty (as a crash before the database was synced could)
// and opens the database again: they are rebuilt from the headers and saved.
func TestTDSurvivesRestart(t *testing.T) {
	net := newTestnet(t, 3, 1)
	canon := net.chain(net.genesis, "B", "C", "A", "B", "C")
	side := net.build(canon[1], "B") // out of turn at 3: TD 6 against 7
	first := net.newNode()
	first.deliver(canon[:3])
	first.insert(side) // before block 5 finalizes block 3
	first.deliver(canon[3:])
	head, final := first.fc.Head(), first.fc.Finalized()
	if final.Number.Uint64() != 3 {
		t.Fatalf("have finalized %d before the restart, want 3", final.Number)
	}
	first.chain.Stop()

	check := func(t *testing.T, nd *node) {
		t.Helper()
		if have := nd.fc.Head(); have.Hash() != head.Hash() {
			t.Fatalf("have head %d %x, want %d %x", have.Number, have.Hash(), head.Number, head.Hash())
		}
		if have := nd.fc.Finalized(); have.Hash() != final.Hash() {
			t.Fatalf("have finalized %d, want %d", have.Number, final.Number)
		}
		for _, b := range append([]*types.Block{net.genesis, side}, canon...) {
			if have, want := nd.fc.TD(b.Hash()), net.tds[b.Hash()]; have == nil || have.Cmp(want) != 0 {
				t.Fatalf("block %s: have td %v, want %v", net.name(b.Header()), have, want)
			}
		}
		if have := nd.fc.TD(common.Hash{1}); have != nil {
			t.Fatalf("unknown block: have td %v, want nil", have)
		}
	}
	t.Run("restart", func(t *testing.T) {
		// Every block's total difficulty is in the database.
		for _, b := range append([]*types.Block{net.genesis, side}, canon...) {
			if td, err := loadTD(first.db, b.Hash()); err != nil || td == nil || td.Cmp(net.tds[b.Hash()]) != 0 {
				t.Fatalf("block %s: have stored td %v (err %v), want %v", net.name(b.Header()), td, err, net.tds[b.Hash()])
			}
		}
		second := net.openNode(first.db)
		check(t, second)
		second.chain.Stop()
	})
	t.Run("rebuilt after loss", func(t *testing.T) {
		if n := deleteTDs(t, first.db); n != len(canon)+2 {
			t.Fatalf("have %d stored total difficulties, want %d", n, len(canon)+2)
		}
		third := net.openNode(first.db)
		// New rebuilt the head's branch: its values are stored again.
		for _, b := range append([]*types.Block{net.genesis}, canon...) {
			if td, err := loadTD(first.db, b.Hash()); err != nil || td == nil || td.Cmp(net.tds[b.Hash()]) != 0 {
				t.Fatalf("block %s: have stored td %v (err %v), want %v", net.name(b.Header()), td, err, net.tds[b.Hash()])
			}
		}
		check(t, third)
		// The side block's was rebuilt on demand by TD and stored too.
		if td, err := loadTD(first.db, side.Hash()); err != nil || td == nil || td.Cmp(net.tds[side.Hash()]) != 0 {
			t.Fatalf("side block: have stored td %v (err %v), want %v", td, err, net.tds[side.Hash()])
		}
		// The node goes on from the rebuilt values.
		next := net.build(canon[len(canon)-1], "A")
		if res := third.insert(next); res.Status != StatusExtended || res.TD.Cmp(net.tds[next.Hash()]) != 0 {
			t.Fatalf("next block: have %v td %v, want %v td %v", res.Status, res.TD, StatusExtended, net.tds[next.Hash()])
		}
	})
}

// TestTDDamagedEntry: an unreadable stored value is rebuilt, not trusted.
func TestTDDamagedEntry(t *testing.T) {
	net := newTestnet(t, 1, 1)
	nd := net.newNode()
	blocks := net.chain(net.genesis, "A", "A", "A")
	nd.deliver(blocks)
	for _, blob := range [][]byte{{}, bytes.Repeat([]byte{1}, 33)} {
		nd.fc.tds.Purge()
		if err := nd.db.Put(tdKey(blocks[2].Hash()), blob); err != nil {
			t.Fatal(err)
		}
		if have, want := nd.fc.TD(blocks[2].Hash()), big.NewInt(7); have.Cmp(want) != 0 { // 1 + 3*2
			t.Fatalf("value %x: have td %v, want %v", blob, have, want)
		}
	}
}

// deleteTDs deletes every stored total difficulty from db and returns how
// many there were.
func deleteTDs(t *testing.T, db ethdb.Database) int {
	t.Helper()
	it := db.NewIterator([]byte(tdPrefix), nil)
	var keys [][]byte
	for it.Next() {
		keys = append(keys, bytes.Clone(it.Key()))
	}
	it.Release()
	for _, key := range keys {
		if err := db.Delete(key); err != nil {
			t.Fatal(err)
		}
	}
	return len(keys)
}
