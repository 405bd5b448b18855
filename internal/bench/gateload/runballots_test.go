package gateload

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/ballots"
)

// fakeIntake is a gateway's ballot intake as RunBallots sees it: the first
// post of every third ballot is answered 503 (posted again), a ballot
// reading "bad" 400, the others 202; the queue is empty and the poll's
// total is the ballots accepted.
type fakeIntake struct {
	mu       sync.Mutex
	seen     map[string]bool
	accepted int
}

func (f *fakeIntake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch r.Method + " " + r.URL.Path {
	case "POST /api/v1/polls/7/ballots":
		body, _ := io.ReadAll(r.Body)
		first := !f.seen[string(body)]
		f.seen[string(body)] = true
		switch {
		case string(body) == "bad":
			http.Error(w, "malformed ballot", http.StatusBadRequest)
		case first && strings.HasSuffix(string(body), "3"):
			w.WriteHeader(http.StatusServiceUnavailable)
		default:
			f.accepted++
			w.WriteHeader(http.StatusAccepted)
		}
	case "GET /api/v1/status":
		w.Write([]byte(`{"intake":{"queued":0,"inflight":0}}`))
	case "GET /api/v1/polls/7":
		json.NewEncoder(w).Encode(map[string]int{"total": f.accepted})
	case "GET /api/v1/polls/7/recount":
		w.Write([]byte(`{"match":true}`))
	default:
		http.NotFound(w, r)
	}
}

// TestRunBallotsFakeGateway: every ballot is posted once and posted again
// while the gateway answers 503; a refused one is the first error; the
// report counts the intake, then the drained queue and the poll's total.
// With Hold, the report is the intake alone.
func TestRunBallotsFakeGateway(t *testing.T) {
	elig, err := ballots.NewEligibility([]common.Address{{1}, {2}, {3}, {4}})
	if err != nil {
		t.Fatal(err)
	}
	_, proof, _ := elig.Proof(elig.Voter(0))
	// Ballots "b0".."b13", "bad" at index 4: b3 and b13 are answered 503 first.
	var signed [][]byte
	for i := range 14 {
		signed = append(signed, []byte(fmt.Sprintf("b%d", i)))
	}
	signed[4] = []byte("bad")
	for _, hold := range []bool{false, true} {
		t.Run(fmt.Sprintf("hold=%v", hold), func(t *testing.T) {
			f := &fakeIntake{seen: map[string]bool{}}
			srv := httptest.NewServer(f)
			defer srv.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			cfg := BallotsConfig{URL: srv.URL, Poll: 7, Elig: elig, Workers: 3, Drain: 10 * time.Second, Hold: hold}
			rep, err := RunBallots(ctx, cfg, signed)
			if err != nil {
				t.Fatal(err)
			}
			if rep.Ballots != 14 || rep.Accepted != 13 || rep.Retried != 2 || rep.Workers != 3 || rep.ProofDepth != len(proof) {
				t.Errorf("intake: have %d ballots, %d accepted, %d retried, %d workers, proof depth %d; want 14, 13, 2, 3, %d",
					rep.Ballots, rep.Accepted, rep.Retried, rep.Workers, rep.ProofDepth, len(proof))
			}
			if !strings.HasPrefix(rep.FirstError, "ballot 4: 400 malformed ballot") {
				t.Errorf("first error: have %q, want ballot 4's 400", rep.FirstError)
			}
			if rep.Latency.Count != 13 || rep.IntakeSeconds <= 0 || rep.AcceptedPerSec <= 0 {
				t.Errorf("intake: have latency of %d answers, %v s, %v/s; want 13 answers, a time and a rate", rep.Latency.Count, rep.IntakeSeconds, rep.AcceptedPerSec)
			}
			if hold {
				if !rep.Held || rep.Counted != 0 || rep.EndToEnd != 0 {
					t.Errorf("held: have held %v, counted %d, end to end %v s; want held, nothing counted nor drained", rep.Held, rep.Counted, rep.EndToEnd)
				}
				return
			}
			if rep.Held || rep.Counted != 13 || !rep.RecountMatches || rep.EndToEnd < rep.IntakeSeconds || rep.EndToEndRate <= 0 {
				t.Errorf("drained: have held %v, counted %d, recount matches %v, end to end %v s (intake %v s), %v/s; want 13 counted, a match, end to end after the intake",
					rep.Held, rep.Counted, rep.RecountMatches, rep.EndToEnd, rep.IntakeSeconds, rep.EndToEndRate)
			}
		})
	}
}
