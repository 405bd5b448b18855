// Package receipts answers eth_getTransactionReceipt from a cache of the
// derived receipts of recent and recently asked blocks.
//
// go-ethereum v1.17 answers each call on its own: it reads the block body and
// hashes its transactions until it finds the one asked for, walks the block's
// stored receipts up to it, derives its fields and recovers the sender. On
// blocks of thousands of transactions that is milliseconds per call, repeated
// for every transaction of the block. Here a block's receipts are derived once
// (when it becomes the head, or on the first call that needs them) and kept,
// with an index from transaction hash to position, so a call is a database key
// lookup, a map lookup and the JSON fields (ADR 018).
package receipts

import (
	"context"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/consensus/misc/eip4844"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/forkchoice"
)

// DefaultBytes is the memory the cache may hold, by its own estimate
// (entrySize): 32 MiB, some 70,000 transfers' receipts and transactions, eight
// blocks of W1's 8,000 transfers or a hundred of a city's steady 700 a
// second. The transactions are mostly shared with go-ethereum's block cache
// (256 blocks) and counted anyway, so the estimate errs high.
const DefaultBytes = 32 << 20

// The estimate of an entry's memory, per receipt, transaction and log (Go
// structures measured with go-ethereum v1.17: a compact receipt and its index
// entry; a decoded transaction beside its encoded bytes, its hash and sender
// caches; a log and its topics).
const (
	receiptBytes = 128
	txBytes      = 320
	logBytes     = 224
)

// Chain is what the cache reads (core.BlockChain implements it).
type Chain interface {
	Config() *params.ChainConfig
	GetBlock(hash common.Hash, number uint64) *types.Block
	// The path of geth's own eth_getTransactionReceipt, for what the cache
	// cannot answer.
	GetCanonicalTransaction(hash common.Hash) (*rawdb.LegacyTxLookupEntry, *types.Transaction)
	GetCanonicalReceipt(tx *types.Transaction, blockHash common.Hash, blockNumber, txIndex uint64) (*types.Receipt, error)
	TxIndexDone() bool
}

// IndexingError is the answer for a transaction not found while the node is
// still indexing transactions: geth's error (code -32000), which clients
// already handle by asking again later.
type IndexingError struct{}

// Error implements error.
func (IndexingError) Error() string { return "transaction indexing is in progress" }

// ErrorCode implements rpc.Error.
func (IndexingError) ErrorCode() int { return -32000 }

// ErrorData implements rpc.DataError.
func (IndexingError) ErrorData() interface{} { return "transaction indexing is in progress" }

// Cache holds the receipts of whole blocks, least recently used evicted
// first once the entries' estimated size passes limit bytes.
type Cache struct {
	chain  Chain
	db     ethdb.Reader
	signer types.Signer
	limit  int
	quit   chan struct{}
	source BlockSource

	mu       sync.Mutex
	blocks   lru.BasicLRU[common.Hash, *entry]
	held     int                           // estimated bytes of the entries in blocks
	building map[common.Hash]chan struct{} // blocks being derived, closed when done

	hits, misses, slow uint64 // under mu; for tests
}

// entry is one block's receipts: what the store holds of each (status,
// cumulative gas, logs with their derived fields) beside the transactions of
// go-ethereum's cached copy of the block; the other fields are derived again
// per call from the transaction and the header (marshal), which costs less
// than keeping them (a types.Receipt is ~600 bytes with its bloom and two big
// integers; a transfer's slot here 48).
type entry struct {
	hash     common.Hash
	header   *types.Header
	blobFee  *big.Int // nil before Cancun
	txs      types.Transactions
	receipts []slot
	index    map[common.Hash]int
	size     int // entrySize
}

// slot is one receipt as stored, its logs' fields derived.
type slot struct {
	postState []byte
	status    uint64
	cumGas    uint64
	logs      []*types.Log
	bloom     *types.Bloom // nil without logs (the bloom is then zero)
}

// BlockSource announces the blocks fork choice inserts.
type BlockSource interface {
	SubscribeBlocks(chan<- forkchoice.BlockEvent) event.Subscription
}

// New returns a cache over chain (reading transaction lookups and receipts
// from db) that holds up to about limit bytes and, once started, takes in every new head block
// of source (nil: only blocks asked for). signer must be the chain's latest
// signer, as geth's API uses.
func New(chain Chain, db ethdb.Reader, signer types.Signer, source BlockSource, limit int) *Cache {
	return &Cache{
		chain: chain, db: db, signer: signer, source: source, limit: max(limit, 1),
		quit:     make(chan struct{}),
		blocks:   lru.NewBasicLRU[common.Hash, *entry](1 << 20), // bounded by limit, not by count
		building: make(map[common.Hash]chan struct{}),
	}
}

// APIs returns the eth_getTransactionReceipt service; registered after geth's,
// it replaces geth's method (geth's RPC registry merges services method by
// method, the later registration winning).
func (c *Cache) APIs() []rpc.API {
	return []rpc.API{{Namespace: "eth", Service: &API{c}}}
}

// Start implements node.Lifecycle: new head blocks of the source, whose
// transactions already carry their senders, enter the cache as they come.
func (c *Cache) Start() error {
	if c.source == nil {
		return nil
	}
	events := make(chan forkchoice.BlockEvent, 16)
	sub := c.source.SubscribeBlocks(events)
	go func() {
		defer sub.Unsubscribe()
		for {
			select {
			case ev := <-events:
				if ev.Result.HeadChanged() {
					c.add(ev.Block)
				}
			case <-sub.Err():
				return
			case <-c.quit:
				return
			}
		}
	}()
	return nil
}

// Stop implements node.Lifecycle.
func (c *Cache) Stop() error {
	close(c.quit)
	return nil
}

// Stats returns the block lookups answered from the cache, those that
// derived a block first, and the calls answered on geth's path.
func (c *Cache) Stats() (hits, misses, slow uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.hits, c.misses, c.slow
}

// add derives and keeps the receipts of block.
func (c *Cache) add(block *types.Block) {
	if len(block.Transactions()) == 0 {
		return
	}
	c.get(block.Hash(), block.NumberU64(), block)
}

// get returns the entry of block hash, deriving it if needed (once, however
// many callers ask at the same time). block may be nil. It returns nil if the
// chain does not hold the block or its receipts.
func (c *Cache) get(hash common.Hash, number uint64, block *types.Block) *entry {
	for {
		c.mu.Lock()
		if e, ok := c.blocks.Get(hash); ok {
			c.hits++
			c.mu.Unlock()
			return e
		}
		wait, busy := c.building[hash]
		if !busy {
			c.misses++
			done := make(chan struct{})
			c.building[hash] = done
			c.mu.Unlock()
			e := c.derive(hash, number, block)
			c.mu.Lock()
			if e != nil {
				c.blocks.Add(hash, e)
				c.held += e.size
				for c.held > c.limit && c.blocks.Len() > 1 {
					_, old, _ := c.blocks.RemoveOldest()
					c.held -= old.size
				}
			}
			delete(c.building, hash)
			close(done)
			c.mu.Unlock()
			return e
		}
		c.mu.Unlock()
		<-wait
		// Derived by another caller (or failed: then derive again, it may
		// have been a block not yet written).
	}
}

// derive reads the stored receipts of a block and derives their fields
// against go-ethereum's cached copy of the block (its transactions, senders
// warmed, shared with that cache rather than held twice); block, the copy an
// event carried, serves only if the chain has none.
func (c *Cache) derive(hash common.Hash, number uint64, block *types.Block) *entry {
	if cached := c.chain.GetBlock(hash, number); cached != nil {
		block = cached
	}
	if block == nil {
		return nil
	}
	raw := rawdb.ReadRawReceipts(c.db, hash, number)
	txs, header := block.Transactions(), block.Header()
	if raw == nil || len(raw) != len(txs) {
		log.Debug("Receipts do not match the block's transactions", "number", number, "hash", hash, "receipts", len(raw), "txs", len(txs))
		return nil
	}
	var blobFee *big.Int
	if header.ExcessBlobGas != nil {
		blobFee = eip4844.CalcBlobFee(c.chain.Config(), header)
	}
	if err := raw.DeriveFields(c.chain.Config(), hash, number, header.Time, header.BaseFee, blobFee, txs); err != nil {
		log.Debug("Receipts not derived", "number", number, "hash", hash, "err", err)
		return nil
	}
	e := &entry{hash: hash, header: header, blobFee: blobFee, txs: txs, receipts: make([]slot, len(raw)), index: make(map[common.Hash]int, len(txs))}
	for i, r := range raw {
		s := slot{postState: r.PostState, status: r.Status, cumGas: r.CumulativeGasUsed, logs: r.Logs}
		if len(r.Logs) > 0 {
			bloom := r.Bloom
			s.bloom = &bloom
		}
		e.receipts[i] = s
		e.index[txs[i].Hash()] = i
	}
	e.size = entrySize(e)
	return e
}

// entrySize estimates the memory an entry holds.
func entrySize(e *entry) int {
	size := 0
	for i, tx := range e.txs {
		size += receiptBytes + txBytes + int(tx.Size())
		for _, l := range e.receipts[i].logs {
			size += logBytes + len(l.Topics)*common.HashLength + len(l.Data)
		}
	}
	return size
}

// receipt returns the receipt of transaction i with every field geth's
// method shows, derived from the slot as go-ethereum derives stored receipts.
func (e *entry) receipt(signer types.Signer, i int) *types.Receipt {
	s := e.receipts[i]
	r := &types.Receipt{Type: e.txs[i].Type(), PostState: s.postState, Status: s.status, CumulativeGasUsed: s.cumGas}
	prev := uint64(0)
	if i > 0 {
		prev = e.receipts[i-1].cumGas
	}
	// Without logs: DeriveFields writes to the logs, which calls share.
	r.DeriveFields(signer, types.DeriveReceiptContext{
		BlockHash: e.hash, BlockNumber: e.header.Number.Uint64(), BlockTime: e.header.Time,
		BaseFee: e.header.BaseFee, BlobGasPrice: e.blobFee, GasUsed: s.cumGas - prev,
		Tx: e.txs[i], TxIndex: uint(i),
	})
	r.Logs = s.logs
	if s.bloom != nil {
		r.Bloom = *s.bloom
	}
	return r
}

// API is the eth_getTransactionReceipt method served from the cache.
type API struct{ c *Cache }

// GetTransactionReceipt returns the receipt of a canonical transaction, the
// same JSON object as geth's method, or null if the chain holds none.
func (api *API) GetTransactionReceipt(ctx context.Context, hash common.Hash) (map[string]interface{}, error) {
	c := api.c
	// Transactions not indexed (yet) and anything unexpected take geth's path.
	number := rawdb.ReadTxLookupEntry(c.db, hash)
	if number == nil {
		return c.fallBack(ctx, hash)
	}
	blockHash := rawdb.ReadCanonicalHash(c.db, *number)
	if blockHash == (common.Hash{}) {
		return c.fallBack(ctx, hash)
	}
	e := c.get(blockHash, *number, nil)
	if e == nil {
		return c.fallBack(ctx, hash)
	}
	i, ok := e.index[hash]
	if !ok {
		return c.fallBack(ctx, hash)
	}
	return marshal(e.receipt(c.signer, i), e.hash, *number, c.signer, e.txs[i], i), nil
}

// fallBack answers as geth's own method does: a transaction not in a cached
// block (not indexed yet, or the block's receipts missing) is looked up by
// reading the block body.
func (c *Cache) fallBack(_ context.Context, hash common.Hash) (map[string]interface{}, error) {
	c.mu.Lock()
	c.slow++
	c.mu.Unlock()
	lookup, tx := c.chain.GetCanonicalTransaction(hash)
	if lookup == nil || tx == nil {
		if !c.chain.TxIndexDone() {
			return nil, IndexingError{}
		}
		return nil, nil
	}
	receipt, err := c.chain.GetCanonicalReceipt(tx, lookup.BlockHash, lookup.BlockIndex, lookup.Index)
	if err != nil {
		return nil, err
	}
	return marshal(receipt, lookup.BlockHash, lookup.BlockIndex, c.signer, tx, int(lookup.Index)), nil
}

// marshal builds the JSON object of a receipt exactly as geth v1.17's
// ethapi.MarshalReceipt (an internal package we cannot import); the test
// compares both on every kind of receipt our chains hold.
func marshal(receipt *types.Receipt, blockHash common.Hash, blockNumber uint64, signer types.Signer, tx *types.Transaction, txIndex int) map[string]interface{} {
	from, _ := types.Sender(signer, tx)
	fields := map[string]interface{}{
		"blockHash":         blockHash,
		"blockNumber":       hexutil.Uint64(blockNumber),
		"transactionHash":   tx.Hash(),
		"transactionIndex":  hexutil.Uint64(txIndex),
		"from":              from,
		"to":                tx.To(),
		"gasUsed":           hexutil.Uint64(receipt.GasUsed),
		"cumulativeGasUsed": hexutil.Uint64(receipt.CumulativeGasUsed),
		"contractAddress":   nil,
		"logs":              receipt.Logs,
		"logsBloom":         receipt.Bloom,
		"type":              hexutil.Uint(tx.Type()),
		"effectiveGasPrice": (*hexutil.Big)(receipt.EffectiveGasPrice),
	}
	if len(receipt.PostState) > 0 {
		fields["root"] = hexutil.Bytes(receipt.PostState)
	} else {
		fields["status"] = hexutil.Uint(receipt.Status)
	}
	if receipt.Logs == nil {
		fields["logs"] = []*types.Log{}
	}
	if tx.Type() == types.BlobTxType {
		fields["blobGasUsed"] = hexutil.Uint64(receipt.BlobGasUsed)
		fields["blobGasPrice"] = (*hexutil.Big)(receipt.BlobGasPrice)
	}
	if receipt.ContractAddress != (common.Address{}) {
		fields["contractAddress"] = receipt.ContractAddress
	}
	return fields
}
