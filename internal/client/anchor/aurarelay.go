package anchor

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura"
)

// AuraRegistration reads what registering an Aura chain needs: its id,
// genesis hash, the checkpoint at number (the head if nil) and the
// validator set after it, in the spec's order (the spec's list, or the
// contract's getValidators() there). The step duration takes the place of
// the Clique epoch. Anchors keeps this set: a contract's later changes
// are followed by the follower only (ADR 070).
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
// up to MaxHeaders headers, ending at the last one sealed and authored by
// the proposer of its step in Anchors' list, which is what Anchors checks.
func (r *Relay) nextAura(ctx context.Context, span *Span) (*Span, error) {
	s := span.Status
	hs, err := r.External.Aura().Headers(ctx, span.From, min(span.Head, span.From+r.MaxHeaders))
	if err != nil {
		return nil, err
	}
	if have := hs[0].Hash(); have != s.Latest.Hash {
		return nil, fmt.Errorf("%w: block %d is %s there, %s in Anchors (check --chain-rpc; a conflict if the chain's validators sealed both)", ErrForked, span.From, have.Hex(), s.Latest.Hash.Hex())
	}
	n := auraSpanEnd(hs[1:], s.Validators)
	if n == 0 {
		return nil, fmt.Errorf("%w: blocks %d..%d (Anchors keeps the validator list it was registered with; a contract's new set is not on chain, ADR 070)", ErrNoSealedEnd, span.From+1, hs[len(hs)-1].Number)
	}
	span.AuraBase = hs[0]
	span.Aura = hs[1 : 1+n]
	return span, nil
}

// auraSpanEnd returns how many of hs end at the last header Anchors takes
// as a checkpoint: sealed and authored by set[step % len(set)].
func auraSpanEnd(hs []*aura.Header, set []common.Address) int {
	if len(set) == 0 {
		return 0
	}
	for i := len(hs) - 1; i >= 0; i-- {
		want := set[hs[i].Step%uint64(len(set))]
		if signer, err := hs[i].Signer(); err == nil && signer == want && hs[i].Coinbase == want {
			return i + 1
		}
	}
	return 0
}

// VerifyAura checks every header of an Aura span with the rules of spec,
// from st if it is the State after the span's first block, else from a
// State started at that block (its validator set read afresh). It returns
// the State after the span; a header that breaks a rule gives an error
// wrapping aura.ErrRuleViolation.
func (r *Relay) VerifyAura(ctx context.Context, spec *aura.Spec, st *aura.State, span *Span) (*aura.State, error) {
	v := &aura.Verifier{Spec: spec, Chain: r.External.Aura()}
	if st == nil || st.Hash != span.AuraBase.Hash() {
		var err error
		if st, err = v.Start(ctx, span.AuraBase); err != nil {
			return nil, err
		}
	}
	return v.VerifyChain(ctx, st, span.Aura)
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
