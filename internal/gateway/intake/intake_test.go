package intake

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/syndtr/goleveldb/leveldb"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/registry"
)

var testDomain = ballots.Domain{ChainID: 1337, Contract: contracts.PollsAddress}

// fakeChain is a chain of polls for the intake's checks.
type fakeChain struct {
	mu    sync.Mutex
	polls map[uint64]*registry.Poll
	voted map[[2]uint64]bool
	now   uint64
	down  bool
}

func (c *fakeChain) Poll(_ context.Context, id uint64) (*registry.Poll, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.down {
		return nil, errors.New("connection refused")
	}
	p, ok := c.polls[id]
	if !ok {
		return nil, &registry.RevertError{Action: "Polls.getPoll", Reason: fmt.Sprintf("UnknownPoll(%d)", id)}
	}
	return p, nil
}

func (c *fakeChain) HasVoted(_ context.Context, poll uint64, index uint32) (bool, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.voted[[2]uint64{poll, uint64(index)}], nil
}

func (c *fakeChain) HeadTime() (uint64, bool) { return c.now, true }

type voter struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func voters(n int) []voter {
	out := make([]voter, n)
	for i := range out {
		k, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("intake test ", i))))
		out[i] = voter{k, crypto.PubkeyToAddress(k.PublicKey)}
	}
	return out
}

// setup returns an intake over a fresh store with poll 1 (voters 0..3 of
// vs eligible, three options, open) and poll 2 (closed).
func setup(t *testing.T, vs []voter) (*Intake, *fakeChain, *ballots.Eligibility) {
	t.Helper()
	addrs := []common.Address{vs[0].addr, vs[1].addr, vs[2].addr, vs[3].addr}
	el, err := ballots.NewEligibility(addrs)
	if err != nil {
		t.Fatal(err)
	}
	chain := &fakeChain{now: 1000, voted: map[[2]uint64]bool{}, polls: map[uint64]*registry.Poll{
		1: {ID: 1, Options: []string{"a", "b", "c"}, OpensAt: 900, ClosesAt: 2000, VoterCount: 4, EligibleRoot: el.Root()},
		2: {ID: 2, Options: []string{"a", "b"}, OpensAt: 100, ClosesAt: 200, VoterCount: 4, EligibleRoot: el.Root()},
	}}
	store, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := Defaults
	cfg.MaxQueue = 5
	return New(cfg, store, chain, func() ballots.Domain { return testDomain }, nil), chain, el
}

func sign(t *testing.T, v voter, el *ballots.Eligibility, d ballots.Domain, poll uint64, option uint32) ballots.Ballot {
	t.Helper()
	b, err := ballots.Sign(v.key, d, poll, option)
	if err != nil {
		t.Fatal(err)
	}
	if idx, proof, err := el.Proof(v.addr); err == nil {
		b.VoterIndex, b.Proof = idx, proof
	}
	return b
}

// TestChecks runs the intake's checks, each ballot refused for its reason
// and nothing stored for it.
func TestChecks(t *testing.T) {
	vs := voters(6)
	in, chain, el := setup(t, vs)
	chain.voted[[2]uint64{1, 3}] = true
	good := sign(t, vs[0], el, testDomain, 1, 2)
	tests := []struct {
		name string
		b    func() ballots.Ballot
		want error
	}{
		{"other chain", func() ballots.Ballot {
			return sign(t, vs[1], el, ballots.Domain{ChainID: 1, Contract: testDomain.Contract}, 1, 0)
		}, ErrBadSignature},
		{"option changed", func() ballots.Ballot { b := sign(t, vs[1], el, testDomain, 1, 0); b.Option = 1; return b }, ErrBadSignature},
		{"option out of range", func() ballots.Ballot { return sign(t, vs[1], el, testDomain, 1, 3) }, ErrInvalidOption},
		{"not listed", func() ballots.Ballot {
			b := sign(t, vs[5], el, testDomain, 1, 0)
			b.Proof = sign(t, vs[1], el, testDomain, 1, 0).Proof
			return b
		}, ErrNotEligible},
		{"other index", func() ballots.Ballot { b := sign(t, vs[1], el, testDomain, 1, 0); b.VoterIndex = 2; return b }, ErrNotEligible},
		{"index beyond the list", func() ballots.Ballot { b := sign(t, vs[1], el, testDomain, 1, 0); b.VoterIndex = 4; return b }, ErrNotEligible},
		{"voted on chain", func() ballots.Ballot { return sign(t, vs[3], el, testDomain, 1, 0) }, ErrAlreadyVoted},
		{"closed poll", func() ballots.Ballot { return sign(t, vs[1], el, testDomain, 2, 0) }, ErrPollNotOpen},
		{"unknown poll", func() ballots.Ballot { return sign(t, vs[1], el, testDomain, 9, 0) }, ErrUnknownPoll},
		{"short signature", func() ballots.Ballot {
			b := sign(t, vs[1], el, testDomain, 1, 0)
			b.Signature = b.Signature[:64]
			return b
		}, ErrMalformed},
		{"no voter", func() ballots.Ballot { b := sign(t, vs[1], el, testDomain, 1, 0); b.Voter = common.Address{}; return b }, ErrMalformed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := tt.b()
			_, _, err := in.Submit(context.Background(), b)
			if !errors.Is(err, tt.want) {
				t.Fatalf("have %v, want %v", err, tt.want)
			}
			if r, _ := in.Get(BallotID(testDomain, b.Poll, b.Voter)); r != nil {
				t.Errorf("a refused ballot was stored: %+v", r)
			}
		})
	}
	rec, existed, err := in.Submit(context.Background(), good)
	if err != nil || existed || rec.State != StateQueued {
		t.Fatalf("good ballot: have %+v, %v, %v", rec, existed, err)
	}
	again, existed, err := in.Submit(context.Background(), good)
	if err != nil || !existed || again.ID != rec.ID {
		t.Errorf("the same ballot again: have %+v, existed %v, %v; want the same id", again, existed, err)
	}
	var ref *Refusal
	_, _, err = in.Submit(context.Background(), sign(t, vs[0], el, testDomain, 1, 0))
	if !errors.As(err, &ref) || !errors.Is(err, ErrAlreadyQueued) || ref.ID == nil || *ref.ID != rec.ID {
		t.Errorf("another ballot of the voter: have %v, want %v naming %s", err, ErrAlreadyQueued, rec.ID)
	}
	chain.down = true
	in.polls = map[uint64]cachedPoll{}
	if _, _, err := in.Submit(context.Background(), sign(t, vs[1], el, testDomain, 1, 0)); !errors.Is(err, ErrUnavailable) {
		t.Errorf("chain down: have %v, want %v", err, ErrUnavailable)
	}
}

// TestQueueFull refuses ballots beyond the queue's size with queue-full.
func TestQueueFull(t *testing.T) {
	vs := voters(4)
	in, _, el := setup(t, vs)
	in.cfg.MaxQueue = 2
	for i := range 2 {
		if _, _, err := in.Submit(context.Background(), sign(t, vs[i], el, testDomain, 1, 0)); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := in.Submit(context.Background(), sign(t, vs[2], el, testDomain, 1, 0)); !errors.Is(err, ErrQueueFull) {
		t.Errorf("third ballot: have %v, want %v", err, ErrQueueFull)
	}
}

// TestStoreLifecycle moves ballots through their states, across a reopen:
// queued, sent (with the transaction in flight), counted or rejected, or
// queued again; the counts and the event log follow.
func TestStoreLifecycle(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	var recs []*Record
	for i := range 5 {
		r := &Record{ID: common.Hash{byte(i + 1)}, Poll: 1 + uint64(i%2), Voter: common.Address{byte(i + 1)}, VoterIndex: uint32(i), Signature: make([]byte, 65)}
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
		recs = append(recs, r)
	}
	if q, f := s.Counts(); q != 5 || f != 0 {
		t.Fatalf("counts after 5 adds: %d queued, %d in flight", q, f)
	}
	if fmt.Sprint(s.Polls()) != "[1 2]" {
		t.Errorf("polls: %v", s.Polls())
	}
	queued, err := s.Queued(1, 10, nil)
	if err != nil || len(queued) != 3 || queued[0].ID != recs[0].ID || queued[2].ID != recs[4].ID {
		t.Fatalf("queued of poll 1: %d, %v; want ballots 1, 3, 5 in order", len(queued), err)
	}
	tx := &TxRecord{Hash: common.Hash{0xaa}, Nonce: 7, Poll: 1, Raw: []byte{1}, Ballots: []common.Hash{queued[0].ID, queued[1].ID, queued[2].ID}}
	if err := s.MarkSent(tx, queued); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = OpenStore(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if q, f := s.Counts(); q != 2 || f != 3 {
		t.Errorf("counts after reopen: %d queued, %d in flight; want 2, 3", q, f)
	}
	inflight, err := s.Inflight()
	if err != nil || len(inflight) != 1 || inflight[0].Hash != tx.Hash || len(inflight[0].Ballots) != 3 {
		t.Fatalf("in flight after reopen: %+v, %v", inflight, err)
	}
	r, _ := s.Get(recs[0].ID)
	if r.State != StateSent || r.Tx != tx.Hash || r.Nonce != 7 {
		t.Errorf("sent ballot: %+v", r)
	}
	outcomes := []Outcome{
		{ID: recs[0].ID, State: StateCounted, Tx: tx.Hash, Block: 9, LogIndex: 0},
		{ID: recs[2].ID, State: StateRejected, Tx: tx.Hash, Block: 9, LogIndex: 1, Reason: "AlreadyVoted"},
		{ID: recs[4].ID, State: StateCounted, Tx: tx.Hash, Block: 9, LogIndex: 2},
	}
	if err := s.Finish(inflight[0], outcomes); err != nil {
		t.Fatal(err)
	}
	if q, f := s.Counts(); q != 2 || f != 0 {
		t.Errorf("counts after finish: %d queued, %d in flight", q, f)
	}
	if r, _ := s.Get(recs[2].ID); r.State != StateRejected || r.Reason != "AlreadyVoted" || r.Block != 9 {
		t.Errorf("rejected ballot: %+v", r)
	}
	// Poll 2's batch is never mined: queued again.
	q2, _ := s.Queued(2, 10, nil)
	tx2 := &TxRecord{Hash: common.Hash{0xbb}, Nonce: 8, Poll: 2, Ballots: []common.Hash{q2[0].ID, q2[1].ID}}
	if err := s.MarkSent(tx2, q2); err != nil {
		t.Fatal(err)
	}
	if err := s.Requeue(tx2); err != nil {
		t.Fatal(err)
	}
	if q, f := s.Counts(); q != 2 || f != 0 {
		t.Errorf("counts after requeue: %d queued, %d in flight", q, f)
	}
	if again, _ := s.Queued(2, 10, nil); len(again) != 2 || again[0].ID != q2[0].ID {
		t.Errorf("queue of poll 2 after requeue: %d ballots", len(again))
	}
	// Events: 5 queued, 3 sent, 3 outcomes, 2 sent, 2 queued again.
	evs, seqs, err := s.Events(0, 100)
	if err != nil || len(evs) != 15 {
		t.Fatalf("events: %d, %v; want 15", len(evs), err)
	}
	for i := 1; i < len(seqs); i++ {
		if seqs[i] <= seqs[i-1] {
			t.Fatalf("event seqs not ascending: %v", seqs)
		}
	}
	if rest, _, _ := s.Events(seqs[9], 100); len(rest) != 5 {
		t.Errorf("events after the tenth: %d, want 5", len(rest))
	}
	if n, err := s.Prune(4); err != nil || n != 11 {
		t.Errorf("prune to 4: deleted %d, %v; want 11", n, err)
	}
	if left, _, _ := s.Events(0, 100); len(left) != 4 {
		t.Errorf("events after prune: %d, want 4", len(left))
	}
	if !s.Oldest().IsZero() && s.Oldest().UnixNano() != int64(q2[0].Seq) {
		t.Errorf("oldest queued: %v, want ballot %s's", s.Oldest(), q2[0].ID)
	}
}

// TestQueueLowMark: the queue's scans start past the ballots sent, and a
// batch queued again comes first again, before newer ballots.
func TestQueueLowMark(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := range 6 {
		r := &Record{ID: common.Hash{byte(i + 1)}, Poll: 1, Voter: common.Address{byte(i + 1)}, VoterIndex: uint32(i), Signature: make([]byte, 65)}
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	ids := func(recs []*Record) (out []byte) {
		for _, r := range recs {
			out = append(out, r.ID[0])
		}
		return out
	}
	send := func(nonce uint64) *TxRecord {
		t.Helper()
		batch, err := s.Queued(1, 2, nil)
		if err != nil {
			t.Fatal(err)
		}
		tx := &TxRecord{Hash: common.Hash{byte(nonce)}, Nonce: nonce, Poll: 1}
		for _, r := range batch {
			tx.Ballots = append(tx.Ballots, r.ID)
		}
		if err := s.MarkSent(tx, batch); err != nil {
			t.Fatal(err)
		}
		return tx
	}
	first := send(1)
	second := send(2)
	if fmt.Sprint(second.Ballots) != fmt.Sprint([]common.Hash{{3}, {4}}) {
		t.Errorf("second batch: have %x, want ballots 3 and 4", second.Ballots)
	}
	rest, _ := s.Queued(1, 10, nil)
	if have := ids(rest); fmt.Sprint(have) != "[5 6]" {
		t.Errorf("queue after two batches: have %v, want [5 6]", have)
	}
	if have := s.Oldest().UnixNano(); have != int64(rest[0].Seq) {
		t.Errorf("oldest after two batches: have %d, want ballot 5's queue position %d", have, rest[0].Seq)
	}
	if err := s.Requeue(first); err != nil {
		t.Fatal(err)
	}
	if have, want := s.Oldest().UnixNano(), s.low[1]; have != int64(want) || s.low[1] >= rest[0].Seq {
		t.Errorf("oldest after the first batch was queued again: have %d, want ballot 1's queue position %d (below 5's %d)", have, want, rest[0].Seq)
	}
	again, _ := s.Queued(1, 10, nil)
	if have := ids(again); fmt.Sprint(have) != "[1 2 5 6]" {
		t.Errorf("queue after the first batch was queued again: have %v, want [1 2 5 6]", have)
	}
	skipped, _ := s.Queued(1, 10, func(id common.Hash) bool { return id[0] == 1 || id[0] == 5 })
	if have := ids(skipped); fmt.Sprint(have) != "[2 6]" {
		t.Errorf("queue with ballots 1 and 5 claimed: have %v, want [2 6]", have)
	}
}

// TestStoreLayout: a ballot's body (signature and proof) is written once,
// when it is taken; its changes write only its state and events, whose JSON
// says each state as it was.
func TestStoreLayout(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	r := &Record{ID: common.Hash{7}, Poll: 3, Option: 1, Voter: common.Address{9}, VoterIndex: 5, Signature: make([]byte, 65), Proof: []common.Hash{{1}, {2}}}
	if err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	writes := 0
	snap, _ := s.db.GetSnapshot()
	bodyBefore, _ := snap.Get(key(prefixBody, r.ID), nil)
	snap.Release()
	queued, _ := s.Queued(3, 1, nil)
	if len(queued) != 1 || len(queued[0].Proof) != 2 || len(queued[0].Signature) != 65 || queued[0].VoterIndex != 5 || queued[0].Option != 1 {
		t.Fatalf("queued ballot read back: %+v", queued)
	}
	tx := &TxRecord{Hash: common.Hash{0xaa}, Nonce: 1, Poll: 3, Ballots: []common.Hash{r.ID}}
	if err := s.MarkSent(tx, queued); err != nil {
		t.Fatal(err)
	}
	if err := s.Finish(tx, []Outcome{{ID: r.ID, State: StateCounted, Tx: tx.Hash, Block: 4, LogIndex: 2}}); err != nil {
		t.Fatal(err)
	}
	it := s.db.NewIterator(nil, nil)
	for it.Next() {
		if it.Key()[0] == prefixBody[0] {
			writes++
			if string(it.Value()) != string(bodyBefore) {
				t.Errorf("body changed after the ballot was sent and counted")
			}
		}
	}
	it.Release()
	if writes != 1 {
		t.Errorf("%d bodies stored, want 1", writes)
	}
	got, err := s.Get(r.ID)
	if err != nil || got.State != StateCounted || got.Block != 4 || got.LogIndex != 2 || len(got.Proof) != 2 || got.Received == 0 {
		t.Errorf("record after counting: %+v, %v", got, err)
	}
	if st, _ := s.State(r.ID); st.Proof != nil || st.Signature != nil || st.State != StateCounted || st.Voter != r.Voter {
		t.Errorf("state without body: %+v", st)
	}
	evs, seqs, err := s.Events(0, 10)
	if err != nil || len(evs) != 3 {
		t.Fatalf("events: %d, %v; want 3", len(evs), err)
	}
	for i, st := range []string{StateQueued, StateSent, StateCounted} {
		var e Event
		if err := json.Unmarshal(evs[i], &e); err != nil {
			t.Fatal(err)
		}
		if e.Seq != seqs[i] || e.ID != r.ID || e.Poll != 3 || e.Voter != r.Voter || e.State != st || e.Time == 0 {
			t.Errorf("event %d: %s", i, evs[i])
		}
		if (st == StateQueued) != (e.Tx == nil) || (st == StateCounted) != (e.LogIndex != nil && *e.LogIndex == 2 && e.Block == 4) {
			t.Errorf("event %d (%s): %s", i, st, evs[i])
		}
	}
}

// TestStoreMigration opens a store written in the layout before ADR 071
// (the whole record under b + id, events as JSON): the records are moved to
// body and state, read back whole, and the old events are served as they
// were, before the new ones.
func TestStoreMigration(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	b := new(leveldb.Batch)
	old := []*Record{
		{ID: common.Hash{1}, Poll: 1, Voter: common.Address{1}, VoterIndex: 0, Signature: make([]byte, 65), Proof: []common.Hash{{3}}, State: StateQueued, Seq: 100},
		{ID: common.Hash{2}, Poll: 1, Voter: common.Address{2}, VoterIndex: 1, Signature: make([]byte, 65), State: StateCounted, Seq: 101, Tx: common.Hash{0xaa}, Block: 8},
	}
	for _, r := range old {
		enc, _ := rlp.EncodeToBytes(r)
		b.Put(key(prefixBallot, r.ID), enc)
		ev, _ := json.Marshal(r.event(r.Seq))
		b.Put(key(prefixEvent, r.Seq), ev)
	}
	b.Put(key(prefixQueue, uint64(1), uint64(100)), old[0].ID[:])
	if err := s.db.Write(b, syncWrite); err != nil {
		t.Fatal(err)
	}
	s.Close()
	if s, err = OpenStore(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, r := range old {
		got, err := s.Get(r.ID)
		if err != nil || got == nil || got.State != r.State || got.Seq != r.Seq || len(got.Proof) != len(r.Proof) || got.Block != r.Block {
			t.Errorf("ballot %x after migration: %+v, %v", r.ID[:1], got, err)
		}
	}
	if n, _ := s.db.Has(key(prefixBallot, old[0].ID), nil); n {
		t.Error("old-layout record left after migration")
	}
	if q, _ := s.Counts(); q != 1 {
		t.Errorf("queued after migration: %d, want 1", q)
	}
	r := &Record{ID: common.Hash{3}, Poll: 1, Voter: common.Address{3}, VoterIndex: 2, Signature: make([]byte, 65)}
	if err := s.Add(r); err != nil {
		t.Fatal(err)
	}
	evs, seqs, err := s.Events(0, 10)
	if err != nil || len(evs) != 3 || seqs[0] != 100 || seqs[1] != 101 || seqs[2] <= 101 {
		t.Fatalf("events after migration: %d %v, %v", len(evs), seqs, err)
	}
	for i, want := range []string{`"state":"queued"`, `"state":"counted"`, `"state":"queued"`} {
		if !strings.Contains(string(evs[i]), want) {
			t.Errorf("event %d: %s, want %s", i, evs[i], want)
		}
	}
}

// TestQueueLowMarkConcurrentAdds: a ballot whose write completes after a
// later ballot's (concurrent Adds finish in any order) is still found by
// the queue's scans. Before, the scan that found the later one first raised
// the low mark above the earlier one's position, and it stayed queued for
// ever (W6, 1.5 million ballots: two of them).
func TestQueueLowMarkConcurrentAdds(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	slow := &Record{ID: common.Hash{1}, Poll: 1, Voter: common.Address{1}, VoterIndex: 0, Signature: make([]byte, 65)}
	s.beginAdd(slow) // given the earlier position, its write not done yet
	fast := &Record{ID: common.Hash{2}, Poll: 1, Voter: common.Address{2}, VoterIndex: 1, Signature: make([]byte, 65)}
	if err := s.Add(fast); err != nil {
		t.Fatal(err)
	}
	if fast.Seq <= slow.Seq {
		t.Fatalf("positions: slow %d, fast %d; want slow first", slow.Seq, fast.Seq)
	}
	if first, _ := s.Queued(1, 10, nil); len(first) != 1 || first[0].ID != fast.ID {
		t.Fatalf("scan during the slow write: %d ballots, want the fast one", len(first))
	}
	if err := s.writeAdd(slow); err != nil {
		t.Fatal(err)
	}
	s.endAdd(slow, true)
	got, err := s.Queued(1, 10, nil)
	if err != nil || len(got) != 2 || got[0].ID != slow.ID || got[1].ID != fast.ID {
		t.Fatalf("scan after the slow write: %d ballots, %v; want both, the slow one first", len(got), err)
	}
	if q, _ := s.Counts(); q != 2 {
		t.Errorf("queued: %d, want 2", q)
	}
}

// TestFinishHeld stores the same outcomes from the states the relayer holds
// as from the store's; a held record of another ballot is not used (the
// ballot's own stored state is).
func TestFinishHeld(t *testing.T) {
	finish := func(held func(sent []*Record) []*Record) []*Record {
		s, err := OpenStore(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		defer s.Close()
		for i := range 3 {
			if err := s.Add(&Record{ID: common.Hash{byte(i + 1)}, Poll: 1, Option: uint32(i), Voter: common.Address{byte(i + 1)}, VoterIndex: uint32(i), Signature: make([]byte, 65), Proof: []common.Hash{{9}}}); err != nil {
				t.Fatal(err)
			}
		}
		queued, _ := s.Queued(1, 10, nil)
		tx := &TxRecord{Hash: common.Hash{0xaa}, Nonce: 1, Poll: 1, Ballots: []common.Hash{queued[0].ID, queued[1].ID, queued[2].ID}}
		if err := s.MarkSent(tx, queued); err != nil {
			t.Fatal(err)
		}
		outcomes := []Outcome{
			{ID: queued[0].ID, State: StateCounted, Tx: tx.Hash, Block: 9, LogIndex: 0},
			{ID: queued[1].ID, State: StateRejected, Tx: tx.Hash, Block: 9, LogIndex: 1, Reason: "AlreadyVoted"},
			{ID: queued[2].ID, State: StateCounted, Tx: tx.Hash, Block: 9, LogIndex: 2},
		}
		if err := s.FinishAll([]Mined{{Tx: tx, Outcomes: outcomes, Held: held(queued)}}); err != nil {
			t.Fatal(err)
		}
		if q, f := s.Counts(); q != 0 || f != 0 {
			t.Errorf("counts after finish: %d queued, %d in flight", q, f)
		}
		var out []*Record
		for _, id := range tx.Ballots {
			r, _ := s.State(id)
			r.Updated, r.Seq, r.Received = 0, 0, 0 // times of this run
			out = append(out, r)
		}
		return out
	}
	want := finish(func([]*Record) []*Record { return nil })
	for name, held := range map[string]func([]*Record) []*Record{
		"held":          func(sent []*Record) []*Record { return sent },
		"one of others": func(sent []*Record) []*Record { return []*Record{sent[0], sent[0], sent[2]} },
	} {
		have := finish(held)
		for i := range want {
			if fmt.Sprintf("%+v", have[i]) != fmt.Sprintf("%+v", want[i]) {
				t.Errorf("%s: ballot %d: have %+v, want %+v", name, i, have[i], want[i])
			}
		}
	}
}

// TestQueuedFromMemory gives the relayer the ballots this process added as
// they were stored, without reading them back (their stored bodies are
// deleted here to show it), each scan a copy of its own; once sent, and
// after a requeue, they are read from the database.
func TestQueuedFromMemory(t *testing.T) {
	s, err := OpenStore(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	var ids []common.Hash
	for i := range 3 {
		r := &Record{ID: common.Hash{byte(i + 1)}, Poll: 1, Option: uint32(i), Voter: common.Address{byte(i + 1)}, VoterIndex: uint32(i), Signature: make([]byte, 65), Proof: []common.Hash{{9}, {byte(i)}}}
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, r.ID)
	}
	stored := make([]*Record, len(ids))
	for i, id := range ids {
		stored[i], _ = s.Get(id)
		if err := s.db.Delete(key(prefixBody, id), nil); err != nil {
			t.Fatal(err)
		}
	}
	queued, err := s.Queued(1, 10, nil)
	if err != nil || len(queued) != 3 {
		t.Fatalf("queued: %d ballots, %v; want 3 from memory", len(queued), err)
	}
	for i, r := range queued {
		if fmt.Sprintf("%+v", r) != fmt.Sprintf("%+v", stored[i]) {
			t.Errorf("ballot %d: have %+v, want as stored %+v", i, r, stored[i])
		}
	}
	queued[0].State = StateSent // the relayer's copy
	if again, _ := s.Queued(1, 1, nil); len(again) != 1 || again[0].State != StateQueued {
		t.Errorf("a scan's change reached the kept record: %+v", again)
	}
	tx := &TxRecord{Hash: common.Hash{0xaa}, Nonce: 1, Poll: 1, Ballots: ids}
	if err := s.MarkSent(tx, queued); err != nil {
		t.Fatal(err)
	}
	if len(s.fresh) != 0 {
		t.Errorf("%d ballots kept in memory after they were sent", len(s.fresh))
	}
	if err := s.Requeue(tx); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Queued(1, 10, nil); err == nil || !strings.Contains(err.Error(), "body") {
		t.Errorf("requeued ballots without stored bodies: have %v, want them read from the database (body not found)", err)
	}
}
