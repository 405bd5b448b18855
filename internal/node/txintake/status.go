package txintake

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/txpool"
)

// State is where a transaction stands.
type State string

const (
	StatePending  State = "pending"  // in the pool, executable
	StateQueued   State = "queued"   // in the pool waiting for a lower nonce, or held by the intake for resubmission
	StateMined    State = "mined"    // in a canonical block
	StateReplaced State = "replaced" // another transaction used its nonce
	StateDropped  State = "dropped"  // given up on; Reason says why
	StateUnknown  State = "unknown"  // never seen, or forgotten
)

// Status is the outcome (or the current state) of a transaction, as
// city_transactionStatus returns it. Block is set for mined transactions;
// Reason for dropped and replaced ones, and for queued ones the intake holds
// because the pool refused them for now.
type Status struct {
	State  State   `json:"state"`
	Reason string  `json:"reason,omitempty"`
	Block  *uint64 `json:"block,omitempty"`
}

// minedStatus returns the status of a transaction included in block.
func minedStatus(block uint64) Status {
	return Status{State: StateMined, Block: &block}
}

// replacedStatus returns the status of a transaction whose nonce another
// transaction used.
func replacedStatus(nonce uint64) Status {
	return Status{State: StateReplaced, Reason: fmt.Sprintf("nonce %d used by another transaction", nonce)}
}

// Status returns where a transaction stands. It knows the transactions
// submitted through the intake (tracked ones, and the last Config.Outcomes
// replaced or dropped ones); for any other hash, mined ones included, it
// asks the chain and the pool, and
// answers StateUnknown if neither has it.
func (in *Intake) Status(hash common.Hash) Status {
	in.mu.Lock()
	if e, ok := in.tracked[hash]; ok {
		settled, block, held := e.settled, e.block, e.lastErr
		in.mu.Unlock()
		switch {
		case settled && block != nil:
			return minedStatus(*block)
		case settled:
			return replacedStatus(e.tx.Nonce())
		}
		if st, ok := poolStatus(in.pool.Status(hash)); ok {
			return st
		}
		reason := "evicted from the pool, awaiting resubmission"
		if held != nil {
			reason = "awaiting resubmission: " + held.Error()
		}
		return Status{State: StateQueued, Reason: reason}
	}
	if st, ok := in.outcomes.Get(hash); ok {
		in.mu.Unlock()
		return st
	}
	in.mu.Unlock()

	// Not submitted here, or settled long ago or before a restart.
	if lookup, _ := in.chain.GetCanonicalTransaction(hash); lookup != nil {
		return minedStatus(lookup.BlockIndex)
	}
	if st, ok := poolStatus(in.pool.Status(hash)); ok {
		return st
	}
	return Status{State: StateUnknown}
}

// poolStatus maps the pool's view of a transaction to a Status; ok is false
// if the pool does not hold it.
func poolStatus(s txpool.TxStatus) (Status, bool) {
	switch s {
	case txpool.TxStatusPending:
		return Status{State: StatePending}, true
	case txpool.TxStatusQueued:
		return Status{State: StateQueued}, true
	default:
		return Status{}, false
	}
}
