package anchor

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/consensus/aura/auratest"
)

// auraSpan is the span of c's blocks from+1..to after checkpoint from,
// with Anchors tracking set there, the external head at head.
func auraSpan(c *auratest.Chain, from, to, head uint64, set []auratest.Key) *Span {
	return &Span{From: from, Head: head, Status: &Status{Validators: auratest.Addresses(set...)},
		AuraBase: c.Blocks[from], Aura: slices.Clone(c.Blocks[from+1 : to+1])}
}

// TestVerifyAuraEndsSpans: a span ends after the block that makes a
// contract's change final, with the change and its signal; before the
// signal while the change is pending; nowhere if it is all pending (or an
// error once the pending change outgrows --blocks); a tracked set that is
// not the spec's list is refused.
func TestVerifyAuraEndsSpans(t *testing.T) {
	c, ks := contractChain() // block 5 signals, final after block 6
	node := auratest.Serve(c)
	defer node.Close()
	ext, err := DialExternal(context.Background(), node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer ext.Close()
	r := &Relay{External: ext, MaxHeaders: 256}
	ctx := context.Background()
	old, next := ks[:3], []auratest.Key{ks[0], ks[1], ks[3]}

	span := auraSpan(c, 2, 12, 12, old)
	st, err := r.VerifyAura(ctx, contractSpec(), nil, span)
	if err != nil {
		t.Fatal(err)
	}
	if n, _ := span.Last(); n != 6 || span.Change == nil || span.Change.Signal != 5 || !slices.Equal(span.Change.Set, auratest.Addresses(next...)) || st.Number != 6 {
		t.Fatalf("span across the change: ends at %d with %+v, want 6 with signal 5 and the new set", n, span.Change)
	}
	span = auraSpan(c, 6, 12, 12, next)
	if _, err := r.VerifyAura(ctx, contractSpec(), st, span); err != nil || span.Len() != 6 || span.Change != nil {
		t.Fatalf("span after the change: %v, %d headers, change %+v; want all 6, no change", err, span.Len(), span.Change)
	}

	span = auraSpan(c, 2, 5, 5, old)
	if _, err := r.VerifyAura(ctx, contractSpec(), nil, span); err != nil || span.Len() != 2 || span.Change != nil {
		t.Fatalf("span ending at the signal: %v, %d headers; want the 2 before it", err, span.Len())
	}
	span = auraSpan(c, 4, 5, 5, old)
	if _, err := r.VerifyAura(ctx, contractSpec(), nil, span); err != nil || span.Len() != 0 {
		t.Fatalf("span of the signal alone: %v, %d headers; want none (wait for finality)", err, span.Len())
	}
	span = auraSpan(c, 4, 5, 12, old)
	r.MaxHeaders = 1
	if _, err := r.VerifyAura(ctx, contractSpec(), nil, span); !errors.Is(err, ErrNoSealedEnd) {
		t.Fatalf("a pending change longer than --blocks: %v, want ErrNoSealedEnd", err)
	}

	list := &aura.Spec{StepDuration: 5, Sets: []aura.SetConfig{{List: auratest.Addresses(old...)}}}
	if _, err := r.VerifyAura(ctx, list, nil, auraSpan(c, 2, 4, 4, next)); !errors.Is(err, ErrSetMismatch) {
		t.Fatalf("Anchors tracking another set than the spec's list: %v, want ErrSetMismatch", err)
	}
}

// TestVerifyAuraBackToBackChanges: block 6 makes the change signalled in
// block 5 final and signals another; the second change, whose signal is
// the first one's checkpoint, is posted with signal 0 (Anchors could count
// no seal before the span).
func TestVerifyAuraBackToBackChanges(t *testing.T) {
	ks := auratest.Keys(5)
	setA, setB, setC := ks[:3], []auratest.Key{ks[0], ks[1], ks[3]}, []auratest.Key{ks[0], ks[1], ks[4]}
	c := auratest.NewChain(7777, 5, 1000, testContract)
	c.Sets[c.Head().Hash()] = auratest.Addresses(setA...)
	c.Rotate(setA, 4)
	step := c.Head().Step + 1
	c.Seal(step, setA[step%3], auratest.Addresses(setB...))
	step++
	c.Seal(step, setA[step%3], auratest.Addresses(setC...))
	c.Rotate(setB, 4)
	node := auratest.Serve(c)
	defer node.Close()
	ext, err := DialExternal(context.Background(), node.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer ext.Close()
	r := &Relay{External: ext, MaxHeaders: 256}
	span := auraSpan(c, 0, 10, 10, setA)
	st, err := r.VerifyAura(context.Background(), contractSpec(), nil, span)
	if n, _ := span.Last(); err != nil || n != 6 || span.Change == nil || span.Change.Signal != 5 || !slices.Equal(span.Change.Set, auratest.Addresses(setB...)) {
		t.Fatalf("first change: %v, span to %d with %+v; want to 6, signal 5, set B", err, n, span.Change)
	}
	span = auraSpan(c, 6, 10, 10, setB)
	_, err = r.VerifyAura(context.Background(), contractSpec(), st, span)
	if n, _ := span.Last(); err != nil || n <= 6 || span.Change == nil || span.Change.Signal != 0 || !slices.Equal(span.Change.Set, auratest.Addresses(setC...)) {
		t.Fatalf("second change: %v, span to %d with %+v; want signal 0 (its signal is the checkpoint), set C", err, n, span.Change)
	}
}
