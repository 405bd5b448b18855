package anchor

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura"
)

// AuraRegistration reads what registering an Aura chain needs: its id,
// genesis hash, the checkpoint at number (the head if nil) and the
// validator set after it, in the spec's order (the spec's list, or the
// contract's getValidators() there). The step duration takes the place of
// the Clique epoch. Later changes are posted with the spans that make them
// final (ADR 080).
func (e *External) AuraRegistration(ctx context.Context, spec *aura.Spec, number *uint64) (*Registration, error) {
	id, err := e.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	at := number
	if at == nil {
		head, err := e.Head(ctx)
		if err != nil {
			return nil, err
		}
		at = &head
	}
	a := e.Aura()
	gen, err := a.Headers(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	hs, err := a.Headers(ctx, *at, *at)
	if err != nil {
		return nil, err
	}
	h := hs[0]
	st, err := (&aura.Verifier{Spec: spec, Chain: a}).Start(ctx, h)
	if err != nil {
		return nil, fmt.Errorf("the validator set after block %d: %w", h.Number, err)
	}
	return &Registration{ChainID: id, Genesis: gen[0].Hash(), Consensus: "aura", Epoch: spec.StepDuration,
		Checkpoint: Checkpoint{Number: h.Number, Hash: h.Hash(), StateRoot: h.Root, ReceiptsRoot: h.ReceiptHash}, Signers: st.Set}, nil
}

// nextAura reads the next span of an Aura chain after the checkpoint in s:
// up to MaxHeaders headers. VerifyAura then ends it where Anchors can take
// it.
func (r *Relay) nextAura(ctx context.Context, span *Span) (*Span, error) {
	s := span.Status
	hs, err := r.External.Aura().Headers(ctx, span.From, min(span.Head, span.From+r.MaxHeaders))
	if err != nil {
		return nil, err
	}
	if have := hs[0].Hash(); have != s.Latest.Hash {
		return nil, fmt.Errorf("%w: block %d is %s there, %s in Anchors (check --chain-rpc; a conflict if the chain's validators sealed both)", ErrForked, span.From, have.Hex(), s.Latest.Hash.Hex())
	}
	span.AuraBase = hs[0]
	span.Aura = hs[1:]
	return span, nil
}

// ErrSetMismatch is returned if the validator set Anchors tracks for an
// Aura chain is not the one its chain spec names at the checkpoint: a set
// change Anchors holds that the chain did not make, or one it missed.
var ErrSetMismatch = errors.New("the validator set Anchors tracks is not the chain's")

// SetChange is an Aura validator-set change posted with the span that
// ends at the last block the old set seals (Anchors.postSetChange).
type SetChange struct {
	Signal uint64           `json:"signal"` // the block that signalled it; 0 for a configured list or immediate transitions
	Set    []common.Address `json:"set"`    // the set sealing from the block after the span
}

// VerifyAura checks every header of an Aura span with the rules of spec,
// from st if it is the State after the span's first block, else from the
// set Anchors tracks there (span.Status), and ends the span where Anchors
// takes it (ADR 080): at the first header after which the set changes,
// with the change in span.Change, or else at the last header with no
// change pending. It returns the State after the span's new end; a header
// that breaks a rule gives an error wrapping aura.ErrRuleViolation. A span
// that is all pending change is cut to nothing (the change is posted once
// final).
func (r *Relay) VerifyAura(ctx context.Context, spec *aura.Spec, st *aura.State, span *Span) (*aura.State, error) {
	v := &aura.Verifier{Spec: spec, Chain: r.External.Aura()}
	if st == nil || st.Hash != span.AuraBase.Hash() {
		var err error
		if st, err = resumeAura(spec, span.AuraBase, span.Status.Validators); err != nil {
			return nil, err
		}
	}
	end, endState := 0, st
	for i, h := range span.Aura {
		next, err := v.Verify(ctx, st, h)
		if err != nil {
			return nil, err
		}
		if c := auraChange(spec, st, next, h); c != nil {
			if c.Signal <= span.From {
				// Signalled in the block that made the previous change
				// final, the checkpoint: Anchors can count no seal before
				// the span, so the change goes on the relayer's word.
				c.Signal = 0
			}
			span.Aura, span.Change = span.Aura[:i+1], c
			return next, nil
		}
		if next.Pending == nil {
			end, endState = i+1, next
		}
		st = next
	}
	if end == 0 && st.Pending != nil && span.Head > span.From+r.MaxHeaders {
		return nil, fmt.Errorf("%w: the validator-set change signalled in block %d is not final by block %d: raise --blocks to reach the block that makes it final", ErrNoSealedEnd, st.Pending.Number, st.Number)
	}
	span.Aura = span.Aura[:end]
	return endState, nil
}

// resumeAura returns the State at an anchored checkpoint base, with set,
// the one Anchors tracks, verifying the next block. A checkpoint is never
// inside a pending change (VerifyAura ends spans before one), so the
// tracked set is the chain's there; a spec whose set there is a list must
// name that list.
func resumeAura(spec *aura.Spec, base *aura.Header, set []common.Address) (*aura.State, error) {
	i := spec.SetAt(base.Number)
	if c := spec.Sets[i]; !c.IsContract() && !slices.Equal(c.List, set) {
		return nil, fmt.Errorf("%w: after block %d the chain spec's list is %v, Anchors tracks %v (run cityctl anchor audit)", ErrSetMismatch, base.Number, c.List, set)
	}
	return &aura.State{Number: base.Number, Hash: base.Hash(), Step: base.Step, Time: base.Time, Set: slices.Clone(set), SetIndex: i}, nil
}

// auraChange returns the set change that took effect after h (st is the
// State before h, next after), or nil. Its signal is the block a pending
// change was signalled in; h itself for a contract's change signalled and
// final in h; 0 for a configured list or immediate transitions, which
// Anchors takes on the relayer's word.
func auraChange(spec *aura.Spec, st, next *aura.State, h *aura.Header) *SetChange {
	if slices.Equal(st.Set, next.Set) {
		return nil
	}
	c := &SetChange{Set: slices.Clone(next.Set)}
	switch {
	case st.Pending != nil:
		c.Signal = st.Pending.Number
	case spec.Sets[next.SetIndex].IsContract() && !spec.ImmediateTransitions:
		c.Signal = h.Number
	}
	return c
}

// encodeAura returns the RLP of each Aura header, as Anchors.post takes them.
func encodeAura(hs []*aura.Header) ([][]byte, error) {
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := h.Encode()
		if err != nil {
			return nil, fmt.Errorf("encode header %d: %w", h.Number, err)
		}
		out[i] = b
	}
	return out, nil
}
