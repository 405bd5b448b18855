package intake

import (
	"encoding/binary"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/ballots"
)

// Ballot states.
const (
	StateQueued   = "queued"   // stored, waiting for the relayer
	StateSent     = "sent"     // in a relay transaction not yet mined
	StateCounted  = "counted"  // a BallotCast event counts it
	StateRejected = "rejected" // the contract skipped it; Reason says why
)

// Record is a ballot and its state.
type Record struct {
	ID         common.Hash
	Poll       uint64
	Option     uint32
	Voter      common.Address
	VoterIndex uint32
	Signature  []byte // 65 bytes r || s || v, as received
	Proof      []common.Hash

	State    string
	Seq      uint64 // queue position: the receive time in ns, made unique
	Received uint64 // unix ms
	Updated  uint64 // unix ms of the last change

	Tx       common.Hash // relay transaction (sent, counted, rejected)
	Nonce    uint64      // its nonce
	Block    uint64      // block that counted or rejected it
	LogIndex uint64      // index of its BallotCast or BallotRejected log in the block
	Reason   string      // rejected: the contract's error name ("AlreadyVoted")
}

// Ballot returns the record's ballot.
func (r *Record) Ballot() ballots.Ballot {
	return ballots.Ballot{Poll: r.Poll, Option: r.Option, Voter: r.Voter, VoterIndex: r.VoterIndex, Signature: r.Signature, Proof: r.Proof}
}

// Same reports whether b is the ballot of r: same poll, voter, option,
// index and signature.
func (r *Record) Same(b ballots.Ballot) bool {
	return r.Poll == b.Poll && r.Voter == b.Voter && r.Option == b.Option && r.VoterIndex == b.VoterIndex && string(r.Signature) == string(b.Signature)
}

// BallotID returns the id of voter's ballot in poll of the Polls contract of
// domain d.
func BallotID(d ballots.Domain, poll uint64, voter common.Address) common.Hash {
	var buf [16]byte
	binary.BigEndian.PutUint64(buf[:8], d.ChainID)
	binary.BigEndian.PutUint64(buf[8:], poll)
	return crypto.Keccak256Hash([]byte("citygate ballot"), buf[:8], d.Contract.Bytes(), buf[8:], voter.Bytes())
}

// TxRecord is a relay transaction in flight: what the relayer needs to find
// it again after a restart and to send it again unchanged.
type TxRecord struct {
	Hash    common.Hash
	Nonce   uint64
	Poll    uint64
	Raw     []byte        // the signed transaction, binary
	Ballots []common.Hash // ids, in the order of the batch
	Sent    uint64        // unix ms of the first send
}

// Event is one change of a ballot's state, in the order of the changes.
type Event struct {
	Seq      uint64         `json:"seq"`
	ID       common.Hash    `json:"ballotId"`
	Poll     uint64         `json:"poll"`
	Voter    common.Address `json:"voter"`
	State    string         `json:"state"`
	Tx       *common.Hash   `json:"tx,omitempty"`
	Block    uint64         `json:"block,omitempty"`
	LogIndex *uint64        `json:"logIndex,omitempty"`
	Reason   string         `json:"reason,omitempty"`
	Time     uint64         `json:"time"` // unix ms
}

// event returns the event of r's current state.
func (r *Record) event(seq uint64) Event {
	e := Event{Seq: seq, ID: r.ID, Poll: r.Poll, Voter: r.Voter, State: r.State, Reason: r.Reason, Time: r.Updated}
	if r.State != StateQueued {
		tx := r.Tx
		e.Tx = &tx
	}
	if r.State == StateCounted || r.State == StateRejected {
		li := r.LogIndex
		e.Block, e.LogIndex = r.Block, &li
	}
	return e
}
