package node

import (
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

// durability makes every new head durable: its state is flushed from geth's
// in-memory layers to the database, then the database's write-ahead log is
// synced.
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
type durability struct {
	db      ethdb.Database
	chain   *core.BlockChain
	flushed common.Hash // state root last flushed to disk
	quit    chan struct{}
	wg      sync.WaitGroup
}

func newDurability(db ethdb.Database, chain *core.BlockChain) *durability {
	return &durability{db: db, chain: chain, quit: make(chan struct{})}
}

// Start implements node.Lifecycle.
func (d *durability) Start() error {
	heads := make(chan core.ChainHeadEvent, 16)
	sub := d.chain.SubscribeChainHeadEvent(heads)
	d.wg.Add(1)
	go func() {
		defer d.wg.Done()
		defer sub.Unsubscribe()
		for {
			select {
			case ev := <-heads:
				// Several heads may have queued up: one flush covers them all.
				for len(heads) > 0 {
					ev = <-heads
				}
				if root := ev.Header.Root; root != d.flushed {
					// pathdb refuses to flush the layer that is already on
					// disk (an empty block repeats its parent's root): not an
					// error for us. It has no sentinel, hence the text.
					if err := d.chain.TrieDB().Commit(root, false); err != nil && !strings.Contains(err.Error(), "is disk layer") {
						log.Error("Failed to flush head state", "number", ev.Header.Number, "err", err)
					} else {
						d.flushed = root
					}
				}
				if err := d.db.SyncKeyValue(); err != nil {
					log.Error("Failed to sync chain database", "err", err)
				}
			case <-d.quit:
				return
			case <-sub.Err():
				return
			}
		}
	}()
	return nil
}

// Stop implements node.Lifecycle.
func (d *durability) Stop() error {
	close(d.quit)
	d.wg.Wait()
	return nil
}
