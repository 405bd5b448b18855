package gossip

import (
	"errors"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

var (
	// ErrInvalidBlock must be wrapped by the error Backend.Import returns for
	// a block that breaks a consensus rule and never becomes valid (bad seal,
	// unauthorised signer, wrong difficulty, bad state root...). The peer that
	// sent the block is disconnected and the hash is remembered as bad.
	ErrInvalidBlock = errors.New("invalid block")

	// ErrBodyMismatch must be wrapped by the error Backend.Import returns for
	// a block whose body does not match its header. The hash is the header's
	// and may be a valid block's: the peer that sent the copy is disconnected,
	// but the hash is not remembered as bad, so the true block still imports
	// from another peer.
	ErrBodyMismatch = errors.New("block body does not match its header")

	// ErrUnknownParent must be wrapped by the error Backend.Import returns for
	// a block whose parent the chain does not hold. The missing ancestors are
	// fetched from the peer that sent the block.
	ErrUnknownParent = errors.New("unknown parent")
	// ErrSyncRunning is SyncFrom's answer while a sync runs: the target is
	// taken up once it ends, when a peer still shows a block above the head.
	ErrSyncRunning = errors.New("a sync is already running")
)

// Backend is the chain as block gossip needs it. The node implements it on top
// of fork choice, core.BlockChain and geth's syncer. Its methods are called
// from several peers' goroutines at once.
//
// Error contract of Import: nil if the block was accepted or was already
// known; an error wrapping ErrInvalidBlock (errors.Is) if the block breaks a
// rule; an error wrapping ErrBodyMismatch if the copy's body does not match
// its header; an error wrapping ErrUnknownParent if its parent is missing; any other
// error is a local failure (database, shutdown) that is logged and counted but
// does not blame the peer. A node whose fork choice has its own sentinels
// translates them, e.g.
//
//	case errors.Is(err, forkchoice.ErrInvalidBlock):
//		return fmt.Errorf("%w: %w", gossip.ErrInvalidBlock, err)
//
// A block that is merely early (its timestamp in the future) must not be
// reported as invalid.
type Backend interface {
	// Head returns the head chosen by fork choice (never nil) and its total
	// difficulty (nil if unknown: the status then says 0).
	Head() (head *types.Header, td *big.Int)

	// Block returns the block with the given hash, on any branch, or nil if
	// the chain does not hold it.
	Block(hash common.Hash) *types.Block

	// Import verifies a block received from a peer and hands it to fork
	// choice. See the error contract above.
	Import(block *types.Block) error

	// SyncFrom tells the node that peer claims to hold the block hash at
	// number, too far ahead (or on a fork too deep) to fetch over gossip. The
	// node decides whether to sync toward it (with geth's syncer) and must
	// return promptly: it is called from the peer's goroutine. It is called
	// at most once per target number, and only for numbers above every
	// earlier target; an error is logged and lets the next call retry.
	SyncFrom(peer enode.ID, hash common.Hash, number uint64) error
}
