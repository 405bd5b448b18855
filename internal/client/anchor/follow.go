package anchor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
)

// Follower posts checkpoints of one external chain as it grows (ADR 063).
// It keeps no state of its own: each step starts from Anchors' latest
// checkpoint, so a follower killed at any point and restarted neither skips
// nor repeats a checkpoint (a posting sent before the kill is either mined,
// and the restart starts after it, or not, and the restart sends it again;
// Anchors refuses a repeated checkpoint with DuplicateCheckpoint).
type Follower struct {
	Relay
	// Genesis is the external chain's genesis: its Clique rules verify every
	// header before it is posted.
	Genesis *core.Genesis
	// Spec is an Aura chain's chain spec: its rules verify every header
	// before it is posted (instead of Genesis).
	Spec *aura.Spec
	// Every posts once the external chain is this many blocks past the latest
	// checkpoint; Interval posts whatever is new once this long has passed
	// since the last posting.
	Every    uint64
	Interval time.Duration
	// Poll is the time between two looks at the external chain.
	Poll    time.Duration
	Metrics *Metrics
	// Report is told of each step's outcome (progress, refusals, errors).
	Report func(Event)
	// StepTimeout bounds one step. A step under way when Run's context ends
	// is finished (a posting sent is waited for), so a stop by SIGTERM
	// leaves no posting unreported.
	StepTimeout time.Duration

	lastPost time.Time
	// posted holds the headers this follower verified and saw anchored,
	// from the epoch header at or below the latest checkpoint: the next
	// step's replay reads them here instead of from the external node.
	posted map[uint64]*types.Header
	// auraState is the Aura verification's State after the last span
	// posted, so that a validator-set change pending across two postings
	// is carried on.
	auraState, next *aura.State
}

// Event is what one step of the follower did.
type Event struct {
	Kind     string // "posted", "refused", "conflict", "error"
	Span     *Span
	Tx       *registry.Tx
	Err      error
	Verified uint64 // headers verified with the chain's rules
}

// Run follows until ctx ends; an error of one step is reported and the
// next step retries.
func (f *Follower) Run(ctx context.Context) error {
	f.lastPost = time.Now()
	t := time.NewTimer(0)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), f.StepTimeout)
		f.Step(sctx)
		cancel()
		t.Reset(f.Poll)
	}
}

// Step looks at the external chain once and posts a span if one is due.
func (f *Follower) Step(ctx context.Context) {
	span, err := f.Next(ctx)
	if span != nil {
		f.Metrics.observe(span)
	}
	if err != nil {
		f.fail(ctx, span, err)
		return
	}
	if !f.due(span) {
		return
	}
	verified, err := f.verify(ctx, span)
	if err != nil {
		f.fail(ctx, span, err)
		return
	}
	if span.Len() == 0 {
		return // an Aura validator-set change not final yet: posted once it is
	}
	tx, err := f.Post(ctx, span)
	if err != nil {
		f.fail(ctx, span, err)
		return
	}
	f.lastPost = time.Now()
	f.remember(span)
	f.Metrics.posted(span)
	f.report(Event{Kind: "posted", Span: span, Tx: tx, Verified: verified})
}

// due tells whether span should be posted now.
func (f *Follower) due(span *Span) bool {
	if span.Len() == 0 {
		return false
	}
	return span.Head-span.From >= f.Every || time.Since(f.lastPost) >= f.Interval
}

// verify checks every header of span, and those before it back to the
// epoch header it replays from, with the external chain's Clique rules
// (the engine's VerifyHeader and Snapshot, through audit.AuditSigners). The
// headers checked are the span's own, not a second fetch.
func (f *Follower) verify(ctx context.Context, span *Span) (uint64, error) {
	if span.Aura != nil || f.Spec != nil {
		return f.verifyAura(ctx, span)
	}
	last := span.Headers[len(span.Headers)-1].Number.Uint64()
	src := spanSource{span: span, ext: f.External, known: f.posted}
	a, err := audit.AuditSigners(ctx, f.Genesis, src, span.From, last, nil)
	if err != nil {
		return 0, err
	}
	return a.To - a.Start.Block, nil
}

// verifyAura checks every header of an Aura span with the chain spec's
// rules, carrying the State of the previous posting on.
func (f *Follower) verifyAura(ctx context.Context, span *Span) (uint64, error) {
	if f.Spec == nil {
		return 0, fmt.Errorf("chain %d is registered as an Aura chain in Anchors: follow it with --chain-spec (its Aura chain spec)", f.ChainID)
	}
	if span.Aura == nil {
		return 0, fmt.Errorf("chain %d is registered as a Clique chain in Anchors: follow it with --chain-genesis", f.ChainID)
	}
	st, err := f.VerifyAura(ctx, f.Spec, f.auraState, span)
	if err != nil {
		return 0, err
	}
	f.next = st
	return uint64(len(span.Aura)), nil
}

func (f *Follower) fail(ctx context.Context, span *Span, err error) {
	if ctx.Err() != nil {
		return
	}
	kind := "error"
	switch {
	case errors.Is(err, audit.ErrRuleViolation), errors.Is(err, aura.ErrRuleViolation), errors.Is(err, ErrSetMismatch):
		kind = "refused"
		f.Metrics.refused()
	case errors.Is(err, ErrForked):
		kind = "conflict"
		f.Metrics.conflict()
	default:
		f.Metrics.failed()
	}
	f.report(Event{Kind: kind, Span: span, Err: err})
}

func (f *Follower) report(e Event) {
	if f.Report != nil {
		f.Report(e)
	}
}

// remember keeps the headers of a posted span for the next replays and
// forgets those below the epoch header the next replay starts from.
func (f *Follower) remember(span *Span) {
	if span.Aura != nil {
		f.auraState = f.next
		return
	}
	if f.posted == nil {
		f.posted = make(map[uint64]*types.Header)
	}
	for _, h := range span.Headers {
		f.posted[h.Number.Uint64()] = h
	}
	last := span.Headers[len(span.Headers)-1].Number.Uint64()
	start := last - last%span.Status.Epoch
	for n := range f.posted {
		if n < start {
			delete(f.posted, n)
		}
	}
}

// spanSource serves the span's headers and the headers of earlier postings
// (known) from memory, and any other header from the external chain.
type spanSource struct {
	span  *Span
	ext   *External
	known map[uint64]*types.Header
}

func (s spanSource) Headers(ctx context.Context, from, to uint64) ([]*types.Header, error) {
	first := s.span.From + 1
	if from < first && s.known[from] != nil {
		h := s.known[from]
		if to == from {
			return []*types.Header{h}, nil
		}
		rest, err := s.Headers(ctx, from+1, to)
		if err != nil {
			return nil, err
		}
		if rest[0].ParentHash != h.Hash() {
			return nil, fmt.Errorf("block %d does not link to block %d held from an earlier posting", from+1, from)
		}
		return append([]*types.Header{h}, rest...), nil
	}
	if from < first {
		head, err := s.ext.Headers(ctx, from, min(to, first-1))
		if err != nil || to < first {
			return head, err
		}
		rest, err := s.Headers(ctx, first, to)
		return append(head, rest...), err
	}
	i, j := from-first, to-first+1
	if j > uint64(len(s.span.Headers)) {
		return nil, fmt.Errorf("headers %d..%d are past the span", from, to)
	}
	return s.span.Headers[i:j], nil
}
