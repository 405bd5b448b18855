package node

import (
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

// durability makes every new head durable: its state is flushed from geth's
// in-memory layers to the database, then the database's write-ahead log is
// synced. Fork choice calls flush after each head change (AfterHead), while
// no block is being executed.
//
// Why the log: geth opens pebble in asynchronous mode; a write returns while
// it is still buffered in the process, so a SIGKILL lost the last blocks
// (observed: head 5 came back as head 1).
//
// Why the state: the path scheme keeps recent state in memory; after a crash
// geth rewinds the head to the newest state on disk and, once a block is
// finalized, its freezer holds it, so the rewind truncates the freezer and
// deletes finalized blocks (observed: blocks 3-5 gone after a kill at head 5).
// Fork choice finalizes quickly on a small signer set, so the state of every
// head goes to disk. A few milliseconds a block; recoverHead remains for what
// a crash mid-flush leaves behind.
//
// Why under fork choice's lock: the flush drops every other state layer, and
// readers of those states fail from then on. Done from a goroutine of its own
// (as it was first), it raced with geth executing a side block on its parent
// state, whose reads then failed half-way through; geth took the resulting
// "insufficient funds" for an invalid block and the node dropped an honest
// peer (seen on a 3-signer network under load; ADR 004).
type durability struct {
	db      ethdb.Database
	chain   *core.BlockChain
	flushed common.Hash // state root last flushed to disk
}

func newDurability(db ethdb.Database, chain *core.BlockChain) *durability {
	return &durability{db: db, chain: chain}
}

// flush writes the state of head to disk and syncs the database.
func (d *durability) flush(head *types.Header) {
	if root := head.Root; root != d.flushed && d.chain.HasState(root) {
		// pathdb refuses to flush the layer that is already on disk (an empty
		// block repeats its parent's root): not an error for us. It has no
		// sentinel, hence the text.
		if err := d.chain.TrieDB().Commit(root, false); err != nil && !strings.Contains(err.Error(), "is disk layer") {
			log.Error("Failed to flush head state", "number", head.Number, "err", err)
		} else {
			d.flushed = root
		}
	}
	if err := d.db.SyncKeyValue(); err != nil {
		log.Error("Failed to sync chain database", "err", err)
	}
}
