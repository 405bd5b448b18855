// Package txhashes keeps, for every block with logs, the hashes of its
// transactions that emitted logs, so eth_getLogs can name each log's
// transaction without reading the block body and hashing its transactions.
//
// A page of a poll's recount (ADR 058) reads blocks of ~20 relay
// transactions of ~111 KB each: decoding the body and keccak-hashing every
// transaction was most of the eth_getLogs fast path's cost (ADR 060) once
// the blocks no longer fit geth's 256-body cache. The entries are written as
// blocks become canonical (geth's chain events: our sealer's blocks, peers'
// blocks through fork choice, the downloader's, `citynode import`), and by
// the reader for a block that has none (a chain written before this index,
// blocks that became canonical in a reorg without an event of their own,
// blocks from snap sync). Entries are keyed by block hash, so a reorg never
// makes one wrong: the reader looks up the canonical block's hash. See
// docs/adr/072-transaction-hashes-per-block.md.
package txhashes

import (
	"encoding/binary"
	"errors"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
)

// prefix starts every key: prefix + block hash.
var prefix = []byte("citychain-txh-")

// entrySize is one transaction's share of an entry: its index in the block
// (4 bytes, big-endian) and its hash.
const entrySize = 4 + common.HashLength

// Key returns the database key of block hash's entry.
func Key(block common.Hash) []byte {
	return append(append(make([]byte, 0, len(prefix)+common.HashLength), prefix...), block[:]...)
}

// Entry is one block's entry: for each transaction with at least one log,
// in block order, its index and hash.
type Entry []byte

// Len returns the transactions in e.
func (e Entry) Len() int { return len(e) / entrySize }

// At returns the index and hash of e's j-th transaction.
func (e Entry) At(j int) (uint32, common.Hash) {
	at := e[j*entrySize:]
	return binary.BigEndian.Uint32(at), common.Hash(at[4:entrySize])
}

// Fits reports whether e lists exactly the transactions of receipts that
// have logs, in order: an entry that does not fit is not used.
func (e Entry) Fits(receipts types.Receipts) bool {
	if len(e)%entrySize != 0 {
		return false
	}
	j := 0
	for i, r := range receipts {
		if len(r.Logs) == 0 {
			continue
		}
		if j >= e.Len() {
			return false
		}
		if index, _ := e.At(j); index != uint32(i) {
			return false
		}
		j++
	}
	return j == e.Len()
}

// Encode returns the entry of a block's receipts and transactions, and
// whether the block has logs at all (a block without is given no entry:
// its bloom is empty, so no filter reads it). The transactions' hashes are
// computed if they are not cached yet.
func Encode(receipts types.Receipts, txs types.Transactions) (Entry, bool, error) {
	if len(receipts) != len(txs) {
		return nil, false, errors.New("receipts and transactions differ in number")
	}
	var e Entry
	for i, r := range receipts {
		if len(r.Logs) == 0 {
			continue
		}
		if e == nil {
			e = make(Entry, 0, entrySize*(len(receipts)-i))
		}
		e = binary.BigEndian.AppendUint32(e, uint32(i))
		h := txs[i].Hash()
		e = append(e, h[:]...)
	}
	return e, e != nil, nil
}

// Read returns block hash's entry, or false if it has none.
func Read(db ethdb.KeyValueReader, block common.Hash) (Entry, bool) {
	v, err := db.Get(Key(block))
	if err != nil {
		return nil, false
	}
	return v, true
}

// Write stores block hash's entry.
func Write(db ethdb.KeyValueWriter, block common.Hash, e Entry) error { return db.Put(Key(block), e) }

// Delete removes block hash's entry (tests: a chain written before the index).
func Delete(db ethdb.KeyValueWriter, block common.Hash) error { return db.Delete(Key(block)) }

// Chain announces the canonical blocks geth writes (core.BlockChain).
type Chain interface {
	SubscribeChainEvent(ch chan<- core.ChainEvent) event.Subscription
}

// Index writes an entry for every canonical block with logs as geth
// announces it, and serves the eth_getLogs fast path's reads.
type Index struct {
	db    ethdb.KeyValueStore
	chain Chain
	sub   event.Subscription
	ch    chan core.ChainEvent
	done  chan struct{}

	written, filled, hits atomic.Uint64
}

// New returns an index over db; once started it takes in chain's events
// (nil: entries are only filled by readers).
func New(db ethdb.KeyValueStore, chain Chain) *Index {
	return &Index{db: db, chain: chain}
}

// Start implements node.Lifecycle.
func (x *Index) Start() error {
	if x.chain == nil {
		return nil
	}
	// geth's feed waits for every subscriber: a buffer keeps the chain from
	// waiting on a database write.
	x.ch = make(chan core.ChainEvent, 256)
	x.done = make(chan struct{})
	x.sub = x.chain.SubscribeChainEvent(x.ch)
	go x.loop()
	return nil
}

// Stop implements node.Lifecycle: the blocks already announced are written
// before it returns.
func (x *Index) Stop() error {
	if x.sub == nil {
		return nil
	}
	x.sub.Unsubscribe()
	<-x.done
	s := x.Stats()
	log.Info("Transaction hash index stopped", "written", s.Written, "filled", s.Filled, "hits", s.Hits)
	return nil
}

func (x *Index) loop() {
	defer close(x.done)
	for {
		select {
		case ev := <-x.ch:
			x.add(ev)
		case <-x.sub.Err(): // closed by Unsubscribe: write what is buffered
			for {
				select {
				case ev := <-x.ch:
					x.add(ev)
				default:
					return
				}
			}
		}
	}
}

// add writes the entry of an announced block. Its transactions' hashes are
// cached already: geth hashed each to make its receipt.
func (x *Index) add(ev core.ChainEvent) {
	e, has, err := Encode(ev.Receipts, ev.Transactions)
	if err != nil {
		log.Warn("Transaction hash index: block not indexed", "number", ev.Header.Number, "err", err)
		return
	}
	if !has {
		return
	}
	if err := Write(x.db, ev.Header.Hash(), e); err != nil {
		log.Warn("Transaction hash index: write failed", "number", ev.Header.Number, "err", err)
		return
	}
	x.written.Add(1)
}

// Lookup returns block hash's entry if it fits receipts.
func (x *Index) Lookup(block common.Hash, receipts types.Receipts) (Entry, bool) {
	e, ok := Read(x.db, block)
	if !ok || !e.Fits(receipts) {
		return nil, false
	}
	x.hits.Add(1)
	return e, true
}

// Fill computes block hash's entry from its receipts and body and stores it
// (for a block written without one). A failed write is logged: the entry is
// still returned, and the block is filled again on its next read.
func (x *Index) Fill(block common.Hash, receipts types.Receipts, txs types.Transactions) (Entry, error) {
	e, has, err := Encode(receipts, txs)
	if err != nil || !has {
		return e, err
	}
	if err := Write(x.db, block, e); err != nil {
		log.Warn("Transaction hash index: write failed", "hash", block, "err", err)
		return e, nil
	}
	x.filled.Add(1)
	return e, nil
}

// Stats returns the entries written from chain events, those filled by
// readers, and the lookups answered.
func (x *Index) Stats() Stats {
	return Stats{Written: x.written.Load(), Filled: x.filled.Load(), Hits: x.hits.Load()}
}

// Stats counts an index's work since it was made.
type Stats struct {
	Written uint64 // entries written as geth announced their blocks
	Filled  uint64 // entries written by a reader, for a block without one
	Hits    uint64 // lookups answered by an entry
}
