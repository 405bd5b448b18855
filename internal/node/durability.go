package node

import (
	"sync"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

// durability flushes the chain database's write-ahead log to disk after every
// new head. geth opens pebble in asynchronous mode: a write returns while it is
// still buffered in the process, so a SIGKILL loses the last blocks and rewinds
// the head (observed: head 5 came back as head 1). One sync per block costs a
// few milliseconds a second; with the blocks on disk, recoverHead can re-execute
// whatever state the crash took with it.
type durability struct {
	db    ethdb.Database
	chain *core.BlockChain
	quit  chan struct{}
	wg    sync.WaitGroup
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
			case <-heads:
				// Several heads may have queued up: one sync covers them all.
				for len(heads) > 0 {
					<-heads
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
