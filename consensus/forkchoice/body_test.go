package forkchoice

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
)

// withForeignTx returns block's header with a body holding one transaction
// the header does not commit to: a copy changed on the way, same hash.
func withForeignTx(block *types.Block) *types.Block {
	to := common.HexToAddress("0xc1")
	tx := types.NewTx(&types.LegacyTx{Nonce: 7, Gas: 21000, GasPrice: big.NewInt(1), To: &to, Value: big.NewInt(1)})
	return block.WithBody(types.Body{Transactions: []*types.Transaction{tx}})
}

// TestBodyMismatchCondemnsNotTheHash: a copy of a block whose body does not
// match its header is refused with ErrBodyMismatch, not ErrInvalidBlock, and
// neither it nor go-ethereum's record of it as a bad block keeps the true
// block, or a branch through it, out. Before, the copy was ErrInvalidBlock:
// gossip remembered the hash as bad and dropped the peer that later sent the
// true block.
func TestBodyMismatchCondemnsNotTheHash(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	x := net.chain(net.genesis, "C", "A", "B") // out of turn each: td 2, 3, 4
	y := net.build(net.genesis, "B")           // in turn: td 3

	forged := withForeignTx(x[0])
	if forged.Hash() != x[0].Hash() {
		t.Fatal("the forged copy should keep the block's hash")
	}
	_, err := nd.fc.Insert(forged)
	if !errors.Is(err, ErrBodyMismatch) || errors.Is(err, ErrInvalidBlock) {
		t.Fatalf("forged copy: have %v, want ErrBodyMismatch and not ErrInvalidBlock", err)
	}
	if rawdb.ReadBadBlock(nd.db, x[0].Hash()) == nil {
		t.Fatal("go-ethereum did not record the forged copy as bad: the rest of the test would check nothing")
	}
	if have := nd.fc.Stats().Invalid; have != 0 {
		t.Fatalf("invalid blocks counted: have %d, want 0", have)
	}
	nd.insert(y)
	if res := nd.insert(x[0]); res.Status != StatusSide {
		t.Fatalf("true block after its forged copy: have status %v, want %v (stored beside the heavier head)", res.Status, StatusSide)
	}
	nd.insert(x[1])
	res, err := nd.fc.Insert(x[2])
	if err != nil {
		t.Fatalf("a descendant of the true block: %v", err)
	}
	if res.Head.Hash() != x[2].Hash() {
		t.Fatalf("head: have %x, want the heavier branch through the true block %x", res.Head.Hash(), x[2].Hash())
	}
}

// TestSideCopyBodyMismatch: a losing block stored without executing it has
// its body checked against its header; a mismatch is the copy's fault.
func TestSideCopyBodyMismatch(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	nd.insert(net.build(net.genesis, "B")) // in turn: the side block below loses
	side := net.build(net.genesis, "C")
	_, err := nd.fc.Insert(withForeignTx(side))
	if !errors.Is(err, ErrBodyMismatch) || errors.Is(err, ErrInvalidBlock) {
		t.Fatalf("forged side copy: have %v, want ErrBodyMismatch and not ErrInvalidBlock", err)
	}
	if res := nd.insert(side); res.Status != StatusSide {
		t.Fatalf("true side block: have status %v, want %v", res.Status, StatusSide)
	}
}
