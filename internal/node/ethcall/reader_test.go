package ethcall

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"
)

// TestHeadReaderFull checks the bound on the shared reader's cache: it counts
// the accounts and slots read through it.
func TestHeadReaderFull(t *testing.T) {
	tdb := triedb.NewDatabase(rawdb.NewMemoryDatabase(), nil)
	db := state.NewMPTDatabase(tdb, nil)
	sdb, err := state.New(types.EmptyRootHash, db)
	if err != nil {
		t.Fatal(err)
	}
	addr := common.HexToAddress("0xc0")
	sdb.SetBalance(addr, uint256.NewInt(1), tracing.BalanceChangeUnspecified)
	for i := range 8 {
		sdb.SetState(addr, common.Hash{31: byte(i)}, common.Hash{31: byte(i + 1)})
	}
	rules := params.AllEthashProtocolChanges.Rules(common.Big0, false, 0)
	root, err := sdb.Commit(rules, 0)
	if err != nil {
		t.Fatal(err)
	}
	reader, _, err := db.ReadersWithCacheStats(root)
	if err != nil {
		t.Fatal(err)
	}
	hr := &headReader{root: root, reader: reader}
	if hr.full(1) {
		t.Fatal("a fresh reader is full")
	}
	if _, err := reader.Account(addr); err != nil {
		t.Fatal(err)
	}
	for i := range 8 {
		for range 3 { // repeated reads are cache hits and add nothing
			v, err := reader.Storage(addr, common.Hash{31: byte(i)})
			if err != nil || v != (common.Hash{31: byte(i + 1)}) {
				t.Fatalf("slot %d: have %x, %v", i, v, err)
			}
		}
	}
	if !hr.full(9) || hr.full(10) {
		t.Errorf("after 1 account and 8 slots: full(9) %v, full(10) %v, want true, false", hr.full(9), hr.full(10))
	}
}
