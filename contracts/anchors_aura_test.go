package contracts_test

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/consensus/aura/auratest"
	"github.com/citychain/citychain/contracts/bindings/anchors"
)

// The external Aura chain of these tests: chain id 7700, 5-second steps,
// three validators in the chain spec's order.
const (
	auraChainID  = 7700
	auraDuration = 5
	auraKind     = 2 // Anchors.Consensus.Aura
)

// auraEnv is Anchors with an auratest chain registered at its genesis.
type auraEnv struct {
	*anchorsEnv
	keys  []auratest.Key
	chain *auratest.Chain
}

func newAuraEnv(t *testing.T) *auraEnv {
	t.Helper()
	return newAuraEnvWith(t, auratest.Keys(3))
}

// newAuraEnvWith registers the chain with the validators ks.
func newAuraEnvWith(t *testing.T, ks []auratest.Key) *auraEnv {
	t.Helper()
	x := &auraEnv{anchorsEnv: newAnchorsEnv(t), keys: ks, chain: auratest.NewChain(auraChainID, auraDuration, 100, common.Address{})}
	x.ok("admin", x.c, x.register(auraChainID, auratest.Addresses(x.keys...)))
	return x
}

func (x *auraEnv) register(chainID int64, set []common.Address) []byte {
	g := x.chain.Blocks[0]
	trusted := anchors.AnchorsTrusted{Number: 0, Hash: g.Hash(), StateRoot: g.Root, ReceiptsRoot: g.ReceiptHash}
	return x.a.PackRegister(big.NewInt(chainID), g.Hash(), auraKind, auraDuration, trusted, set)
}

func (x *auraEnv) post(from uint64, hs ...*aura.Header) []byte {
	return x.postRaw(from, auraRLP(x.t, hs...))
}

func (x *auraEnv) postRaw(from uint64, raw [][]byte) []byte {
	return x.a.PackPost(big.NewInt(auraChainID), from, raw)
}

func (x *auraEnv) checkpoint(n uint64) anchors.AnchorsCheckpoint {
	return call(x.env, x.c, x.a.PackCheckpoint(big.NewInt(auraChainID), n), x.a.UnpackCheckpoint)
}

func auraRLP(t *testing.T, hs ...*aura.Header) [][]byte {
	t.Helper()
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := h.Encode()
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// child returns an unsealed copy of the chain's next block at step, sealed
// by k: a header the tests then alter and re-sign.
func (x *auraEnv) child(step uint64, k auratest.Key) *aura.Header {
	parent := x.chain.Head()
	h := &aura.Header{ParentHash: parent.Hash(), UncleHash: parent.UncleHash, Coinbase: k.Address, TxHash: parent.TxHash,
		ReceiptHash: parent.ReceiptHash, Difficulty: auratest.Score(parent.Step, step), Number: parent.Number + 1,
		GasLimit: parent.GasLimit, Time: step * auraDuration, Extra: []byte("auratest")}
	auratest.Sign(h, step, k)
	return h
}

// TestAnchorsAuraSpan anchors a span of Aura headers rotating through the
// list, then a span whose last header carries a base fee, and checks the
// registration's view.
func TestAnchorsAuraSpan(t *testing.T) {
	x := newAuraEnv(t)
	x.chain.Rotate(x.keys, 7)
	hs := x.chain.Blocks[1:8]
	r := x.ok("relayer", x.c, x.post(0, hs...))
	last := hs[6]
	want := anchors.AnchorsCheckpoint{Hash: last.Hash(), StateRoot: last.Root, ReceiptsRoot: last.ReceiptHash,
		Sealer: x.keys[last.Step%3].Address, AnchoredAt: r.BlockNumber.Uint64()}
	if cp := x.checkpoint(7); cp != want {
		t.Fatalf("checkpoint 7: have %+v, want %+v", cp, want)
	}
	chain := call(x.env, x.c, x.a.PackChain(big.NewInt(auraChainID)), x.a.UnpackChain)
	if chain.Consensus != auraKind || chain.Epoch != auraDuration || chain.Latest != 7 {
		t.Fatalf("chain: %+v, want Aura, step duration %d, latest 7", chain, auraDuration)
	}
	// The list keeps the chain spec's order (the proposer order), unsorted.
	vals := call(x.env, x.c, x.a.PackValidators(big.NewInt(auraChainID)), x.a.UnpackValidators)
	if !slices.Equal(vals, auratest.Addresses(x.keys...)) {
		t.Fatalf("validators: have %v, want the spec's order %v", vals, auratest.Addresses(x.keys...))
	}

	step := x.chain.Head().Step + 2 // a skipped step is fine
	h := x.child(step, x.keys[step%3])
	h.BaseFee = big.NewInt(7)
	auratest.Sign(h, step, x.keys[step%3])
	x.ok("relayer", x.c, x.post(7, h))
	if cp := x.checkpoint(8); cp.Hash != h.Hash() {
		t.Fatalf("checkpoint 8 (with base fee): %s, want %s", cp.Hash, h.Hash())
	}
}

// TestAnchorsAuraRefusals checks what Anchors refuses of an Aura chain.
func TestAnchorsAuraRefusals(t *testing.T) {
	x := newAuraEnv(t)
	ks := x.keys
	x.chain.Rotate(ks, 2)
	good := x.chain.Blocks[1:3]
	step := x.chain.Head().Step + 1
	turn, other := ks[step%3], ks[(step+1)%3]

	offTurn := x.child(step, other) // sealed and authored by a validator whose turn it is not
	stranger := auratest.Key{Private: key("stranger"), Address: addr("stranger")}
	outsider := x.child(step, stranger)
	forged := x.child(step, turn) // a field changed after sealing
	forged.Root = crypto.Keccak256Hash([]byte("forged state"))
	lent := x.child(step, turn) // sealed by the proposer, authored by another
	lent.Coinbase = other.Address
	auratest.Sign(lent, step, turn)
	highS := x.child(step, turn)
	flipS(highS)
	badLink := x.child(step, turn)
	badLink.ParentHash = common.Hash{1}
	auratest.Sign(badLink, step, turn)
	emptySteps := withEmptySteps(t, x.child(step, turn))

	for _, tc := range []struct {
		name, from string
		data       []byte
		want       string
	}{
		{"register a duplicate validator", "admin", x.register(8, []common.Address{ks[0].Address, ks[0].Address}), "InvalidValidatorSet()"},
		{"register a zero validator", "admin", x.register(8, []common.Address{ks[0].Address, {}}), "InvalidValidatorSet()"},
		{"register no validator", "admin", x.register(8, nil), "InvalidValidatorSet()"},
		{"register no step duration", "admin", x.a.PackRegister(big.NewInt(8), common.Hash{1}, auraKind, 0,
			anchors.AnchorsTrusted{Hash: common.Hash{1}}, auratest.Addresses(ks...)), "InvalidRegistration()"},
		{"register consensus None", "admin", x.a.PackRegister(big.NewInt(8), common.Hash{1}, 0, 5,
			anchors.AnchorsTrusted{Hash: common.Hash{1}}, auratest.Addresses(ks...)), "UnsupportedConsensus(0)"},
		{"not the step's proposer", "relayer", x.post(0, append(slices.Clone(good), offTurn)...),
			fmt.Sprintf("WrongProposer(2, %d, %s, %s)", step, other.Address.Hex(), turn.Address.Hex())},
		{"a sealer outside the set", "relayer", x.post(0, append(slices.Clone(good), outsider)...),
			fmt.Sprintf("WrongProposer(2, %d, %s, %s)", step, addr("stranger").Hex(), turn.Address.Hex())},
		{"a field changed after sealing", "relayer", x.post(0, append(slices.Clone(good), forged)...), "WrongProposer(2, "},
		{"authored by another than the sealer", "relayer", x.post(0, append(slices.Clone(good), lent)...),
			fmt.Sprintf("WrongProposer(2, %d, %s, %s)", step, turn.Address.Hex(), turn.Address.Hex())},
		{"high s", "relayer", x.post(0, append(slices.Clone(good), highS)...), "BadSeal(2)"},
		{"wrong parent link", "relayer", x.post(0, append(slices.Clone(good), badLink)...), "BadParentLink(2, "},
		{"empty steps in the seal", "relayer", x.postRaw(0, append(auraRLP(t, good...), emptySteps)), "MalformedHeader(2)"},
		{"a Clique header", "relayer", x.postRaw(0, encode(t, x.ext.extend(x.gen, 1, []string{"extA"}, []string{"extA", "extB"}, ""))), "MalformedHeader(0)"},
	} {
		t.Run(tc.name, func(t *testing.T) { x.reverts(tc.from, x.c, tc.data, tc.want) })
	}
	// Only the checkpoint header's seal is checked on chain: the follower
	// verifies the others with consensus/aura before posting.
	x.ok("relayer", x.c, x.post(0, append(slices.Clone(good), x.chain.Seal(step, turn, nil))...))
}

// flipS replaces h's signature (r, s, v) by its twin (r, n - s, 1 - v),
// which recovers to the same key.
func flipS(h *aura.Header) {
	n := crypto.S256().Params().N
	s := new(big.Int).SetBytes(h.Signature[32:64])
	new(big.Int).Sub(n, s).FillBytes(h.Signature[32:64])
	h.Signature[64] ^= 1
}

// withEmptySteps returns h's RLP with a third seal field, a list, as
// OpenEthereum's empty steps add.
func withEmptySteps(t *testing.T, h *aura.Header) []byte {
	t.Helper()
	b, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	var items []rlp.RawValue
	if err := rlp.DecodeBytes(b, &items); err != nil {
		t.Fatal(err)
	}
	items = append(items, rlp.RawValue{0xc0})
	out, err := rlp.EncodeToBytes(items)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// TestAnchorsAuraGas measures the gas of postings of 1, 16 and 128 Aura
// headers (docs/adr/070-aura-verification.md quotes them).
func TestAnchorsAuraGas(t *testing.T) {
	x := newAuraEnv(t)
	from := uint64(0)
	for _, n := range []int{1, 16, 128} {
		x.chain.Rotate(x.keys, n)
		hs := x.chain.Blocks[from+1:]
		r := x.ok("relayer", x.c, x.post(from, hs...))
		t.Logf("aura span of %d headers: %d gas", n, r.GasUsed)
		if r.GasUsed > 30_000_000 {
			t.Fatalf("a span of %d headers used %d gas, above a 30M block", n, r.GasUsed)
		}
		from += uint64(n)
	}
}
