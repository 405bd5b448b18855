package aura

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func startAt(t *testing.T, v *Verifier, h *Header) *State {
	t.Helper()
	st, err := v.Start(context.Background(), h)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestVerifyRotation(t *testing.T) {
	vs := validators(t, 3)
	v := &Verifier{Spec: listSpec(vs), Now: fixedNow}
	g := genesisHeader()
	// Every fourth step is missed by its validator: the next one seals.
	hs := rotation(t, g, vs, 20, func(i int) bool { return i%4 == 3 })
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), hs)
	if err != nil {
		t.Fatal(err)
	}
	if last := hs[len(hs)-1]; st.Number != 20 || st.Hash != last.Hash() || st.Step != last.Step {
		t.Fatalf("state after the chain: %d %s step %d, want 20 %s step %d", st.Number, st.Hash, st.Step, last.Hash(), last.Step)
	}
}

// TestVerifyRefuses breaks one rule in each case on the fifth block of a
// valid chain and wants that rule named.
func TestVerifyRefuses(t *testing.T) {
	vs := validators(t, 4)
	set := vs[:3]
	g := genesisHeader()
	base := rotation(t, g, set, 4, nil)
	parent := base[3]
	turn := func(step uint64) validator { return set[step%3] }
	cases := []struct {
		name string
		make func() *Header
		want error
	}{
		{"wrong proposer", func() *Header {
			step := parent.Step + 1
			h := child(t, parent, step, turn(step+1))
			return h
		}, errWrongProposer},
		{"not in the set", func() *Header { return child(t, parent, parent.Step+1, vs[3]) }, errWrongProposer},
		{"step repeated", func() *Header { return child(t, parent, parent.Step, turn(parent.Step)) }, errStepNotIncreasing},
		{"step going back", func() *Header { return child(t, parent, parent.Step-1, turn(parent.Step-1)) }, errStepNotIncreasing},
		{"step too far in the future", func() *Header {
			step := uint64(fixedNow().Unix())/testDuration + maxDrift + 1
			return child(t, parent, step, turn(step))
		}, errFutureStep},
		{"timestamp not after the parent's", func() *Header {
			step := parent.Step + 1
			h := child(t, parent, step, turn(step))
			h.Time = parent.Time
			reseal(t, h, step, turn(step))
			return h
		}, errTimestamp},
		{"bad signature", func() *Header {
			h := child(t, parent, parent.Step+1, turn(parent.Step+1))
			h.Signature[10] ^= 0x01 // r no longer a point's x: recovery fails (the keys and signing are deterministic)
			return h
		}, errBadSeal},
		{"signature of another header", func() *Header {
			h := child(t, parent, parent.Step+1, turn(parent.Step+1))
			other := child(t, base[2], parent.Step+1, turn(parent.Step+1))
			h.Signature = other.Signature // recovers to some other key
			return h
		}, errWrongProposer},
		{"signature with high s", func() *Header {
			h := child(t, parent, parent.Step+1, turn(parent.Step+1))
			n := new(big.Int).Sub(secp256k1N(), new(big.Int).SetBytes(h.Signature[32:64]))
			n.FillBytes(h.Signature[32:64])
			h.Signature[64] ^= 1
			return h
		}, errBadSeal},
		{"seal over other content", func() *Header {
			h := child(t, parent, parent.Step+1, turn(parent.Step+1))
			h.GasUsed = 1 // changed after sealing
			return h
		}, errWrongProposer},
		{"author not the sealer", func() *Header {
			step := parent.Step + 1
			h := child(t, parent, step, turn(step))
			h.Coinbase = vs[3].addr
			reseal(t, h, step, turn(step))
			return h
		}, errAuthorMismatch},
		{"difficulty not the score", func() *Header {
			step := parent.Step + 1
			h := child(t, parent, step, turn(step))
			h.Difficulty = new(big.Int).Add(h.Difficulty, big.NewInt(1))
			reseal(t, h, step, turn(step))
			return h
		}, errBadScore},
		{"parent hash of another block", func() *Header { return child(t, base[2], parent.Step+1, turn(parent.Step+1)) }, errBadLink},
	}
	v := &Verifier{Spec: listSpec(set), Now: fixedNow}
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), base)
	if err != nil {
		t.Fatal(err)
	}
	good := child(t, parent, parent.Step+1, turn(parent.Step+1))
	if _, err := v.Verify(context.Background(), st, good); err != nil {
		t.Fatalf("the unbroken fifth block: %v", err)
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := v.Verify(context.Background(), st, c.make())
			if !errors.Is(err, ErrRuleViolation) || !errors.Is(err, c.want) {
				t.Fatalf("have %v, want a rule violation %q", err, c.want)
			}
		})
	}
}

func secp256k1N() *big.Int {
	n, _ := new(big.Int).SetString("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141", 16)
	return n
}

// TestStepTransitions: before validateStepTransition a step only has to
// differ from the parent's; before validateScoreTransition any difficulty
// goes.
func TestStepTransitions(t *testing.T) {
	vs := validators(t, 1)
	g := genesisHeader()
	spec := listSpec(vs)
	spec.ValidateStepTransition, spec.ValidateScoreTransition = 3, 3
	v := &Verifier{Spec: spec, Now: fixedNow}
	b1 := child(t, g, g.Step+5, vs[0])
	b2 := child(t, b1, g.Step+2, vs[0]) // back in steps, before the transition
	b2.Difficulty = big.NewInt(1)
	b2.Time = b1.Time + 1
	reseal(t, b2, b2.Step, vs[0])
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), []*Header{b1, b2})
	if err != nil {
		t.Fatalf("before the transitions: %v", err)
	}
	b3 := child(t, b2, g.Step+1, vs[0])
	if _, err := v.Verify(context.Background(), st, b3); !errors.Is(err, errStepNotIncreasing) {
		t.Fatalf("block 3 back in steps: have %v, want %v", err, errStepNotIncreasing)
	}
}

// TestContractSetChange: the contract signals a new set in block 5; with
// three validators it applies once two distinct validators have sealed
// from block 5 on (blocks 5 and 6), so block 7 is the first of the new set.
func TestContractSetChange(t *testing.T) {
	vs := validators(t, 4)
	old, next := vs[:3], []validator{vs[0], vs[1], vs[3]}
	contract := common.HexToAddress("0x1000000000000000000000000000000000000005")
	g := genesisHeader()
	pre := rotation(t, g, old, 6, nil)
	chain := &fakeChain{sets: map[common.Hash][]common.Address{g.Hash(): addrs(old...)},
		signalled: map[common.Hash][]common.Address{pre[4].Hash(): addrs(next...)}}
	v := &Verifier{Spec: &Spec{StepDuration: testDuration, Sets: []SetConfig{{Contract: contract}}}, Chain: chain, Now: fixedNow}
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), pre[:5])
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending == nil || st.Pending.Number != 5 || !equal(st.Set, addrs(old...)) {
		t.Fatalf("after the signal: pending %+v, set %v; want pending from block 5, the old set", st.Pending, st.Set)
	}
	// Block 6 is still the old set's: the new validator may not seal it.
	if _, err := v.Verify(context.Background(), st, child(t, pre[4], pre[5].Step, vs[3])); !errors.Is(err, errWrongProposer) {
		t.Fatalf("block 6 by the incoming validator: have %v, want %v", err, errWrongProposer)
	}
	if st, err = v.Verify(context.Background(), st, pre[5]); err != nil {
		t.Fatal(err)
	}
	if st.Pending != nil || !equal(st.Set, addrs(next...)) {
		t.Fatalf("after block 6: pending %+v, set %v; want the new set", st.Pending, st.Set)
	}
	post := rotation(t, pre[5], next, 6, nil)
	if _, err := v.VerifyChain(context.Background(), st, post); err != nil {
		t.Fatalf("blocks of the new set: %v", err)
	}
	oldTurn := rotation(t, pre[5], old, 3, nil)
	if _, err := v.VerifyChain(context.Background(), st, oldTurn); !errors.Is(err, errWrongProposer) {
		t.Fatalf("the old rotation after the change: have %v, want %v", err, errWrongProposer)
	}
}

// TestContractSetChangeImmediate: with immediateTransitions each block is
// verified by the contract's getValidators() after its parent.
func TestContractSetChangeImmediate(t *testing.T) {
	vs := validators(t, 2)
	contract := common.HexToAddress("0x1000000000000000000000000000000000000005")
	g := genesisHeader()
	b1 := child(t, g, g.Step+1, vs[0])
	b2 := child(t, b1, b1.Step+1, vs[1])
	chain := &fakeChain{sets: map[common.Hash][]common.Address{g.Hash(): addrs(vs[0]), b1.Hash(): addrs(vs[1]), b2.Hash(): addrs(vs[1])}}
	spec := &Spec{StepDuration: testDuration, Sets: []SetConfig{{Contract: contract}}, ImmediateTransitions: true}
	v := &Verifier{Spec: spec, Chain: chain, Now: fixedNow}
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), []*Header{b1, b2})
	if err != nil || !equal(st.Set, addrs(vs[1])) {
		t.Fatalf("%v, set %v", err, st.Set)
	}
	// Block 2 by the validator of the contract's set before block 1 is refused.
	st1, _ := v.VerifyChain(context.Background(), startAt(t, v, g), []*Header{b1})
	if _, err := v.Verify(context.Background(), st1, child(t, b1, b2.Step, vs[0])); !errors.Is(err, errWrongProposer) {
		t.Fatalf("block 2 by the set before the contract's change: have %v, want %v", err, errWrongProposer)
	}
}

// TestTwoThirdsFinality: from twoThirdsMajorityTransition a change needs
// more than two thirds of the set to have sealed since the signal: with
// three validators, three distinct sealers (blocks 5, 6, 7), not two.
func TestTwoThirdsFinality(t *testing.T) {
	vs := validators(t, 4)
	old, next := vs[:3], []validator{vs[0], vs[1], vs[3]}
	contract := common.HexToAddress("0x1000000000000000000000000000000000000005")
	g := genesisHeader()
	pre := rotation(t, g, old, 7, nil)
	chain := &fakeChain{sets: map[common.Hash][]common.Address{g.Hash(): addrs(old...)},
		signalled: map[common.Hash][]common.Address{pre[4].Hash(): addrs(next...)}}
	from := uint64(5)
	spec := &Spec{StepDuration: testDuration, Sets: []SetConfig{{Contract: contract}}, TwoThirdsMajorityTransition: &from}
	v := &Verifier{Spec: spec, Chain: chain, Now: fixedNow}
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), pre[:6])
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending == nil || !equal(st.Set, addrs(old...)) {
		t.Fatalf("after block 6 (two of three sealed): pending %+v, set %v; want still pending", st.Pending, st.Set)
	}
	if st, err = v.Verify(context.Background(), st, pre[6]); err != nil || st.Pending != nil || !equal(st.Set, addrs(next...)) {
		t.Fatalf("after block 7: %v, pending %+v, set %v; want the new set", err, st.Pending, st.Set)
	}
}

// TestMultiSet: a list from block 0, a contract from block 4, another list
// from block 8. Block 4 is still the first list's; the contract's set
// (getValidators() after block 4) is final at once under a one-validator
// list, so it verifies from block 5; block 8 is still the contract's, the
// last list verifies from block 9.
func TestMultiSet(t *testing.T) {
	vs := validators(t, 4)
	contract := common.HexToAddress("0x2000000000000000000000000000000000000002")
	spec := &Spec{StepDuration: testDuration, Sets: []SetConfig{
		{From: 0, List: addrs(vs[0])}, {From: 4, Contract: contract}, {From: 8, List: addrs(vs[3])}}}
	g := genesisHeader()
	a := rotation(t, g, vs[:1], 4, nil)
	b := rotation(t, a[3], vs[1:3], 4, nil)
	c := rotation(t, b[3], vs[3:], 3, nil)
	chain := &fakeChain{sets: map[common.Hash][]common.Address{a[3].Hash(): addrs(vs[1:3]...)}}
	v := &Verifier{Spec: spec, Chain: chain, Now: fixedNow}
	all := append(append(append([]*Header{}, a...), b...), c...)
	if _, err := v.VerifyChain(context.Background(), startAt(t, v, g), all); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name   string
		parent []*Header // verified before
		bad    *Header
	}{
		{"block 4 by the contract's set", a[:3], rotation(t, a[2], vs[1:3], 1, nil)[0]},
		{"block 5 by the first list", a, rotation(t, a[3], vs[:1], 1, nil)[0]},
		{"block 8 by the last list", append(append([]*Header{}, a...), b[:3]...), rotation(t, b[2], vs[3:], 1, nil)[0]},
	}
	for _, cs := range cases {
		st, err := v.VerifyChain(context.Background(), startAt(t, v, g), cs.parent)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := v.Verify(context.Background(), st, cs.bad); !errors.Is(err, errWrongProposer) {
			t.Errorf("%s: have %v, want %v", cs.name, err, errWrongProposer)
		}
	}
}

// TestMultiIntoContractWaitsForFinality: a switch from a three-validator
// list into a contract at block 3 takes effect once two of the three have
// sealed from block 3 on (blocks 3 and 4): block 5 is the contract set's.
func TestMultiIntoContractWaitsForFinality(t *testing.T) {
	vs := validators(t, 4)
	list, next := vs[:3], []validator{vs[3]}
	contract := common.HexToAddress("0x2000000000000000000000000000000000000002")
	spec := &Spec{StepDuration: testDuration, Sets: []SetConfig{{From: 0, List: addrs(list...)}, {From: 3, Contract: contract}}}
	g := genesisHeader()
	a := rotation(t, g, list, 4, nil)
	chain := &fakeChain{sets: map[common.Hash][]common.Address{a[2].Hash(): addrs(next...)}}
	v := &Verifier{Spec: spec, Chain: chain, Now: fixedNow}
	st, err := v.VerifyChain(context.Background(), startAt(t, v, g), a)
	if err != nil {
		t.Fatal(err)
	}
	if st.Pending != nil || !equal(st.Set, addrs(next...)) {
		t.Fatalf("after block 4: pending %+v, set %v; want the contract's set", st.Pending, st.Set)
	}
	st3, _ := v.VerifyChain(context.Background(), startAt(t, v, g), a[:3])
	if st3.Pending == nil || !equal(st3.Set, addrs(list...)) {
		t.Fatalf("after block 3: pending %+v, set %v; want the list, a change pending", st3.Pending, st3.Set)
	}
	if _, err := v.VerifyChain(context.Background(), st, rotation(t, a[3], next, 3, nil)); err != nil {
		t.Fatalf("blocks 5-7 by the contract's set: %v", err)
	}
}

// TestReorg: two branches from block 5; each verifies from the State at
// the fork, and a block of one does not extend the other.
func TestReorg(t *testing.T) {
	vs := validators(t, 3)
	v := &Verifier{Spec: listSpec(vs), Now: fixedNow}
	g := genesisHeader()
	trunk := rotation(t, g, vs, 5, nil)
	fork, err := v.VerifyChain(context.Background(), startAt(t, v, g), trunk)
	if err != nil {
		t.Fatal(err)
	}
	left := rotation(t, trunk[4], vs, 5, nil)
	right := rotation(t, trunk[4], vs, 6, func(i int) bool { return i == 0 }) // skips a step: heavier by nothing, other hashes
	stLeft, err := v.VerifyChain(context.Background(), fork, left)
	if err != nil {
		t.Fatal(err)
	}
	stRight, err := v.VerifyChain(context.Background(), fork, right)
	if err != nil {
		t.Fatalf("the other branch from the fork: %v", err)
	}
	if stLeft.Hash == stRight.Hash || fork.Number != 5 {
		t.Fatalf("branches share a head or the fork state moved: %v %v %d", stLeft.Hash, stRight.Hash, fork.Number)
	}
	if _, err := v.Verify(context.Background(), stLeft, right[len(right)-1]); !errors.Is(err, errBadLink) {
		t.Fatalf("a block of the other branch: have %v, want %v", err, errBadLink)
	}
}

func TestFutureStepFollowsTheClock(t *testing.T) {
	vs := validators(t, 1)
	g := genesisHeader()
	h := child(t, g, g.Step+6, vs[0])
	at := func(step uint64) func() time.Time {
		return func() time.Time { return time.Unix(int64(step*testDuration), 0) }
	}
	v := &Verifier{Spec: listSpec(vs), Now: at(g.Step + 1)}
	if _, err := v.Verify(context.Background(), startAt(t, v, g), h); !errors.Is(err, errFutureStep) {
		t.Fatalf("five steps ahead: have %v, want %v", err, errFutureStep)
	}
	v.Now = at(g.Step + 2) // four steps ahead: early, not wrong
	_, err := v.Verify(context.Background(), startAt(t, v, g), h)
	if err == nil || errors.Is(err, ErrRuleViolation) || !strings.Contains(err.Error(), "verify it later") {
		t.Fatalf("four steps ahead: have %v, want an early header, no violation", err)
	}
	v.Now = at(g.Step + 6)
	if _, err := v.Verify(context.Background(), startAt(t, v, g), h); err != nil {
		t.Fatal(err)
	}
}

func equal(a, b []common.Address) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// BenchmarkVerify verifies a header of a five-validator list chain: seal
// recovery, step, proposer and score (the follower's cost per header,
// network aside).
func BenchmarkVerify(b *testing.B) {
	vs := validators(b, 5)
	v := &Verifier{Spec: listSpec(vs), Now: fixedNow}
	g := genesisHeader()
	hs := rotation(b, g, vs, 1000, nil)
	start, err := v.Start(context.Background(), g)
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	st := start
	for i := 0; i < b.N; i++ {
		j := i % len(hs)
		if j == 0 {
			st = start
		}
		if st, err = v.Verify(context.Background(), st, hs[j]); err != nil {
			b.Fatal(err)
		}
	}
}
