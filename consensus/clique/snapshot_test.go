package clique

import (
	"encoding/json"
	"errors"
	"math/big"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// testBlock is one block of a voting scenario, as in EIP-225's test cases.
type testBlock struct {
	signer     string   // label of the account that seals the block
	voted      string   // label of the account voted on; "" casts no vote
	auth       bool     // vote to add (true) or to drop (false) the account
	checkpoint []string // signer list of an epoch block
	newbatch   bool     // import from this block on as a separate batch
}

// votingTest is a voting scenario: a chain of blocks on top of a genesis
// with the given signers, and the signers (or the error) it ends with.
type votingTest struct {
	name    string
	epoch   uint64      // blocks per epoch; 0 means 30000
	signers []string    // signers in the genesis block
	blocks  []testBlock // blocks in chain order; only the last one may fail
	results []string    // signers after the last block
	failure error       // error of the last block, if it is invalid
}

// eip225Tests is the complete "Test Cases" table of EIP-225, in its order,
// plus the regression rows that follow it.
var eip225Tests = []votingTest{
	{
		name:    "single signer, no votes cast",
		signers: []string{"A"},
		blocks:  []testBlock{{signer: "A"}},
		results: []string{"A"},
	}, {
		name:    "single signer, voting to add two others (only accept first, second needs 2 votes)",
		signers: []string{"A"},
		blocks: []testBlock{
			{signer: "A", voted: "B", auth: true},
			{signer: "B"},
			{signer: "A", voted: "C", auth: true},
		},
		results: []string{"A", "B"},
	}, {
		name:    "two signers, voting to add three others (only accept first two, third needs 3 votes already)",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: true},
			{signer: "B", voted: "C", auth: true},
			{signer: "A", voted: "D", auth: true},
			{signer: "B", voted: "D", auth: true},
			{signer: "C"},
			{signer: "A", voted: "E", auth: true},
			{signer: "B", voted: "E", auth: true},
		},
		results: []string{"A", "B", "C", "D"},
	}, {
		name:    "single signer, dropping itself (weird, but one less cornercase by explicitly allowing this)",
		signers: []string{"A"},
		blocks:  []testBlock{{signer: "A", voted: "A", auth: false}},
		results: []string{},
	}, {
		name:    "two signers, actually needing mutual consent to drop either of them (not fulfilled)",
		signers: []string{"A", "B"},
		blocks:  []testBlock{{signer: "A", voted: "B", auth: false}},
		results: []string{"A", "B"},
	}, {
		name:    "two signers, actually needing mutual consent to drop either of them (fulfilled)",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "B", auth: false},
			{signer: "B", voted: "B", auth: false},
		},
		results: []string{"A"},
	}, {
		name:    "three signers, two of them deciding to drop the third",
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B", voted: "C", auth: false},
		},
		results: []string{"A", "B"},
	}, {
		name:    "four signers, consensus of two not being enough to drop anyone",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B", voted: "C", auth: false},
		},
		results: []string{"A", "B", "C", "D"},
	}, {
		name:    "four signers, consensus of three already being enough to drop someone",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "D", auth: false},
			{signer: "B", voted: "D", auth: false},
			{signer: "C", voted: "D", auth: false},
		},
		results: []string{"A", "B", "C"},
	}, {
		name:    "authorizations are counted once per signer per target",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: true},
			{signer: "B"},
			{signer: "A", voted: "C", auth: true},
			{signer: "B"},
			{signer: "A", voted: "C", auth: true},
		},
		results: []string{"A", "B"},
	}, {
		name:    "authorizing multiple accounts concurrently is permitted",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: true},
			{signer: "B"},
			{signer: "A", voted: "D", auth: true},
			{signer: "B"},
			{signer: "A"},
			{signer: "B", voted: "D", auth: true},
			{signer: "A"},
			{signer: "B", voted: "C", auth: true},
		},
		results: []string{"A", "B", "C", "D"},
	}, {
		name:    "deauthorizations are counted once per signer per target",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "B", auth: false},
			{signer: "B"},
			{signer: "A", voted: "B", auth: false},
			{signer: "B"},
			{signer: "A", voted: "B", auth: false},
		},
		results: []string{"A", "B"},
	}, {
		name:    "deauthorizing multiple accounts concurrently is permitted",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B"},
			{signer: "C"},
			{signer: "A", voted: "D", auth: false},
			{signer: "B"},
			{signer: "C"},
			{signer: "A"},
			{signer: "B", voted: "D", auth: false},
			{signer: "C", voted: "D", auth: false},
			{signer: "A"},
			{signer: "B", voted: "C", auth: false},
		},
		results: []string{"A", "B"},
	}, {
		name:    "votes from deauthorized signers are discarded immediately (deauth votes)",
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "C", voted: "B", auth: false},
			{signer: "A", voted: "C", auth: false},
			{signer: "B", voted: "C", auth: false},
			{signer: "A", voted: "B", auth: false},
		},
		results: []string{"A", "B"},
	}, {
		name:    "votes from deauthorized signers are discarded immediately (auth votes)",
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "C", voted: "D", auth: true},
			{signer: "A", voted: "C", auth: false},
			{signer: "B", voted: "C", auth: false},
			{signer: "A", voted: "D", auth: true},
		},
		results: []string{"A", "B"},
	}, {
		name:    "cascading changes are not allowed, only the account being voted on may change",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B"},
			{signer: "C"},
			{signer: "A", voted: "D", auth: false},
			{signer: "B", voted: "C", auth: false},
			{signer: "C"},
			{signer: "A"},
			{signer: "B", voted: "D", auth: false},
			{signer: "C", voted: "D", auth: false},
		},
		results: []string{"A", "B", "C"},
	}, {
		name:    "changes reaching consensus out of bounds (via a deauth) execute on touch",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B"},
			{signer: "C"},
			{signer: "A", voted: "D", auth: false},
			{signer: "B", voted: "C", auth: false},
			{signer: "C"},
			{signer: "A"},
			{signer: "B", voted: "D", auth: false},
			{signer: "C", voted: "D", auth: false},
			{signer: "A"},
			{signer: "C", voted: "C", auth: true},
		},
		results: []string{"A", "B"},
	}, {
		name:    "changes reaching consensus out of bounds (via a deauth) may go out of consensus on first touch",
		signers: []string{"A", "B", "C", "D"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: false},
			{signer: "B"},
			{signer: "C"},
			{signer: "A", voted: "D", auth: false},
			{signer: "B", voted: "C", auth: false},
			{signer: "C"},
			{signer: "A"},
			{signer: "B", voted: "D", auth: false},
			{signer: "C", voted: "D", auth: false},
			{signer: "A"},
			{signer: "B", voted: "C", auth: true},
		},
		results: []string{"A", "B", "C"},
	}, {
		// This corner case can only appear if a signer is quickly added,
		// removed and then re-added (or the inverse), while one of the
		// original voters dropped. A past vote left cached somewhere would
		// change the final signer set.
		name:    "pending votes don't survive authorization status changes",
		signers: []string{"A", "B", "C", "D", "E"},
		blocks: []testBlock{
			{signer: "A", voted: "F", auth: true}, // authorize F, 3 votes needed
			{signer: "B", voted: "F", auth: true},
			{signer: "C", voted: "F", auth: true},
			{signer: "D", voted: "F", auth: false}, // deauthorize F, 4 votes needed (A's previous vote stays)
			{signer: "E", voted: "F", auth: false},
			{signer: "B", voted: "F", auth: false},
			{signer: "C", voted: "F", auth: false},
			{signer: "D", voted: "F", auth: true}, // almost authorize F, 2/3 votes needed
			{signer: "E", voted: "F", auth: true},
			{signer: "B", voted: "A", auth: false}, // deauthorize A, 3 votes needed
			{signer: "C", voted: "A", auth: false},
			{signer: "D", voted: "A", auth: false},
			{signer: "B", voted: "F", auth: true}, // finish authorizing F, 3/3 votes needed
		},
		results: []string{"B", "C", "D", "E", "F"},
	}, {
		name:    "epoch transitions reset all votes to allow chain checkpointing",
		epoch:   3,
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A", voted: "C", auth: true},
			{signer: "B"},
			{signer: "A", checkpoint: []string{"A", "B"}},
			{signer: "B", voted: "C", auth: true},
		},
		results: []string{"A", "B"},
	}, {
		name:    "an unauthorized signer should not be able to sign blocks",
		signers: []string{"A"},
		blocks:  []testBlock{{signer: "B"}},
		failure: ErrUnauthorizedSigner,
	}, {
		name:    "an authorized signer that signed recently should not be able to sign again",
		signers: []string{"A", "B"},
		blocks: []testBlock{
			{signer: "A"},
			{signer: "A"},
		},
		failure: ErrRecentlySigned,
	}, {
		name:    "recent signatures should not reset on checkpoint blocks imported in a batch",
		epoch:   3,
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "A"},
			{signer: "B"},
			{signer: "A", checkpoint: []string{"A", "B", "C"}},
			{signer: "A"},
		},
		failure: ErrRecentlySigned,
	}, {
		// Regression (go-ethereum #17593, a Rinkeby consensus split): a node
		// that imported the checkpoint in one batch and the next block in
		// another rebuilt the recents from the checkpoint and forgot that A
		// had just signed.
		name:    "recent signatures should not reset on checkpoint blocks imported in a new batch",
		epoch:   3,
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "A"},
			{signer: "B"},
			{signer: "A", checkpoint: []string{"A", "B", "C"}},
			{signer: "A", newbatch: true},
		},
		failure: ErrRecentlySigned,
	},
}

// votingChain is a scenario turned into headers.
type votingChain struct {
	config  *params.ChainConfig
	genesis *types.Header
	headers []*types.Header
}

// build seals the scenario's blocks with correct difficulties (from our own
// snapshot of each parent), one second apart.
func (tt *votingTest) build(t *testing.T, keys *keyring) *votingChain {
	t.Helper()
	config := testChainConfig(1, tt.epoch)
	genesis := testGenesis(config, keys.addresses(tt.signers...)).ToBlock().Header()
	chain := newTestChain(config, genesis)
	engine := New(config.Clique, rawdb.NewMemoryDatabase())

	vc := &votingChain{config: config, genesis: genesis}
	for i, b := range tt.blocks {
		parent := chain.CurrentHeader()
		snap, err := snapshotAt(engine, chain, parent)
		if err != nil {
			t.Fatalf("block %d: snapshot of parent: %v", i+1, err)
		}
		header := nextHeader(config, parent)
		encodeVote(header, keys.address(b.voted), b.auth)
		if b.checkpoint != nil {
			header.Extra = (&Extra{Signers: keys.addresses(b.checkpoint...)}).Encode()
		}
		header.Difficulty = difficulty(snap, header.Number.Uint64(), keys.address(b.signer))
		keys.sign(header, b.signer)
		chain.insert(header)
		vc.headers = append(vc.headers, header)
	}
	return vc
}

// check compares the outcome of a scenario: err of the last block, or the
// signers after it.
func (tt *votingTest) check(t *testing.T, keys *keyring, err error, snap *Snapshot) {
	t.Helper()
	if tt.failure != nil {
		if !errors.Is(err, tt.failure) {
			t.Fatalf("have error %v, want %v", err, tt.failure)
		}
		return
	}
	if err != nil {
		t.Fatalf("have error %v, want none", err)
	}
	if have, want := snap.signers(), keys.addresses(tt.results...); !slices.Equal(have, want) {
		t.Fatalf("have signers %v, want %v", keys.names(have), tt.results)
	}
}

// TestEIP225 runs EIP-225's test cases three ways: header by header through
// VerifyHeader, in import batches through Snapshot, and through a
// core.BlockChain verifying with upstream Clique.
func TestEIP225(t *testing.T) {
	for _, tt := range eip225Tests {
		t.Run(tt.name, func(t *testing.T) {
			keys := newKeyring()
			vc := tt.build(t, keys)
			t.Run("verify", func(t *testing.T) {
				snap, err := vc.verifyEach(t)
				tt.check(t, keys, err, snap)
			})
			t.Run("batches", func(t *testing.T) {
				snap, err := vc.snapshotInBatches(t, tt.blocks)
				tt.check(t, keys, err, snap)
			})
			t.Run("upstream", func(t *testing.T) {
				chain, err := vc.insertUpstream(t, tt.blocks)
				tt.checkUpstream(t, chain, err, vc.head())
			})
		})
	}
}

// head is the scenario's last header.
func (vc *votingChain) head() *types.Header { return vc.headers[len(vc.headers)-1] }

// verifyEach runs VerifyHeader on each header in turn, stopping at the first
// error (which only the last header may have), and returns the snapshot at
// the head.
func (vc *votingChain) verifyEach(t *testing.T) (*Snapshot, error) {
	t.Helper()
	engine := New(vc.config.Clique, rawdb.NewMemoryDatabase())
	chain := newTestChain(vc.config, vc.genesis)
	for i, header := range vc.headers {
		if err := engine.VerifyHeader(chain, header, nil); err != nil {
			if i != len(vc.headers)-1 {
				t.Fatalf("block %d: have error %v, want none before the last block", i+1, err)
			}
			return nil, err
		}
		chain.insert(header)
	}
	return snapshotAt(engine, chain, vc.head())
}

// snapshotInBatches inserts every header unchecked, takes a snapshot at the
// parent of each block that starts a new batch, then one at the head.
func (vc *votingChain) snapshotInBatches(t *testing.T, blocks []testBlock) (*Snapshot, error) {
	t.Helper()
	engine := New(vc.config.Clique, rawdb.NewMemoryDatabase())
	chain := newTestChain(vc.config, vc.genesis)
	for i, header := range vc.headers {
		// A new batch starts from the snapshot cached at its parent.
		if blocks[i].newbatch {
			if _, err := snapshotAt(engine, chain, chain.CurrentHeader()); err != nil {
				t.Fatalf("snapshot before block %d: %v", i+1, err)
			}
		}
		chain.insert(header)
	}
	return snapshotAt(engine, chain, vc.head())
}

// insertUpstream imports the blocks, in their batches, into a core.BlockChain
// with upstream Clique on the same genesis, stopping at the first error.
func (vc *votingChain) insertUpstream(t *testing.T, blocks []testBlock) (*core.BlockChain, error) {
	t.Helper()
	genesis := testGenesis(vc.config, nil)
	genesis.Timestamp, genesis.ExtraData = vc.genesis.Time, vc.genesis.Extra
	chain := newUpstreamChain(t, genesis)
	if chain.Genesis().Hash() != vc.genesis.Hash() {
		t.Fatalf("have genesis %x, want %x", chain.Genesis().Hash(), vc.genesis.Hash())
	}
	var batches [][]*types.Block
	for i, header := range vc.headers {
		if i == 0 || blocks[i].newbatch {
			batches = append(batches, nil)
		}
		batches[len(batches)-1] = append(batches[len(batches)-1], types.NewBlockWithHeader(header))
	}
	for _, batch := range batches {
		if _, err := chain.InsertChain(batch); err != nil {
			return chain, err
		}
	}
	return chain, nil
}

// checkUpstream compares upstream's outcome of a scenario: the error of the
// last block (upstream's errors are its own values, compared by text), or
// the head reached.
func (tt *votingTest) checkUpstream(t *testing.T, chain *core.BlockChain, err error, head *types.Header) {
	t.Helper()
	switch {
	case tt.failure == nil && err != nil:
		t.Fatalf("upstream: have error %v, want none", err)
	case tt.failure != nil && (err == nil || !strings.Contains(err.Error(), tt.failure.Error())):
		t.Fatalf("upstream: have error %v, want %q", err, tt.failure)
	case tt.failure == nil && chain.CurrentHeader().Hash() != head.Hash():
		t.Fatalf("upstream: have head %d, want %d", chain.CurrentHeader().Number, head.Number)
	}
}

// TestApplyDoesNotMutate checks copy-on-apply: applying headers, successfully
// or not, leaves the receiver as it was.
func TestApplyDoesNotMutate(t *testing.T) {
	keys := newKeyring()
	tt := votingTest{
		signers: []string{"A", "B", "C"},
		blocks: []testBlock{
			{signer: "A", voted: "D", auth: true},
			{signer: "B", voted: "D", auth: true},
			{signer: "C", voted: "A", auth: false},
			{signer: "D", voted: "A", auth: false},
			{signer: "B", voted: "A", auth: false},
		},
	}
	vc := tt.build(t, keys)
	engine := New(vc.config.Clique, rawdb.NewMemoryDatabase())
	chain := newTestChain(vc.config, vc.genesis)
	base, err := snapshotAt(engine, chain, vc.genesis)
	if err != nil {
		t.Fatal(err)
	}
	before, _ := json.Marshal(base)

	// Apply on top of a snapshot that already has votes, recents and a tally.
	mid, err := base.apply(vc.headers[:1])
	if err != nil {
		t.Fatal(err)
	}
	midBefore, _ := json.Marshal(mid)
	next, err := mid.apply(vc.headers[1:])
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mid.apply(vc.headers[2:]); !errors.Is(err, errInvalidVotingChain) {
		t.Fatalf("apply with a gap: have error %v, want %v", err, errInvalidVotingChain)
	}
	if have, _ := json.Marshal(base); string(have) != string(before) {
		t.Errorf("base changed:\nhave %s\nwant %s", have, before)
	}
	if have, _ := json.Marshal(mid); string(have) != string(midBefore) {
		t.Errorf("intermediate snapshot changed:\nhave %s\nwant %s", have, midBefore)
	}
	if have, want := keys.names(next.signers()), []string{"B", "C", "D"}; !slices.Equal(have, want) {
		t.Errorf("have signers %v, want %v", have, want)
	}
	// Votes must not be shared either: changing the result leaves mid alone.
	if len(mid.Votes) == 0 {
		t.Fatal("have no votes in the intermediate snapshot, want one")
	}
	copied := mid.copy()
	copied.Votes[0].Authorize = !copied.Votes[0].Authorize
	if have, _ := json.Marshal(mid); string(have) != string(midBefore) {
		t.Errorf("changing a copy's vote changed the original:\nhave %s\nwant %s", have, midBefore)
	}
}

// TestSnapshotSaveLoad checks the database round trip under our own prefix
// and the JSON field names of geth 1.13.
func TestSnapshotSaveLoad(t *testing.T) {
	config := &params.CliqueConfig{Period: 5, Epoch: 100}
	signers := []common.Address{{0x01}, {0x02}, {0x03}}
	snap := newSnapshot(config, nil, 1024, common.Hash{0xaa}, signers)
	snap.Recents[1023] = signers[1]
	snap.Recents[1024] = signers[2]
	snap.Votes = append(snap.Votes, &Vote{Signer: signers[0], Block: 1020, Address: common.Address{0x09}, Authorize: true})
	snap.Tally[common.Address{0x09}] = Tally{Authorize: true, Votes: 1}

	db := rawdb.NewMemoryDatabase()
	if err := snap.save(db); err != nil {
		t.Fatal(err)
	}
	key := append([]byte("citychain-clique-snap-"), snap.Hash[:]...)
	blob, err := db.Get(key)
	if err != nil {
		t.Fatalf("snapshot not under our prefix: %v", err)
	}
	if upstreamKey := append(rawdb.CliqueSnapshotPrefix, snap.Hash[:]...); string(upstreamKey) == string(key) {
		t.Fatalf("have key %q, want one apart from upstream's", key)
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(blob, &fields); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range fields {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"hash", "number", "recents", "signers", "tally", "votes"}; !slices.Equal(names, want) {
		t.Errorf("have JSON fields %v, want %v", names, want)
	}

	loaded, err := loadSnapshot(config, nil, db, snap.Hash)
	if err != nil {
		t.Fatal(err)
	}
	if loaded.config != config {
		t.Errorf("loaded snapshot lost its config")
	}
	if !reflect.DeepEqual(loaded, snap) {
		have, _ := json.Marshal(loaded)
		want, _ := json.Marshal(snap)
		t.Errorf("round trip:\nhave %s\nwant %s", have, want)
	}
	if _, err := loadSnapshot(config, nil, db, common.Hash{0xbb}); err == nil {
		t.Errorf("load of a missing snapshot: have no error, want one")
	}
	// A snapshot stored under the wrong hash is refused, not trusted.
	if err := db.Put(snapshotKey(common.Hash{0xcc}), blob); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSnapshot(config, nil, db, common.Hash{0xcc}); !errors.Is(err, errInvalidSnapshot) {
		t.Errorf("load under the wrong hash: have error %v, want %v", err, errInvalidSnapshot)
	}
	if err := db.Put(snapshotKey(common.Hash{0xdd}), []byte("{")); err != nil {
		t.Fatal(err)
	}
	if _, err := loadSnapshot(config, nil, db, common.Hash{0xdd}); !errors.Is(err, errInvalidSnapshot) {
		t.Errorf("load of bad JSON: have error %v, want %v", err, errInvalidSnapshot)
	}
}

// longChain seals n empty blocks in turn by three signers on a period-0
// chain, with an epoch long enough to hold no checkpoint.
func longChain(t testing.TB, keys *keyring, n int) *testChain {
	t.Helper()
	config := testChainConfig(0, 0)
	labels := []string{"A", "B", "C"}
	signers := keys.addresses(labels...)
	chain := newTestChain(config, testGenesis(config, signers).ToBlock().Header())
	byAddress := make(map[common.Address]string)
	for _, l := range labels {
		byAddress[keys.address(l)] = l
	}
	for i := 0; i < n; i++ {
		header := nextHeader(config, chain.CurrentHeader())
		signer := signers[header.Number.Uint64()%uint64(len(signers))]
		header.Difficulty = big.NewInt(2)
		keys.sign(header, byAddress[signer])
		chain.insert(header)
	}
	return chain
}

// TestSnapshotRestart checks that a new engine on the same database starts
// from the snapshot saved at block 1024 instead of replaying from genesis.
func TestSnapshotRestart(t *testing.T) {
	keys := newKeyring()
	chain := longChain(t, keys, checkpointInterval+10)
	head := chain.CurrentHeader()
	db := rawdb.NewMemoryDatabase()

	// The first engine follows the chain block by block, as a running node.
	first := New(chain.config.Clique, db)
	var want *Snapshot
	for _, header := range chain.canonical {
		snap, err := snapshotAt(first, chain, header)
		if err != nil {
			t.Fatalf("block %d: %v", header.Number, err)
		}
		want = snap
	}
	checkpoint := chain.GetHeaderByNumber(checkpointInterval)
	if ok, _ := db.Has(snapshotKey(checkpoint.Hash())); !ok {
		t.Fatalf("no snapshot saved at block %d", checkpointInterval)
	}
	// Headers up to the checkpoint are no longer readable: only the saved
	// snapshot can get the second engine there.
	chain.hide = func(number uint64) bool { return number <= checkpointInterval }
	second := New(chain.config.Clique, db)
	have, err := snapshotAt(second, chain, head)
	if err != nil {
		t.Fatalf("snapshot after restart: %v", err)
	}
	if h, w := mustJSON(have), mustJSON(want); h != w {
		t.Fatalf("have %s, want %s", h, w)
	}
	// Without the saved snapshot the same lookup has to fail.
	third := New(chain.config.Clique, rawdb.NewMemoryDatabase())
	if _, err := snapshotAt(third, chain, head); err == nil {
		t.Fatalf("snapshot without saved checkpoint and hidden history: have no error, want one")
	}
}

// TestSnapshotTrustedCheckpoint checks that an epoch block whose parent is
// missing is taken on trust from its signer list.
func TestSnapshotTrustedCheckpoint(t *testing.T) {
	keys := newKeyring()
	config := testChainConfig(0, 4)
	chain := newTestChain(config, testGenesis(config, keys.addresses("A", "B")).ToBlock().Header())
	for i := 0; i < 6; i++ {
		header := nextHeader(config, chain.CurrentHeader())
		signer := "A"
		if i%2 == 1 {
			signer = "B"
		}
		if header.Number.Uint64()%4 == 0 {
			header.Extra = (&Extra{Signers: keys.addresses("A", "C")}).Encode() // not the real set: trusted as is
		}
		keys.sign(header, signer)
		chain.insert(header)
	}
	chain.hide = func(number uint64) bool { return number == 3 }
	engine := New(config.Clique, rawdb.NewMemoryDatabase())
	snap, err := snapshotAt(engine, chain, chain.GetHeaderByNumber(4))
	if err != nil {
		t.Fatal(err)
	}
	if have, want := keys.names(snap.signers()), []string{"A", "C"}; !slices.Equal(have, want) {
		t.Errorf("have signers %v, want %v", have, want)
	}
	if len(snap.Recents) != 0 || len(snap.Votes) != 0 {
		t.Errorf("have recents %v and votes %v, want none", snap.Recents, snap.Votes)
	}
}

// TestInturn checks the in-turn signer rotation and the signer limit.
func TestInturn(t *testing.T) {
	signers := []common.Address{{0x03}, {0x01}, {0x02}}
	snap := newSnapshot(&params.CliqueConfig{Epoch: 10}, nil, 0, common.Hash{}, signers)
	tests := []struct {
		number uint64
		signer common.Address
		want   bool
	}{
		{0, common.Address{0x01}, true},
		{1, common.Address{0x02}, true},
		{2, common.Address{0x03}, true},
		{3, common.Address{0x01}, true},
		{3, common.Address{0x02}, false},
		{4, common.Address{0x09}, false}, // not a signer
	}
	for _, tt := range tests {
		if have := snap.inturn(tt.number, tt.signer); have != tt.want {
			t.Errorf("inturn(%d, %x): have %v, want %v", tt.number, tt.signer[:1], have, tt.want)
		}
		if in, ok := snap.InTurnSigner(tt.number); !ok || (in == tt.signer) != tt.want {
			t.Errorf("InTurnSigner(%d): have %x (%v), want %x in turn: %v", tt.number, in[:1], ok, tt.signer[:1], tt.want)
		}
	}
	if have, want := snap.Limit(), uint64(2); have != want {
		t.Errorf("Limit of 3 signers: have %d, want %d", have, want)
	}
	if have, want := snap.limit(), uint64(2); have != want {
		t.Errorf("limit of 3 signers: have %d, want %d", have, want)
	}
	empty := newSnapshot(&params.CliqueConfig{Epoch: 10}, nil, 0, common.Hash{}, nil)
	if empty.inturn(5, common.Address{0x01}) {
		t.Errorf("inturn with no signers: have true, want false")
	}
	if _, ok := empty.InTurnSigner(5); ok {
		t.Errorf("InTurnSigner with no signers: have ok, want none")
	}
}
