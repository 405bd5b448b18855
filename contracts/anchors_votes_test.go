package contracts_test

import (
	"maps"
	"math/big"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/contracts/bindings/anchors"
	"github.com/citychain/citychain/internal/client/anchor"
)

func anchorVotes(vs []anchors.AnchorsVote) []anchor.Vote {
	out := make([]anchor.Vote, len(vs))
	for i, v := range vs {
		out[i] = anchor.Vote{Signer: v.Signer, Candidate: v.Candidate, Authorize: v.Authorize}
	}
	return out
}

// headerChain is a consensus.ChainHeaderReader over generated headers.
type headerChain struct {
	byHash map[common.Hash]*types.Header
	byNum  []*types.Header
}

func (c *headerChain) add(h *types.Header) {
	c.byHash[h.Hash()] = h
	c.byNum = append(c.byNum, h)
}
func (c *headerChain) Config() *params.ChainConfig                 { return params.AllCliqueProtocolChanges }
func (c *headerChain) CurrentHeader() *types.Header                { return c.byNum[len(c.byNum)-1] }
func (c *headerChain) GetHeaderByHash(h common.Hash) *types.Header { return c.byHash[h] }
func (c *headerChain) GetHeader(h common.Hash, _ uint64) *types.Header {
	return c.byHash[h]
}
func (c *headerChain) GetHeaderByNumber(n uint64) *types.Header {
	if n >= uint64(len(c.byNum)) {
		return nil
	}
	return c.byNum[n]
}

// randomVoteChain generates n blocks after genesis in which the signers the
// engine allows seal in a random order and vote at random (mostly votes that
// count, on five accounts, never dropping below two signers). Epoch headers
// list the engine's signers.
func randomVoteChain(t *testing.T, x *extChain, gen *types.Header, n int, rng *rand.Rand) *headerChain {
	t.Helper()
	chain := &headerChain{byHash: map[common.Hash]*types.Header{}}
	chain.add(gen)
	pool := []string{"extA", "extB", "extC", "extD", "extE"}
	label := map[common.Address]string{}
	for _, p := range pool {
		label[addr(p)] = p
	}
	parent := gen
	for i := 0; i < n; i++ {
		snap, err := x.engine.Snapshot(chain, parent.Number.Uint64(), parent.Hash(), nil)
		if err != nil {
			t.Fatalf("snapshot at %d: %v", parent.Number, err)
		}
		signers := slices.SortedFunc(maps.Keys(snap.Signers), common.Address.Cmp)
		var names []string
		for _, s := range signers {
			names = append(names, label[s])
		}
		number := parent.Number.Uint64() + 1
		var free []string
		for _, s := range names {
			recent := false
			for seen, r := range snap.Recents {
				if r == addr(s) && seen+snap.Limit() > number {
					recent = true
				}
			}
			if !recent {
				free = append(free, s)
			}
		}
		signer := free[rng.IntN(len(free))]
		h := x.child(parent, signer, names, "")
		if number%x.engine.Config().Epoch != 0 && rng.IntN(10) < 7 {
			cand := pool[rng.IntN(len(pool))]
			auth := !slices.Contains(names, cand)
			if rng.IntN(10) == 0 {
				auth = !auth // a vote that does not count
			}
			if !auth && len(names) <= 2 {
				auth = true
			}
			h = x.vote(parent, signer, names, cand, auth)
		}
		chain.add(h)
		parent = h
	}
	return chain
}

// TestAnchorsVotesAgreeWithEngine posts a generated chain with random votes
// in random spans and checks, after each posting, that the set and pending
// votes Anchors holds are those of this repository's Clique engine (the
// follower's check) at the same block.
func TestAnchorsVotesAgreeWithEngine(t *testing.T) {
	x := newAnchorsEnv(t)
	const n = 60
	changes, votes := 0, 0
	for seed := uint64(1); seed <= 3; seed++ {
		rng := rand.New(rand.NewPCG(seed, 19))
		gen := x.ext.genesis("extA", "extB", "extC")
		gen.Root = common.Hash{byte(seed)} // one genesis per seed
		chain := randomVoteChain(t, x.ext, gen, n, rng)
		id := big.NewInt(5000 + int64(seed))
		trusted := anchors.AnchorsTrusted{Number: 0, Hash: gen.Hash(), StateRoot: gen.Root, ReceiptsRoot: gen.ReceiptHash}
		x.ok("admin", x.c, x.a.PackRegister(id, gen.Hash(), 1, extEpoch, trusted, addrs([]string{"extA", "extB", "extC"})))
		prev := addrs([]string{"extA", "extB", "extC"})
		for from := uint64(0); from < n; {
			to := min(n, from+1+uint64(rng.IntN(7)))
			mirror := anchor.Tally{Signers: prev, Votes: anchorVotes(call(x.env, x.c, x.a.PackVotes(id), x.a.UnpackVotes))}
			if end, err := anchor.SpanEnd(chain.byNum[from+1:to+1], mirror, extEpoch); err != nil || end != int(to-from) {
				t.Fatalf("seed %d, blocks %d..%d: the follower's replay takes %d headers (%v), Anchors all %d", seed, from+1, to, end, err, to-from)
			}
			x.ok("relayer", x.c, x.a.PackPost(id, from, encode(t, chain.byNum[from+1:to+1])))
			snap, err := x.ext.engine.Snapshot(chain, to, chain.byNum[to].Hash(), nil)
			if err != nil {
				t.Fatal(err)
			}
			want := slices.SortedFunc(maps.Keys(snap.Signers), common.Address.Cmp)
			have := call(x.env, x.c, x.a.PackValidators(id), x.a.UnpackValidators)
			if !slices.Equal(have, want) {
				t.Fatalf("seed %d, block %d: Anchors tracks %v, the engine %v", seed, to, have, want)
			}
			var wantVotes []anchors.AnchorsVote
			for _, v := range snap.Votes {
				wantVotes = append(wantVotes, anchors.AnchorsVote{Signer: v.Signer, Candidate: v.Address, Authorize: v.Authorize})
			}
			haveVotes := call(x.env, x.c, x.a.PackVotes(id), x.a.UnpackVotes)
			if !slices.Equal(haveVotes, wantVotes) {
				t.Fatalf("seed %d, block %d: Anchors holds votes %+v, the engine %+v", seed, to, haveVotes, wantVotes)
			}
			if !slices.Equal(have, prev) {
				changes++
			}
			votes += len(haveVotes)
			prev, from = have, to
		}
	}
	// The generated chains must exercise the votes, not only agree.
	if changes < 3 || votes == 0 {
		t.Fatalf("the generated chains changed the set %d times and left %d pending votes at postings: too few to test", changes, votes)
	}
	t.Logf("3 chains of %d blocks: the set changed at %d postings, %d pending votes compared", n, changes, votes)
}
