package api

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/gateway/intake"
)

// ballotFields are the members a posted ballot may have.
var ballotFields = []string{"poll", "option", "voter", "voterIndex", "signature", "proof"}

// BallotState is a ballot as the gateway holds it.
type BallotState struct {
	ID         common.Hash    `json:"ballotId"`
	Poll       uint64         `json:"poll"`
	Voter      common.Address `json:"voter"`
	VoterIndex uint32         `json:"voterIndex"`
	Option     uint32         `json:"option"`
	State      string         `json:"state"`
	Received   uint64         `json:"received"` // unix ms
	Updated    uint64         `json:"updated"`  // unix ms
	Tx         *common.Hash   `json:"tx,omitempty"`
	Block      uint64         `json:"block,omitempty"`
	LogIndex   *uint64        `json:"logIndex,omitempty"`
	Reason     string         `json:"reason,omitempty"`
	Duplicate  bool           `json:"duplicate,omitempty"` // the answer to a ballot posted again
}

func stateOf(r *intake.Record) *BallotState {
	b := &BallotState{ID: r.ID, Poll: r.Poll, Voter: r.Voter, VoterIndex: r.VoterIndex, Option: r.Option, State: r.State, Received: r.Received, Updated: r.Updated, Reason: r.Reason}
	if r.State != intake.StateQueued {
		tx := r.Tx
		b.Tx = &tx
	}
	if r.State == intake.StateCounted || r.State == intake.StateRejected {
		li := r.LogIndex
		b.Block, b.LogIndex = r.Block, &li
	}
	return b
}

// postedBallot is a posted ballot as it is read: pointers tell a member
// left out from a zero.
type postedBallot struct {
	Poll       *uint64         `json:"poll"`
	Option     *uint32         `json:"option"`
	Voter      *common.Address `json:"voter"`
	VoterIndex uint32          `json:"voterIndex"`
	Signature  *string         `json:"signature"`
	Proof      *[]common.Hash  `json:"proof"`
}

// decodeBallot reads a posted ballot: the JSON `cityctl poll sign-ballot`
// writes, or a wallet's signature with the fields around it. The body is
// read once, by fastBallot in the usual form, else by encoding/json (the
// ballot's JSON decoding was 20% of the gateway's CPU per ballot when it was
// read four times over: docs/benchmarks.md, W6).
func decodeBallot(r *http.Request, poll uint64) (ballots.Ballot, error) {
	if err := checkJSONType(r); err != nil {
		return ballots.Ballot{}, err
	}
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer bodyBuffers.Put(buf)
	buf.Reset()
	if _, err := buf.ReadFrom(r.Body); err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return ballots.Ballot{}, err
		}
		return ballots.Ballot{}, problemf(kindMalformedJSON, "%v", err)
	}
	if b, ok := fastBallot(buf.Bytes(), poll); ok {
		return b, nil
	}
	r.Body = io.NopCloser(bytes.NewReader(buf.Bytes()))
	return decodeBallotJSON(r, poll)
}

// bodyBuffers are the buffers posted ballots are read into (fastBallot
// keeps nothing of its input).
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// decodeBallotJSON reads a posted ballot with encoding/json: any form
// fastBallot does not take, and the errors' messages.
func decodeBallotJSON(r *http.Request, poll uint64) (ballots.Ballot, error) {
	var p postedBallot
	if err := decodeJSON(r, &p); err != nil {
		return ballots.Ballot{}, ballotJSONError(err)
	}
	missing := map[string]bool{"option": p.Option == nil, "voter": p.Voter == nil, "signature": p.Signature == nil, "proof": p.Proof == nil}
	for _, k := range ballotFields {
		if missing[k] {
			return ballots.Ballot{}, problemf(kindMalformedJSON, "no %q: a ballot has %v", k, ballotFields)
		}
	}
	b := ballots.Ballot{Option: *p.Option, Voter: *p.Voter, VoterIndex: p.VoterIndex, Proof: *p.Proof, Poll: poll}
	if err := b.SetSignature(*p.Signature); err != nil {
		return ballots.Ballot{}, problemf(kindMalformedJSON, "%v", err)
	}
	if p.Poll != nil && *p.Poll != 0 && *p.Poll != poll {
		return ballots.Ballot{}, badInput("the ballot is for poll %d, posted to poll %d", *p.Poll, poll)
	}
	return b, nil
}

// ballotJSONError words decodeJSON's refusals of a ballot body: an unknown
// member or a body that is no object names the members a ballot has.
func ballotJSONError(err error) error {
	var p *problemError
	if !errors.As(err, &p) || p.kind != kindMalformedJSON {
		return err
	}
	switch msg := p.detail; {
	case strings.HasPrefix(msg, "json: unknown field "):
		return problemf(kindMalformedJSON, "unknown field %s: a ballot has %v", strings.TrimPrefix(msg, "json: unknown field "), ballotFields)
	case strings.Contains(msg, "into Go value of type api.postedBallot"):
		return problemf(kindMalformedJSON, "want a JSON object with %v", ballotFields)
	}
	return err
}

func (s *Server) postBallot(w http.ResponseWriter, r *http.Request) {
	if s.intake == nil {
		writeProblem(w, r, problemf(kindNoIntake, "this gateway takes no ballots: it runs without a relayer key"))
		return
	}
	poll, err := idParam(r, "id")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	b, err := decodeBallot(r, poll)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	rec, dup, err := s.intake.Submit(r.Context(), b)
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	st := stateOf(rec)
	st.Duplicate = dup
	w.Header().Set("Location", Prefix+"/ballots/"+rec.ID.Hex())
	writeJSON(w, http.StatusAccepted, st)
}

func (s *Server) getBallot(w http.ResponseWriter, r *http.Request) {
	if s.intake == nil {
		writeProblem(w, r, problemf(kindNoIntake, "this gateway takes no ballots: it runs without a relayer key"))
		return
	}
	id, err := hashParam(r, "id")
	if err != nil {
		writeProblem(w, r, err)
		return
	}
	rec, err := s.intake.Get(id)
	if err != nil {
		writeProblem(w, r, problemf(kindInternal, "ballot store: %v", err))
		return
	}
	if rec == nil {
		writeProblem(w, r, problemf(kindNotFound, "no ballot %s at this gateway (a ballot is known to the gateway it was posted to; the chain's own record is at %s/polls/{id}/voters/{address})", id.Hex(), Prefix))
		return
	}
	writeJSON(w, http.StatusOK, stateOf(rec))
}
