package anchor

import (
	"context"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/internal/client/registry"
)

// ErrForked is returned if the external chain's block at the latest
// anchored height is not the anchored one: the node follows another branch.
var ErrForked = errors.New("the external chain's node is on another branch than the anchored checkpoint")

// ErrNoSealedEnd is returned if no header of a span is sealed by a
// validator Anchors tracks, so no posting of it can succeed.
var ErrNoSealedEnd = errors.New("no header of the span is sealed by a validator Anchors tracks")

// Relay moves checkpoints of one external chain into Anchors. The contract's
// latest checkpoint is where every span starts: nothing else is remembered.
type Relay struct {
	Anchors    *Contract
	External   *External
	ChainID    uint64
	MaxHeaders uint64
}

// Span is the next posting: the headers after the checkpoint From, which
// may be none when the external chain has nothing new.
type Span struct {
	From    uint64
	Head    uint64 // the external chain's head when the span was read
	Status  *Status
	Headers []*types.Header // a Clique chain's span
	// Aura is an Aura chain's span, after AuraBase (the block at From).
	Aura     []*aura.Header
	AuraBase *aura.Header
	// Change is the Aura validator-set change after the span's last
	// header, posted with it (VerifyAura finds it).
	Change *SetChange
}

// Len returns the number of headers in the span.
func (s *Span) Len() int { return len(s.Headers) + len(s.Aura) }

// Last returns the number and hash of the span's last header; the span is
// not empty.
func (s *Span) Last() (uint64, common.Hash) {
	if len(s.Aura) > 0 {
		h := s.Aura[len(s.Aura)-1]
		return h.Number, h.Hash()
	}
	h := s.Headers[len(s.Headers)-1]
	return h.Number.Uint64(), h.Hash()
}

// Next reads the next span: from Anchors' latest checkpoint up to
// MaxHeaders headers, ending at the last one Anchors accepts as a
// checkpoint (SpanEnd replays the votes as the contract does). For an Aura
// chain (registered as such) the headers are read as Aura headers into
// span.Aura.
func (r *Relay) Next(ctx context.Context) (*Span, error) {
	s, err := r.Anchors.Status(ctx, r.ChainID)
	if err != nil {
		return nil, err
	}
	head, err := r.External.Head(ctx)
	if err != nil {
		return nil, fmt.Errorf("external chain head: %w", err)
	}
	span := &Span{From: s.Latest.Number, Head: head, Status: s}
	if head <= span.From {
		return span, nil
	}
	if s.Consensus == consensusName(Aura) {
		return r.nextAura(ctx, span)
	}
	hs, err := r.External.Headers(ctx, span.From, min(head, span.From+r.MaxHeaders))
	if err != nil {
		return nil, err
	}
	if have := hs[0].Hash(); have != s.Latest.Hash {
		return nil, fmt.Errorf("%w: block %d is %s there, %s in Anchors (check --chain-rpc; a conflict if the chain's validators sealed both)", ErrForked, span.From, have.Hex(), s.Latest.Hash.Hex())
	}
	n, err := SpanEnd(hs[1:], Tally{Signers: s.Validators, Votes: s.Votes}, s.Epoch)
	if err != nil {
		return nil, err
	}
	if n == 0 {
		return nil, fmt.Errorf("%w: blocks %d..%d (raise --blocks to reach one)", ErrNoSealedEnd, span.From+1, hs[len(hs)-1].Number)
	}
	span.Headers = hs[1 : 1+n]
	return span, nil
}

// Post posts span.
func (r *Relay) Post(ctx context.Context, span *Span) (*registry.Tx, error) {
	raw, err := EncodeHeaders(span.Headers)
	if len(span.Aura) > 0 {
		raw, err = encodeAura(span.Aura)
	}
	if err != nil {
		return nil, err
	}
	if span.Change != nil {
		return r.Anchors.PostSetChange(ctx, r.ChainID, span.From, raw, span.Change)
	}
	return r.Anchors.Post(ctx, r.ChainID, span.From, raw)
}
