package clique

import (
	"bytes"
	"errors"
	"math/big"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// sealerEnv is a chain verified by upstream Clique (through the beacon
// wrapper, as eth.New sets it up) that our engine prepares and seals blocks
// for.
type sealerEnv struct {
	t      *testing.T
	keys   *keyring
	config *params.ChainConfig
	chain  *core.BlockChain
	engine *Engine
}

func newSealerEnv(t *testing.T, period, epoch uint64, signers ...string) *sealerEnv {
	t.Helper()
	keys := newKeyring()
	config := testChainConfig(period, epoch)
	genesis := testGenesis(config, keys.addresses(signers...))
	return &sealerEnv{
		t:      t,
		keys:   keys,
		config: config,
		chain:  newUpstreamChain(t, genesis),
		engine: New(config.Clique, rawdb.NewMemoryDatabase()),
	}
}

// prepare returns the header of an empty block by signer on top of parent,
// filled in by Prepare. If backdate is set the time becomes parent time +
// period, so that a test need not wait for the clock.
func (env *sealerEnv) prepare(parent *types.Header, signer string, backdate bool) (*types.Header, error) {
	header := nextHeader(env.config, parent)
	header.Extra = []byte("citychain test")
	if err := env.engine.Prepare(env.chain, header, env.keys.address(signer)); err != nil {
		return nil, err
	}
	if backdate {
		header.Time = parent.Time + env.config.Clique.Period
	}
	return header, nil
}

// seal seals header for signer with our Seal.
func (env *sealerEnv) seal(header *types.Header, signer string) *types.Header {
	env.t.Helper()
	sealed, err := env.engine.Seal(header, env.keys.address(signer), env.keys.signFn())
	if err != nil {
		env.t.Fatalf("seal block %d by %s: %v", header.Number, signer, err)
	}
	return sealed
}

// insert verifies a sealed header with our engine and inserts its block
// into the upstream chain; both must accept it.
func (env *sealerEnv) insert(header *types.Header) {
	env.t.Helper()
	if err := env.engine.VerifyHeader(env.chain, header, nil); err != nil {
		env.t.Fatalf("block %d: our VerifyHeader: %v", header.Number, err)
	}
	if _, err := env.chain.InsertChain(types.Blocks{types.NewBlockWithHeader(header)}); err != nil {
		env.t.Fatalf("block %d: upstream InsertChain: %v", header.Number, err)
	}
}

// snapshot returns our snapshot at the chain head.
func (env *sealerEnv) snapshot() *Snapshot {
	env.t.Helper()
	head := env.chain.CurrentHeader()
	snap, err := snapshotAt(env.engine, env.chain, head)
	if err != nil {
		env.t.Fatalf("snapshot at %d: %v", head.Number, err)
	}
	return snap
}

// TestSealedChainAcceptedUpstream builds a chain with Prepare and Seal only
// (period 0, so Prepare's time is valid at once): in-turn and out-of-turn
// blocks, checkpoints, a signer voted in and one voted out. Upstream Clique
// must accept every block, which also checks our difficulties (turns) and
// the signer lists we write into checkpoints (our snapshot).
func TestSealedChainAcceptedUpstream(t *testing.T) {
	env := newSealerEnv(t, 0, 6, "A", "B", "C")
	env.keys.key("D") // so that D's address has a label once voted in

	env.engine.Propose(env.keys.address("D"), true)
	phase := "adding D"
	for n := uint64(1); n <= 40 && phase != "done"; n++ {
		parent := env.chain.CurrentHeader()
		snap := env.snapshot()

		// The in-turn signer seals, except every third block, which goes to
		// an out-of-turn signer; either only if it did not sign recently.
		var inturnSigner, otherSigner string
		for _, label := range env.keys.names(snap.signers()) {
			inturn, wiggle := env.engine.SlotDelay(snap, n, env.keys.address(label))
			if inturn && wiggle != 0 {
				t.Fatalf("block %d: in-turn signer %s has wiggle %v, want 0", n, label, wiggle)
			}
			if bound := time.Duration(snap.limit()) * wiggleTime; !inturn && (wiggle < 0 || wiggle >= bound) {
				t.Fatalf("block %d: out-of-turn wiggle %v, want [0, %v)", n, wiggle, bound)
			}
			if recent, _ := snap.recentlySigned(n, env.keys.address(label)); recent {
				continue
			}
			if inturn {
				inturnSigner = label
			} else if otherSigner == "" {
				otherSigner = label
			}
		}
		signer := inturnSigner
		if signer == "" || (n%3 == 0 && otherSigner != "") {
			signer = otherSigner
		}
		header, err := env.prepare(parent, signer, false)
		if err != nil {
			t.Fatalf("block %d: prepare for %s: %v", n, signer, err)
		}
		inturn, _ := env.engine.SlotDelay(snap, n, env.keys.address(signer))
		if want := map[bool]int64{true: 2, false: 1}[inturn]; header.Difficulty.Int64() != want {
			t.Fatalf("block %d: have difficulty %v, want %d", n, header.Difficulty, want)
		}
		if n%6 == 0 && (header.Coinbase != (common.Address{}) || header.Nonce != nonceDropVote) {
			t.Fatalf("checkpoint %d: have vote (%s, %x), want none", n, header.Coinbase, header.Nonce)
		}
		if !bytes.HasPrefix(header.Extra, []byte("citychain test")) {
			t.Fatalf("block %d: vanity lost: %x", n, header.Extra)
		}
		env.insert(env.seal(header, signer))

		signers := env.keys.names(env.snapshot().signers())
		switch {
		case phase == "adding D" && slices.Equal(signers, []string{"A", "B", "C", "D"}):
			env.engine.Discard(env.keys.address("D"))
			env.engine.Propose(env.keys.address("C"), false)
			phase = "dropping C"
		case phase == "dropping C" && slices.Equal(signers, []string{"A", "B", "D"}):
			env.engine.Discard(env.keys.address("C"))
			phase = "checkpoint"
		case phase == "checkpoint" && n%6 == 0:
			phase = "done"
		}
	}
	if phase != "done" {
		t.Fatalf("stuck %s at block %d with signers %v", phase, env.chain.CurrentHeader().Number, env.keys.names(env.snapshot().signers()))
	}
	head := env.chain.CurrentHeader()
	extra, err := DecodeExtra(head.Extra, true)
	if err != nil {
		t.Fatal(err)
	}
	if have, want := env.keys.names(extra.Signers), []string{"A", "B", "D"}; !slices.Equal(have, want) {
		t.Errorf("checkpoint %d lists %v, want %v", head.Number, have, want)
	}
}

// TestVerifyHeaderRules breaks one rule per row on top of a valid chain and
// checks that our VerifyHeader names it, and that upstream rejects the block.
func TestVerifyHeaderRules(t *testing.T) {
	const period = 3
	// Two chains of signers A, B, C with blocks 1 and 2 sealed in turn: on
	// one block 3 is a plain block, on the other an epoch checkpoint.
	envs := map[bool]*sealerEnv{
		false: newSealerEnv(t, period, 100, "A", "B", "C"),
		true:  newSealerEnv(t, period, 3, "A", "B", "C"),
	}
	var roles map[string]string // role -> label, the same on both chains
	for _, env := range envs {
		order := env.keys.sorted("A", "B", "C")
		for n := 1; n <= 2; n++ {
			header, err := env.prepare(env.chain.CurrentHeader(), order[n%3], true)
			if err != nil {
				t.Fatal(err)
			}
			env.insert(env.seal(header, order[n%3]))
		}
		roles = map[string]string{"inturn": order[0], "outturn": order[1], "recent": order[2], "outsider": "E"}
	}

	tests := []struct {
		name       string
		checkpoint bool                // build block 3 as an epoch checkpoint
		signer     string              // role of the account that seals
		prepared   func(*types.Header) // change after Prepare, before sealing
		sealed     func(*types.Header) // change after sealing
		unsealed   bool                // the header cannot be sealed: leave the seal empty
		rawSign    bool                // sign without Seal's checks
		accepted   bool                // upstream accepts the header (a known gap upstream)
		want       error               // our error
		upstream   string              // text of upstream's error; "" for any error
	}{
		{
			name:     "bad seal: header changed after sealing",
			signer:   "inturn",
			sealed:   func(h *types.Header) { h.Extra[0] ^= 0xff },
			want:     ErrUnauthorizedSigner,
			upstream: "unauthorized signer",
		}, {
			name:   "bad seal: invalid recovery id",
			signer: "inturn",
			sealed: func(h *types.Header) { h.Extra[len(h.Extra)-1] = 7 },
			want:   errInvalidSignature,
		}, {
			name:     "unauthorized signer",
			signer:   "outsider",
			want:     ErrUnauthorizedSigner,
			upstream: "unauthorized signer",
		}, {
			name:     "signer over the recent-signer limit",
			signer:   "recent",
			want:     ErrRecentlySigned,
			upstream: "recently signed",
		}, {
			name:     "in-turn signer with out-of-turn difficulty",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Difficulty = big.NewInt(1) },
			want:     errWrongDifficulty,
			upstream: "wrong difficulty",
		}, {
			name:     "out-of-turn signer with in-turn difficulty",
			signer:   "outturn",
			prepared: func(h *types.Header) { h.Difficulty = big.NewInt(2) },
			want:     errWrongDifficulty,
			upstream: "wrong difficulty",
		}, {
			name:     "difficulty neither 1 nor 2",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Difficulty = big.NewInt(3) },
			want:     errInvalidDifficulty,
			upstream: "invalid difficulty",
		}, {
			name:     "vote nonce neither authorize nor drop",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Coinbase, h.Nonce = common.Address{0x42}, types.EncodeNonce(7) },
			want:     errInvalidVote,
			upstream: "vote nonce not 0x00..0 or 0xff..f",
		}, {
			name:       "vote on a checkpoint block",
			checkpoint: true,
			signer:     "inturn",
			prepared:   func(h *types.Header) { encodeVote(h, common.Address{0x42}, true) },
			want:       errInvalidCheckpointBeneficiary,
			upstream:   "beneficiary in checkpoint block non-zero",
		}, {
			name:       "authorize nonce on a checkpoint block",
			checkpoint: true,
			signer:     "inturn",
			prepared:   func(h *types.Header) { h.Nonce = nonceAuthVote },
			want:       errInvalidCheckpointVote,
			upstream:   "vote nonce in checkpoint block non-zero",
		}, {
			name:     "extra-data shorter than the vanity",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Extra = make([]byte, ExtraVanity-1) },
			unsealed: true,
			want:     errMissingVanity,
			upstream: "extra-data 32 byte vanity prefix missing",
		}, {
			name:     "extra-data without room for the seal",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Extra = make([]byte, ExtraVanity+ExtraSeal-1) },
			unsealed: true,
			want:     errMissingSignature,
			upstream: "extra-data 65 byte signature suffix missing",
		}, {
			name:     "signer list on a non-checkpoint block",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Extra = (&Extra{Signers: []common.Address{{0x01}}}).Encode() },
			want:     errExtraSigners,
			upstream: "non-checkpoint block contains extra signer list",
		}, {
			name:       "checkpoint signer list not a multiple of 20 bytes",
			checkpoint: true,
			signer:     "inturn",
			prepared:   func(h *types.Header) { h.Extra = append(make([]byte, ExtraVanity+10), make([]byte, ExtraSeal)...) },
			want:       errInvalidCheckpointSigners,
			upstream:   "invalid signer list on checkpoint block",
		}, {
			name:       "checkpoint signer list missing a signer",
			checkpoint: true,
			signer:     "inturn",
			prepared: func(h *types.Header) {
				x, _ := DecodeExtra(h.Extra, true)
				x.Signers = x.Signers[1:]
				h.Extra = x.Encode()
			},
			want:     errMismatchingCheckpointSigners,
			upstream: "mismatching signer list on checkpoint block",
		}, {
			name:     "timestamp in the future",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Time = uint64(time.Now().Add(time.Hour).Unix()) },
			want:     consensus.ErrFutureBlock,
			upstream: "block in the future",
		}, {
			name:     "timestamp too close to the parent",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.Time -= 1 },
			want:     errInvalidTimestamp,
			upstream: "invalid timestamp",
		}, {
			name:     "non-zero mix digest",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.MixDigest = common.Hash{0x01} },
			want:     errInvalidMixDigest,
			upstream: "non-zero mix digest",
		}, {
			name:     "uncle hash of a non-empty list",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.UncleHash = common.Hash{0x01} },
			want:     errInvalidUncleHash,
		}, {
			name:     "gas limit jumps too far",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.GasLimit *= 2 },
			want:     errInvalidGasLimit,
			upstream: "invalid gas limit",
		}, {
			name:     "gas used above the limit",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.GasUsed = h.GasLimit + 1 },
			want:     errInvalidGasUsed,
			upstream: "invalid gasUsed",
		}, {
			name:     "wrong base fee",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.BaseFee = new(big.Int).Add(h.BaseFee, common.Big1) },
			want:     errInvalidBaseFee,
			upstream: "invalid baseFee",
		}, {
			name:     "missing base fee",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.BaseFee = nil },
			want:     errInvalidBaseFee,
			upstream: "header is missing baseFee",
		}, {
			name:     "withdrawals hash",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.WithdrawalsHash = &types.EmptyWithdrawalsHash },
			unsealed: true,
			want:     errUnexpectedField,
			upstream: "invalid withdrawalsHash",
		}, {
			name:     "blob gas fields",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.BlobGasUsed, h.ExcessBlobGas = new(uint64), new(uint64) },
			unsealed: true,
			want:     errUnexpectedField,
		}, {
			// Upstream's seal hash does not cover the requests hash, and
			// upstream Clique does not reject it: it accepts this block, whose
			// hash differs from the same block without the field while the
			// seal is the same. (RLP cannot carry it without the withdrawals
			// and blob fields before it, which upstream does reject, so a peer
			// cannot send it; we reject it anyway.)
			name:     "requests hash",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.RequestsHash = &types.EmptyRequestsHash },
			rawSign:  true,
			accepted: true,
			want:     errUnexpectedField,
		}, {
			name:     "unknown parent",
			signer:   "inturn",
			prepared: func(h *types.Header) { h.ParentHash = common.Hash{0x01} },
			want:     consensus.ErrUnknownAncestor,
			upstream: "unknown ancestor",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := envs[tt.checkpoint]
			env.t = t
			parent := env.chain.CurrentHeader()
			signer := roles[tt.signer]
			// Prepare refuses outsiders and recent signers: prepare as the
			// in-turn signer and seal as the other one.
			preparer := signer
			if tt.signer == "outsider" || tt.signer == "recent" {
				preparer = roles["inturn"]
			}
			header, err := env.prepare(parent, preparer, true)
			if err != nil {
				t.Fatalf("prepare: %v", err)
			}
			if tt.prepared != nil {
				tt.prepared(header)
			}
			switch {
			case tt.rawSign:
				env.keys.sign(header, signer)
			case !tt.unsealed:
				header = env.seal(header, signer)
			}
			if tt.sealed != nil {
				tt.sealed(header)
			}
			if err := env.engine.VerifyHeader(env.chain, header, nil); !errors.Is(err, tt.want) {
				t.Errorf("ours: have error %v, want %v", err, tt.want)
			}
			if tt.accepted {
				if err := env.chain.Engine().VerifyHeader(env.chain, header); err != nil {
					t.Errorf("upstream: have error %v, want none (fixed upstream? update this row)", err)
				}
				return
			}
			_, err = env.chain.InsertChain(types.Blocks{types.NewBlockWithHeader(header)})
			if err == nil || !strings.Contains(err.Error(), tt.upstream) {
				t.Errorf("upstream: have error %v, want %q", err, tt.upstream)
			}
			if head := env.chain.CurrentHeader(); head.Hash() != parent.Hash() {
				t.Fatalf("upstream moved its head to %d", head.Number)
			}
		})
	}
	// The same block without the broken rule is valid on both chains.
	for checkpoint, env := range envs {
		env.t = t
		header, err := env.prepare(env.chain.CurrentHeader(), roles["inturn"], true)
		if err != nil {
			t.Fatal(err)
		}
		env.insert(env.seal(header, roles["inturn"]))
		if checkpoint && header.Number.Uint64()%3 != 0 {
			t.Fatalf("block %d is not a checkpoint", header.Number)
		}
	}
}

// unsupportedChain reports a chain configuration with Shanghai active.
type unsupportedChain struct {
	consensus.ChainHeaderReader
	config *params.ChainConfig
}

func (c unsupportedChain) Config() *params.ChainConfig { return c.config }

// TestVerifyHeaderForks checks that a London header passes under none of the
// later forks: from shanghaiTime on blocks have the post-transition format
// (ADR 044), and the merge and forks after Prague are not supported.
func TestVerifyHeaderForks(t *testing.T) {
	env := newSealerEnv(t, 0, 0, "A")
	header, err := env.prepare(env.chain.CurrentHeader(), "A", false)
	if err != nil {
		t.Fatal(err)
	}
	header = env.seal(header, "A")
	zero := uint64(0)
	tests := []struct {
		name   string
		change func(*params.ChainConfig)
		want   error
	}{
		// From shanghaiTime on, blocks have the post-transition format (ADR
		// 044): a London header there has the wrong difficulty.
		{"shanghai", func(c *params.ChainConfig) { c.ShanghaiTime = &zero }, errInvalidDifficulty},
		{"osaka", func(c *params.ChainConfig) {
			c.ShanghaiTime, c.CancunTime, c.PragueTime, c.OsakaTime = &zero, &zero, &zero, &zero
		}, errUnsupportedFork},
		{"merge netsplit block", func(c *params.ChainConfig) { c.MergeNetsplitBlock = big.NewInt(0) }, errUnsupportedFork},
		{"merged at genesis", func(c *params.ChainConfig) { c.TerminalTotalDifficulty = big.NewInt(0) }, errUnsupportedFork},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			config := *env.config
			tt.change(&config)
			chain := unsupportedChain{ChainHeaderReader: env.chain, config: &config}
			if err := env.engine.VerifyHeader(chain, header, nil); !errors.Is(err, tt.want) {
				t.Errorf("have error %v, want %v", err, tt.want)
			}
		})
	}
	if err := env.engine.VerifyHeader(env.chain, header, nil); err != nil {
		t.Errorf("london: have error %v, want none", err)
	}
}

// TestRandomVotingAgainstUpstream runs a random chain of votes, signers that
// may not seal and checkpoints through our VerifyHeader and upstream's, which
// must agree on every header. Checkpoints carry our snapshot's signer list,
// which upstream checks against its own.
func TestRandomVotingAgainstUpstream(t *testing.T) {
	const epoch = 11
	keys := newKeyring()
	labels := []string{"A", "B", "C", "D", "E", "F", "G"}
	config := testChainConfig(0, epoch)
	chain := newTestChain(config, testGenesis(config, keys.addresses("A", "B", "C", "D")).ToBlock().Header())
	ours := New(config.Clique, rawdb.NewMemoryDatabase())
	theirs := upstream.New(config.Clique, rawdb.NewMemoryDatabase())
	rng := rand.New(rand.NewPCG(225, 1))

	var (
		accepted []*types.Header
		rejected = make(map[string]int)
		changes  int
	)
	for attempt := 0; attempt < 900 && len(accepted) < 300; attempt++ {
		parent := chain.CurrentHeader()
		snap, err := snapshotAt(ours, chain, parent)
		if err != nil {
			t.Fatal(err)
		}
		header := nextHeader(config, parent)
		number := header.Number.Uint64()

		// Mostly signers that may seal, sometimes any signer or an outsider;
		// votes mostly valid ones, on few accounts so that majorities form.
		var allowed []string
		for _, label := range keys.names(snap.signers()) {
			if recent, _ := snap.recentlySigned(number, keys.address(label)); !recent {
				allowed = append(allowed, label)
			}
		}
		signer := labels[rng.IntN(len(labels))]
		if current := keys.names(snap.signers()); len(current) > 0 && rng.IntN(8) != 0 {
			signer = current[rng.IntN(len(current))]
		}
		if len(allowed) > 0 && rng.IntN(3) != 0 {
			signer = allowed[rng.IntN(len(allowed))]
		}
		if number%epoch == 0 {
			header.Extra = (&Extra{Signers: snap.signers()}).Encode()
		} else if rng.IntN(4) != 0 {
			target := keys.address(labels[2+rng.IntN(3)])
			_, isSigner := snap.Signers[target]
			encodeVote(header, target, !isSigner || rng.IntN(6) == 0)
		}
		header.Difficulty = difficulty(snap, number, keys.address(signer))
		keys.sign(header, signer)

		ourErr := ours.VerifyHeader(chain, header, nil)
		theirErr := theirs.VerifyHeader(chain, header)
		if number < snap.limit() && errors.Is(ourErr, ErrRecentlySigned) && theirErr == nil {
			rejected["upstream underflow"]++ // see TestRecentlySignedEarlyBlocks
			continue
		}
		switch {
		case (ourErr == nil) != (theirErr == nil):
			t.Fatalf("block %d by %s: ours %v, upstream %v", number, signer, ourErr, theirErr)
		case ourErr != nil && !strings.HasPrefix(ourErr.Error(), theirErr.Error()):
			t.Fatalf("block %d by %s: ours %q, upstream %q", number, signer, ourErr, theirErr)
		case ourErr != nil:
			rejected[theirErr.Error()]++
			continue
		}
		chain.insert(header)
		accepted = append(accepted, header)
		if next, err := ours.Snapshot(chain, number, header.Hash(), nil); err != nil {
			t.Fatal(err)
		} else if !slices.Equal(next.signers(), snap.signers()) {
			changes++
		}
	}
	if len(accepted) < 200 || changes < 10 || rejected["recently signed"] == 0 || rejected["unauthorized signer"] == 0 {
		t.Fatalf("weak run: %d blocks, %d signer changes, rejections %v", len(accepted), changes, rejected)
	}
	if testing.Verbose() {
		t.Logf("%d blocks, %d signer changes, rejections %v", len(accepted), changes, rejected)
	}

	// A fresh engine verifying the same headers as one batch of parents, with
	// only the genesis block in its chain, agrees.
	batch := New(config.Clique, rawdb.NewMemoryDatabase())
	bare := newTestChain(config, chain.GetHeaderByNumber(0))
	for i, header := range accepted {
		if err := batch.VerifyHeader(bare, header, accepted[:i]); err != nil {
			t.Fatalf("batch block %d: %v", header.Number, err)
		}
	}
	head := accepted[len(accepted)-1]
	want, _ := snapshotAt(ours, chain, head)
	have, err := batch.Snapshot(bare, head.Number.Uint64(), head.Hash(), accepted)
	if err != nil {
		t.Fatal(err)
	}
	if h, w := mustJSON(have), mustJSON(want); h != w {
		t.Fatalf("batch snapshot:\nhave %s\nwant %s", h, w)
	}
}

// TestRecentlySignedEarlyBlocks pins a gap in upstream found by
// TestRandomVotingAgainstUpstream: below block SIGNER_LIMIT, upstream's seal
// check computes number-limit in unsigned arithmetic, wraps around and lets a
// recent signer seal again. Its own snapshot then refuses every child of
// that block, so the chain stops there. We reject the block up front.
func TestRecentlySignedEarlyBlocks(t *testing.T) {
	env := newSealerEnv(t, 0, 0, "A", "B", "C", "D") // limit 3
	b1, err := env.prepare(env.chain.CurrentHeader(), "B", false)
	if err != nil {
		t.Fatal(err)
	}
	b1 = env.seal(b1, "B")
	env.insert(b1)

	if _, err := env.prepare(b1, "B", false); !errors.Is(err, ErrRecentlySigned) {
		t.Fatalf("prepare block 2 by B: have error %v, want %v", err, ErrRecentlySigned)
	}
	b2, err := env.prepare(b1, "C", false)
	if err != nil {
		t.Fatal(err)
	}
	b2.Difficulty = difficulty(env.snapshot(), 2, env.keys.address("B"))
	b2 = env.seal(b2, "B")
	if err := env.engine.VerifyHeader(env.chain, b2, nil); !errors.Is(err, ErrRecentlySigned) {
		t.Fatalf("ours: have error %v, want %v", err, ErrRecentlySigned)
	}
	if _, err := env.chain.InsertChain(types.Blocks{types.NewBlockWithHeader(b2)}); err != nil {
		t.Fatalf("upstream accepts block 2 by B no more (fixed? update this test): %v", err)
	}
	b3 := nextHeader(env.config, b2)
	b3.Difficulty = big.NewInt(1)
	env.keys.sign(b3, "D")
	if _, err := env.chain.InsertChain(types.Blocks{types.NewBlockWithHeader(b3)}); err == nil || !strings.Contains(err.Error(), "recently signed") {
		t.Fatalf("upstream child of block 2: have error %v, want %q", err, "recently signed")
	}
}

// TestPrepare checks the fields Prepare fills and the errors it returns.
func TestPrepare(t *testing.T) {
	env := newSealerEnv(t, 5, 4, "A", "B", "C")
	sorted := env.keys.sorted("A", "B", "C")
	genesis := env.chain.CurrentHeader()

	t.Run("errors", func(t *testing.T) {
		tests := []struct {
			name   string
			header *types.Header
			signer string
			want   error
		}{
			{"unknown parent", &types.Header{ParentHash: common.Hash{0x01}, Number: big.NewInt(1)}, "A", consensus.ErrUnknownAncestor},
			{"no number", &types.Header{ParentHash: genesis.Hash()}, "A", consensus.ErrInvalidNumber},
			{"genesis number", &types.Header{ParentHash: genesis.Hash(), Number: big.NewInt(0)}, "A", consensus.ErrInvalidNumber},
			{"wrong number for the parent", &types.Header{ParentHash: genesis.Hash(), Number: big.NewInt(2)}, "A", consensus.ErrUnknownAncestor},
			{"unauthorized signer", nextHeader(env.config, genesis), "E", ErrUnauthorizedSigner},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				if err := env.engine.Prepare(env.chain, tt.header, env.keys.address(tt.signer)); !errors.Is(err, tt.want) {
					t.Errorf("have error %v, want %v", err, tt.want)
				}
			})
		}
	})

	t.Run("fields", func(t *testing.T) {
		long := bytes.Repeat([]byte{0x11}, 40)
		header := nextHeader(env.config, genesis)
		header.Extra = long
		header.MixDigest = common.Hash{0x01}
		header.Coinbase, header.Nonce = common.Address{0x02}, types.EncodeNonce(3)
		before := uint64(time.Now().Unix())
		if err := env.engine.Prepare(env.chain, header, env.keys.address(sorted[1])); err != nil {
			t.Fatal(err)
		}
		after := uint64(time.Now().Unix())
		if want := append(long[:ExtraVanity:ExtraVanity], make([]byte, ExtraSeal)...); !bytes.Equal(header.Extra, want) {
			t.Errorf("have extra %x, want %x", header.Extra, want)
		}
		if header.MixDigest != (common.Hash{}) || header.UncleHash != types.EmptyUncleHash {
			t.Errorf("have mix digest %x and uncle hash %x, want zero and empty", header.MixDigest, header.UncleHash)
		}
		if header.Coinbase != (common.Address{}) || header.Nonce != nonceDropVote {
			t.Errorf("have vote (%s, %x) without proposals, want none", header.Coinbase, header.Nonce)
		}
		if header.Difficulty.Cmp(diffInTurn) != 0 {
			t.Errorf("have difficulty %v for the in-turn signer, want 2", header.Difficulty)
		}
		// The genesis block is a day old: the block is due now.
		if header.Time < before || header.Time > after {
			t.Errorf("have time %d, want now (%d to %d)", header.Time, before, after)
		}
		out := nextHeader(env.config, genesis)
		if err := env.engine.Prepare(env.chain, out, env.keys.address(sorted[2])); err != nil {
			t.Fatal(err)
		}
		if out.Difficulty.Cmp(diffNoTurn) != 0 || !bytes.Equal(out.Extra, make([]byte, ExtraVanity+ExtraSeal)) {
			t.Errorf("out of turn: have difficulty %v and extra %x, want 1 and zeros", out.Difficulty, out.Extra)
		}
	})

	t.Run("time after a parent from the future", func(t *testing.T) {
		parent := types.CopyHeader(genesis)
		parent.Time = uint64(time.Now().Add(time.Hour).Unix())
		chain := newTestChain(env.config, parent)
		header := nextHeader(env.config, parent)
		if err := env.engine.Prepare(chain, header, env.keys.address("A")); err != nil {
			t.Fatal(err)
		}
		if want := parent.Time + 5; header.Time != want {
			t.Errorf("have time %d, want parent + period = %d", header.Time, want)
		}
	})

	t.Run("votes", func(t *testing.T) {
		// Proposals that make no sense (add a signer, drop an outsider) are
		// never voted on; the one that does is.
		env.engine.Propose(env.keys.address("A"), true)
		env.engine.Propose(env.keys.address("E"), false)
		env.engine.Propose(env.keys.address("F"), true)
		defer func() {
			for _, l := range []string{"A", "E", "F"} {
				env.engine.Discard(env.keys.address(l))
			}
		}()
		for i := 0; i < 20; i++ {
			header := nextHeader(env.config, genesis)
			if err := env.engine.Prepare(env.chain, header, env.keys.address("A")); err != nil {
				t.Fatal(err)
			}
			if header.Coinbase != env.keys.address("F") || header.Nonce != nonceAuthVote {
				t.Fatalf("have vote (%s, %x), want authorize F", header.Coinbase, header.Nonce)
			}
		}
	})

	t.Run("recently signed and checkpoint", func(t *testing.T) {
		// Blocks 1-3 in turn, then block 4 is a checkpoint (epoch 4).
		for n := 1; n <= 3; n++ {
			header, err := env.prepare(env.chain.CurrentHeader(), sorted[n%3], true)
			if err != nil {
				t.Fatal(err)
			}
			env.insert(env.seal(header, sorted[n%3]))
		}
		env.engine.Propose(env.keys.address("F"), true)
		defer env.engine.Discard(env.keys.address("F"))
		recent := nextHeader(env.config, env.chain.CurrentHeader())
		if err := env.engine.Prepare(env.chain, recent, env.keys.address(sorted[0])); !errors.Is(err, ErrRecentlySigned) {
			t.Fatalf("signer of block 3 preparing block 4: have error %v, want %v", err, ErrRecentlySigned)
		}
		header, err := env.prepare(env.chain.CurrentHeader(), sorted[1], true)
		if err != nil {
			t.Fatal(err)
		}
		if header.Coinbase != (common.Address{}) || header.Nonce != nonceDropVote {
			t.Errorf("checkpoint: have vote (%s, %x), want none", header.Coinbase, header.Nonce)
		}
		x, err := DecodeExtra(header.Extra, true)
		if err != nil {
			t.Fatal(err)
		}
		if want := env.keys.addresses("A", "B", "C"); !slices.Equal(x.Signers, want) {
			t.Errorf("checkpoint: have signers %v, want %v", x.Signers, want)
		}
		env.insert(env.seal(header, sorted[1]))
	})
}

// TestSeal checks that Seal signs a copy and refuses bad signatures.
func TestSeal(t *testing.T) {
	keys := newKeyring()
	engine := New(&params.CliqueConfig{}, rawdb.NewMemoryDatabase())
	a := keys.address("A")
	header := &types.Header{Number: big.NewInt(1), Difficulty: big.NewInt(2), Extra: make([]byte, ExtraVanity+ExtraSeal), BaseFee: big.NewInt(7)}
	original := types.CopyHeader(header)

	sealed, err := engine.Seal(header, a, keys.signFn())
	if err != nil {
		t.Fatal(err)
	}
	if header.Hash() != original.Hash() || !bytes.Equal(header.Extra, original.Extra) {
		t.Errorf("seal changed its input")
	}
	if author, err := engine.Author(sealed); err != nil || author != a {
		t.Errorf("have author %s (%v), want %s", author, err, a)
	}
	// Recover again without the cache, with upstream's seal hash.
	pub, err := crypto.SigToPub(upstream.SealHash(sealed).Bytes(), sealed.Extra[ExtraVanity:])
	if err != nil || crypto.PubkeyToAddress(*pub) != a {
		t.Errorf("seal does not recover to the signer")
	}

	tests := []struct {
		name   string
		header *types.Header
		sign   SignerFn
		want   error
	}{
		{"short extra-data", &types.Header{Number: big.NewInt(1), Extra: make([]byte, ExtraVanity+ExtraSeal-1)}, keys.signFn(), errMissingSignature},
		{"post-london field", &types.Header{Number: big.NewInt(1), Extra: make([]byte, ExtraVanity+ExtraSeal), WithdrawalsHash: &common.Hash{}}, keys.signFn(), errUnexpectedField},
		{"short signature", header, func(common.Address, []byte) ([]byte, error) { return make([]byte, 64), nil }, errInvalidSignature},
		{"signature by another key", header, func(_ common.Address, hash []byte) ([]byte, error) { return crypto.Sign(hash, keys.key("B")) }, errInvalidSignature},
		{"signer failure", header, func(common.Address, []byte) ([]byte, error) { return nil, errTestSigner }, errTestSigner},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := engine.Seal(tt.header, a, tt.sign); !errors.Is(err, tt.want) {
				t.Errorf("have error %v, want %v", err, tt.want)
			}
		})
	}
}

var errTestSigner = errors.New("keystore locked")

// TestSlotDelay checks the out-of-turn wiggle bounds of geth 1.13.
func TestSlotDelay(t *testing.T) {
	engine := New(&params.CliqueConfig{}, rawdb.NewMemoryDatabase())
	signers := []common.Address{{0x01}, {0x02}, {0x03}, {0x04}, {0x05}}
	snap := newSnapshot(engine.config, nil, 10, common.Hash{}, signers)
	if inturn, wiggle := engine.SlotDelay(snap, 11, common.Address{0x02}); !inturn || wiggle != 0 {
		t.Errorf("in turn: have (%v, %v), want (true, 0)", inturn, wiggle)
	}
	bound := 3 * 500 * time.Millisecond // limit of 5 signers is 3
	seen := make(map[time.Duration]bool)
	for i := 0; i < 100; i++ {
		inturn, wiggle := engine.SlotDelay(snap, 11, common.Address{0x03})
		if inturn || wiggle < 0 || wiggle >= bound {
			t.Fatalf("out of turn: have (%v, %v), want (false, [0, %v))", inturn, wiggle, bound)
		}
		seen[wiggle] = true
	}
	if len(seen) < 50 {
		t.Errorf("have %d distinct wiggles in 100 draws, want a random spread", len(seen))
	}
}

// TestProposals checks that proposals are kept, copied out and discarded.
func TestProposals(t *testing.T) {
	engine := New(&params.CliqueConfig{}, rawdb.NewMemoryDatabase())
	engine.Propose(common.Address{0x01}, true)
	engine.Propose(common.Address{0x02}, false)
	engine.Propose(common.Address{0x01}, false)
	got := engine.Proposals()
	got[common.Address{0x03}] = true
	engine.Discard(common.Address{0x02})
	want := map[common.Address]bool{{0x01}: false}
	if have := engine.Proposals(); len(have) != len(want) || have[common.Address{0x01}] != false {
		t.Errorf("have %v, want %v", have, want)
	}
	if engine.config.Epoch != defaultEpoch {
		t.Errorf("have epoch %d for 0, want %d", engine.config.Epoch, defaultEpoch)
	}
	if err := engine.Close(); err != nil {
		t.Errorf("close: %v", err)
	}
}

// benchChain is a chain of n blocks by five signers, with votes that add
// and drop two more (keyless) accounts.
func benchChain(b *testing.B, n int) *testChain {
	keys := newKeyring()
	labels := []string{"A", "B", "C", "D", "E"}
	config := testChainConfig(0, 0)
	chain := newTestChain(config, testGenesis(config, keys.addresses(labels...)).ToBlock().Header())
	engine := New(config.Clique, rawdb.NewMemoryDatabase())
	for i := 0; i < n; i++ {
		parent := chain.CurrentHeader()
		snap, err := snapshotAt(engine, chain, parent)
		if err != nil {
			b.Fatal(err)
		}
		header := nextHeader(config, parent)
		number := header.Number.Uint64()
		target := common.Address{byte(1 + number%2)}
		_, isSigner := snap.Signers[target]
		encodeVote(header, target, !isSigner)

		// The in-turn keyed signer if it may seal, else the first keyed one that may.
		var signer string
		for _, label := range keys.sorted(labels...) {
			if recent, _ := snap.recentlySigned(number, keys.address(label)); recent {
				continue
			}
			if signer == "" || snap.inturn(number, keys.address(label)) {
				signer = label
			}
		}
		header.Difficulty = difficulty(snap, number, keys.address(signer))
		keys.sign(header, signer)
		chain.insert(header)
	}
	return chain
}

// BenchmarkSnapshotApply measures replaying the voting history of 1024
// blocks from scratch, signature recovery included.
func BenchmarkSnapshotApply(b *testing.B) {
	chain := benchChain(b, checkpointInterval)
	genesis := chain.GetHeaderByNumber(0)
	x, _ := DecodeExtra(genesis.Extra, true)
	config := &params.CliqueConfig{Epoch: defaultEpoch}
	headers := chain.canonical[1:]
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		snap := newSnapshot(config, nil, 0, genesis.Hash(), x.Signers)
		if _, err := snap.apply(headers); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(headers)), "ns/header")
}

// BenchmarkVerifyHeader measures verifying the next block on top of a cached
// snapshot, with and without the signature cache.
func BenchmarkVerifyHeader(b *testing.B) {
	chain := benchChain(b, 101)
	head := chain.canonical[100]
	chain.canonical = chain.canonical[:100]
	delete(chain.byHash, head.Hash())
	engine := New(chain.config.Clique, rawdb.NewMemoryDatabase())
	if err := engine.VerifyHeader(chain, head, nil); err != nil {
		b.Fatal(err)
	}
	b.Run("cached", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := engine.VerifyHeader(chain, head, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("recover", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			engine.signatures.Remove(head.Hash())
			if err := engine.VerifyHeader(chain, head, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
