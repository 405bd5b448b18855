package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/client/logpage"
	"github.com/citychain/citychain/internal/gateway/api"
)

// submitter posts each voter's ballot until it is answered 202, retrying
// every other answer (a killed gateway, a node restarting, 503s).
type submitter struct {
	t        *testing.T
	base     string
	poll     *testPoll
	client   *http.Client
	accepted sync.Map // voter index -> ballot id of the 202
	answers  sync.Map // status code -> count
	done     atomic.Int64
}

// post posts voter i's ballot once and returns the status (0: no answer).
func (s *submitter) post(i int) int {
	body := s.poll.ballot(s.t, i, uint32(i%3))
	resp, err := s.client.Post(fmt.Sprintf("%s/api/v1/polls/%d/ballots", s.base, s.poll.id), "application/json", bytes.NewReader(body))
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if resp.StatusCode == http.StatusAccepted {
		var st api.BallotState
		if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
			return 0 // cut off mid-answer: not an answer
		}
		s.accepted.Store(i, st.ID)
	}
	return resp.StatusCode
}

// run posts voters [from, to) with workers goroutines.
func (s *submitter) run(from, to, workers int) {
	var wg sync.WaitGroup
	next := atomic.Int64{}
	next.Store(int64(from))
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= to {
					return
				}
				for attempt := 0; ; attempt++ {
					code := s.post(i)
					n, _ := s.answers.LoadOrStore(code, new(atomic.Int64))
					n.(*atomic.Int64).Add(1)
					if code == http.StatusAccepted {
						break
					}
					if code != 0 && code != http.StatusServiceUnavailable && code != http.StatusTooManyRequests && code != http.StatusBadGateway {
						s.t.Errorf("voter %d: answered %d, want 202 (or a retryable 503/429/502)", i, code)
						return
					}
					if attempt > 600 {
						s.t.Errorf("voter %d: no 202 after %d attempts", i, attempt)
						return
					}
					time.Sleep(100 * time.Millisecond)
				}
				s.done.Add(1)
			}
		}()
	}
	wg.Wait()
}

// TestIntakeSurvivesKills posts ballots while citygate is killed with
// SIGKILL and restarted (twice: while taking ballots and while relaying
// them) and while the rpc node is restarted: every ballot answered 202 is
// counted exactly once, and no voter is counted twice.
func TestIntakeSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and citygate")
	}
	const voters = 240
	dev := startDev(t)
	poll := createPoll(t, dev.url, 100, voters, "Yes", "No", "Abstain")
	store := t.TempDir()
	g := startGate(t, "--rpc", dev.url, "--datadir", store, "--relayer.keyfile", relayerKey(t), "--upstream.health", "minPeers=0",
		"--api.ratelimit", "0", "--relayer.batch", "20", "--relayer.wait", "100ms", "--upstream.probe", "200ms")
	s := &submitter{t: t, base: g.url, poll: poll, client: &http.Client{Timeout: 10 * time.Second}}

	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.run(0, voters, 8) }()
	// Kill the gateway while it takes ballots, and bring it back.
	waitFor(t, 60*time.Second, "a third of the ballots taken", func() bool { return s.done.Load() >= voters/3 })
	g.kill()
	t.Logf("citygate killed after %d ballots answered 202", s.done.Load())
	time.Sleep(500 * time.Millisecond)
	g.start()
	// Restart the rpc node while ballots keep coming.
	waitFor(t, 90*time.Second, "two thirds of the ballots taken", func() bool { return s.done.Load() >= 2*voters/3 })
	dev.stop()
	t.Logf("citynode stopped after %d ballots answered 202", s.done.Load())
	time.Sleep(time.Second)
	dev.start()
	dev.waitBlock(t, 1)
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	// Kill the gateway again while it relays what it holds.
	var st api.Status
	get(t, g.url+"/api/v1/status", &st)
	g.kill()
	t.Logf("citygate killed again with %d queued and %d in flight", st.Intake.Queued, st.Intake.Inflight)
	g.start()
	g.waitReady(t)
	waitFor(t, 120*time.Second, "every ballot relayed", func() bool {
		var st api.Status
		get(t, g.url+"/api/v1/status", &st)
		return st.Intake != nil && st.Intake.Queued == 0 && st.Intake.Inflight == 0
	})
	checkCountedOnce(t, dev.url, poll, voters)
	// The gateway's own records: every ballot answered 202 is counted there too.
	s.accepted.Range(func(k, v any) bool {
		var b api.BallotState
		get(t, fmt.Sprintf("%s/api/v1/ballots/%s", g.url, v.(common.Hash).Hex()), &b)
		if b.State != "counted" {
			t.Errorf("voter %d's ballot %s: state %q at the gateway, want counted", k, v.(common.Hash).Hex(), b.State)
		}
		return true
	})
	s.answers.Range(func(k, v any) bool { t.Logf("answers %v: %d", k, v.(*atomic.Int64).Load()); return true })
	checkVotedElsewhere(t, dev.url, poll)
}

// checkVotedElsewhere posts counted voters' ballots, at once, to a gateway
// with an empty store: it knows of them only what the node says (ADR 089's
// one eth_call per poll for a batch of ballots), and refuses each as
// already voted.
func checkVotedElsewhere(t *testing.T, url string, poll *testPoll) {
	t.Helper()
	g := startGate(t, "--rpc", url, "--datadir", t.TempDir(), "--relayer.keyfile", relayerKey(t), "--upstream.health", "minPeers=0", "--api.ratelimit", "0")
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := http.Post(fmt.Sprintf("%s/api/v1/polls/%d/ballots", g.url, poll.id), "application/json", bytes.NewReader(poll.ballot(t, i, uint32(i%3))))
			if err != nil {
				t.Errorf("voter %d: %v", i, err)
				return
			}
			defer resp.Body.Close()
			var p api.Problem
			json.NewDecoder(resp.Body).Decode(&p)
			if resp.StatusCode != http.StatusConflict || !strings.HasSuffix(p.Type, "/already-voted") || !strings.Contains(p.Detail, "has voted") {
				t.Errorf("voter %d, counted, posted to another gateway: %d %s %q, want 409 already-voted", i, resp.StatusCode, p.Type, p.Detail)
			}
		}()
	}
	wg.Wait()
}

// checkCountedOnce reads the poll's BallotCast events: each of the voters
// exactly once, with the option it signed.
func checkCountedOnce(t *testing.T, url string, p *testPoll, voters int) {
	t.Helper()
	ec, err := ethclient.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	abi := pollsABIForTest()
	head, err := ec.BlockNumber(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	// Paged: the dev node keeps eth_getLogs to a few blocks (--rpc.logrange).
	var logs []types.Log
	q := ethereum.FilterQuery{
		Addresses: []common.Address{contracts.PollsAddress},
		Topics:    [][]common.Hash{{abi.GetABI().Events["BallotCast"].ID}, {common.BigToHash(new(big.Int).SetUint64(p.id))}},
	}
	if _, err := logpage.Each(context.Background(), ec, logpage.Defaults, q, 0, head, func(page []types.Log) error {
		logs = append(logs, page...)
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	tally, err := ballots.Recount(p.id, 3, logs)
	if err != nil {
		t.Fatal(err)
	}
	if len(tally.Errors) > 0 {
		t.Errorf("recount: %v", tally.Errors)
	}
	if tally.Cast != voters || len(tally.Voters) != voters {
		t.Errorf("have %d BallotCast events of %d voters, want %d each", tally.Cast, len(tally.Voters), voters)
	}
	want := []uint64{0, 0, 0}
	for i := range voters {
		want[i%3]++
	}
	if fmt.Sprint(tally.Counts) != fmt.Sprint(want) {
		t.Errorf("tallies %v, want %v", tally.Counts, want)
	}
}

// TestBallotRejectedByContract: a ballot taken while its poll was open but
// relayed after the poll was cancelled is rejected by Polls.relay
// (BallotRejected); the gateway moves it to rejected with the contract's
// reason, its transaction, block and log, and counts nothing. While that
// ballot fills the queue (--intake.maxqueue 1), the next is answered 429
// queue-full with Retry-After and is not stored.
func TestBallotRejectedByContract(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode and citygate")
	}
	dev := startDev(t)
	poll := createPoll(t, dev.url, 300, 4, "Yes", "No")
	// A batch of 100 waits up to 10 s to fill: the poll is cancelled meanwhile.
	g := startGate(t, "--rpc", dev.url, "--datadir", t.TempDir(), "--relayer.keyfile", relayerKey(t), "--upstream.health", "minPeers=0",
		"--api.ratelimit", "0", "--relayer.batch", "100", "--relayer.wait", "10s", "--intake.maxqueue", "1")
	resp, err := http.Post(fmt.Sprintf("%s/api/v1/polls/%d/ballots", g.url, poll.id), "application/json", bytes.NewReader(poll.ballot(t, 0, 1)))
	if err != nil {
		t.Fatal(err)
	}
	var st api.BallotState
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if resp.StatusCode != http.StatusAccepted || st.State != "queued" {
		t.Fatalf("ballot: have %d %+v, want 202 queued", resp.StatusCode, st)
	}
	checkQueueFull(t, g.url, poll)
	send(t, client(t, dev.url, devPollAdmin), "Polls.cancelPoll", contracts.PollsAddress, polls.NewPolls().PackCancelPoll(new(big.Int).SetUint64(poll.id)))
	var b api.BallotState
	waitFor(t, 60*time.Second, "the ballot rejected", func() bool {
		b = api.BallotState{}
		get(t, fmt.Sprintf("%s/api/v1/ballots/%s", g.url, st.ID.Hex()), &b)
		return b.State == "rejected" || b.State == "counted"
	})
	if b.State != "rejected" || b.Reason != "PollNotOpen" || b.Tx == nil || b.Block == 0 || b.LogIndex == nil {
		t.Errorf("ballot relayed after the cancel: have %+v, want rejected for PollNotOpen with its transaction, block and log", b)
	}
	var p api.Poll
	get(t, fmt.Sprintf("%s/api/v1/polls/%d?at=latest", g.url, poll.id), &p)
	if p.PollInfo == nil || p.Total != 0 {
		t.Errorf("poll after the rejected ballot: have %+v, want 0 counted", p.PollInfo)
	}
}

// checkQueueFull posts voter 1's ballot to a gateway whose queue is full:
// 429, the queue-full problem, Retry-After; the gateway does not know it.
func checkQueueFull(t *testing.T, url string, poll *testPoll) {
	t.Helper()
	resp, err := http.Post(fmt.Sprintf("%s/api/v1/polls/%d/ballots", url, poll.id), "application/json", bytes.NewReader(poll.ballot(t, 1, 0)))
	if err != nil {
		t.Fatal(err)
	}
	var p api.Problem
	json.NewDecoder(resp.Body).Decode(&p)
	resp.Body.Close()
	if resp.StatusCode != http.StatusTooManyRequests || !strings.HasSuffix(p.Type, "/queue-full") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a ballot with the queue full: have %d %s (Retry-After %q), want 429 queue-full with Retry-After", resp.StatusCode, p.Type, resp.Header.Get("Retry-After"))
	}
	r, err := http.Get(fmt.Sprintf("%s/api/v1/ballots/%s", url, ballotIDOf(poll, 1).Hex()))
	if err != nil {
		t.Fatal(err)
	}
	r.Body.Close()
	if r.StatusCode != http.StatusNotFound {
		t.Errorf("the refused ballot at the gateway: have %d, want 404 (not stored)", r.StatusCode)
	}
}
