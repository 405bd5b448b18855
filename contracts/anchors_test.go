package contracts_test

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/anchors"
)

// The external Clique chain of the anchoring tests: chain id 4242, epoch 4,
// signers extA and extB at genesis; the epoch header 4 adds extC.
const (
	extChainID = 4242
	extEpoch   = 4
)

// extChain builds sealed London Clique headers with this repository's
// Clique engine.
type extChain struct {
	t      *testing.T
	engine *clique.Engine
}

func newExtChain(t *testing.T) *extChain {
	t.Helper()
	return &extChain{t: t, engine: clique.New(&params.CliqueConfig{Period: 1, Epoch: extEpoch}, rawdb.NewMemoryDatabase())}
}

// genesis is the external chain's block 0, listing signers.
func (x *extChain) genesis(signers ...string) *types.Header {
	return &types.Header{
		ParentHash: common.Hash{}, UncleHash: types.EmptyUncleHash, Root: crypto.Keccak256Hash([]byte("ext state 0")),
		TxHash: types.EmptyTxsHash, ReceiptHash: types.EmptyReceiptsHash, Difficulty: big.NewInt(1), Number: new(big.Int),
		GasLimit: 8_000_000, Time: 1_700_000_000, Extra: extra(signers, true), BaseFee: big.NewInt(params.InitialBaseFee),
	}
}

// extra is Clique extra-data: vanity, the signer list of an epoch header, an
// empty seal.
func extra(signers []string, epoch bool) []byte {
	x := &clique.Extra{}
	copy(x.Vanity[:], "citychain anchors test")
	if epoch {
		for _, s := range signers {
			x.Signers = append(x.Signers, addr(s))
		}
	}
	return x.Encode()
}

// child returns parent's child sealed by signer; an epoch header lists set.
// salt changes the state root, to build a competing branch.
func (x *extChain) child(parent *types.Header, signer string, set []string, salt string) *types.Header {
	x.t.Helper()
	n := new(big.Int).Add(parent.Number, common.Big1)
	h := &types.Header{
		ParentHash: parent.Hash(), UncleHash: types.EmptyUncleHash,
		Root:   crypto.Keccak256Hash([]byte(fmt.Sprintf("ext state %d %s", n, salt))),
		TxHash: types.EmptyTxsHash, ReceiptHash: crypto.Keccak256Hash([]byte(fmt.Sprintf("ext receipts %d %s", n, salt))),
		Difficulty: big.NewInt(2), Number: n, GasLimit: parent.GasLimit, Time: parent.Time + 1,
		Extra: extra(set, n.Uint64()%extEpoch == 0), BaseFee: parent.BaseFee,
	}
	return x.seal(h, signer)
}

// seal signs h with the labelled key through the Clique engine.
func (x *extChain) seal(h *types.Header, signer string) *types.Header {
	x.t.Helper()
	sealed, err := x.engine.Seal(h, addr(signer), func(_ common.Address, hash []byte) ([]byte, error) {
		return crypto.Sign(hash, key(signer))
	})
	if err != nil {
		x.t.Fatalf("seal block %d by %s: %v", h.Number, signer, err)
	}
	return sealed
}

// extend returns n headers on parent sealed in turn by signers.
func (x *extChain) extend(parent *types.Header, n int, signers, set []string, salt string) []*types.Header {
	var out []*types.Header
	for i := 0; i < n; i++ {
		parent = x.child(parent, signers[i%len(signers)], set, salt)
		out = append(out, parent)
	}
	return out
}

// encode returns the RLP of each header.
func encode(t *testing.T, hs []*types.Header) [][]byte {
	t.Helper()
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := rlp.EncodeToBytes(h)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = b
	}
	return out
}

// padded returns h's RLP with its list prefix one byte longer than canonical
// (a leading zero in the length): the same fields and seal, another keccak.
func padded(t *testing.T, h *types.Header) []byte {
	b := encode(t, []*types.Header{h})[0]
	if b[0] != 0xf9 {
		t.Fatalf("header prefix %#x, want 0xf9 (a 2-byte length)", b[0])
	}
	return append([]byte{0xfa, 0}, b[1:]...)
}

// anchorsEnv is the registry's simulated chain with Anchors deployed by the
// admin, the relayer account holding ANCHOR_RELAYER in CIVIL, and the
// external chain registered at its genesis.
type anchorsEnv struct {
	*env
	a   *anchors.Anchors
	c   *bind.BoundContract
	ext *extChain
	gen *types.Header
}

func newAnchorsEnv(t *testing.T) *anchorsEnv {
	t.Helper()
	e := newEnv(t)
	x := &anchorsEnv{env: e, a: anchors.NewAnchors(), ext: newExtChain(t)}
	x.c = x.a.Instance(e.client, x.deploy())
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("CIVIL"), uint8(contracts.RoleAnchorRelayer), addr("relayer")))
	x.gen = x.ext.genesis("extA", "extB")
	e.ok("admin", x.c, x.packRegister(extChainID, []string{"extA", "extB"}))
	return x
}

func (x *anchorsEnv) packRegister(chainID int64, set []string) []byte {
	var vals []common.Address
	for _, s := range set {
		vals = append(vals, addr(s))
	}
	trusted := anchors.AnchorsTrusted{Number: 0, Hash: x.gen.Hash(), StateRoot: x.gen.Root, ReceiptsRoot: x.gen.ReceiptHash}
	return x.a.PackRegister(big.NewInt(chainID), x.gen.Hash(), 1, extEpoch, trusted, vals)
}

// deploy deploys Anchors from the admin account, as an operator would.
func (x *anchorsEnv) deploy() common.Address {
	x.t.Helper()
	opts := bind.NewKeyedTransactor(key("admin"), big.NewInt(1337))
	code := contracts.MustLoad(contracts.AnchorsName).Bytecode
	at, tx, err := bind.DeployContract(opts, code, x.client, x.a.PackConstructor(contracts.DirectoryAddress))
	if err != nil {
		x.t.Fatalf("deploy Anchors: %v", err)
	}
	x.sim.Commit()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if _, err := bind.WaitDeployed(ctx, x.client, tx.Hash()); err != nil {
		x.t.Fatalf("deploy Anchors: %v", err)
	}
	return at
}

func (x *anchorsEnv) post(from uint64, hs []*types.Header) []byte {
	return x.a.PackPost(big.NewInt(extChainID), from, encode(x.t, hs))
}

func (x *anchorsEnv) checkpoint(n uint64) anchors.AnchorsCheckpoint {
	return call(x.env, x.c, x.a.PackCheckpoint(big.NewInt(extChainID), n), x.a.UnpackCheckpoint)
}

func (x *anchorsEnv) validators() []common.Address {
	return call(x.env, x.c, x.a.PackValidators(big.NewInt(extChainID)), x.a.UnpackValidators)
}

// TestAnchorsCliqueSpan anchors six headers across an epoch header that adds
// a signer, the last one sealed by the added signer.
func TestAnchorsCliqueSpan(t *testing.T) {
	x := newAnchorsEnv(t)
	set := []string{"extA", "extB", "extC"}
	hs := x.ext.extend(x.gen, 5, []string{"extA", "extB"}, set, "")
	hs = append(hs, x.ext.child(hs[4], "extC", set, ""))

	r := x.ok("relayer", x.c, x.post(0, hs))
	last := hs[5]
	cp := x.checkpoint(6)
	want := anchors.AnchorsCheckpoint{Hash: last.Hash(), StateRoot: last.Root, ReceiptsRoot: last.ReceiptHash, Sealer: addr("extC"), AnchoredAt: r.BlockNumber.Uint64()}
	if cp != want {
		t.Fatalf("checkpoint 6: have %+v, want %+v", cp, want)
	}
	if have, want := x.validators(), []common.Address{addr("extA"), addr("extB"), addr("extC")}; !slices.Equal(have, want) {
		t.Fatalf("validators: have %v, want %v", have, want)
	}
	events := map[string]int{}
	for _, l := range r.Logs {
		if ev, err := x.a.UnpackValidatorsChangedEvent(l); err == nil && ev.Number == 4 {
			events["ValidatorsChanged"]++
		}
		if ev, err := x.a.UnpackCheckpointAnchoredEvent(l); err == nil && ev.Number == 6 && ev.Hash == last.Hash() {
			events["CheckpointAnchored"]++
		}
	}
	if events["ValidatorsChanged"] != 1 || events["CheckpointAnchored"] != 1 {
		t.Fatalf("events: have %v, want one ValidatorsChanged at 4 and one CheckpointAnchored at 6", events)
	}
	chain := call(x.env, x.c, x.a.PackChain(big.NewInt(extChainID)), x.a.UnpackChain)
	if chain.Latest != 6 || chain.GenesisHash != x.gen.Hash() || chain.Epoch != extEpoch {
		t.Fatalf("chain: have %+v", chain)
	}
}

// TestAnchorsRefusals posts spans that break one rule each.
func TestAnchorsRefusals(t *testing.T) {
	x := newAnchorsEnv(t)
	ab := []string{"extA", "extB"}
	good := x.ext.extend(x.gen, 3, ab, ab, "")

	badLink := slices.Clone(good)
	badLink[1] = types.CopyHeader(good[1])
	badLink[1].ParentHash = common.HexToHash("0x01")
	badLink[1] = x.ext.seal(badLink[1], "extB")

	badSeal := slices.Clone(good)
	badSeal[2] = types.CopyHeader(good[2])
	badSeal[2].Extra[len(badSeal[2].Extra)-1] = 7 // v must be 0 or 1

	outsider := slices.Clone(good)
	outsider[2] = x.ext.child(good[1], "stranger", ab, "")

	badNumber := slices.Clone(good)
	badNumber[2] = types.CopyHeader(good[2])
	badNumber[2].Number = big.NewInt(9)
	badNumber[2] = x.ext.seal(badNumber[2], "extA")

	for _, tc := range []struct {
		name, from string
		data       []byte
		want       string
	}{
		{"not a relayer", "stranger", x.post(0, good), fmt.Sprintf("NotAnchorRelayer(%s)", addr("stranger").Hex())},
		{"register, not admin", "relayer", x.packRegister(7, ab), fmt.Sprintf("NotAdmin(%s)", addr("relayer").Hex())},
		{"register twice", "admin", x.packRegister(extChainID, ab), "ChainExists(4242)"},
		{"register empty set", "admin", x.packRegister(7, nil), "InvalidValidatorSet()"},
		{"unknown chain", "relayer", x.a.PackPost(big.NewInt(7), 0, encode(t, good)), "UnknownChain(7)"},
		{"empty span", "relayer", x.post(0, nil), "EmptySpan()"},
		{"wrong parent link", "relayer", x.post(0, badLink), "BadParentLink(1, "},
		{"bad seal", "relayer", x.post(0, badSeal), "BadSeal(2)"},
		{"signer outside the set", "relayer", x.post(0, outsider), fmt.Sprintf("SignerNotValidator(2, %s)", addr("stranger").Hex())},
		{"wrong number", "relayer", x.post(0, badNumber), "BadNumber(2, 9, 3)"},
		{"start not anchored", "relayer", x.post(1, good[1:]), "UnknownCheckpoint(4242, 1)"},
		{"padded list prefix", "relayer", x.a.PackPost(big.NewInt(extChainID), 0, [][]byte{padded(t, good[0])}), "MalformedHeader(0)"},
		{"not rlp", "relayer", x.a.PackPost(big.NewInt(extChainID), 0, [][]byte{{0x01, 0x02}}), "MalformedHeader(0)"},
	} {
		t.Run(tc.name, func(t *testing.T) { x.reverts(tc.from, x.c, tc.data, tc.want) })
	}

	x.ok("relayer", x.c, x.post(0, good))
	more := x.ext.extend(good[2], 2, ab, ab, "")
	x.ok("relayer", x.c, x.post(3, more)) // latest is 5
	// From the trusted checkpoint to an unanchored height below the latest.
	x.reverts("relayer", x.c, x.post(0, good[:2]), "OutOfOrder(0, 2, 5)")
	// From an older checkpoint past the latest.
	next := x.ext.extend(more[1], 1, ab, ab, "")
	x.reverts("relayer", x.c, x.post(3, append(slices.Clone(more), next...)), "OutOfOrder(3, 6, 5)")
	x.reverts("relayer", x.c, x.post(0, good), "DuplicateCheckpoint(3, ")
}

// TestAnchorsConflict posts a competing branch for an anchored height: it is
// kept and flagged, and the anchored checkpoint and validator set stay.
func TestAnchorsConflict(t *testing.T) {
	x := newAnchorsEnv(t)
	ab := []string{"extA", "extB"}
	main := x.ext.extend(x.gen, 5, ab, ab, "")
	x.ok("relayer", x.c, x.post(0, main))
	fork := x.ext.extend(x.gen, 5, []string{"extB", "extA"}, []string{"extB"}, "fork")

	r := x.ok("relayer", x.c, x.post(0, fork))
	var ev *anchors.AnchorsCheckpointConflict
	for _, l := range r.Logs {
		if e, err := x.a.UnpackCheckpointConflictEvent(l); err == nil {
			ev = e
		}
	}
	if ev == nil || ev.Number != 5 || ev.Anchored != main[4].Hash() || ev.Conflicting != fork[4].Hash() || ev.Sealer != addr("extB") {
		t.Fatalf("CheckpointConflict: have %+v, want 5, %s, %s, sealer extB", ev, main[4].Hash(), fork[4].Hash())
	}
	if cp := x.checkpoint(5); cp.Hash != main[4].Hash() {
		t.Fatalf("checkpoint 5 overwritten: have %s, want %s", common.Hash(cp.Hash), main[4].Hash())
	}
	if !call(x.env, x.c, x.a.PackIsConflicted(big.NewInt(extChainID), 5), x.a.UnpackIsConflicted) {
		t.Fatal("isConflicted(5) is false after a conflicting checkpoint")
	}
	kept := call(x.env, x.c, x.a.PackConflicts(big.NewInt(extChainID), 5), x.a.UnpackConflicts)
	if len(kept) != 1 || kept[0].Hash != fork[4].Hash() || kept[0].StateRoot != fork[4].Root {
		t.Fatalf("conflicts(5): have %+v, want the fork's block 5", kept)
	}
	if have, want := x.validators(), []common.Address{addr("extA"), addr("extB")}; !slices.Equal(have, want) {
		t.Fatalf("a conflicting span changed the validators: have %v, want %v", have, want)
	}
	x.reverts("relayer", x.c, x.post(0, fork), "DuplicateCheckpoint(5, ")
}

// TestAnchorsGasPerHeader measures the gas of a posting by span length, and
// the span a 30M-gas block affords.
func TestAnchorsGasPerHeader(t *testing.T) {
	x := newAnchorsEnv(t)
	ab := []string{"extA", "extB"}
	// Epoch 4 makes every fourth header an epoch header (a seal check and a
	// set update); the figures are an upper bound for a 30000-block epoch.
	one := x.ext.extend(x.gen, 1, ab, ab, "")
	g1 := x.ok("relayer", x.c, x.post(0, one)).GasUsed
	const n = 101
	span := x.ext.extend(one[0], n, ab, ab, "")
	gn := x.ok("relayer", x.c, x.post(1, span)).GasUsed
	per := (gn - g1) / (n - 1)
	if per == 0 || per > 60_000 {
		t.Fatalf("gas per header %d (1 header: %d, %d headers: %d): want between 1 and 60000", per, g1, n, gn)
	}
	t.Logf("gas: 1 header %d, %d headers %d, %d per header (epoch 4); a 30M-gas block affords about %d headers", g1, n, gn, per, (30_000_000-g1)/per)
}
