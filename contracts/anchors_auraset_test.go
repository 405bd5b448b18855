package contracts_test

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/consensus/aura/auratest"
	"github.com/citychain/citychain/contracts/bindings/anchors"
)

func (x *auraEnv) postSetChange(from uint64, signal uint64, set []common.Address, hs ...*aura.Header) []byte {
	return x.a.PackPostSetChange(big.NewInt(auraChainID), from, auraRLP(x.t, hs...), signal, set)
}

func (x *auraEnv) setChanges() []anchors.AnchorsSetChange {
	return call(x.env, x.c, x.a.PackSetChanges(big.NewInt(auraChainID)), x.a.UnpackSetChanges)
}

// sealTurn appends a block at the next step whose proposer in set is k,
// skipping the steps before it.
func sealTurn(c *auratest.Chain, set []auratest.Key, k auratest.Key, signal []common.Address) *aura.Header {
	step := c.Head().Step + 1
	for set[step%uint64(len(set))].Address != k.Address {
		step++
	}
	return c.Seal(step, k, signal)
}

// TestAnchorsAuraSetChange anchors an Aura chain across a contract's
// validator-set change (signalled in block 3, final at block 4 once two of
// the three validators sealed from block 3 on) and a switch to a list with
// no signal, then a conflicting span checked against the set of its height.
func TestAnchorsAuraSetChange(t *testing.T) {
	x := newAuraEnv(t)
	old := x.keys
	next := auratest.Keys(4) // the three, plus a fourth
	c := x.chain
	c.Rotate(old, 2)
	x.ok("relayer", x.c, x.post(0, c.Blocks[1:3]...))
	b := sealTurn(c, old, old[(c.Head().Step+1)%3], auratest.Addresses(next...)) // block 3 signals
	f := sealTurn(c, old, old[(b.Step+1)%3], nil)                                // block 4: a second sealer, final

	x.reverts("relayer", x.c, x.postSetChange(2, 3, auratest.Addresses(next...), b), "NotFinal(3, 3, 1, 3)")
	x.reverts("relayer", x.c, x.postSetChange(2, 5, auratest.Addresses(next...), b, f), "BadSignal(5, 2, 4)")
	x.reverts("relayer", x.c, x.postSetChange(2, 2, auratest.Addresses(next...), b, f), "BadSignal(2, 2, 4)")
	x.reverts("relayer", x.c, x.postSetChange(2, 3, []common.Address{next[0].Address, next[0].Address}, b, f), "InvalidValidatorSet()")
	x.reverts("stranger", x.c, x.postSetChange(2, 3, auratest.Addresses(next...), b, f), fmt.Sprintf("NotAnchorRelayer(%s)", addr("stranger").Hex()))
	r := x.ok("relayer", x.c, x.postSetChange(2, 3, auratest.Addresses(next...), b, f))
	t.Logf("set change, span of 2 headers, 2 seals counted: %d gas", r.GasUsed)
	if v := call(x.env, x.c, x.a.PackValidators(big.NewInt(auraChainID)), x.a.UnpackValidators); !slices.Equal(v, auratest.Addresses(next...)) {
		t.Fatalf("validators after the change: %v, want %v", v, auratest.Addresses(next...))
	}
	// A span from the change's checkpoint only takes sealers of the new set.
	x.reverts("relayer", x.c, x.post(4, x.child(f.Step+1, old[(f.Step+1)%3])), "WrongProposer(0, ")
	c.Rotate(next, 4)
	x.ok("relayer", x.c, x.post(4, c.Blocks[5:9]...))

	// A multi switch to a list after block 10: no signal, nothing counted.
	list := []common.Address{next[3].Address, next[1].Address}
	c.Rotate(next, 2)
	x.ok("relayer", x.c, x.postSetChange(8, 0, list, c.Blocks[9:11]...))
	changes := x.setChanges()
	want := []anchors.AnchorsSetChange{{Number: 0, Signal: 0, Set: auratest.Addresses(old...)},
		{Number: 4, Signal: 3, Set: auratest.Addresses(next...)}, {Number: 10, Signal: 0, Set: list}}
	if len(changes) != len(want) {
		t.Fatalf("setChanges: %+v, want %+v", changes, want)
	}
	for i := range want {
		if changes[i].Number != want[i].Number || changes[i].Signal != want[i].Signal || !slices.Equal(changes[i].Set, want[i].Set) {
			t.Fatalf("setChanges[%d]: %+v, want %+v", i, changes[i], want[i])
		}
	}

	// A conflicting span from checkpoint 4 to 8 is checked against the set
	// that seals block 8 (the four), kept and flagged.
	other := auratest.NewChain(auraChainID, auraDuration, 0, common.Address{})
	other.Blocks = slices.Clone(c.Blocks[:5])
	other.Seal(other.Head().Step+2, next[(other.Head().Step+2)%4], nil)
	other.Rotate(next, 3)
	x.reverts("relayer", x.c, x.postSetChange(4, 0, list, other.Blocks[5:9]...), "OutOfOrder(4, 8, 10)")
	x.ok("relayer", x.c, x.post(4, other.Blocks[5:9]...))
	if cs := call(x.env, x.c, x.a.PackConflicts(big.NewInt(auraChainID), 8), x.a.UnpackConflicts); len(cs) != 1 || cs[0].Hash != other.Blocks[8].Hash() {
		t.Fatalf("conflicts at 8: %+v, want the other branch's block 8", cs)
	}
	if cp := x.checkpoint(8); cp.Hash != c.Blocks[8].Hash() {
		t.Fatalf("checkpoint 8 overwritten: %s, want %s", cp.Hash, c.Blocks[8].Hash())
	}
}

// TestAnchorsAuraSetChangeForged: a set change whose window holds a header
// sealed out of turn, or sealed by fewer than half of the set, is refused;
// a Clique chain takes none.
func TestAnchorsAuraSetChangeForged(t *testing.T) {
	x := newAuraEnv(t)
	old := x.keys
	c := x.chain
	c.Rotate(old, 1)
	forgedSet := []common.Address{addr("stranger")}
	step := c.Head().Step + 1
	turn := old[step%3]
	b := c.Seal(step, turn, forgedSet)
	// One validator alone seals the signal and the block after it, skipping
	// the other two's steps: not final, and out of turn.
	alone := x.child(b.Step+3, turn)
	x.reverts("relayer", x.c, x.postSetChange(0, 2, forgedSet, c.Blocks[1], b, alone), "NotFinal(2, 3, 1, 3)")
	offTurn := x.child(b.Step+1, old[(b.Step+2)%3])
	x.reverts("relayer", x.c, x.postSetChange(0, 2, forgedSet, c.Blocks[1], b, offTurn),
		fmt.Sprintf("WrongProposer(2, %d, %s, %s)", b.Step+1, old[(b.Step+2)%3].Address.Hex(), old[(b.Step+1)%3].Address.Hex()))
	x.ok("admin", x.c, x.packRegister(4343, []string{"extA", "extB"}))
	x.reverts("relayer", x.c, x.a.PackPostSetChange(big.NewInt(4343), 0, auraRLP(t, c.Blocks[1]), 0, forgedSet), "NotAura(4343)")
}

// TestAnchorsAuraSetChangeGas measures postSetChange with the finality
// window of a set of 3 and of 12 validators at the end of a 64-header span
// (docs/adr/080-aura-validator-set-changes-anchored.md quotes them).
func TestAnchorsAuraSetChangeGas(t *testing.T) {
	for _, n := range []int{3, 12} {
		x := newAuraEnvWith(t, auratest.Keys(n))
		c := x.chain
		c.Rotate(x.keys, 64-n/2-1)
		signal := c.Head().Number + 1
		c.Seal(c.Head().Step+1, x.keys[(c.Head().Step+1)%uint64(n)], []common.Address{addr("extA")})
		c.Rotate(x.keys, n/2)
		r := x.ok("relayer", x.c, x.postSetChange(0, signal, []common.Address{addr("extA")}, c.Blocks[1:]...))
		t.Logf("set of %d: postSetChange of %d headers, %d seals counted: %d gas", n, len(c.Blocks)-1, n/2+1, r.GasUsed)
		if r.GasUsed > 30_000_000 {
			t.Fatalf("postSetChange used %d gas", r.GasUsed)
		}
	}
	x := newAuraEnv(t)
	x.chain.Rotate(x.keys, 64)
	r := x.ok("relayer", x.c, x.post(0, x.chain.Blocks[1:]...))
	t.Logf("for comparison: post of 64 headers: %d gas", r.GasUsed)
}
