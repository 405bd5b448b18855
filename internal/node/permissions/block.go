package permissions

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/params"
)

// ErrBlockNotPermitted is wrapped by the error for a block, from the
// permissions block on, holding a transaction the Rule refuses (ADR 048).
var ErrBlockNotPermitted = errors.New("block holds a transaction from an account not permitted on this network")

// BlockError is a block's first transaction whose sender the Rule refuses.
type BlockError struct {
	Index  int            // position of the transaction in the block
	Tx     common.Hash    // the transaction
	Denied *DeniedError   // who was refused, and for what
	From   common.Address // the sender (Denied.Account)
}

// Error implements error.
func (e *BlockError) Error() string {
	what := "a transaction"
	if e.Denied.Create {
		what = "a contract creation"
	}
	return fmt.Sprintf("%v: transaction %d (%s) is %s from %s, which the Directory at the parent block does not permit", ErrBlockNotPermitted, e.Index, e.Tx.Hex(), what, e.From.Hex())
}

// Unwrap returns ErrBlockNotPermitted and the refusal.
func (e *BlockError) Unwrap() []error { return []error{ErrBlockNotPermitted, e.Denied} }

// CheckBlock checks every transaction of a block against the Rule at the
// state of the block's parent (st), as the intake checks them against the
// head's: the consensus rule of ADR 048. It returns nil or a *BlockError for
// the first transaction refused; an error recovering a sender is returned
// as is.
func (r Rule) CheckBlock(st State, signer types.Signer, txs types.Transactions) error {
	type verdict struct{ member, create bool }
	seen := make(map[common.Address]verdict)
	for i, tx := range txs {
		from, err := types.Sender(signer, tx)
		if err != nil {
			return fmt.Errorf("transaction %d (%s): %w", i, tx.Hash().Hex(), err)
		}
		v, ok := seen[from]
		if !ok {
			v.member = r.Member(st, from)
			v.create = v.member && r.hasRole(st, r.dir(), from, deployerRole)
			seen[from] = v
		}
		create := tx.To() == nil
		if !v.member || create && !v.create {
			return &BlockError{Index: i, Tx: tx.Hash(), From: from, Denied: &DeniedError{Account: from, Create: create && v.member}}
		}
	}
	return nil
}

// Processor is a core.Processor that refuses, from the permissions block
// on, a block holding a transaction the Rule refuses at the parent's state,
// before executing it. go-ethereum hands Process the parent's state
// unchanged, and every block a node executes goes through it: blocks from
// peers, the downloader's, imports, and reorganisations (ADR 048). A block
// it refuses is recorded by go-ethereum as bad, so fork choice reports it as
// invalid and gossip drops the peer that sent it.
type Processor struct {
	Inner  core.Processor
	Rule   Rule
	From   uint64 // the permissions block: the first block checked
	Config *params.ChainConfig

	refused atomic.Uint64
}

// Process implements core.Processor.
func (p *Processor) Process(ctx context.Context, block *types.Block, statedb *state.StateDB, jumpDests vm.JumpDestCache, precompiles *vm.PrecompileCache, cfg vm.Config, execIndex *atomic.Int64) (*core.ProcessResult, error) {
	if block.NumberU64() >= p.From && len(block.Transactions()) > 0 {
		signer := types.MakeSigner(p.Config, block.Number(), block.Time())
		if err := p.Rule.CheckBlock(statedb, signer, block.Transactions()); err != nil {
			p.refused.Add(1)
			return nil, fmt.Errorf("block %d: %w", block.NumberU64(), err)
		}
	}
	return p.Inner.Process(ctx, block, statedb, jumpDests, precompiles, cfg, execIndex)
}

// Refused returns how many blocks Process refused for the rule.
func (p *Processor) Refused() uint64 { return p.refused.Load() }
