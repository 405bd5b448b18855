package clique

import (
	"errors"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// modernEnv is a header-only chain whose configuration schedules the
// transition (ADR 044): Shanghai at shanghai, Cancun and Prague at the same
// time or later.
type modernEnv struct {
	t      *testing.T
	keys   *keyring
	config *params.ChainConfig
	chain  *testChain
	engine *Engine
}

// modernConfig is testChainConfig with the transition at the given offsets
// (seconds after genesisTime); nil leaves a fork unscheduled.
func modernConfig(period, epoch, genesisTime uint64, shanghai, cancun, prague *uint64) *params.ChainConfig {
	config := testChainConfig(period, epoch)
	at := func(off *uint64) *uint64 {
		if off == nil {
			return nil
		}
		t := genesisTime + *off
		return &t
	}
	config.ShanghaiTime, config.CancunTime, config.PragueTime = at(shanghai), at(cancun), at(prague)
	config.BlobScheduleConfig = &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig, Prague: params.DefaultPragueBlobConfig}
	return config
}

func u64(v uint64) *uint64 { return &v }

func newModernEnv(t *testing.T, period, epoch uint64, shanghai, cancun, prague *uint64, signers ...string) *modernEnv {
	t.Helper()
	keys := newKeyring()
	base := testGenesis(testChainConfig(period, epoch), keys.addresses(signers...))
	config := modernConfig(period, epoch, base.Timestamp, shanghai, cancun, prague)
	base.Config = config
	genesis := base.ToBlock().Header()
	return &modernEnv{t: t, keys: keys, config: config, chain: newTestChain(config, genesis), engine: New(config.Clique, rawdb.NewMemoryDatabase())}
}

// prepared prepares the header of an empty block by signer on the head, timed
// head time + period (Prepare's time moved back, as a builder may), and runs
// change on it, unsealed.
func (env *modernEnv) prepared(signer string, change func(*types.Header)) *types.Header {
	env.t.Helper()
	parent := env.chain.CurrentHeader()
	header := nextHeader(env.config, parent)
	header.Extra = []byte("citychain modern")
	if err := env.engine.Prepare(env.chain, header, env.keys.address(signer)); err != nil {
		env.t.Fatalf("prepare block %d for %s: %v", header.Number, signer, err)
	}
	header.Time = parent.Time + env.config.Clique.Period
	if !env.engine.PrepareModern(env.config, parent, header) {
		// Prepare's time (now) is past the transition; the back-dated one is not.
		header.MixDigest = common.Hash{}
		snap, err := snapshotAt(env.engine, env.chain, parent)
		if err != nil {
			env.t.Fatal(err)
		}
		header.Difficulty = difficulty(snap, header.Number.Uint64(), env.keys.address(signer))
		header.WithdrawalsHash, header.BlobGasUsed, header.ExcessBlobGas, header.ParentBeaconRoot, header.RequestsHash = nil, nil, nil, nil, nil
	}
	if change != nil {
		change(header)
	}
	return header
}

// next prepares (as prepared) and seals the header.
func (env *modernEnv) next(signer string, change func(*types.Header)) *types.Header {
	env.t.Helper()
	header := env.prepared(signer, change)
	sealed, err := env.engine.Seal(header, env.keys.address(signer), env.keys.signFn())
	if err != nil {
		env.t.Fatalf("seal block %d by %s: %v", header.Number, signer, err)
	}
	return sealed
}

// inTurn returns the in-turn signer's label for the block after the head.
func (env *modernEnv) inTurn(labels ...string) string {
	head := env.chain.CurrentHeader()
	order := env.keys.sorted(labels...)
	snap, err := snapshotAt(env.engine, env.chain, head)
	if err != nil {
		env.t.Fatal(err)
	}
	signer, _ := snap.InTurnSigner(head.Number.Uint64() + 1)
	for _, l := range order {
		if env.keys.address(l) == signer {
			return l
		}
	}
	env.t.Fatalf("no in-turn signer among %v", labels)
	return ""
}

// TestModernChain seals post-transition blocks with Prepare and Seal from
// genesis: every one verifies, has the ADR 044 fields, the derived weight of
// its turn, and votes add a signer as on a London chain.
func TestModernChain(t *testing.T) {
	env := newModernEnv(t, 1, 8, u64(0), u64(0), u64(0), "A", "B", "C")
	env.keys.key("D")
	env.engine.Propose(env.keys.address("D"), true)
	for n := uint64(1); n <= 12; n++ {
		labels := env.keys.names(env.chainSigners())
		signer := env.inTurn(labels...)
		wantWeight := int64(2)
		snap := env.snapshot()
		if recent, _ := snap.recentlySigned(n, env.keys.address(signer)); recent || n%4 == 0 {
			// Out of turn: the first other signer that did not sign recently.
			for _, l := range env.keys.sorted(labels...) {
				if recent, _ := snap.recentlySigned(n, env.keys.address(l)); l != signer && !recent {
					signer, wantWeight = l, 1
					break
				}
			}
		}
		parent := env.chain.CurrentHeader()
		header := env.next(signer, nil)
		if !IsModern(header) || header.MixDigest != Random(parent) || *header.WithdrawalsHash != types.EmptyWithdrawalsHash ||
			*header.BlobGasUsed != 0 || *header.ExcessBlobGas != 0 || *header.ParentBeaconRoot != (common.Hash{}) || *header.RequestsHash != types.EmptyRequestsHash {
			t.Fatalf("block %d: post-transition fields wrong: %+v", n, header)
		}
		if err := env.engine.VerifyHeader(env.chain, header, nil); err != nil {
			t.Fatalf("block %d by %s: %v", n, signer, err)
		}
		weight, err := env.engine.Weight(env.chain, header, nil)
		if err != nil || weight.Int64() != wantWeight {
			t.Fatalf("block %d by %s: weight %v (%v), want %d", n, signer, weight, err, wantWeight)
		}
		author, err := env.engine.Author(header)
		if err != nil || author != env.keys.address(signer) {
			t.Fatalf("block %d: author %s (%v), want %s", n, author, err, signer)
		}
		env.chain.insert(header)
	}
	if have := env.keys.names(env.chainSigners()); !slices.Equal(have, []string{"A", "B", "C", "D"}) {
		t.Errorf("signers after voting D in: %v", have)
	}
	// Block 8 was a checkpoint listing the signers.
	if _, err := DecodeExtra(env.chain.canonical[8].Extra, true); err != nil {
		t.Errorf("checkpoint 8: %v", err)
	}
}

func (env *modernEnv) snapshot() *Snapshot {
	head := env.chain.CurrentHeader()
	snap, err := snapshotAt(env.engine, env.chain, head)
	if err != nil {
		env.t.Fatal(err)
	}
	return snap
}

func (env *modernEnv) chainSigners() []common.Address { return env.snapshot().signers() }

// TestModernHeaderRules breaks one post-transition rule per row and checks
// that VerifyHeader refuses the header with the rule's error.
func TestModernHeaderRules(t *testing.T) {
	one, root := uint64(1), common.Hash{1}
	tests := []struct {
		name   string
		signer string // "" for the in-turn signer
		change func(*types.Header)
		sealed func(*types.Header) // change after sealing
		raw    string              // sign with this label's key without Seal's checks
		want   error
	}{
		{name: "non-empty withdrawals", change: func(h *types.Header) { h.WithdrawalsHash = &root }, want: errModernField},
		{name: "no withdrawals root", change: func(h *types.Header) { h.WithdrawalsHash = nil }, want: errModernField},
		{name: "blob gas used", change: func(h *types.Header) { h.BlobGasUsed = &one }, want: errModernField},
		{name: "excess blob gas", change: func(h *types.Header) { h.ExcessBlobGas = &one }, want: errModernField},
		{name: "beacon root", change: func(h *types.Header) { h.ParentBeaconRoot = &root }, want: errModernField},
		{name: "no requests hash", change: func(h *types.Header) { h.RequestsHash = nil }, want: errModernField},
		{name: "block access list", change: func(h *types.Header) { h.BlockAccessListHash = &root }, want: errModernField},
		{name: "wrong prevrandao", change: func(h *types.Header) { h.MixDigest = root }, want: errWrongRandom},
		{name: "weight in the difficulty", raw: "inturn", change: func(h *types.Header) { h.Difficulty = big.NewInt(2) }, want: errInvalidDifficulty},
		{name: "unauthorized signer", raw: "E", want: ErrUnauthorizedSigner},
		{name: "bad seal: vanity changed after sealing", sealed: func(h *types.Header) { h.Extra[0] ^= 0xff }, want: ErrUnauthorizedSigner},
		{name: "bad seal: requests hash changed after sealing", sealed: func(h *types.Header) { h.RequestsHash = &root }, want: ErrUnauthorizedSigner},
		{name: "bad seal: invalid recovery id", sealed: func(h *types.Header) { h.Extra[len(h.Extra)-1] = 7 }, want: errInvalidSignature},
		{name: "vote nonce", change: func(h *types.Header) { h.Nonce = types.EncodeNonce(7) }, want: errInvalidVote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newModernEnv(t, 1, 100, u64(0), u64(0), u64(0), "A", "B", "C")
			signer := tt.signer
			if signer == "" {
				signer = env.inTurn("A", "B", "C")
			}
			var header *types.Header
			if tt.raw != "" {
				header = env.prepared(signer, tt.change)
				raw := tt.raw
				if raw == "inturn" {
					raw = signer
				}
				header = env.rawSign(header, raw)
			} else {
				header = env.next(signer, tt.change)
			}
			if tt.sealed != nil {
				tt.sealed(header)
			}
			if err := env.engine.VerifyHeader(env.chain, header, nil); !errors.Is(err, tt.want) {
				t.Fatalf("have error %v, want %v", err, tt.want)
			}
		})
	}
}

// TestTransition crosses the transition: London blocks (difficulty 1/2, no new
// fields, accepted by upstream Clique) up to shanghaiTime, post-transition
// blocks from then, Cancun and Prague fields each from their own time; a
// header in the wrong format on either side is refused.
func TestTransition(t *testing.T) {
	env := newModernEnv(t, 2, 100, u64(6), u64(8), u64(10), "A")
	upstreamEngine := upstream.New(env.config.Clique, rawdb.NewMemoryDatabase())
	chainEngine := NewChainEngine(env.engine, beacon.New(upstreamEngine))
	for n := uint64(1); n <= 6; n++ {
		header := env.next("A", nil)
		offset := header.Time - env.chain.canonical[0].Time
		modern := offset >= 6
		if IsModern(header) != modern {
			t.Fatalf("block %d at +%ds: modern %v, want %v", n, offset, IsModern(header), modern)
		}
		if (header.ParentBeaconRoot != nil) != (offset >= 8) || (header.RequestsHash != nil) != (offset >= 10) {
			t.Fatalf("block %d at +%ds: cancun/prague fields %v/%v", n, offset, header.ParentBeaconRoot, header.RequestsHash)
		}
		if err := env.engine.VerifyHeader(env.chain, header, nil); err != nil {
			t.Fatalf("block %d at +%ds: %v", n, offset, err)
		}
		if !modern {
			// Upstream Clique (what go-ethereum's chain runs before the
			// transition) accepts the London blocks our engine makes.
			if err := upstreamEngine.VerifyHeader(env.chain, header); err != nil {
				t.Fatalf("block %d: upstream: %v", n, err)
			}
			// A post-transition header there is refused.
			wrong := types.CopyHeader(header)
			env.engine.PrepareModern(modernConfig(2, 100, 0, u64(0), nil, nil), env.chain.CurrentHeader(), wrong)
			if err := env.engine.VerifyHeader(env.chain, env.reseal(wrong, "A"), nil); !errors.Is(err, errInvalidMixDigest) {
				t.Fatalf("block %d: post-transition header before shanghaiTime: have %v, want %v", n, err, errInvalidMixDigest)
			}
		} else {
			// A London header after the transition is refused.
			wrong := types.CopyHeader(header)
			wrong.Difficulty, wrong.MixDigest = big.NewInt(2), common.Hash{}
			wrong.WithdrawalsHash, wrong.BlobGasUsed, wrong.ExcessBlobGas, wrong.ParentBeaconRoot, wrong.RequestsHash = nil, nil, nil, nil, nil
			if err := env.engine.VerifyHeader(env.chain, env.reseal(wrong, "A"), nil); !errors.Is(err, errInvalidDifficulty) {
				t.Fatalf("block %d: London header after shanghaiTime: have %v, want %v", n, err, errInvalidDifficulty)
			}
		}
		env.chain.insert(header)
	}
	// go-ethereum's chain engine verifies the batch across the transition:
	// the London part through upstream Clique, the rest through ours.
	headers := env.chain.canonical[1:]
	shadow := newTestChain(env.config, env.chain.canonical[0])
	abort, results := chainEngine.VerifyHeaders(shadow, headers)
	defer close(abort)
	for i := range headers {
		if err := <-results; err != nil {
			t.Fatalf("ChainEngine.VerifyHeaders: block %d: %v", i+1, err)
		}
	}
	last := headers[len(headers)-1]
	if author, err := chainEngine.Author(last); err != nil || author != env.keys.address("A") {
		t.Errorf("ChainEngine.Author of a post-transition block: %s (%v), want A", author, err)
	}
	// The beacon wrapper alone takes the same block for proof of stake and
	// refuses it (extra-data longer than 32 bytes): why ChainEngine exists.
	if err := beacon.New(upstreamEngine).VerifyHeader(env.chain, last); err == nil {
		t.Errorf("beacon wrapper accepted a post-transition Clique header")
	}
}

// rawSign signs header with label's key over the post-transition seal hash,
// whatever the header's format.
func (env *modernEnv) rawSign(header *types.Header, label string) *types.Header {
	cpy := types.CopyHeader(header)
	cpy.Extra = cpy.Extra[:len(cpy.Extra)-ExtraSeal]
	sig, err := crypto.Sign(cpy.Hash().Bytes(), env.keys.key(label))
	if err != nil {
		env.t.Fatal(err)
	}
	copy(header.Extra[len(header.Extra)-ExtraSeal:], sig)
	return header
}

// reseal signs header again with label's key, bypassing Seal's checks.
func (env *modernEnv) reseal(header *types.Header, label string) *types.Header {
	hash, err := SealHash(header)
	if err != nil {
		env.t.Fatal(err)
	}
	sig, err := crypto.Sign(hash.Bytes(), env.keys.key(label))
	if err != nil {
		env.t.Fatal(err)
	}
	copy(header.Extra[len(header.Extra)-ExtraSeal:], sig)
	return header
}

// TestSealHashLondonUnchanged: for a London header the seal hash is
// upstream's, and the post-transition rule (the header's hash without the
// seal) gives the same bytes, so the format extends London's.
func TestSealHashLondonUnchanged(t *testing.T) {
	env := newModernEnv(t, 1, 100, nil, nil, nil, "A")
	header := env.next("A", nil)
	have, err := SealHash(header)
	if err != nil || have != upstream.SealHash(header) {
		t.Fatalf("seal hash %x (%v), want upstream's %x", have, err, upstream.SealHash(header))
	}
	cpy := types.CopyHeader(header)
	cpy.Extra = cpy.Extra[:len(cpy.Extra)-ExtraSeal]
	if cpy.Hash() != have {
		t.Errorf("London seal hash is not the unsealed header's hash")
	}
}
