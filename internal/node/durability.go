package node

import (
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

// stateBufferMB is the size of geth's buffer of state changes not yet on
// disk (ethconfig's TrieDirtyCache; geth's default, 1 GiB, is cut to 256 MiB
// by the path scheme). After a crash geth resumes from the state on disk and
// the node executes the blocks since again (recoverHead). Above the buffer
// geth keeps the newest 128 state-changing blocks' state in memory only; the
// buffer is written when full or, sooner, every Config.StateHistory such
// blocks (ADR 088), which is what bounds a restart's work now.
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

// diskState finds how far the state on disk is behind the head: the blocks a
// restart after a crash executes again (recoverHead). geth's path scheme
// keeps the last 128 state-changing blocks' state in memory, plus a buffer of
// older ones that it writes when full or, with --history.state N, before the
// state on disk would fall below the oldest history kept (ADR 088).
type diskState struct {
	db    ethdb.Database
	chain *core.BlockChain

	mu     sync.Mutex
	root   common.Hash // the state root on disk when last looked at
	number uint64      // the newest canonical block with that root
}

// maxStateWalk is how many headers below the head diskState looks at for the
// block of the state on disk: beyond, it reports the walk's length.
const maxStateWalk = 1 << 20

// BlocksSinceStatePersist is the head's number minus the number of the newest
// canonical block whose state root is the state on disk.
func (d *diskState) BlocksSinceStatePersist() uint64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	head := d.chain.CurrentBlock()
	root := types.EmptyRootHash // no root node: an empty state, as pathdb reads it
	if blob := rawdb.ReadAccountTrieNode(d.db, nil); len(blob) > 0 {
		root = crypto.Keccak256Hash(blob)
	}
	if root == head.Root {
		d.root, d.number = root, head.Number.Uint64()
		return 0
	}
	if root != d.root || d.number > head.Number.Uint64() {
		d.root, d.number = root, d.find(head, root)
	}
	return head.Number.Uint64() - d.number
}

// find walks back from head to the newest block whose state root is root.
func (d *diskState) find(head *types.Header, root common.Hash) uint64 {
	num, hash := head.Number.Uint64(), head.Hash()
	for steps := 0; num > 0 && steps < maxStateWalk; steps++ {
		h := d.chain.GetHeader(hash, num)
		if h == nil || h.Root == root {
			break
		}
		num, hash = num-1, h.ParentHash
	}
	return num
}
