package receipts

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/trie"
)

// fakeChain serves blocks from a map, as go-ethereum's block cache would:
// the same copy every time.
type fakeChain struct {
	Chain
	blocks map[common.Hash]*types.Block
}

func (f fakeChain) Config() *params.ChainConfig { return params.AllDevChainProtocolChanges }
func (f fakeChain) GetBlock(hash common.Hash, _ uint64) *types.Block {
	return f.blocks[hash]
}

// transferBlocks writes n blocks of perBlock signed transfers and their
// receipts to a memory database.
func transferBlocks(t *testing.T, n, perBlock int) (fakeChain, ethdb.Database, []*types.Block, *types.Block) {
	t.Helper()
	db := rawdb.NewMemoryDatabase()
	chain := fakeChain{blocks: map[common.Hash]*types.Block{}}
	key, _ := crypto.GenerateKey()
	cfg := chain.Config()
	signer := types.LatestSigner(cfg)
	to := common.HexToAddress("0xc1")
	var blocks []*types.Block
	nonce := uint64(0)
	for b := range n {
		var txs []*types.Transaction
		var rs types.Receipts
		for i := range perBlock {
			tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: cfg.ChainID, Nonce: nonce, To: &to, Value: big.NewInt(1), Gas: 21000, GasFeeCap: big.NewInt(2e9), GasTipCap: big.NewInt(1)})
			nonce++
			txs = append(txs, tx)
			rs = append(rs, &types.Receipt{Type: tx.Type(), Status: types.ReceiptStatusSuccessful, CumulativeGasUsed: uint64(21000 * (i + 1))})
		}
		header := &types.Header{Number: big.NewInt(int64(b + 1)), BaseFee: big.NewInt(1e9), GasLimit: 600_000_000, Time: uint64(b)}
		block := types.NewBlock(header, &types.Body{Transactions: txs}, rs, trie.NewStackTrie(nil))
		rawdb.WriteBlock(db, block)
		rawdb.WriteReceipts(db, block.Hash(), block.NumberU64(), rs)
		chain.blocks[block.Hash()] = block
		blocks = append(blocks, block)
	}
	// A second copy of the first block, as an event carries it.
	copied := types.NewBlockWithHeader(blocks[0].Header()).WithBody(types.Body{Transactions: append(types.Transactions(nil), blocks[0].Transactions()...)})
	for i, tx := range copied.Transactions() {
		raw, _ := tx.MarshalBinary()
		decoded := new(types.Transaction)
		if err := decoded.UnmarshalBinary(raw); err != nil {
			t.Fatal(err)
		}
		copied.Transactions()[i] = decoded
	}
	return chain, db, blocks, copied
}

// TestCacheBoundedByBytes fails if the cache stops being bounded by its
// estimate of the bytes it holds: adding three times the limit's worth of
// blocks keeps the estimate under the limit, evicts the oldest blocks first
// and counts every receipt at least a transaction's and a slot's worth.
func TestCacheBoundedByBytes(t *testing.T) {
	const perBlock = 200
	chain, db, blocks, _ := transferBlocks(t, 30, perBlock)
	perEntry := perBlock * (receiptBytes + txBytes)
	limit := 10 * perEntry // ~10 blocks
	c := New(chain, db, types.LatestSigner(chain.Config()), nil, limit)
	for _, b := range blocks {
		c.add(b)
		if c.held > limit {
			t.Fatalf("after block %d: %d bytes held, limit %d", b.NumberU64(), c.held, limit)
		}
	}
	if c.blocks.Len() >= len(blocks) || c.blocks.Len() < 2 {
		t.Fatalf("%d of %d blocks held with room for ~8: the limit is not applied", c.blocks.Len(), len(blocks))
	}
	sum := 0
	for _, h := range c.blocks.Keys() {
		e, _ := c.blocks.Peek(h)
		if e.size < perEntry {
			t.Errorf("block %d estimated at %d bytes, below %d for %d transfers", e.header.Number, e.size, perEntry, perBlock)
		}
		sum += e.size
	}
	if sum != c.held {
		t.Errorf("held %d bytes, entries sum to %d", c.held, sum)
	}
	if _, ok := c.blocks.Peek(blocks[0].Hash()); ok {
		t.Error("the oldest block is still held")
	}
	if _, ok := c.blocks.Peek(blocks[len(blocks)-1].Hash()); !ok {
		t.Error("the newest block is not held")
	}
}

// TestCacheSharesChainTransactions fails if an entry holds the transactions
// of the block an event carried instead of those of the chain's cached copy
// (a second decoded copy of every recent transaction), and checks the
// receipt derived from a slot.
func TestCacheSharesChainTransactions(t *testing.T) {
	chain, db, blocks, copied := transferBlocks(t, 1, 3)
	c := New(chain, db, types.LatestSigner(chain.Config()), nil, DefaultBytes)
	c.add(copied)
	e, ok := c.blocks.Peek(blocks[0].Hash())
	if !ok {
		t.Fatal("block not cached")
	}
	for i, tx := range e.txs {
		if tx != blocks[0].Transactions()[i] {
			t.Fatalf("transaction %d is not the chain's copy", i)
		}
	}
	r := e.receipt(c.signer, 2)
	if r.GasUsed != 21000 || r.CumulativeGasUsed != 63000 || r.TxHash != e.txs[2].Hash() || r.TransactionIndex != 2 ||
		r.EffectiveGasPrice.Cmp(big.NewInt(1e9+1)) != 0 || r.BlockNumber.Uint64() != 1 || r.Status != 1 {
		t.Errorf("derived receipt: %+v", r)
	}
}
