package intake

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/filter"
	"github.com/syndtr/goleveldb/leveldb/opt"
	"github.com/syndtr/goleveldb/leveldb/util"

	"github.com/citychain/citychain/internal/cmdkit/atomicfile"
)

// Key prefixes of the store (ADR 071). A ballot is two entries: its body,
// the signature and the eligibility proof (most of its bytes), written once;
// and its state, small, written again at each change. An event is the id
// and the state it recorded, in the state's own encoding: its JSON is made
// when a follower reads it.
var (
	prefixBody   = []byte("B") // B + id -> body (RLP): signature and proof
	prefixState  = []byte("S") // S + id -> state (RLP): everything else of the Record
	prefixQueue  = []byte("q") // q + poll (8) + seq (8) -> id: the queue, per poll, oldest first
	prefixTx     = []byte("t") // t + nonce (8) -> TxRecord (RLP): relay transactions in flight
	prefixEvent  = []byte("e") // e + seq (8) -> eventTag, id (32), state (RLP); or an Event as JSON (stores before ADR 071)
	prefixBallot = []byte("b") // b + id -> Record (RLP): the layout before ADR 071, moved to B and S at open
)

// maxFresh bounds the ballots kept in memory for the relayer's next scans
// (about 1 KB each with a proof of depth 20); beyond it, or after a restart,
// Queued reads them from the database.
const maxFresh = 20_000

// syncWrite is how every change that an answer or a transaction depends on
// is written: to the journal and fsynced before the call returns.
var syncWrite = &opt.WriteOptions{Sync: true}

// Store is the ballots' database: records, the queue per poll, relay
// transactions in flight and the event log.
type Store struct {
	db *leveldb.DB

	mu      sync.Mutex
	queued  map[uint64]int          // ballots queued per poll
	low     map[uint64]uint64       // per poll, a queue position at or below its oldest queued ballot
	lowGen  uint64                  // counts Requeue's lowerings: a scan that saw one begin does not raise a mark
	adding  map[uint64]bool         // queue positions given to Adds whose write has not completed
	sent    int                     // ballots in transactions in flight
	lastSeq uint64                  // last queue or event sequence number given
	fresh   map[common.Hash]*Record // ballots this process added and has not sent, as stored (at most maxFresh): Queued takes them without reading them back
	known   *known                  // ids surely not stored, answered without a read

	changed chan struct{} // closed and replaced when events are added
}

// OpenStore opens (creating if needed) the store in dir.
func OpenStore(dir string) (*Store, error) {
	// goleveldb makes a missing directory without fsyncing its parent: a
	// power cut could then lose the store with every ballot answered 202
	// (TestStoreAcrossPowerCut).
	if err := atomicfile.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("make ballot store directory %s: %w", dir, err)
	}
	db, err := leveldb.OpenFile(dir, storeOptions())
	if err != nil {
		return nil, fmt.Errorf("open ballot store %s: %w", dir, err)
	}
	s := &Store{db: db, queued: map[uint64]int{}, low: map[uint64]uint64{}, adding: map[uint64]bool{}, fresh: map[common.Hash]*Record{}, known: newKnown(), changed: make(chan struct{})}
	if err := s.migrate(); err != nil {
		db.Close()
		return nil, fmt.Errorf("ballot store %s: move records to the layout of ADR 071: %w", dir, err)
	}
	if err := s.load(); err != nil {
		db.Close()
		return nil, err
	}
	go func() {
		defer close(s.known.done)
		if err := s.known.scan(db); err != nil {
			log.Warn("Cannot list the ballot store's ids: every duplicate check reads the store", "err", err)
		}
	}()
	return s, nil
}

// storeOptions are goleveldb's options for the ballot store (W6's profiles,
// docs/benchmarks.md):
//   - a Bloom filter (10 bits a key): a lookup of a ballot not stored reads
//     no table block;
//   - no compression: a ballot's bytes are hashes, signatures and proofs,
//     which snappy does not shrink, and compressing every block written by
//     a flush or a compaction cost about 9 us a ballot;
//   - no compaction triggered by seeks: every new ballot's duplicate check
//     is a miss that consults each overlapping level-0 table (the keys are
//     random), and goleveldb counted those as seeks and compacted for them
//     (the key ranges stay as they are: level sizes still trigger
//     compactions);
//   - a block cache of 32 MiB instead of 8: the relayer reads a backlog of
//     ballots (beyond the maxFresh kept in memory, or after a restart) in
//     queue order, which is random in the ballots' ids, and with 8 MiB the
//     tables' index and filter blocks were read again from the files for
//     most lookups (a third of the gateway's CPU while it relayed 300,000
//     held ballots: ADR 097).
func storeOptions() *opt.Options {
	return &opt.Options{
		BlockCacheCapacity:     32 << 20,
		WriteBuffer:            16 << 20,
		Filter:                 filter.NewBloomFilter(10),
		Compression:            opt.NoCompression,
		DisableSeeksCompaction: true,
	}
}

// load counts the queue and the ballots in flight and finds the last
// sequence number given, from the keys on disk.
func (s *Store) load() error {
	it := s.db.NewIterator(util.BytesPrefix(prefixQueue), nil)
	for it.Next() {
		k := it.Key()
		s.queued[binary.BigEndian.Uint64(k[1:9])]++
		s.lastSeq = max(s.lastSeq, binary.BigEndian.Uint64(k[9:17]))
	}
	it.Release()
	if err := it.Error(); err != nil {
		return err
	}
	txs, err := s.Inflight()
	if err != nil {
		return err
	}
	for _, t := range txs {
		s.sent += len(t.Ballots)
	}
	it = s.db.NewIterator(util.BytesPrefix(prefixEvent), nil)
	if it.Last() {
		s.lastSeq = max(s.lastSeq, binary.BigEndian.Uint64(it.Key()[1:]))
	}
	it.Release()
	return it.Error()
}

// Close closes the database.
func (s *Store) Close() error {
	s.known.stop.Store(true)
	<-s.known.done
	return s.db.Close()
}

// nextSeq returns a sequence number above every one given: the time in ns,
// or the last one plus one if the clock has not moved on.
func (s *Store) nextSeq() uint64 {
	s.lastSeq = max(s.lastSeq+1, uint64(time.Now().UnixNano()))
	return s.lastSeq
}

func key(prefix []byte, parts ...any) []byte {
	k := append([]byte{}, prefix...)
	for _, p := range parts {
		switch v := p.(type) {
		case uint64:
			k = binary.BigEndian.AppendUint64(k, v)
		case common.Hash:
			k = append(k, v[:]...)
		}
	}
	return k
}

// Get returns the record of id, nil if there is none.
func (s *Store) Get(id common.Hash) (*Record, error) {
	if s.known.absent(id) {
		return nil, nil
	}
	r, err := s.State(id)
	if r == nil || err != nil {
		return r, err
	}
	data, err := s.db.Get(key(prefixBody, id), nil)
	if err != nil {
		return nil, fmt.Errorf("ballot %s: body: %w", id, err)
	}
	var b body
	if err := rlp.DecodeBytes(data, &b); err != nil {
		return nil, fmt.Errorf("ballot %s: body: %w", id, err)
	}
	r.Signature, r.Proof = b.Signature, b.Proof
	return r, nil
}

// State returns the record of id without its signature and proof (nil if
// there is none): one small read.
func (s *Store) State(id common.Hash) (*Record, error) {
	data, err := s.db.Get(key(prefixState, id), nil)
	if errors.Is(err, leveldb.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var st state
	if err := rlp.DecodeBytes(data, &st); err != nil {
		return nil, fmt.Errorf("ballot %s: %w", id, err)
	}
	return st.record(id), nil
}

// Counts returns the ballots queued and in flight.
func (s *Store) Counts() (queued, sent int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, n := range s.queued {
		queued += n
	}
	return queued, s.sent
}

// Changed returns a channel closed when the next events are stored.
func (s *Store) Changed() <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.changed
}

// notify wakes the followers of the event log.
func (s *Store) notify() {
	s.mu.Lock()
	close(s.changed)
	s.changed = make(chan struct{})
	s.mu.Unlock()
}

// putState adds r's state and the event of it to b.
func (s *Store) putState(b *leveldb.Batch, r *Record) error {
	enc, err := rlp.EncodeToBytes(stateOf(r))
	if err != nil {
		return err
	}
	b.Put(key(prefixState, r.ID), enc)
	s.mu.Lock()
	seq := s.nextSeq()
	s.mu.Unlock()
	ev := make([]byte, 0, 1+len(r.ID)+len(enc))
	ev = append(append(append(ev, eventTag), r.ID[:]...), enc...)
	b.Put(key(prefixEvent, seq), ev)
	return nil
}

// putRecord adds r whole (body and state) and its state's event to b.
func (s *Store) putRecord(b *leveldb.Batch, r *Record) error {
	if err := s.putBody(b, r); err != nil {
		return err
	}
	return s.putState(b, r)
}

// Add stores a new ballot as queued, synced to disk before it returns. The
// caller makes sure no record of its id exists (Intake locks per id).
// Concurrent Adds share one fsync: goleveldb merges the writes waiting for
// the journal into the next one (ADR 038, 069).
func (s *Store) Add(r *Record) error {
	s.beginAdd(r)
	err := s.writeAdd(r)
	s.endAdd(r, err == nil)
	return err
}

// beginAdd gives r its queue position and notes it as being written: until
// endAdd, no scan raises the low mark above it (concurrent Adds complete in
// any order, so a scan can find a later position before an earlier one is
// written).
func (s *Store) beginAdd(r *Record) {
	now := uint64(time.Now().UnixMilli())
	s.mu.Lock()
	r.Seq = s.nextSeq()
	s.adding[r.Seq] = true
	s.mu.Unlock()
	s.known.add(r.ID)
	r.State, r.Received, r.Updated = StateQueued, now, now
}

// writeAdd stores r and its queue entry in one synced write.
func (s *Store) writeAdd(r *Record) error {
	b := new(leveldb.Batch)
	if err := s.putRecord(b, r); err != nil {
		return err
	}
	b.Put(key(prefixQueue, r.Poll, r.Seq), r.ID[:])
	if err := s.db.Write(b, syncWrite); err != nil {
		return fmt.Errorf("store ballot: %w", err)
	}
	return nil
}

// endAdd ends r's write and counts it queued if it was stored.
func (s *Store) endAdd(r *Record, stored bool) {
	s.mu.Lock()
	delete(s.adding, r.Seq)
	if stored {
		s.queued[r.Poll]++
		if len(s.fresh) < maxFresh {
			c := *r // the caller keeps r
			s.fresh[r.ID] = &c
		}
	}
	s.mu.Unlock()
	if stored {
		s.notify()
	}
}

// Polls returns the polls with queued ballots, ascending.
func (s *Store) Polls() []uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]uint64, 0, len(s.queued))
	for p, n := range s.queued {
		if n > 0 {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// Queued returns up to limit queued ballots of poll, oldest first, passing
// over those for which skip holds (nil: none) before reading them.
//
// The scan starts at the poll's low mark, the position of the oldest
// ballot the last scan found: the entries below were deleted as their
// ballots were sent, and LevelDB would otherwise step over every deleted
// entry (up to the whole poll's) on each scan until a compaction drops
// them. New ballots come after the mark; Requeue lowers it.
func (s *Store) Queued(poll uint64, limit int, skip func(id common.Hash) bool) ([]*Record, error) {
	s.mu.Lock()
	low, gen := s.low[poll], s.lowGen
	s.mu.Unlock()
	it := s.db.NewIterator(&util.Range{Start: key(prefixQueue, poll, low), Limit: key(prefixQueue, poll+1)}, nil)
	defer it.Release()
	var (
		out   []*Record
		first = true
	)
	for len(out) < limit && it.Next() {
		if first {
			s.raiseLow(poll, gen, binary.BigEndian.Uint64(it.Key()[9:17]))
			first = false
		}
		id := common.BytesToHash(it.Value())
		if skip != nil && skip(id) {
			continue
		}
		r, err := s.queuedRecord(id)
		if err != nil {
			return nil, err
		}
		if r == nil {
			return nil, fmt.Errorf("queue entry %x names ballot %x, which is not stored", it.Key(), it.Value())
		}
		out = append(out, r)
	}
	return out, it.Error()
}

// queuedRecord returns a queued ballot's record: a copy of the one kept
// since it was added (the caller may change it), or the stored one.
func (s *Store) queuedRecord(id common.Hash) (*Record, error) {
	s.mu.Lock()
	kept := s.fresh[id]
	s.mu.Unlock()
	if kept != nil {
		c := *kept
		return &c, nil
	}
	return s.Get(id)
}

// raiseLow moves poll's low mark up to seq, the oldest entry a scan found,
// unless a Requeue lowered a mark since the scan began (gen), and never
// above a position whose Add is still being written: that ballot's entry
// would otherwise land below the mark and never be scanned (it stayed
// queued until a restart).
func (s *Store) raiseLow(poll, gen, seq uint64) {
	s.mu.Lock()
	for pending := range s.adding {
		seq = min(seq, pending)
	}
	if s.lowGen == gen && seq > s.low[poll] {
		s.low[poll] = seq
	}
	s.mu.Unlock()
}

// Oldest returns the receive time of the oldest queued ballot, zero if none.
// Each poll's queue is read from its low mark, as Queued reads it: from the
// start of the poll's entries, LevelDB stepped over the deletions of every
// ballot sent since the last compaction, and the status and the metrics ask
// this every few seconds (with 300,000 ballots sent, 14 % of the gateway's
// CPU while it relayed: ADR 097).
func (s *Store) Oldest() time.Time {
	var oldest uint64
	for _, p := range s.Polls() {
		s.mu.Lock()
		low := s.low[p]
		s.mu.Unlock()
		it := s.db.NewIterator(&util.Range{Start: key(prefixQueue, p, low), Limit: key(prefixQueue, p+1)}, nil)
		if it.First() {
			seq := binary.BigEndian.Uint64(it.Key()[9:17])
			if oldest == 0 || seq < oldest {
				oldest = seq
			}
		}
		it.Release()
	}
	if oldest == 0 {
		return time.Time{}
	}
	return time.Unix(0, int64(oldest))
}

// MarkSent records that the ballots are carried by tx, before it is sent:
// they leave the queue and tx is kept until its outcome is stored.
func (s *Store) MarkSent(tx *TxRecord, recs []*Record) error {
	now := uint64(time.Now().UnixMilli())
	b := new(leveldb.Batch)
	for _, r := range recs {
		b.Delete(key(prefixQueue, r.Poll, r.Seq))
		r.State, r.Tx, r.Nonce, r.Updated = StateSent, tx.Hash, tx.Nonce, now
		if err := s.putState(b, r); err != nil {
			return err
		}
	}
	enc, err := rlp.EncodeToBytes(tx)
	if err != nil {
		return err
	}
	b.Put(key(prefixTx, tx.Nonce), enc)
	if err := s.db.Write(b, syncWrite); err != nil {
		return fmt.Errorf("store relay transaction: %w", err)
	}
	s.mu.Lock()
	s.queued[tx.Poll] -= len(recs)
	s.sent += len(recs)
	for _, r := range recs {
		delete(s.fresh, r.ID)
	}
	s.mu.Unlock()
	s.notify()
	return nil
}

// Replace records that the ballots of old are now carried by tx (signed
// again with another nonce or fee).
func (s *Store) Replace(old, tx *TxRecord) error {
	b := new(leveldb.Batch)
	now := uint64(time.Now().UnixMilli())
	for _, id := range tx.Ballots {
		r, err := s.State(id)
		if err != nil || r == nil {
			return fmt.Errorf("ballot %s of transaction %s: %v", id, old.Hash, err)
		}
		r.Tx, r.Nonce, r.Updated = tx.Hash, tx.Nonce, now
		if err := s.putState(b, r); err != nil {
			return err
		}
	}
	enc, err := rlp.EncodeToBytes(tx)
	if err != nil {
		return err
	}
	b.Delete(key(prefixTx, old.Nonce))
	b.Put(key(prefixTx, tx.Nonce), enc)
	if err := s.db.Write(b, syncWrite); err != nil {
		return err
	}
	s.notify()
	return nil
}

// Inflight returns the relay transactions in flight, by nonce.
func (s *Store) Inflight() ([]*TxRecord, error) {
	it := s.db.NewIterator(util.BytesPrefix(prefixTx), nil)
	defer it.Release()
	var out []*TxRecord
	for it.Next() {
		t := new(TxRecord)
		if err := rlp.DecodeBytes(it.Value(), t); err != nil {
			return nil, fmt.Errorf("relay transaction %x: %w", it.Key(), err)
		}
		out = append(out, t)
	}
	return out, it.Error()
}

// Outcome is what became of one ballot of a mined transaction.
type Outcome struct {
	ID       common.Hash
	State    string      // StateCounted or StateRejected
	Tx       common.Hash // the transaction whose log says so (another one's for a ballot counted before)
	Block    uint64
	LogIndex uint64
	Reason   string
}

// Mined is a mined relay transaction and what became of each of its ballots.
// Held, if given, are the ballots' records as MarkSent left them
// (Held[i] is Outcomes[i]'s): the relayer keeps them with the transaction,
// and FinishAll then writes each new state without reading the old one.
// A record missing or of another ballot is read from the store.
type Mined struct {
	Tx       *TxRecord
	Outcomes []Outcome
	Held     []*Record
}

// held returns the record of m's i-th outcome: the one held, or the stored one.
func (s *Store) held(m Mined, i int) (*Record, error) {
	id := m.Outcomes[i].ID
	if i < len(m.Held) && m.Held[i] != nil && m.Held[i].ID == id {
		r := *m.Held[i]
		return &r, nil
	}
	return s.State(id)
}

// Finish stores the outcome of every ballot of tx and forgets tx.
func (s *Store) Finish(tx *TxRecord, outcomes []Outcome) error {
	return s.FinishAll([]Mined{{Tx: tx, Outcomes: outcomes}})
}

// FinishAll stores the outcomes of mined transactions and forgets them, in
// one synced write: the relayer finishes every transaction a block mined at
// once, not one fsync after another.
func (s *Store) FinishAll(mined []Mined) error {
	if len(mined) == 0 {
		return nil
	}
	b := new(leveldb.Batch)
	now := uint64(time.Now().UnixMilli())
	done := 0
	for _, m := range mined {
		for i, o := range m.Outcomes {
			r, err := s.held(m, i)
			if err != nil || r == nil {
				return fmt.Errorf("ballot %s of transaction %s: %v", o.ID, m.Tx.Hash, err)
			}
			r.State, r.Tx, r.Block, r.LogIndex, r.Reason, r.Updated = o.State, o.Tx, o.Block, o.LogIndex, o.Reason, now
			if err := s.putState(b, r); err != nil {
				return err
			}
		}
		b.Delete(key(prefixTx, m.Tx.Nonce))
		done += len(m.Tx.Ballots)
	}
	if err := s.db.Write(b, syncWrite); err != nil {
		return err
	}
	s.mu.Lock()
	s.sent -= done
	s.mu.Unlock()
	s.notify()
	return nil
}

// Requeue puts the ballots of tx back in the queue (tx will never be mined)
// and forgets tx.
func (s *Store) Requeue(tx *TxRecord) error {
	b := new(leveldb.Batch)
	lowest := uint64(math.MaxUint64)
	now := uint64(time.Now().UnixMilli())
	for _, id := range tx.Ballots {
		r, err := s.State(id)
		if err != nil || r == nil {
			return fmt.Errorf("ballot %s of transaction %s: %v", id, tx.Hash, err)
		}
		r.State, r.Tx, r.Nonce, r.Updated = StateQueued, common.Hash{}, 0, now
		if err := s.putState(b, r); err != nil {
			return err
		}
		b.Put(key(prefixQueue, r.Poll, r.Seq), r.ID[:])
		lowest = min(lowest, r.Seq)
	}
	b.Delete(key(prefixTx, tx.Nonce))
	if err := s.db.Write(b, syncWrite); err != nil {
		return err
	}
	s.mu.Lock()
	s.sent -= len(tx.Ballots)
	s.queued[tx.Poll] += len(tx.Ballots)
	s.low[tx.Poll] = min(s.low[tx.Poll], lowest)
	s.lowGen++
	s.mu.Unlock()
	s.notify()
	return nil
}

// Events returns up to limit events after seq, in order, as JSON.
func (s *Store) Events(after uint64, limit int) ([]json.RawMessage, []uint64, error) {
	it := s.db.NewIterator(&util.Range{Start: key(prefixEvent, after+1), Limit: []byte{prefixEvent[0] + 1}}, nil)
	defer it.Release()
	var (
		out  []json.RawMessage
		seqs []uint64
	)
	for len(out) < limit && it.Next() {
		seq := binary.BigEndian.Uint64(it.Key()[1:])
		ev, err := eventJSON(seq, it.Value())
		if err != nil {
			return nil, nil, fmt.Errorf("event %d: %w", seq, err)
		}
		out = append(out, ev)
		seqs = append(seqs, seq)
	}
	return out, seqs, it.Error()
}

// Prune deletes the oldest events, keeping the last keep.
func (s *Store) Prune(keep int) (int, error) {
	it := s.db.NewIterator(util.BytesPrefix(prefixEvent), nil)
	defer it.Release()
	// Step back over the events kept; the iterator then stands on the
	// newest event to delete.
	ok := it.Last()
	for kept := 0; ok && kept < keep; kept++ {
		ok = it.Prev()
	}
	if !ok {
		return 0, it.Error()
	}
	b := new(leveldb.Batch)
	deleted := 0
	for ok := true; ok; ok = it.Prev() {
		b.Delete(append([]byte{}, it.Key()...))
		deleted++
		if b.Len() >= 10_000 {
			if err := s.db.Write(b, nil); err != nil {
				return deleted, err
			}
			b.Reset()
		}
	}
	return deleted, s.db.Write(b, nil)
}
