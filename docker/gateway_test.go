package docker

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

const (
	chainID = 4690 // docker/ceremony/network.toml
	// Accounts of docker/ceremony/network.toml that are public test keys
	// (citynode dev's): the admin, issuer for LAND, and the poll admin of
	// PARTICIPATION.
	devIssuer    = 0
	devPollAdmin = 4

	pollVoters   = 600 // residents of the gateway test's poll
	directVoters = 400 // of whom [0, 400) post to citygate1 directly until it stops (about 5 s of posts)
)

// checkGateways: the citygates behind the balancer's gateway front. A
// document issued with cityctl is read as valid through the front; ballots
// posted through the front are answered 202 and counted; citygate1 stopped
// (deployment.md's command) while it takes ballots: reads and ballot posts
// through the front still succeed, none failing beyond one retry, and once
// it is started again the ballots it had not finished are counted, each
// voter exactly once.
func checkGateways(t *testing.T, n *network, d docs) {
	front := fmt.Sprintf("http://127.0.0.1:%d", n.gatePort)
	rpcURL := fmt.Sprintf("http://127.0.0.1:%d", n.rpcPort)
	waitFor(t, 60*time.Second, "both citygates UP in HAProxy", func() bool {
		s := n.backendStats(t, "citygates")
		return s["citygate1"][0] == "UP" && s["citygate2"][0] == "UP"
	})
	if out := n.runDoc(t, d.deploy["gateway"]...); !strings.Contains(out, `"status":"UP"`) || !strings.Contains(out, `"signers"`) {
		t.Errorf("deployment.md gateway commands: want a ready gateway and the network's signers:\n%s", out)
	}

	// Each citygate relays with its own account (ADR 053).
	relayers := map[string]string{}
	for _, g := range gateServices {
		var st struct {
			Intake *struct {
				Relayer string `json:"relayer"`
			} `json:"intake"`
		}
		if code := getJSON("http://"+n.ip(t, g, "front")+":8700/api/v1/status", &st); code != http.StatusOK || st.Intake == nil || st.Intake.Relayer == "" {
			t.Fatalf("%s status: answered %d, intake %+v; want a gateway taking ballots", g, code, st.Intake)
		}
		relayers[st.Intake.Relayer] = g
	}
	if len(relayers) != len(gateServices) {
		t.Errorf("citygates' relayer accounts %v: want one account per citygate", relayers)
	}

	// A document issued with cityctl, read as valid at the finalized block
	// (the poll is created while it becomes final).
	doc := issueWithCityctl(t, rpcURL)
	p := newPoll(t, rpcURL, pollVoters)
	var st struct {
		Status     string `json:"status"`
		IssuerName string `json:"issuerName"`
	}
	waitFor(t, 90*time.Second, "the document valid through the gateway front (finalized block)", func() bool {
		return getJSON(front+"/api/v1/documents/"+doc.Hex(), &st) == http.StatusOK && st.Status == "valid"
	})
	if st.IssuerName != "Land Registry" {
		t.Errorf("document issuer through the gateway: have %q, want Land Registry", st.IssuerName)
	}

	// Residents vote at citygate1 directly until it is stopped (so that it
	// stops with ballots not yet counted), and through the front, one every
	// 150 ms, while it is stopped and started again.
	gate1 := "http://" + n.ip(t, "citygate1", "front") + ":8700"
	before := n.backendStats(t, "citygates")
	reads := startGateReader(front + "/api/v1/documents/" + doc.Hex())
	posts := startPoster(p, front, directVoters, pollVoters)
	dp := startDirect(p, gate1, 0, directVoters)
	waitFor(t, 60*time.Second, "20 ballots accepted at citygate1", func() bool { return dp.count() >= 20 })
	var status struct {
		Intake struct {
			Relayer          string `json:"relayer"`
			Queued, Inflight int
		} `json:"intake"`
	}
	getJSON(gate1+"/api/v1/status", &status)
	steps := d.deploy["gateway-stop"] // stop citygate1; start citygate1
	n.runDoc(t, steps[0])
	stopped := time.Now()
	direct, unanswered := dp.finish()
	t.Logf("citygate1 (relayer %s) stopped while taking ballots: %d accepted, %d posts unanswered, %d refused; at the 20th: %d queued, %d in relay transactions not yet mined",
		status.Intake.Relayer, len(direct), len(unanswered), dp.refused, status.Intake.Queued, status.Intake.Inflight)
	waitFor(t, 20*time.Second, "HAProxy to take citygate1 out", func() bool { return isDown(n.backendStats(t, "citygates")["citygate1"][0]) })
	down := n.backendStats(t, "citygates")["citygate1"][1]
	time.Sleep(3 * time.Second)
	if have := n.backendStats(t, "citygates")["citygate1"][1]; have != down {
		t.Errorf("citygate1 got sessions while stopped: %s -> %s", down, have)
	}
	n.runDoc(t, steps[1:]...)
	waitFor(t, 60*time.Second, "citygate1 UP again in HAProxy", func() bool { return n.backendStats(t, "citygates")["citygate1"][0] == "UP" })
	time.Sleep(2 * time.Second)
	reads.finish(t)
	accepted := posts.finish(t)
	after := n.backendStats(t, "citygates")
	for _, s := range gateServices {
		if after[s][1] == before[s][1] {
			t.Errorf("%s served none of the requests through the front (sessions %s)", s, after[s][1])
		}
	}

	// Every ballot citygate1 accepted is counted, as it says once it is
	// back; those it had not finished when stopped, by the restarted gateway.
	late := 0
	for i, id := range direct {
		var b struct {
			State   string `json:"state"`
			Updated int64  `json:"updated"` // unix ms
		}
		waitFor(t, 90*time.Second, fmt.Sprintf("voter %d's ballot (%s) counted at citygate1", i, id.Hex()), func() bool {
			return getJSON(gate1+"/api/v1/ballots/"+id.Hex(), &b) == http.StatusOK && b.State == "counted"
		})
		if time.UnixMilli(b.Updated).After(stopped) {
			late++
		}
	}
	t.Logf("citygate1: %d of its %d ballots counted after its restart", late, len(direct))
	if late == 0 {
		t.Errorf("all %d of citygate1's ballots were counted before it stopped: the restart with ballots pending was not rehearsed", len(direct))
	}
	// On chain: every voter answered 202 exactly once; nobody else but
	// voters whose post to the stopping gateway got no answer.
	want := map[uint32]bool{}
	for i := range direct {
		want[uint32(i)] = true
	}
	for i := range accepted {
		want[uint32(i)] = true
	}
	var tally *ballots.Tally
	waitFor(t, 90*time.Second, fmt.Sprintf("%d ballots counted on chain", len(want)), func() bool {
		tally = p.recount(t, rpcURL)
		return tally.Cast >= len(want)
	})
	time.Sleep(period)
	tally = p.recount(t, rpcURL)
	if len(tally.Errors) > 0 {
		t.Errorf("recount of the chain's events: %v", tally.Errors)
	}
	if tally.Cast != len(tally.Voters) {
		t.Errorf("have %d BallotCast events of %d voters: a voter counted twice", tally.Cast, len(tally.Voters))
	}
	for v := range want {
		if !tally.Voters[v] {
			t.Errorf("voter %d was answered 202 but is not counted", v)
		}
	}
	for v := range tally.Voters {
		if !want[v] && !unanswered[int(v)] {
			t.Errorf("voter %d is counted but was never answered 202 (nor left without an answer)", v)
		}
	}
	// The gateways' own recount agrees once the last ballot is final.
	var rc struct {
		Match      bool     `json:"match"`
		FromEvents []uint64 `json:"fromEvents"`
	}
	waitFor(t, 60*time.Second, "the recount through the front to match the chain's tallies", func() bool {
		if getJSON(fmt.Sprintf("%s/api/v1/polls/%d/recount", front, p.id), &rc) != http.StatusOK || !rc.Match {
			return false
		}
		var sum uint64
		for _, c := range rc.FromEvents {
			sum += c
		}
		return sum == uint64(tally.Cast)
	})
	t.Logf("poll %d: %d ballots counted (%d at citygate1, %d through the front); tallies %v", p.id, tally.Cast, len(direct), len(accepted), rc.FromEvents)
}

// getJSON gets a URL and decodes its JSON answer into v; it returns the
// status (0 if there was no answer).
func getJSON(url string, v any) int {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	if json.NewDecoder(resp.Body).Decode(v) != nil {
		return 0
	}
	return resp.StatusCode
}

// issueWithCityctl issues a document with cityctl, as the LAND issuer
// (dev account 0, a public test key), through the JSON-RPC front.
func issueWithCityctl(t *testing.T, rpcURL string) common.Hash {
	t.Helper()
	bin, cleanup, err := proctest.Build("../cmd/cityctl", "cityctl")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cleanup)
	dir := t.TempDir()
	key := filepath.Join(dir, "issuer.key")
	if err := crypto.SaveECDSA(key, genesis.DevAccounts(1)[devIssuer].Key); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, "certificate.pdf")
	content := fmt.Sprintf("certificate issued at %s", time.Now().Format(time.RFC3339Nano))
	if err := os.WriteFile(file, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	holder := crypto.Keccak256Hash([]byte("salt"), []byte("holder"))
	cmd := exec.Command(bin, "doc", "issue", "--file", file, "--type", "BIRTH-CERT", "--holder-ref", holder.Hex(), "--key", key, "--rpc", rpcURL, "--wait", "1m")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("cityctl doc issue: %v\n%s", err, out)
	}
	h := crypto.Keccak256Hash([]byte(content))
	if !strings.Contains(string(out), h.Hex()) {
		t.Fatalf("cityctl doc issue printed no document %s:\n%s", h.Hex(), out)
	}
	return h
}

// gatePoll is a poll of test voters on the compose network.
type gatePoll struct {
	id     uint64
	elig   *ballots.Eligibility
	voters []*voter
}

type voter struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// newPoll creates a poll of n test voters with three options, open for an
// hour, as PARTICIPATION's poll admin.
func newPoll(t *testing.T, rpcURL string, n int) *gatePoll {
	t.Helper()
	p := &gatePoll{}
	addrs := make([]common.Address, n)
	for i := range n {
		k, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("compose voter %d %d", time.Now().UnixNano(), i))))
		p.voters = append(p.voters, &voter{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)})
		addrs[i] = p.voters[i].addr
	}
	var err error
	if p.elig, err = ballots.NewEligibility(addrs); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	c, err := registry.Dial(ctx, rpcURL, registry.NewSigner(genesis.DevAccounts(devPollAdmin + 1)[devPollAdmin].Key))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	head, err := c.Eth().HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	abi := polls.NewPolls()
	tx, err := c.Send(ctx, "Polls.createPoll", contracts.PollsAddress, abi.PackCreatePoll(polls.PollsPollSpec{
		Question: "Which park gets the new playground?", Options: []string{"North Park", "Riverside", "Old Town"},
		OpensAt: head.Time - 1, ClosesAt: head.Time + 3600, EligibleRoot: p.elig.Root(), VoterCount: uint32(n),
	}))
	if err != nil {
		t.Fatalf("Polls.createPoll as the poll admin: %v", err)
	}
	for _, l := range tx.Logs {
		if ev, err := abi.UnpackPollCreatedEvent(l); err == nil {
			p.id = ev.Poll.Uint64()
		}
	}
	if p.id == 0 {
		t.Fatal("createPoll emitted no PollCreated event")
	}
	return p
}

// ballot returns voter i's ballot for option i%3, signed as the resident's
// app signs it, as the JSON the gateway takes.
func (p *gatePoll) ballot(i int) []byte {
	b, err := ballots.Sign(p.voters[i].key, ballots.DevDomain(chainID), p.id, uint32(i%3))
	if err != nil {
		panic(err)
	}
	if b.VoterIndex, b.Proof, err = p.elig.Proof(p.voters[i].addr); err != nil {
		panic(err)
	}
	data, _ := json.Marshal(b)
	return data
}

// post posts voter i's ballot to a gateway once: the status (0 for no
// answer, refused for a connection refused: nothing was sent) and the
// ballot id of a 202.
func (p *gatePoll) post(base string, i int) (int, common.Hash) {
	client := &http.Client{Timeout: 10 * time.Second}
	resp, err := client.Post(fmt.Sprintf("%s/api/v1/polls/%d/ballots", base, p.id), "application/json", bytes.NewReader(p.ballot(i)))
	if errors.Is(err, syscall.ECONNREFUSED) {
		return refused, common.Hash{}
	}
	if err != nil {
		return 0, common.Hash{}
	}
	defer resp.Body.Close()
	var st struct {
		ID common.Hash `json:"ballotId"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&st); err != nil {
		return 0, common.Hash{}
	}
	return resp.StatusCode, st.ID
}

// direct posts voters to one gateway from four workers, each posting its
// next voter 50 ms after its last answer, until the gateway stops answering
// 202 (it is being stopped).
type direct struct {
	mu         sync.Mutex
	accepted   map[int]common.Hash
	unanswered map[int]bool // posts cut off without an answer: maybe stored
	refused    int          // posts refused (connection refused, or answered otherwise than 202)
	done       sync.WaitGroup
}

func startDirect(p *gatePoll, base string, from, to int) *direct {
	d := &direct{accepted: map[int]common.Hash{}, unanswered: map[int]bool{}}
	for w := range 4 {
		d.done.Add(1)
		go func() {
			defer d.done.Done()
			for i := from + w; i < to; i += 4 {
				code, id := p.post(base, i)
				d.mu.Lock()
				switch code {
				case http.StatusAccepted:
					d.accepted[i] = id
				case 0:
					d.unanswered[i] = true
				default:
					d.refused++
				}
				d.mu.Unlock()
				if code != http.StatusAccepted {
					return
				}
				time.Sleep(50 * time.Millisecond)
			}
		}()
	}
	return d
}

func (d *direct) count() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.accepted)
}

// finish waits for the workers to stop and returns the voters answered 202
// and those whose post got no answer.
func (d *direct) finish() (map[int]common.Hash, map[int]bool) {
	d.done.Wait()
	return d.accepted, d.unanswered
}

// recount counts the poll's BallotCast events on chain.
func (p *gatePoll) recount(t *testing.T, rpcURL string) *ballots.Tally {
	t.Helper()
	ec, err := ethclient.Dial(rpcURL)
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	logs, err := ec.FilterLogs(context.Background(), ethereum.FilterQuery{
		Addresses: []common.Address{contracts.PollsAddress},
		Topics:    [][]common.Hash{{polls.NewPolls().GetABI().Events["BallotCast"].ID}, {common.BigToHash(new(big.Int).SetUint64(p.id))}},
	})
	if err != nil {
		return &ballots.Tally{}
	}
	tally, err := ballots.Recount(p.id, 3, logs)
	if err != nil {
		t.Fatal(err)
	}
	return tally
}

// load sends requests through the gateway front until stopped, each
// retried once on failure, and counts the requests that failed twice.
type load struct {
	what                  string
	sent, retried, failed atomic.Int64
	stop                  chan struct{}
	done                  sync.WaitGroup
	lastErr               atomic.Value
}

func (l *load) run(every time.Duration, once func(attempt int) error) {
	l.stop = make(chan struct{})
	l.done.Add(1)
	go func() {
		defer l.done.Done()
		for {
			select {
			case <-l.stop:
				return
			case <-time.After(every):
			}
			if !l.step(once) {
				return
			}
		}
	}()
}

// step sends one request, and once more if it failed; false when there is
// nothing left to send.
func (l *load) step(once func(attempt int) error) bool {
	err := once(0)
	if err == errDone {
		return false
	}
	l.sent.Add(1)
	if err == nil {
		return true
	}
	l.retried.Add(1)
	if err := once(1); err != nil {
		l.failed.Add(1)
		l.lastErr.Store(err.Error())
	}
	return true
}

var errDone = fmt.Errorf("nothing left to send")

// refused is post's status for a connection refused.
const refused = -1

func (l *load) finish(t *testing.T) {
	t.Helper()
	close(l.stop)
	l.done.Wait()
	t.Logf("%s through the gateway front: %d sent, %d retried once, %d failed after the retry", l.what, l.sent.Load(), l.retried.Load(), l.failed.Load())
	if l.failed.Load() > 0 {
		t.Errorf("%s: %d failed after one retry (last: %v)", l.what, l.failed.Load(), l.lastErr.Load())
	}
	if l.sent.Load() < 20 {
		t.Errorf("%s: only %d sent", l.what, l.sent.Load())
	}
}

// startGateReader reads a document through the front every 50 ms.
func startGateReader(url string) *load {
	l := &load{what: "document reads"}
	l.run(50*time.Millisecond, func(int) error {
		var st struct {
			Status string `json:"status"`
		}
		if code := getJSON(url, &st); code != http.StatusOK || st.Status != "valid" {
			return fmt.Errorf("GET %s: answered %d, status %q", url, code, st.Status)
		}
		return nil
	})
	return l
}

// poster posts voters [from, to) through the front, one every 150 ms.
type poster struct {
	load
	mu       sync.Mutex
	accepted map[int]common.Hash
}

func startPoster(p *gatePoll, front string, from, to int) *poster {
	ps := &poster{load: load{what: "ballot posts"}, accepted: map[int]common.Hash{}}
	next := from
	ps.run(150*time.Millisecond, func(attempt int) error {
		if next >= to {
			return errDone
		}
		i := next
		code, id := p.post(front, i)
		if code == http.StatusAccepted || attempt == 1 {
			next++
		}
		if code != http.StatusAccepted {
			return fmt.Errorf("voter %d: answered %d, want 202", i, code)
		}
		ps.mu.Lock()
		ps.accepted[i] = id
		ps.mu.Unlock()
		return nil
	})
	return ps
}

// finish stops the poster and returns the voters answered 202.
func (ps *poster) finish(t *testing.T) map[int]common.Hash {
	t.Helper()
	ps.load.finish(t)
	ps.mu.Lock()
	defer ps.mu.Unlock()
	return ps.accepted
}
