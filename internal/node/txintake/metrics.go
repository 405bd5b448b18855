package txintake

import (
	"errors"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/node/permissions"
)

// RejectClass groups the reasons Submit refuses a transaction, for metrics
// with a bounded set of labels.
type RejectClass int

const (
	RejectInvalid            RejectClass = iota // malformed, bad signature, wrong chain id, unprotected, unsupported type, gas or size limits
	RejectNonce                                 // nonce already used
	RejectFunds                                 // balance does not cover gas and value
	RejectFee                                   // fee below the pool's minimum or the base fee, or above the RPC fee cap
	RejectKnown                                 // already in the pool
	RejectReplace                               // replaces a pooled transaction without the required price bump
	RejectOther                                 // anything else, including a stopped intake
	RejectNotPermitted                          // the sender may not send transactions (ADR 051)
	RejectCreateNotPermitted                    // the sender may not create contracts (ADR 051)
	numRejectClasses
)

// String returns the class's metric label.
func (c RejectClass) String() string {
	switch c {
	case RejectInvalid:
		return "invalid"
	case RejectNonce:
		return "nonce"
	case RejectFunds:
		return "funds"
	case RejectFee:
		return "fee"
	case RejectKnown:
		return "known"
	case RejectReplace:
		return "replace"
	case RejectNotPermitted:
		return "not_permitted"
	case RejectCreateNotPermitted:
		return "create_not_permitted"
	default:
		return "other"
	}
}

// classify returns the class of a rejection error.
func classify(err error) RejectClass {
	switch {
	case errors.Is(err, permissions.ErrNotPermitted):
		return RejectNotPermitted
	case errors.Is(err, permissions.ErrCreateNotPermitted):
		return RejectCreateNotPermitted
	case errors.Is(err, txpool.ErrAlreadyKnown):
		return RejectKnown
	case errors.Is(err, core.ErrNonceTooLow), errors.Is(err, core.ErrNonceMax):
		return RejectNonce
	case errors.Is(err, core.ErrInsufficientFunds), errors.Is(err, core.ErrInsufficientFundsForTransfer):
		return RejectFunds
	case errors.Is(err, txpool.ErrReplaceUnderpriced):
		return RejectReplace
	case errors.Is(err, errFeeCap), errors.Is(err, txpool.ErrTxGasPriceTooLow), errors.Is(err, txpool.ErrUnderpriced),
		errors.Is(err, core.ErrFeeCapTooLow), errors.Is(err, core.ErrTipAboveFeeCap),
		errors.Is(err, core.ErrTipVeryHigh), errors.Is(err, core.ErrFeeCapVeryHigh):
		return RejectFee
	case errors.Is(err, errUnprotected), errors.Is(err, txpool.ErrInvalidSender), errors.Is(err, types.ErrInvalidChainId),
		errors.Is(err, types.ErrTxTypeNotSupported), errors.Is(err, core.ErrIntrinsicGas), errors.Is(err, core.ErrFloorDataGas),
		errors.Is(err, txpool.ErrGasLimit), errors.Is(err, txpool.ErrOversizedData), errors.Is(err, txpool.ErrNegativeValue),
		errors.Is(err, core.ErrGasLimitTooHigh), errors.Is(err, legacypool.ErrOutOfOrderTxFromDelegated):
		return RejectInvalid
	default:
		return RejectOther
	}
}

// Metrics is a snapshot of an Intake's counters. Counters count since the
// Intake was created; Tracked and JournalSize are current values.
type Metrics struct {
	Accepted    uint64                   // transactions the pool accepted on Submit
	Deferred    uint64                   // transactions the pool refused for now (full, underpriced) and that are held for resubmission
	Rejected    [numRejectClasses]uint64 // transactions refused by Submit, indexed by RejectClass
	Resubmitted uint64                   // resubmissions the pool accepted
	Mined       uint64                   // tracked transactions found in a canonical block
	Replaced    uint64                   // tracked transactions whose nonce another transaction used
	Dropped     uint64                   // tracked transactions given up on, each with a logged reason
	Tracked     int                      // transactions tracked now
	Journal     JournalMetrics           // zero without a journal
}

// JournalMetrics describes the journal.
type JournalMetrics struct {
	Written   uint64 // bytes appended since start
	Size      int64  // bytes in the file now
	Records   int    // records in the file now
	Errors    uint64 // failed appends, syncs and rewrites
	Compacted uint64 // rewrites
}

// counters are the live counters behind Metrics; the hot path only does
// atomic adds.
type counters struct {
	accepted, deferred, resubmitted atomic.Uint64
	mined, replaced, dropped        atomic.Uint64
	rejected                        [numRejectClasses]atomic.Uint64
	journalErrors, journalCompacted atomic.Uint64
	fullChecks, heads, sweeps       atomic.Uint64 // tracker rounds by kind (ADR 103); tests read them
}
