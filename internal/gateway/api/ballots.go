package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"slices"

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

// decodeBallot reads a posted ballot: the JSON `cityctl poll sign-ballot`
// writes, or a wallet's signature with the fields around it.
func decodeBallot(r *http.Request, poll uint64) (ballots.Ballot, error) {
	var raw json.RawMessage
	if err := decodeJSON(r, &raw); err != nil {
		return ballots.Ballot{}, err
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return ballots.Ballot{}, problemf(kindMalformedJSON, "want a JSON object with %v", ballotFields)
	}
	for k := range fields {
		if !slices.Contains(ballotFields, k) {
			return ballots.Ballot{}, problemf(kindMalformedJSON, "unknown field %q: a ballot has %v", k, ballotFields)
		}
	}
	for _, k := range []string{"option", "voter", "signature", "proof"} {
		if _, ok := fields[k]; !ok {
			return ballots.Ballot{}, problemf(kindMalformedJSON, "no %q: a ballot has %v", k, ballotFields)
		}
	}
	b, err := ballots.DecodeBallot(bytes.TrimSpace(raw))
	if err != nil {
		return ballots.Ballot{}, problemf(kindMalformedJSON, "%v", err)
	}
	if b.Poll == 0 {
		b.Poll = poll
	}
	if b.Poll != poll {
		return ballots.Ballot{}, badInput("the ballot is for poll %d, posted to poll %d", b.Poll, poll)
	}
	return b, nil
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
