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
	"github.com/citychain/citychain/internal/client/anchor"
)

// The external Clique chain of the anchoring tests: chain id 4242, epoch 4,
// signers extA and extB at genesis.
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
		x.Signers = addrs(signers)
	}
	return x.Encode()
}

func reversed(a []common.Address) []common.Address {
	out := slices.Clone(a)
	slices.Reverse(out)
	return out
}

// addrs returns the addresses of the labelled keys in ascending order, as
// Clique lists signers.
func addrs(labels []string) []common.Address {
	var out []common.Address
	for _, l := range labels {
		out = append(out, addr(l))
	}
	slices.SortFunc(out, common.Address.Cmp)
	return out
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

// vote returns parent's child sealed by signer, voting to add (authorize)
// or drop candidate.
func (x *extChain) vote(parent *types.Header, signer string, set []string, candidate string, authorize bool) *types.Header {
	x.t.Helper()
	h := x.child(parent, signer, set, "")
	h.Coinbase = addr(candidate)
	if authorize {
		h.Nonce = types.BlockNonce{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}
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
	return x.packRegisterAt(chainID, 0, addrs(set))
}

// packRegisterAt registers a chain whose trusted checkpoint is at number
// (with the genesis' hash and roots) and whose set is vals, as given.
func (x *anchorsEnv) packRegisterAt(chainID int64, number uint64, vals []common.Address) []byte {
	trusted := anchors.AnchorsTrusted{Number: number, Hash: x.gen.Hash(), StateRoot: x.gen.Root, ReceiptsRoot: x.gen.ReceiptHash}
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

func (x *anchorsEnv) votes() []anchors.AnchorsVote {
	return call(x.env, x.c, x.a.PackVotes(big.NewInt(extChainID)), x.a.UnpackVotes)
}

func (x *anchorsEnv) validators() []common.Address {
	return call(x.env, x.c, x.a.PackValidators(big.NewInt(extChainID)), x.a.UnpackValidators)
}

// TestAnchorsCliqueSpan anchors six headers across an epoch header, the
// last one sealed by extB.
func TestAnchorsCliqueSpan(t *testing.T) {
	x := newAnchorsEnv(t)
	ab := []string{"extA", "extB"}
	hs := x.ext.extend(x.gen, 6, ab, ab, "")

	r := x.ok("relayer", x.c, x.post(0, hs))
	last := hs[5]
	cp := x.checkpoint(6)
	want := anchors.AnchorsCheckpoint{Hash: last.Hash(), StateRoot: last.Root, ReceiptsRoot: last.ReceiptHash, Sealer: addr("extB"), AnchoredAt: r.BlockNumber.Uint64()}
	if cp != want {
		t.Fatalf("checkpoint 6: have %+v, want %+v", cp, want)
	}
	if have, want := x.validators(), addrs(ab); !slices.Equal(have, want) {
		t.Fatalf("validators: have %v, want %v", have, want)
	}
	anchored := 0
	for _, l := range r.Logs {
		if ev, err := x.a.UnpackCheckpointAnchoredEvent(l); err == nil && ev.Number == 6 && ev.Hash == last.Hash() {
			anchored++
		}
	}
	if anchored != 1 {
		t.Fatalf("%d CheckpointAnchored events at 6, want 1", anchored)
	}
	chain := call(x.env, x.c, x.a.PackChain(big.NewInt(extChainID)), x.a.UnpackChain)
	if chain.Latest != 6 || chain.GenesisHash != x.gen.Hash() || chain.Epoch != extEpoch {
		t.Fatalf("chain: have %+v", chain)
	}
}

// TestAnchorsCliqueVotes replays Clique votes: extA and extB vote extC in
// (blocks 1 and 2, posted apart so the pending vote is stored between
// postings), extC seals the next blocks and the epoch header 4 listing all
// three; extA and extB then vote extC out (5 and 6), and a header sealed
// by extC after that is refused, alone or at the end of a span.
func TestAnchorsCliqueVotes(t *testing.T) {
	x := newAnchorsEnv(t)
	ab, abc := []string{"extA", "extB"}, []string{"extA", "extB", "extC"}
	h1 := x.ext.vote(x.gen, "extA", ab, "extC", true)
	x.ok("relayer", x.c, x.post(0, []*types.Header{h1}))
	if v := x.votes(); len(v) != 1 || v[0] != (anchors.AnchorsVote{Signer: addr("extA"), Candidate: addr("extC"), Authorize: true}) {
		t.Fatalf("votes after block 1: %+v, want extA's vote for extC", v)
	}
	h2 := x.ext.vote(h1, "extB", ab, "extC", true)
	h3 := x.ext.child(h2, "extC", abc, "")
	h4 := x.ext.child(h3, "extC", abc, "") // the epoch header, sealed by extC
	r := x.ok("relayer", x.c, x.post(1, []*types.Header{h2, h3, h4}))
	if have, want := x.validators(), addrs(abc); !slices.Equal(have, want) {
		t.Fatalf("validators after extC's vote passed: have %v, want %v", have, want)
	}
	if cp := x.checkpoint(4); cp.Sealer != addr("extC") || cp.Hash != h4.Hash() {
		t.Fatalf("checkpoint 4: %+v, want %s sealed by extC", cp, h4.Hash())
	}
	changed := false
	for _, l := range r.Logs {
		if ev, err := x.a.UnpackValidatorsChangedEvent(l); err == nil && ev.Number == 2 && slices.Equal(ev.Validators, addrs(abc)) {
			changed = true
		}
	}
	if !changed || len(x.votes()) != 0 {
		t.Fatalf("ValidatorsChanged at 2: %v; votes left %+v (want none)", changed, x.votes())
	}

	// An epoch header listing a set other than the tracked one.
	mid := x.ext.extend(h4, 3, abc, abc, "")
	wrongList := x.ext.child(mid[2], "extA", ab, "")
	x.reverts("relayer", x.c, x.post(4, append(mid, wrongList)), "BadSignerList(3)")

	// Vote extC out; it may not seal after that.
	h5 := x.ext.vote(h4, "extA", abc, "extC", false)
	h6 := x.ext.vote(h5, "extB", abc, "extC", false)
	h7 := x.ext.child(h6, "extC", ab, "")
	x.reverts("relayer", x.c, x.post(4, []*types.Header{h5, h6, h7}), fmt.Sprintf("SignerNotValidator(2, %s)", addr("extC").Hex()))
	// The relay's replay (anchor.SpanEnd) cuts the spans Anchors refuses
	// where Anchors would accept them.
	state := anchor.Tally{Signers: x.validators(), Votes: anchorVotes(x.votes())}
	if n, err := anchor.SpanEnd([]*types.Header{h5, h6, h7}, state, extEpoch); n != 2 || err != nil {
		t.Fatalf("SpanEnd through the removed signer's header: %d, %v; want 2", n, err)
	}
	if n, err := anchor.SpanEnd(append(slices.Clone(mid), wrongList), state, extEpoch); n != 3 || err != nil {
		t.Fatalf("SpanEnd through an epoch header listing another set: %d, %v; want 3", n, err)
	}
	x.ok("relayer", x.c, x.post(4, []*types.Header{h5, h6}))
	if have, want := x.validators(), addrs(ab); !slices.Equal(have, want) {
		t.Fatalf("validators after extC was voted out: have %v, want %v", have, want)
	}
	x.reverts("relayer", x.c, x.post(6, []*types.Header{h7}), fmt.Sprintf("SignerNotValidator(0, %s)", addr("extC").Hex()))
	// A vote cast by a signer outside the set is refused too.
	outsider := x.ext.vote(h6, "extC", ab, "stranger", true)
	x.reverts("relayer", x.c, x.post(6, append([]*types.Header{outsider}, x.ext.extend(outsider, 1, []string{"extA"}, ab, "")...)), fmt.Sprintf("SignerNotValidator(0, %s)", addr("extC").Hex()))
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

	badNonce := slices.Clone(good)
	badNonce[1] = types.CopyHeader(good[1])
	badNonce[1].Nonce = types.BlockNonce{1}
	badNonce[1] = x.ext.seal(badNonce[1], "extB")

	epochVote := x.ext.extend(good[2], 1, []string{"extB"}, ab, "")
	epochVote[0] = types.CopyHeader(epochVote[0])
	epochVote[0].Coinbase = addr("extC")
	epochVote[0] = x.ext.seal(epochVote[0], "extB")

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
		{"register an unsorted set", "admin", x.packRegisterAt(7, 0, reversed(addrs(ab))), "InvalidValidatorSet()"},
		{"register off an epoch header", "admin", x.packRegisterAt(7, 3, addrs(ab)), "CheckpointNotEpoch(3, 4)"},
		{"nonce not a vote", "relayer", x.post(0, badNonce), "BadVote(1)"},
		{"epoch header with a vote", "relayer", x.post(0, append(slices.Clone(good), epochVote...)), "BadVote(3)"},
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
	fork := x.ext.extend(x.gen, 5, []string{"extB", "extA"}, ab, "fork")

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

	// The worst case of votes: every non-epoch header carries one (extA
	// voting on three accounts in turn, none passing), so every header's
	// seal is recovered and the pending votes are stored.
	parent := span[n-1]
	var voting []*types.Header
	for i := 0; i < n; i++ {
		if (parent.Number.Uint64()+1)%extEpoch == 0 {
			parent = x.ext.child(parent, "extA", ab, "")
		} else {
			parent = x.ext.vote(parent, "extA", ab, []string{"extC", "extD", "extE"}[i%3], true)
		}
		voting = append(voting, parent)
	}
	gv := x.ok("relayer", x.c, x.post(1+n, voting)).GasUsed
	perVote := (gv - g1) / (n - 1)
	if len(x.votes()) == 0 || perVote > 100_000 {
		t.Fatalf("voting span: %d gas per header, %d votes pending", perVote, len(x.votes()))
	}
	t.Logf("gas: %d headers each voting (but epoch headers) %d, %d per header; a 30M-gas block affords about %d", n, gv, perVote, (30_000_000-g1)/perVote)
}
