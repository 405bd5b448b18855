package forkchoice

import "errors"

// Errors returned by Insert. They are shared with the callers (gossip, sync,
// the sealer), which tell them apart with errors.Is; each wraps its cause.
var (
	// ErrInvalidBlock is returned if a block breaks a consensus rule: our
	// engine's header checks, or go-ethereum's verification and execution
	// (upstream Clique, body, state root, receipts). The block is not stored
	// and the peer that sent it may be dropped. The cause is wrapped too, so
	// errors.Is also matches clique.ErrUnauthorizedSigner and the like.
	ErrInvalidBlock = errors.New("invalid block")

	// ErrBodyMismatch is returned if a block's body (transactions, uncles,
	// withdrawals) does not match the roots its header commits to. The hash
	// is the header's, so it may be a valid block's whose body was changed on
	// the way: the sender is at fault, not the hash. Callers drop the peer
	// but must not remember the hash as invalid (a peer could otherwise get
	// the honest copy refused); it does not match ErrInvalidBlock.
	ErrBodyMismatch = errors.New("block body does not match its header")

	// ErrUnknownParent is returned if the parent of a block (header and body)
	// is not in the chain. The block may be valid: the caller should fetch the
	// missing ancestors and insert them, oldest first, before the block.
	ErrUnknownParent = errors.New("unknown parent")

	// ErrFutureBlock is returned if a block's time is ahead of the local
	// clock. The block may become valid: the caller may retry once its time
	// has come, but should not punish the sender for a second of clock skew.
	ErrFutureBlock = errors.New("block from the future")

	// ErrFinalizedConflict is returned if a block is on a branch that does not
	// contain the finalized block. Fork choice never reorganises past the
	// finalized block, so the block is not stored.
	ErrFinalizedConflict = errors.New("block conflicts with the finalized block")
)
