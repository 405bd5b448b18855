package intake

import (
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/util"
)

// body is what of a ballot never changes and takes most of its bytes: the
// signature and the eligibility proof. It is written once, when the ballot
// is taken.
type body struct {
	Signature []byte
	Proof     []common.Hash
}

// state is the rest of a Record: written at each change of the ballot, and
// kept in the ballot's events as it was then.
type state struct {
	Poll       uint64
	Option     uint32
	Voter      common.Address
	VoterIndex uint32
	State      string
	Seq        uint64
	Received   uint64
	Updated    uint64
	Tx         common.Hash
	Nonce      uint64
	Block      uint64
	LogIndex   uint64
	Reason     string
}

func stateOf(r *Record) *state {
	return &state{Poll: r.Poll, Option: r.Option, Voter: r.Voter, VoterIndex: r.VoterIndex, State: r.State, Seq: r.Seq,
		Received: r.Received, Updated: r.Updated, Tx: r.Tx, Nonce: r.Nonce, Block: r.Block, LogIndex: r.LogIndex, Reason: r.Reason}
}

// record returns the Record of id with this state, without body.
func (st *state) record(id common.Hash) *Record {
	return &Record{ID: id, Poll: st.Poll, Option: st.Option, Voter: st.Voter, VoterIndex: st.VoterIndex, State: st.State, Seq: st.Seq,
		Received: st.Received, Updated: st.Updated, Tx: st.Tx, Nonce: st.Nonce, Block: st.Block, LogIndex: st.LogIndex, Reason: st.Reason}
}

// eventTag begins an event stored as tag, id, state; an event stored as
// JSON (before ADR 071) begins with '{'.
const eventTag = 0x01

// eventJSON returns the JSON of the event stored as v under seq.
func eventJSON(seq uint64, v []byte) (json.RawMessage, error) {
	if len(v) > 0 && v[0] == '{' {
		return append(json.RawMessage{}, v...), nil
	}
	if len(v) < 1+common.HashLength || v[0] != eventTag {
		return nil, fmt.Errorf("stored event of %d bytes has neither form", len(v))
	}
	var st state
	if err := rlp.DecodeBytes(v[1+common.HashLength:], &st); err != nil {
		return nil, err
	}
	return json.Marshal(st.record(common.BytesToHash(v[1 : 1+common.HashLength])).event(seq))
}

// migrate moves records of the layout before ADR 071 (b + id -> the whole
// Record) to a body and a state, a batch at a time, each batch in one
// synced write: a crash in between leaves every record in one layout or the
// other, and the next open goes on.
func (s *Store) migrate() error {
	for {
		n, err := s.migrateSome(10_000)
		if err != nil || n == 0 {
			return err
		}
	}
}

func (s *Store) migrateSome(limit int) (int, error) {
	it := s.db.NewIterator(util.BytesPrefix(prefixBallot), nil)
	defer it.Release()
	b := new(leveldb.Batch)
	n := 0
	for n < limit && it.Next() {
		r := new(Record)
		if err := rlp.DecodeBytes(it.Value(), r); err != nil {
			return 0, fmt.Errorf("record %x: %w", it.Key(), err)
		}
		if err := s.putBody(b, r); err != nil {
			return 0, err
		}
		enc, err := rlp.EncodeToBytes(stateOf(r))
		if err != nil {
			return 0, err
		}
		b.Put(key(prefixState, r.ID), enc)
		b.Delete(append([]byte{}, it.Key()...))
		n++
	}
	if err := it.Error(); err != nil {
		return 0, err
	}
	if n == 0 {
		return 0, nil
	}
	return n, s.db.Write(b, syncWrite)
}

// putBody adds r's body to b.
func (s *Store) putBody(b *leveldb.Batch, r *Record) error {
	enc, err := rlp.EncodeToBytes(&body{Signature: r.Signature, Proof: r.Proof})
	if err != nil {
		return err
	}
	b.Put(key(prefixBody, r.ID), enc)
	return nil
}
