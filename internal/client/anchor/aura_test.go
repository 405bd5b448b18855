package anchor

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/consensus/aura/auratest"
)

var testContract = common.HexToAddress("0x0000000000000000000000000000000000001000")

// contractChain is a generated Aura chain whose set is in a contract: three
// validators, then block 5 signals a new set (the third replaced by a
// fourth), final after block 6; twelve blocks in all.
func contractChain() (*auratest.Chain, []auratest.Key) {
	ks := auratest.Keys(4)
	old, next := ks[:3], []auratest.Key{ks[0], ks[1], ks[3]}
	c := auratest.NewChain(7777, 5, 1000, testContract)
	c.Sets[c.Head().Hash()] = auratest.Addresses(old...)
	c.Rotate(old, 4)
	step := c.Head().Step + 1
	c.Seal(step, old[step%3], auratest.Addresses(next...))
	c.Rotate(old, 1)
	c.Rotate(next, 6)
	return c, ks
}

func contractSpec() *aura.Spec {
	return &aura.Spec{StepDuration: 5, Sets: []aura.SetConfig{{Contract: testContract}}}
}

func dialAura(t *testing.T, n *auratest.Node) *AuraChain {
	t.Helper()
	ext, err := DialExternal(context.Background(), n.URL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(ext.Close)
	return ext.Aura()
}

// TestVerifyAuraOverRPC reads a generated chain as a Parity node serves it
// (sealFields, step, signature) and follows its contract's validator-set
// change through the InitiateChange log and finality.
func TestVerifyAuraOverRPC(t *testing.T) {
	c, ks := contractChain()
	node := auratest.Serve(c)
	defer node.Close()
	a := dialAura(t, node)
	st, n, err := VerifyAura(context.Background(), a, contractSpec(), 0, 12)
	if err != nil {
		t.Fatal(err)
	}
	if n != 12 || st.Hash != c.Blocks[12].Hash() || !slices.Equal(st.Set, auratest.Addresses(ks[0], ks[1], ks[3])) {
		t.Fatalf("after block 12: %d verified, head %s, set %v", n, st.Hash, st.Set)
	}
	// Started after the change, the contract's set there is read instead.
	node.Update(func(c *auratest.Chain) { c.Sets[c.Blocks[6].Hash()] = auratest.Addresses(ks[0], ks[1], ks[3]) })
	if _, _, err := VerifyAura(context.Background(), a, contractSpec(), 6, 12); err != nil {
		t.Fatalf("from block 6: %v", err)
	}
}

// TestVerifyAuraRefusesForged: block 8 replaced by one its validator did
// not seal (a validator out of turn), the chain after it re-linked.
func TestVerifyAuraRefusesForged(t *testing.T) {
	c, ks := contractChain()
	forged := auratest.NewChain(7777, 5, 1000, testContract)
	forged.Sets = c.Sets
	forged.Signals = c.Signals
	forged.Blocks = slices.Clone(c.Blocks[:8])
	step := forged.Head().Step + 1
	forged.Seal(step, ks[(step+1)%4], nil)
	node := auratest.Serve(forged)
	defer node.Close()
	st, n, err := VerifyAura(context.Background(), dialAura(t, node), contractSpec(), 0, 8)
	if !errors.Is(err, aura.ErrRuleViolation) || n != 7 || st.Number != 7 {
		t.Fatalf("forged block 8: have %v after %d headers, want a rule violation after 7", err, n)
	}
}

// TestVerifyAuraReorg: the node moves to another branch from block 6; the
// new branch verifies from a trusted block before the fork, and a block of
// it does not extend the State of the old branch.
func TestVerifyAuraReorg(t *testing.T) {
	c, ks := contractChain()
	node := auratest.Serve(c)
	defer node.Close()
	a := dialAura(t, node)
	old, _, err := VerifyAura(context.Background(), a, contractSpec(), 0, 12)
	if err != nil {
		t.Fatal(err)
	}
	next := []auratest.Key{ks[0], ks[1], ks[3]}
	node.Update(func(c *auratest.Chain) {
		c.Blocks = c.Blocks[:7]
		c.Seal(c.Head().Step+2, next[(c.Head().Step+2)%3], nil) // a skipped step: another block 7
		c.Rotate(next, 5)
	})
	st, _, err := VerifyAura(context.Background(), a, contractSpec(), 0, 12)
	if err != nil {
		t.Fatalf("the new branch: %v", err)
	}
	if st.Hash == old.Hash {
		t.Fatal("the node's new branch has the old head")
	}
	hs, err := a.Headers(context.Background(), 12, 12)
	if err != nil {
		t.Fatal(err)
	}
	v := &aura.Verifier{Spec: contractSpec(), Chain: a}
	if _, err := v.Verify(context.Background(), old, hs[0]); !errors.Is(err, aura.ErrRuleViolation) {
		t.Fatalf("block 12 of the new branch after the old head: have %v, want a refusal", err)
	}
}

// TestSignalInRefusesOtherBlocks: a log the node says is InitiateChange of
// block h must be of h and name h's parent.
func TestSignalInRefusesOtherBlocks(t *testing.T) {
	c, _ := contractChain()
	h := c.Blocks[5]
	set := c.Signals[h.Hash()]
	data, err := addressList.Pack(set)
	if err != nil {
		t.Fatal(err)
	}
	good := types.Log{Address: testContract, Topics: []common.Hash{aura.InitiateChangeTopic, h.ParentHash}, Data: data, BlockHash: h.Hash()}
	if got, err := signalIn([]types.Log{good}, testContract, h); err != nil || !slices.Equal(got, set) {
		t.Fatalf("the block's own log: %v %v", got, err)
	}
	otherBlock, otherParent := good, good
	otherBlock.BlockHash = c.Blocks[4].Hash()
	otherParent.Topics = []common.Hash{aura.InitiateChangeTopic, c.Blocks[2].Hash()}
	for _, l := range []types.Log{otherBlock, otherParent} {
		if _, err := signalIn([]types.Log{l}, testContract, h); !errors.Is(err, errBadSignal) {
			t.Fatalf("a log of another block: have %v, want %v", err, errBadSignal)
		}
	}
	last := good
	last.Data, _ = addressList.Pack(set[:2])
	if got, err := signalIn([]types.Log{good, last}, testContract, h); err != nil || !slices.Equal(got, set[:2]) {
		t.Fatalf("two InitiateChange in one block: %v %v, want the last one's set", got, err)
	}
}

// TestVerifyAuraNodeKinds: a node that refuses a block hash in eth_call
// (older Parity) is asked by number; a Nethermind node's blocks (no
// sealFields, 0x-hex step and signature) read as Parity's do.
func TestVerifyAuraNodeKinds(t *testing.T) {
	for _, kind := range []string{"no EIP-1898", "nethermind"} {
		t.Run(kind, func(t *testing.T) {
			c, _ := contractChain()
			node := auratest.Serve(c)
			defer node.Close()
			node.NoBlockHash, node.Nethermind = kind == "no EIP-1898", kind == "nethermind"
			if _, n, err := VerifyAura(context.Background(), dialAura(t, node), contractSpec(), 0, 12); err != nil || n != 12 {
				t.Fatalf("%d verified: %v", n, err)
			}
		})
	}
}
