// Package aura verifies headers of an Authority Round (Aura) chain as
// Parity/OpenEthereum and Nethermind seal them: the seal (step and
// signature over the header without its seal), the step (above the
// parent's, not more than four steps in the future), the proposer
// (validators[step % len]), the score (difficulty) and the validator set:
// a list, a contract that signals changes with InitiateChange (applied once
// the signalling block is final) or, with immediateTransitions, is read at
// every block, or several of those switched at
// configured blocks ("multi"). Empty steps are not supported.
package aura

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Chain is what the verifier reads from the external chain for a
// validator set kept in a contract.
type Chain interface {
	// Validators returns the contract's getValidators() in the state after
	// the block with hash at.
	Validators(ctx context.Context, contract common.Address, at common.Hash) ([]common.Address, error)
	// Signalled returns the new set of an InitiateChange event the contract
	// emitted in block h, or nil if it emitted none.
	Signalled(ctx context.Context, contract common.Address, h *Header) ([]common.Address, error)
}

// State is where a verification stands after a header: that header and
// the validator set for the next one. It is a value: Verify returns a new
// State and never changes the one it is given, so a reorg verifies the
// other branch from the State at the fork.
type State struct {
	Number uint64
	Hash   common.Hash
	Step   uint64
	Time   uint64
	// Set verifies the next block; SetIndex is its entry in Spec.Sets.
	Set      []common.Address
	SetIndex int
	// Pending is a contract's signalled change waiting to be final.
	Pending *Pending
}

// Pending is a validator-set change signalled in block Number, applied
// after the block at which more than half of the current validators have
// sealed blocks from Number on.
type Pending struct {
	Number  uint64
	Set     []common.Address
	Signers []common.Address // distinct sealers since Number, included
}

// Verifier checks headers with one chain's Aura rules.
type Verifier struct {
	Spec  *Spec
	Chain Chain // nil for a chain whose sets are all lists
	// Now is the present time, for the future-step rule (time.Now if nil).
	Now func() time.Time
}

// Start returns the State at a trusted header: its set is the one that
// verifies the header's child (the list of the spec's set in force at the
// header, or that contract's getValidators() after the header). A change
// pending at the trusted header is not known: start at a header with none
// pending.
func (v *Verifier) Start(ctx context.Context, trusted *Header) (*State, error) {
	st := &State{Number: trusted.Number, Hash: trusted.Hash(), Step: trusted.Step, Time: trusted.Time, SetIndex: v.Spec.SetAt(trusted.Number)}
	set, err := v.setFrom(ctx, st.SetIndex, st.Hash)
	if err != nil {
		return nil, err
	}
	st.Set = set
	return st, nil
}

// setFrom returns the first set of Spec.Sets[i], read after block at.
func (v *Verifier) setFrom(ctx context.Context, i int, at common.Hash) ([]common.Address, error) {
	c := v.Spec.Sets[i]
	if !c.IsContract() {
		return c.List, nil
	}
	if v.Chain == nil {
		return nil, fmt.Errorf("validator set contract %s: no chain to read it from", c.Contract)
	}
	set, err := v.Chain.Validators(ctx, c.Contract, at)
	if err != nil {
		return nil, fmt.Errorf("getValidators() of %s after block %s: %w", c.Contract, at, err)
	}
	if len(set) == 0 {
		return nil, fmt.Errorf("getValidators() of %s after block %s is empty", c.Contract, at)
	}
	return set, nil
}

// VerifyChain verifies hs, each the child of the one before, the first
// the child of the State's header, and returns the State after the last.
func (v *Verifier) VerifyChain(ctx context.Context, st *State, hs []*Header) (*State, error) {
	for _, h := range hs {
		next, err := v.Verify(ctx, st, h)
		if err != nil {
			return st, err
		}
		st = next
	}
	return st, nil
}

// Verify checks h, the child of st's header, and returns the State after
// it. An error wrapping ErrRuleViolation means h breaks the rules; any other
// means it could not be checked (the chain could not be read).
func (v *Verifier) Verify(ctx context.Context, st *State, h *Header) (*State, error) {
	signer, err := v.checkHeader(st, h)
	if err == nil {
		err = v.Early(h)
		if err != nil {
			return nil, err
		}
	}
	if err != nil {
		return nil, fmt.Errorf("%w: block %d %s: %w", ErrRuleViolation, h.Number, h.Hash().TerminalString(), err)
	}
	return v.advance(ctx, st, h, signer)
}

// checkHeader applies the rules of one header and returns its sealer.
func (v *Verifier) checkHeader(st *State, h *Header) (common.Address, error) {
	// The header must be the next one of the branch being verified.
	if h.Number != st.Number+1 || h.ParentHash != st.Hash {
		return common.Address{}, fmt.Errorf("%w: have number %d parent %s, want %d parent %s", errBadLink, h.Number, h.ParentHash.TerminalString(), st.Number+1, st.Hash.TerminalString())
	}
	if err := v.checkStep(st, h); err != nil {
		return common.Address{}, err
	}
	signer, err := h.Signer()
	if err != nil {
		return common.Address{}, err
	}
	// The step's validator seals, and names itself the author.
	if want := st.Set[h.Step%uint64(len(st.Set))]; signer != want {
		return common.Address{}, fmt.Errorf("%w: step %d is %s's turn (%d validators), sealed by %s", errWrongProposer, h.Step, want, len(st.Set), signer)
	}
	if h.Coinbase != signer {
		return common.Address{}, fmt.Errorf("%w: author %s, sealer %s", errAuthorMismatch, h.Coinbase, signer)
	}
	// The difficulty orders forks by steps skipped: U128_MAX + parent step - step.
	if h.Number >= v.Spec.ValidateScoreTransition {
		if want := score(st.Step, h.Step); h.Difficulty.Cmp(want) != 0 {
			return common.Address{}, fmt.Errorf("%w: have %d, want %d (parent step %d, step %d)", errBadScore, h.Difficulty, want, st.Step, h.Step)
		}
	}
	return signer, nil
}

// maxDrift is how many steps ahead of the present a header may be before
// it is refused as OpenEthereum refuses it (REJECTED_STEP_DRIFT); a header
// up to that far ahead is only early: verified again later.
const maxDrift = 4

// checkStep applies the step and timestamp rules.
func (v *Verifier) checkStep(st *State, h *Header) error {
	if h.Step == st.Step || (h.Number >= v.Spec.ValidateStepTransition && h.Step < st.Step) {
		return fmt.Errorf("%w: step %d, parent's %d", errStepNotIncreasing, h.Step, st.Step)
	}
	if h.Time <= st.Time {
		return fmt.Errorf("%w: timestamp %d, parent's %d", errTimestamp, h.Time, st.Time)
	}
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if current := uint64(now().Unix()) / v.Spec.StepDuration; h.Step > current+maxDrift {
		return fmt.Errorf("%w: step %d, the current step is %d", errFutureStep, h.Step, current)
	}
	return nil
}

// Early returns an error if h's step is ahead of the present one (but not
// so far that the rules refuse it): such a header is not wrong, only early,
// and can be verified once its step has come.
func (v *Verifier) Early(h *Header) error {
	now := time.Now
	if v.Now != nil {
		now = v.Now
	}
	if current := uint64(now().Unix()) / v.Spec.StepDuration; h.Step > current {
		return fmt.Errorf("block %d is at step %d, ahead of the present step %d (the node's clock or ours is off): verify it later", h.Number, h.Step, current)
	}
	return nil
}

// score is Aura's difficulty: U128_MAX + parentStep - step.
func score(parentStep, step uint64) *big.Int {
	s := new(big.Int).Lsh(big.NewInt(1), 128)
	s.Sub(s, big.NewInt(1))
	s.Add(s, new(big.Int).SetUint64(parentStep))
	return s.Sub(s, new(big.Int).SetUint64(step))
}

// advance returns the State after h: the configured set switch, a pending
// change made final, a new change signalled.
func (v *Verifier) advance(ctx context.Context, st *State, h *Header, signer common.Address) (*State, error) {
	next := &State{Number: h.Number, Hash: h.Hash(), Step: h.Step, Time: h.Time, Set: st.Set, SetIndex: st.SetIndex, Pending: st.Pending}
	if i := v.Spec.SetAt(h.Number); i != st.SetIndex {
		return v.switchSet(ctx, next, i, signer)
	}
	c := v.Spec.Sets[st.SetIndex]
	if !c.IsContract() {
		return next, nil
	}
	if v.Spec.ImmediateTransitions {
		// Without the epoch machinery the contract's set in the state after
		// the parent verifies each block, as OpenEthereum reads it.
		set, err := v.setFrom(ctx, st.SetIndex, next.Hash)
		if err != nil {
			return nil, err
		}
		next.Set = set
		return next, nil
	}
	next.Pending = v.finalise(next, signer)
	signalled, err := v.Chain.Signalled(ctx, c.Contract, h)
	if err != nil {
		return nil, fmt.Errorf("block %d: InitiateChange of %s: %w", h.Number, c.Contract, err)
	}
	if signalled == nil {
		return next, nil
	}
	return v.signal(next, h, signer, signalled)
}

// switchSet applies the spec's set i, configured from block st.Number (a
// "multi" entry), as OpenEthereum's epochs and Nethermind's MultiValidator
// do: the configured block is still verified by the set before it; a list
// verifies from the next block; a contract's getValidators() after the
// configured block is a change pending until that block is final, like a
// signalled one.
func (v *Verifier) switchSet(ctx context.Context, st *State, i int, signer common.Address) (*State, error) {
	set, err := v.setFrom(ctx, i, st.Hash)
	if err != nil {
		return nil, err
	}
	st.SetIndex = i
	if !v.Spec.Sets[i].IsContract() || v.Spec.ImmediateTransitions {
		st.Set, st.Pending = set, nil
		return st, nil
	}
	st.Pending = &Pending{Number: st.Number, Set: set}
	st.Pending = v.finalise(st, signer)
	return st, nil
}

// finalise counts signer towards the pending change of st and applies the
// change to st once it is final: more than half of the set (two thirds
// from twoThirdsMajorityTransition) have sealed blocks from the signalling
// block on; it returns what stays pending.
func (v *Verifier) finalise(st *State, signer common.Address) *Pending {
	p := st.Pending
	if p == nil {
		return nil
	}
	if !slices.Contains(p.Signers, signer) {
		p = &Pending{Number: p.Number, Set: p.Set, Signers: append(slices.Clip(p.Signers), signer)}
	}
	final := 2*len(p.Signers) > len(st.Set)
	if t := v.Spec.TwoThirdsMajorityTransition; t != nil && p.Number >= *t {
		final = 3*len(p.Signers) > 2*len(st.Set)
	}
	if final {
		st.Set = p.Set
		return nil
	}
	return p
}

// signal records a change signalled in h, pending until h is final.
func (v *Verifier) signal(st *State, h *Header, signer common.Address, set []common.Address) (*State, error) {
	if len(set) == 0 {
		return nil, fmt.Errorf("%w: block %d signals an empty validator set", ErrRuleViolation, h.Number)
	}
	if st.Pending != nil {
		return nil, fmt.Errorf("%w: block %d: %w (signalled in block %d)", ErrRuleViolation, h.Number, errChangeWhilePending, st.Pending.Number)
	}
	st.Pending = &Pending{Number: h.Number, Set: set}
	st.Pending = v.finalise(st, signer)
	return st, nil
}

// InitiateChangeTopic is the topic of the validator-set contracts' event
// InitiateChange(bytes32 indexed parentHash, address[] newSet).
var InitiateChangeTopic = crypto.Keccak256Hash([]byte("InitiateChange(bytes32,address[])"))
