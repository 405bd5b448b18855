package follow

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
)

// knownSender is a types.Signer that answers Sender with an address that was
// already recovered from the same transaction's signature, and otherwise is
// the chain's signer. types.Sender caches its answer on the transaction, and
// later callers with the chain's signer accept the cache because Equal says
// the two signers are the same. also, if set, is a second signer Equal
// accepts: the blob pool's types.LatestSigner, which differs from the block's
// signer while a fork is scheduled but not reached (ADR 083); a transaction
// in a block has the same sender under both.
type knownSender struct {
	types.Signer
	also types.Signer
	from common.Address
}

// Sender implements types.Signer.
func (s knownSender) Sender(*types.Transaction) (common.Address, error) { return s.from, nil }

// Equal implements types.Signer.
func (s knownSender) Equal(other types.Signer) bool {
	return s.Signer.Equal(other) || (s.also != nil && s.also.Equal(other))
}

// WarmSenders fills geth's block cache with the block just inserted, carrying
// the senders the inserted copy already knows, and makes the cached copy hold
// the inserted copy's transactions in place of the ones it decoded. Call it
// before the block becomes the head (the fork choice's BeforeHead): no reader
// has the cached copy yet.
//
// Why the senders: after every new head, geth's blob pool (always on, though a
// Clique chain has no blob transactions) reads the head block back from the
// database and recovers the sender of every transaction in it: measured at 16%
// of the node's CPU under a transfer load. The block it reads comes from the
// block cache if it is there, so we put it there first, senders included.
//
// Why the transactions: the cache holds up to 256 blocks, and its copies
// decoded from the database held every transaction a second time beside the
// inserted copy's (the pool's objects on a signer): 42% of a W1 run's live
// heap at its end was decoded transactions, most of them the cache's. A
// transaction of the same hash is the same bytes, and geth treats a
// transaction as immutable, so the two copies are interchangeable.
func WarmSenders(chain *core.BlockChain, block *types.Block) {
	warm(chain, block, true)
}

// warm carries the inserted block's senders to the copy in geth's block
// cache and, if share, puts the inserted copy's transactions in its place
// (see WarmSenders). A cached copy that differs in any transaction is left
// alone.
func warm(chain *core.BlockChain, block *types.Block, share bool) {
	cached := chain.GetBlock(block.Hash(), block.NumberU64())
	if cached == nil || cached == block {
		return
	}
	signer := types.MakeSigner(chain.Config(), block.Number(), block.Time())
	latest := types.LatestSigner(chain.Config()) // the blob pool's
	src, dst := block.Transactions(), cached.Transactions()
	if len(src) != len(dst) {
		return
	}
	for i, tx := range dst {
		from, err := types.Sender(signer, src[i]) // cached on the inserted copy
		if err != nil || tx.Hash() != src[i].Hash() {
			return
		}
		types.Sender(knownSender{Signer: signer, also: latest, from: from}, src[i])
		if share {
			dst[i] = src[i] // Transactions returns the block's own slice
		} else {
			types.Sender(knownSender{Signer: signer, also: latest, from: from}, tx)
		}
	}
}

// WarmBatch warms, as WarmSenders, the blocks of an import batch that
// go-ethereum's InsertChain has just made canonical, the newest first.
//
// Why: InsertChain moves the head once for the whole batch, and geth's blob
// pool then reads every block of it back and recovered each sender again (23%
// of the sender recoveries of an import, ADR 083). Its reset runs in a
// goroutine of geth's pool after the head event, so this races it: each
// transaction this reaches first is a recovery saved; one it reaches late is
// recovered by the pool as before. The block cache holds 256 blocks and the
// pool reads at most 64 back. The cached copies keep their own transactions:
// the blocks are already canonical, so readers may hold them (WarmSenders
// shares the transactions only before the head moves).
func WarmBatch(chain *core.BlockChain, blocks []*types.Block) {
	for i := len(blocks) - 1; i >= 0 && i >= len(blocks)-64; i-- {
		warm(chain, blocks[i], false)
	}
}

// TxLookup is the transaction pool as the follower needs it: the senders of
// a peer's block are taken from the pool's copies of its transactions.
type TxLookup interface {
	// Get returns the pooled transaction with the given hash, or nil.
	Get(hash common.Hash) *types.Transaction
}

// preloadSenders gives each transaction of a block received from a peer the
// sender that our pool already recovered for the same transaction, and returns
// how many it gave. A transaction hash covers the signature, so the pool's copy
// is byte for byte the block's. Transactions not in the pool are left alone:
// the import recovers their senders as before.
//
// Why: every transaction reaches every node's pool by gossip, where its sender
// is recovered and cached on the pool's copy; the block carrying it arrives
// later as freshly decoded transactions, and geth's import recovered every
// sender a second time (ecrecover, ~14% of an importing signer's CPU with 4
// signers on 2 cores).
func preloadSenders(pool TxLookup, signer types.Signer, block *types.Block) int {
	hits := 0
	for _, tx := range block.Transactions() {
		pooled := pool.Get(tx.Hash())
		if pooled == nil || pooled == tx {
			continue
		}
		// The pool's signer caches with an equal signer, so this is a read
		// of its cache; a pooled transaction without one is recovered here
		// instead of during the import.
		from, err := types.Sender(signer, pooled)
		if err != nil {
			continue
		}
		types.Sender(knownSender{Signer: signer, from: from}, tx)
		hits++
	}
	return hits
}
