package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/gateway/intake"
)

func intakeBallotID(d ballots.Domain, poll uint64, voter common.Address) common.Hash {
	return intake.BallotID(d, poll, voter)
}

// documentCases reads the documents: statuses, blocks, proofs, batches.
func documentCases(t *testing.T, g *gate, dev *devChain, f *fixtures) []apiCase {
	const route = "/api/v1/documents/{hash}"
	status := func(want, issuer string) func(*testing.T, []byte) {
		return func(t *testing.T, b []byte) {
			var d api.Document
			json.Unmarshal(b, &d)
			if d.Verification == nil || d.Status != want || d.IssuerName != issuer {
				t.Errorf("document: have %s, want status %q issued by %q", b, want, issuer)
			}
		}
	}
	var etag string
	resp, err := http.Get(g.url + "/api/v1/documents/" + f.docValid.Hex())
	if err == nil {
		etag = resp.Header.Get("ETag")
		resp.Body.Close()
	}
	entry := f.batch.Documents[2]
	entryBody, _ := json.Marshal(map[string]any{"root": f.batch.Root, "document": entry.Document, "proof": entry.Proof})
	fileBody, _ := f.batch.Encode()
	wholeBody, _ := json.Marshal(map[string]any{"docHash": entry.Hash, "batch": json.RawMessage(fileBody)})
	badProof, _ := json.Marshal(map[string]any{"root": f.batch.Root, "document": entry.Document, "proof": f.batch.Documents[1].Proof})
	mixed, _ := json.Marshal(map[string]any{"root": f.batch.Root, "docHash": entry.Hash})
	const batchRoute = "/api/v1/documents/batch-verifications"
	return []apiCase{
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docValid.Hex(), status: 200, check: func(t *testing.T, b []byte) {
			status("valid", "Civil Registry")(t, b)
			checkReadAtFinalized(t, dev, b)
		}},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docValid.Hex(), header: map[string]string{"If-None-Match": etag}, status: 304},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docRevoked.Hex(), status: 200, check: status("revoked", "Civil Registry")},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docOld.Hex() + "?at=latest", status: 200, check: func(t *testing.T, b []byte) {
			var d api.Document
			json.Unmarshal(b, &d)
			if d.Verification == nil || d.Status != "superseded" || d.Successor == nil || d.Successor.DocHash != f.docNew || d.Successor.Status != "valid" {
				t.Errorf("superseded document: have %s, want its valid successor %s", b, f.docNew)
			}
		}},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docFuture.Hex(), status: 200, check: status("not yet valid", "Civil Registry")},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docExpired.Hex(), status: 200, check: status("expired", "Civil Registry")},
		{route: route, method: "GET", path: "/api/v1/documents/" + common.Hash{9}.Hex(), status: 200, check: status("unknown", "")},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docValid.Hex() + "?at=1", status: 200, check: status("unknown", "")},
		{route: route, method: "GET", path: "/api/v1/documents/0x1234", status: 400},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docValid.Hex() + "?at=yesterday", status: 400},
		{route: route, method: "GET", path: "/api/v1/documents/" + f.docValid.Hex() + "?at=99999999", status: 404},
		{route: "/api/v1/documents/{hash}/proof", method: "GET", path: "/api/v1/documents/" + f.docValid.Hex() + "/proof", status: 200, check: checkProof(dev, "document", `"status":"valid"`)},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: entryBody, status: 200, check: status("valid", "Civil Registry")},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: wholeBody, status: 200, check: status("valid", "Civil Registry")},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: badProof, status: 400},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: mixed, status: 400},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: []byte(`[`), status: 400},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: entryBody, ctype: "text/csv", status: 415},
		{route: batchRoute, method: "POST", path: "/api/v1/documents/batch-verifications", body: []byte(`{"batch":"` + strings.Repeat("x", 9<<20) + `"}`), status: 413},
	}
}

// checkProof checks a proof file verifies offline against the block hash
// the node gives for its number, and carries the record.
func checkProof(dev *devChain, kind, want string) func(*testing.T, []byte) {
	return func(t *testing.T, b []byte) {
		p, err := audit.DecodeProof(b)
		if err != nil {
			t.Fatalf("proof file: %v", err)
		}
		ec, err := ethclient.Dial(dev.url)
		if err != nil {
			t.Fatal(err)
		}
		defer ec.Close()
		h, err := ec.HeaderByNumber(context.Background(), new(big.Int).SetUint64(uint64(p.Header.Number)))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := audit.VerifyFile(b, h.Hash(), registry.RecordDecoders()); err != nil {
			t.Errorf("%s proof does not verify against block %d's hash: %v", kind, p.Header.Number, err)
		}
		var compact bytes.Buffer
		if p.Record != nil {
			json.Compact(&compact, p.Record.Value)
		}
		if p.Record == nil || p.Record.Kind != kind || !strings.Contains(compact.String(), want) {
			t.Errorf("%s proof: record %+v, want kind %s with %s", kind, p.Record, kind, want)
		}
	}
}

// checkReadAtFinalized: a read without ?at= names a block of the node's
// canonical chain at or below its finalized block (the default of issue 15).
func checkReadAtFinalized(t *testing.T, dev *devChain, b []byte) {
	t.Helper()
	var d api.Document
	json.Unmarshal(b, &d)
	ec, err := ethclient.Dial(dev.url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	fin, err := ec.HeaderByNumber(context.Background(), big.NewInt(int64(rpc.FinalizedBlockNumber)))
	if err != nil {
		t.Fatal(err)
	}
	at, err := ec.HeaderByNumber(context.Background(), new(big.Int).SetUint64(d.Block.Number))
	var there common.Hash
	if err == nil {
		there = at.Hash()
	}
	if there != d.Block.Hash || d.Block.Number > fin.Number.Uint64() {
		t.Errorf("default read at block %d %s; the node's block there %s (%v), its finalized block %d: want a canonical block at or below the finalized one",
			d.Block.Number, d.Block.Hash, there, err, fin.Number)
	}
}

// titleCases reads the parcel.
func titleCases(t *testing.T, dev *devChain, f *fixtures) []apiCase {
	path := "/api/v1/titles/" + f.parcel
	return []apiCase{
		{route: "/api/v1/titles/{parcel}", method: "GET", path: path, status: 200, check: func(t *testing.T, b []byte) {
			var ti api.Title
			json.Unmarshal(b, &ti)
			if ti.Parcel == nil || len(ti.Owners) != 1 || ti.Owners[0].Share != 100 || len(ti.Liens) != 1 {
				t.Errorf("title: have %s, want one owner of 100 and one lien", b)
			}
		}},
		{route: "/api/v1/titles/{parcel}", method: "GET", path: "/api/v1/titles/NO-SUCH-PARCEL", status: 404},
		{route: "/api/v1/titles/{parcel}", method: "GET", path: "/api/v1/titles/" + strings.Repeat("9", 33), status: 400},
		{route: "/api/v1/titles/{parcel}/history", method: "GET", path: path + "/history", status: 200, check: func(t *testing.T, b []byte) {
			var h api.History
			json.Unmarshal(b, &h)
			if len(h.Entries) != 2 || h.Entries[0].Action != "registered" || h.Entries[1].Action != "lien-added" {
				t.Errorf("history: have %s, want registered, lien-added", b)
			}
		}},
		{route: "/api/v1/titles/{parcel}/history", method: "GET", path: "/api/v1/titles/NO-SUCH-PARCEL/history", status: 404},
		{route: "/api/v1/titles/{parcel}/proof", method: "GET", path: path + "/proof", status: 200, check: checkProof(dev, "title", f.parcel)},
		{route: "/api/v1/titles/{parcel}/proof", method: "GET", path: "/api/v1/titles/NO-SUCH-PARCEL/proof", status: 404},
	}
}

// pollCases reads the poll after its four ballots were counted.
func pollCases(t *testing.T, p *testPoll, pollPath string, first api.BallotState) []apiCase {
	voter := p.voters[0].addr.Hex()
	return []apiCase{
		{route: "/api/v1/polls", method: "GET", path: "/api/v1/polls", status: 200, check: func(t *testing.T, b []byte) {
			var l api.PollList
			json.Unmarshal(b, &l)
			if l.Count != 1 || len(l.Polls) != 1 || l.Polls[0].Total != 4 {
				t.Errorf("polls: have %s, want one poll with 4 ballots", b)
			}
		}},
		{route: "/api/v1/polls", method: "GET", path: "/api/v1/polls?limit=1000", status: 400},
		{route: "/api/v1/polls/{id}", method: "GET", path: "/api/v1/polls/999", status: 404},
		{route: "/api/v1/polls/{id}", method: "GET", path: "/api/v1/polls/x1", status: 400},
		{route: "/api/v1/polls/{id}/recount", method: "GET", path: pollPath + "/recount", status: 200, check: func(t *testing.T, b []byte) {
			var r api.Recount
			json.Unmarshal(b, &r)
			if !r.Match || r.Events != 4 || fmt.Sprint(r.FromEvents) != "[1 2 1]" {
				t.Errorf("recount: have %s, want 4 events matching [1 2 1]", b)
			}
		}},
		{route: "/api/v1/polls/{id}/recount", method: "GET", path: pollPath + "/recount?at=latest", status: 200},
		{route: "/api/v1/polls/{id}/recount", method: "GET", path: "/api/v1/polls/999/recount", status: 404},
		{route: "/api/v1/polls/{id}/voters/{address}", method: "GET", path: pollPath + "/voters/" + voter, status: 200, check: func(t *testing.T, b []byte) {
			var v api.VoterBallots
			json.Unmarshal(b, &v)
			if !v.Counted || len(v.Cast) != 1 || v.Cast[0].Option != 1 || v.Cast[0].BlockNumber == 0 || v.Cast[0].BlockHash == (common.Hash{}) || v.Cast[0].Tx == (common.Hash{}) {
				t.Errorf("voter: have %s, want counted once for option 1, with its block, transaction and log", b)
			}
		}},
		{route: "/api/v1/polls/{id}/voters/{address}", method: "GET", path: pollPath + "/voters/" + p.voters[7].addr.Hex(), status: 200, check: func(t *testing.T, b []byte) {
			var v api.VoterBallots
			json.Unmarshal(b, &v)
			if v.Counted || len(v.Cast) != 0 {
				t.Errorf("voter who did not vote: have %s", b)
			}
		}},
		{route: "/api/v1/polls/{id}/voters/{address}", method: "GET", path: pollPath + "/voters/alice", status: 400},
		{route: "/api/v1/polls/{id}/typed-data", method: "GET", path: pollPath + "/typed-data?option=2", status: 200, check: func(t *testing.T, b []byte) {
			want, _ := json.Marshal(p.domain.TypedData(p.id, 2))
			if strings.TrimSpace(string(b)) != string(want) {
				t.Errorf("typed data: have %s, want %s", b, want)
			}
		}},
		{route: "/api/v1/polls/{id}/typed-data", method: "GET", path: pollPath + "/typed-data?option=3", status: 400},
		{route: "/api/v1/polls/{id}/typed-data", method: "GET", path: pollPath + "/typed-data", status: 400},
		{route: "/api/v1/ballots/{id}", method: "GET", path: "/api/v1/ballots/" + first.ID.Hex(), status: 200, check: func(t *testing.T, b []byte) {
			var st api.BallotState
			json.Unmarshal(b, &st)
			if st.State != "counted" || st.Tx == nil || st.Block == 0 || st.LogIndex == nil {
				t.Errorf("ballot: have %s, want counted with transaction, block and log", b)
			}
		}},
		{route: "/api/v1/ballots/{id}", method: "GET", path: "/api/v1/ballots/0xabc", status: 400},
	}
}

// stallCases reads the market and the drawn round.
func stallCases(f *fixtures) []apiCase {
	return []apiCase{
		{route: "/api/v1/markets", method: "GET", path: "/api/v1/markets", status: 200},
		{route: "/api/v1/markets/{id}", method: "GET", path: "/api/v1/markets/1", status: 200, check: func(t *testing.T, b []byte) {
			var m api.MarketStalls
			json.Unmarshal(b, &m)
			if m.Market == nil || m.Market.Code != "SAT-FAIR" || len(m.Stalls) != 3 {
				t.Errorf("market: have %s, want SAT-FAIR with 3 stalls", b)
			}
		}},
		{route: "/api/v1/markets/{id}", method: "GET", path: "/api/v1/markets/99", status: 404},
		{route: "/api/v1/rounds", method: "GET", path: "/api/v1/rounds?market=1", status: 200},
		{route: "/api/v1/rounds/{id}", method: "GET", path: "/api/v1/rounds/1", status: 200, check: func(t *testing.T, b []byte) {
			var d api.Draw
			json.Unmarshal(b, &d)
			if d.Round == nil || d.State != "drawn" || d.Match == nil || !*d.Match || d.Inputs == nil || !d.Inputs.CommitmentMatches ||
				len(d.Recomputed.Winners) != 2 || len(d.Chain.Leases) != 2 || len(d.Recomputed.Swaps) != 3 {
				t.Errorf("round: have %s, want drawn, 2 winners matching the chain's leases, 3 swaps", b)
			}
		}},
		{route: "/api/v1/rounds/{id}", method: "GET", path: "/api/v1/rounds/99", status: 404},
	}
}

// checkEvents reads the event stream of a poll: the ballot events of its
// four ballots (queued, sent, counted each) and a tally event.
func checkEvents(t *testing.T, s *spec, g *gate, poll uint64) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", fmt.Sprintf("%s/api/v1/events?poll=%d", g.url, poll), nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "text/event-stream" {
		t.Fatalf("events: have %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	ballotSchema := compileComponent(t, s, "BallotEvent")
	tallySchema := compileComponent(t, s, "TallyEvent")
	counted, tallies := 0, 0
	var event string
	sc := bufio.NewScanner(resp.Body)
	for sc.Scan() && (counted < 4 || tallies < 1) {
		line := sc.Text()
		switch {
		case strings.HasPrefix(line, "event: "):
			event = strings.TrimPrefix(line, "event: ")
		case strings.HasPrefix(line, "data: "):
			data := strings.TrimPrefix(line, "data: ")
			sch := ballotSchema
			if event == "tally" {
				sch, tallies = tallySchema, tallies+1
			} else if strings.Contains(data, `"state":"counted"`) {
				counted++
			}
			validate(t, sch, "event "+event, []byte(data))
		}
	}
	if counted < 4 || tallies < 1 {
		t.Errorf("events: have %d counted ballots and %d tally events, want 4 and 1 (%v)", counted, tallies, sc.Err())
	}
}

func compileComponent(t *testing.T, s *spec, name string) *jsonschema.Schema {
	t.Helper()
	sch, err := s.compiler.Compile(specURL + "#/components/schemas/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return sch
}

func validate(t *testing.T, sch *jsonschema.Schema, what string, data []byte) {
	t.Helper()
	inst, err := jsonschema.UnmarshalJSON(strings.NewReader(string(data)))
	if err == nil {
		err = sch.Validate(inst)
	}
	if err != nil {
		t.Errorf("%s: %v\n%s", what, err, data)
	}
}
