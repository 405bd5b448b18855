package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

// stateBufferMB is the size of geth's buffer of state changes not yet on
// disk (ethconfig's TrieDirtyCache; geth's default, 1 GiB, is cut to 256 MiB
// by the path scheme). After a crash geth resumes from the state on disk and
// the node executes the blocks since again (recoverHead): the smaller the
// buffer, the fewer. 64 MiB is about 800 blocks of 2,500 transfers, or hours
// of a quiet chain's small blocks.
const stateBufferMB = 64

// durability keeps what a crash must not lose (ADR 004).
//
// Blocks: geth opens pebble in asynchronous mode; a write returns while it is
// still buffered in the process, so a SIGKILL lost the last blocks (observed:
// head 5 came back as head 1). The write-ahead log is synced after every
// head change (Fork choice's AfterHead).
//
// Finalized blocks: geth's freezer moves blocks up to the finalized block
// that the database records into its append-only store at once, and after a
// crash geth rewinds the head to the newest state on disk and truncates the
// freezer above it: finalized blocks were deleted (observed: blocks 3-5 gone
// after a kill at head 5). The node therefore records no finalized block in
// the database (finalized below): the freezer keeps its pre-merge threshold,
// 90,000 blocks behind the head, and a rewind never reaches it. Fork choice
// computes finality again from the head at start.
//
// The first remedy flushed every head's state to disk instead. That drops
// every other state layer, and readers of those layers failed: the
// transaction pool (valid transactions refused with "balance 0"), the sealer
// ("missing trie node"), and geth's execution of a side block, which took a
// failed read for an invalid block ("insufficient funds") and dropped an
// honest peer. Geth itself only ever flushes layers 128 blocks old.
type durability struct {
	db ethdb.Database
}

// sync makes the blocks written so far durable.
func (d durability) sync(*types.Header) {
	if err := d.db.SyncKeyValue(); err != nil {
		log.Error("Failed to sync chain database", "err", err)
	}
}

// finalized is the chain as fork choice sees it, except that setting the
// finalized block leaves no record of it in the database (see durability).
type finalized struct {
	*core.BlockChain
	db ethdb.Database
}

// SetFinalized implements forkchoice.Heads: the block becomes the one the
// "finalized" RPC tag returns, and the database's record is cleared again.
func (c finalized) SetFinalized(header *types.Header) {
	c.BlockChain.SetFinalized(header)
	rawdb.WriteFinalizedBlockHash(c.db, common.Hash{})
}
