package gateload

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/bench/loadgen"
)

// BallotsConfig is one W6 run: every voter's ballot of Poll, signed before
// the clock starts, posted by Workers clients to the gateway, then waited for
// until the gateway has relayed them all.
type BallotsConfig struct {
	URL     string // citygate's base URL
	Poll    uint64
	Options int
	Domain  ballots.Domain
	Voters  []*ecdsa.PrivateKey
	Elig    *ballots.Eligibility
	Workers int
	Drain   time.Duration // longest wait for the queue to empty after the load
	Hold    bool          // the gateway's relayer is held back: report the intake alone, no drain nor result
	PID     int           // the gateway's process, to sample its CPU; 0 for none
	NodePID int           // the rpc node's process, to sample its CPU; 0 for none
}

// BallotsReport is the outcome of a W6 run.
type BallotsReport struct {
	Workload       string             `json:"workload"`
	URL            string             `json:"url"`
	Poll           uint64             `json:"poll"`
	Ballots        int                `json:"ballots"`
	Accepted       int                `json:"accepted"` // answered 202
	Retried        int                `json:"retried"`  // answers 429 or 503, posted again
	Workers        int                `json:"workers"`
	ProofDepth     int                `json:"proof_depth"`
	IntakeSeconds  float64            `json:"intake_s"` // first post to the last 202
	AcceptedPerSec float64            `json:"accepted_per_s"`
	Latency        loadgen.Latency    `json:"latency"`      // of the 202 answers
	DrainSeconds   float64            `json:"drain_s"`      // last 202 to an empty queue
	EndToEnd       float64            `json:"end_to_end_s"` // first post to an empty queue
	EndToEndRate   float64            `json:"end_to_end_per_s"`
	Counted        uint64             `json:"counted"` // the poll's tallies afterwards
	RecountMatches bool               `json:"recount_matches"`
	Gateway        *loadgen.ProcStats `json:"gateway,omitempty"`
	Node           *loadgen.ProcStats `json:"node,omitempty"`
	GeneratorCPU   float64            `json:"generator_cpu_s"`
	Held           bool               `json:"held,omitempty"` // intake alone: the relayer was held back
	FirstError     string             `json:"first_error,omitempty"`
}

// Sign signs every voter's ballot for option i mod options, in parallel.
func Sign(cfg BallotsConfig) ([][]byte, error) {
	out := make([][]byte, len(cfg.Voters))
	var (
		wg   sync.WaitGroup
		next atomic.Int64
		fail atomic.Value
	)
	for range runtime.NumCPU() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(out) {
					return
				}
				b, err := ballots.Sign(cfg.Voters[i], cfg.Domain, cfg.Poll, uint32(i%cfg.Options))
				if err == nil {
					b.VoterIndex, b.Proof, err = cfg.Elig.Proof(b.Voter)
				}
				if err != nil {
					fail.CompareAndSwap(nil, err)
					return
				}
				out[i], _ = json.Marshal(b)
			}
		}()
	}
	wg.Wait()
	if err, ok := fail.Load().(error); ok {
		return nil, err
	}
	return out, nil
}

// RunBallots posts the signed ballots and waits until the gateway's queue
// is empty; then it reads the poll's tallies and recount through the
// gateway at the latest block.
func RunBallots(ctx context.Context, cfg BallotsConfig, signed [][]byte) (*BallotsReport, error) {
	if cfg.Workers < 1 || len(signed) == 0 {
		return nil, errors.New("no workers or no ballots")
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: cfg.Workers, MaxConnsPerHost: cfg.Workers}, Timeout: time.Minute}
	rep := &BallotsReport{Workload: "gateway-ballots", URL: cfg.URL, Poll: cfg.Poll, Ballots: len(signed), Workers: cfg.Workers}
	if _, proof, err := cfg.Elig.Proof(cfg.Elig.Voter(0)); err == nil {
		rep.ProofDepth = len(proof)
	}
	gate, node, err := startSamplers(cfg.PID, cfg.NodePID)
	if err != nil {
		return nil, err
	}
	cpu0 := loadgen.SelfCPU()
	p := &ballotPosters{
		client: client, url: fmt.Sprintf("%s/api/v1/polls/%d/ballots", cfg.URL, cfg.Poll),
		signed: signed, t0: time.Now(),
	}
	p.postAll(ctx, cfg.Workers)
	p.fill(rep)
	rep.GeneratorCPU = loadgen.SelfCPU() - cpu0
	rep.Gateway, rep.Node = stopSampler(gate), stopSampler(node)
	if cfg.Hold {
		rep.Held = true
		return rep, nil
	}
	loadEnd := p.t0.Add(time.Duration(p.last.Load()))
	if _, err := drain(ctx, client, cfg.URL, cfg.Drain); err != nil {
		return rep, err
	}
	rep.DrainSeconds = time.Since(loadEnd).Seconds()
	rep.EndToEnd = time.Since(p.t0).Seconds()
	rep.EndToEndRate = float64(rep.Accepted) / rep.EndToEnd
	rep.Counted, rep.RecountMatches, err = readResult(client, cfg.URL, cfg.Poll, rep.Accepted)
	return rep, err
}

// ballotPosters are RunBallots' workers: each posts the next signed ballot
// until every one is accepted or refused, posting again those the gateway
// answers 429 or 503.
type ballotPosters struct {
	client *http.Client
	url    string
	signed [][]byte
	t0     time.Time // first post

	next, accepted, retried atomic.Int64
	last                    atomic.Int64 // since t0, the last 202
	firstErr                atomic.Value
	mu                      sync.Mutex
	lat                     []time.Duration // of the 202 answers
}

// postAll posts every ballot from workers workers, logging progress, and
// returns when they are done (or ctx is).
func (p *ballotPosters) postAll(ctx context.Context, workers int) {
	done := make(chan struct{})
	defer close(done) // ends the progress log (a stopped ticker's channel is never closed)
	go p.logProgress(done)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.work(ctx)
		}()
	}
	wg.Wait()
}

// logProgress logs the posting's progress every 5 s until done is closed.
func (p *ballotPosters) logProgress(done <-chan struct{}) {
	progress := time.NewTicker(5 * time.Second)
	defer progress.Stop()
	for {
		select {
		case <-done:
			return
		case <-progress.C:
			log.Info("Posting ballots", "accepted", p.accepted.Load(), "of", len(p.signed), "retried", p.retried.Load())
		}
	}
}

// work posts the next ballot until none is left or ctx is done.
func (p *ballotPosters) work(ctx context.Context) {
	var mine []time.Duration
	defer func() { p.mu.Lock(); p.lat = append(p.lat, mine...); p.mu.Unlock() }()
	for {
		i := int(p.next.Add(1) - 1)
		if i >= len(p.signed) || ctx.Err() != nil {
			return
		}
		if d, ok := p.postOne(i); ok {
			mine = append(mine, d)
		}
	}
}

// postOne posts ballot i until the gateway accepts or refuses it, and
// returns the accepting post's latency and whether it was accepted.
func (p *ballotPosters) postOne(i int) (time.Duration, bool) {
	for {
		s := time.Now()
		code, err := post(p.client, p.url, p.signed[i])
		if code == http.StatusAccepted {
			d := time.Since(s)
			p.accepted.Add(1)
			p.last.Store(int64(time.Since(p.t0)))
			return d, true
		}
		if code == http.StatusTooManyRequests || code == http.StatusServiceUnavailable {
			p.retried.Add(1)
			time.Sleep(200 * time.Millisecond)
			continue
		}
		p.firstErr.CompareAndSwap(nil, fmt.Sprintf("ballot %d: %d %v", i, code, err))
		return 0, false
	}
}

// fill writes the intake's counts, rate and latencies into rep; the
// workers are done.
func (p *ballotPosters) fill(rep *BallotsReport) {
	rep.Accepted, rep.Retried = int(p.accepted.Load()), int(p.retried.Load())
	rep.IntakeSeconds = time.Duration(p.last.Load()).Seconds()
	if rep.IntakeSeconds > 0 {
		rep.AcceptedPerSec = float64(rep.Accepted) / rep.IntakeSeconds
	}
	rep.Latency = loadgen.Summarize(p.lat)
	if e, ok := p.firstErr.Load().(string); ok {
		rep.FirstError = e
	}
}

// startSamplers samples the CPU of the gateway and of the node (a pid of 0:
// none).
func startSamplers(gatePID, nodePID int) (gate, node *loadgen.ProcSampler, err error) {
	if gatePID > 0 {
		if gate, err = loadgen.StartProcSampler(gatePID, time.Second); err != nil {
			return nil, nil, err
		}
	}
	if nodePID > 0 {
		if node, err = loadgen.StartProcSampler(nodePID, time.Second); err != nil {
			stopSampler(gate)
			return nil, nil, err
		}
	}
	return gate, node, nil
}

// stopSampler returns a sampler's figures, nil for none.
func stopSampler(s *loadgen.ProcSampler) *loadgen.ProcStats {
	if s == nil {
		return nil
	}
	st := s.Stop()
	return &st
}

// post posts one ballot and returns the answer's status.
func post(client *http.Client, url string, body []byte) (int, error) {
	resp, err := client.Post(url, "application/json", bytes.NewReader(body))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(resp.Body)
	if resp.StatusCode >= 400 && resp.StatusCode != 429 && resp.StatusCode != 503 {
		return resp.StatusCode, fmt.Errorf("%s", data)
	}
	return resp.StatusCode, nil
}

// gatewayStatus is the part of /api/v1/status the workload reads.
type gatewayStatus struct {
	Intake *struct {
		Queued   int `json:"queued"`
		Inflight int `json:"inflight"`
	} `json:"intake"`
}

// drain waits until the gateway holds no ballot queued or in flight; it
// returns the ballots it held at the first answer of its status.
func drain(ctx context.Context, client *http.Client, base string, limit time.Duration) (int, error) {
	deadline := time.Now().Add(limit)
	held := -1
	for {
		var st gatewayStatus
		if err := getJSON(client, base+"/api/v1/status", &st); err == nil && st.Intake != nil {
			if held < 0 {
				held = st.Intake.Queued + st.Intake.Inflight
			}
			if st.Intake.Queued == 0 && st.Intake.Inflight == 0 {
				return held, nil
			}
		}
		if time.Now().After(deadline) {
			return held, fmt.Errorf("the gateway still holds ballots %v after the load", limit)
		}
		select {
		case <-ctx.Done():
			return held, ctx.Err()
		case <-time.After(250 * time.Millisecond):
		}
	}
}

func getJSON(client *http.Client, url string, v any) error {
	resp, err := client.Get(url)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// recountWait bounds the wait for the gateway's background recount.
const recountWait = 10 * time.Minute

// getRecount reads the recount, asking again while the gateway answers
// 503 with Retry-After (recount-in-progress: a city-wide poll is counted in
// the background), for up to recountWait.
func getRecount(client *http.Client, url string, v any) error {
	for deadline := time.Now().Add(recountWait); ; {
		resp, err := client.Get(url)
		if err != nil {
			return err
		}
		retry, _ := strconv.Atoi(resp.Header.Get("Retry-After"))
		if resp.StatusCode == http.StatusServiceUnavailable && retry > 0 && time.Now().Before(deadline) {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			time.Sleep(time.Duration(retry) * time.Second)
			continue
		}
		defer resp.Body.Close()
		if resp.StatusCode != 200 {
			body, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
			return fmt.Errorf("GET %s: %s: %s", url, resp.Status, body)
		}
		return json.NewDecoder(resp.Body).Decode(v)
	}
}

// readResult reads the poll's total (once the finalized block has the
// accepted ballots, or after 15 s) and recount at the finalized block.
func readResult(client *http.Client, base string, id uint64, accepted int) (uint64, bool, error) {
	var poll struct {
		Total uint64 `json:"total"`
	}
	for deadline := time.Now().Add(15 * time.Second); ; {
		if err := getJSON(client, fmt.Sprintf("%s/api/v1/polls/%d", base, id), &poll); err != nil {
			return 0, false, err
		}
		if poll.Total >= uint64(accepted) || time.Now().After(deadline) {
			break
		}
		time.Sleep(500 * time.Millisecond)
	}
	var rc struct {
		Match bool `json:"match"`
	}
	if err := getRecount(client, fmt.Sprintf("%s/api/v1/polls/%d/recount", base, id), &rc); err != nil {
		return 0, false, err
	}
	return poll.Total, rc.Match, nil
}

// cpuLine is a process's line of a text report: its CPU during the
// measured window, per ballot.
func cpuLine(name string, p *loadgen.ProcStats, ballots int) string {
	if p == nil || ballots == 0 {
		return ""
	}
	return fmt.Sprintf("  %-11s peak RSS %.0f MiB, CPU %.1f s (%.2f cores) = %.0f us a ballot\n", name,
		float64(p.PeakRSSBytes)/(1<<20), p.CPUSeconds, p.Cores, p.CPUSeconds/float64(ballots)*1e6)
}

// WriteText writes the human-readable report.
func (r *BallotsReport) WriteText(w io.Writer) error {
	s := fmt.Sprintf("citybench gateway-ballots against %s (poll %d, proof depth %d)\n", r.URL, r.Poll, r.ProofDepth)
	s += fmt.Sprintf("  intake      %d of %d ballots answered 202 in %.1f s = %.0f ballots/s from %d clients (%d answers 429/503 posted again)\n",
		r.Accepted, r.Ballots, r.IntakeSeconds, r.AcceptedPerSec, r.Workers, r.Retried)
	s += fmt.Sprintf("  latency     202 after p50 %.1f ms, p95 %.1f ms, p99 %.1f ms\n", r.Latency.P50*1000, r.Latency.P95*1000, r.Latency.P99*1000)
	if r.Held {
		s += "  drain       not waited for: the gateway's relayer was held back (citybench gateway-drain measures it)\n"
	} else {
		s += fmt.Sprintf("  drain       queue empty %.1f s after the last 202; end to end %.1f s = %.0f ballots/s\n", r.DrainSeconds, r.EndToEnd, r.EndToEndRate)
		s += fmt.Sprintf("  result      %d counted, recount matches %v\n", r.Counted, r.RecountMatches)
	}
	s += cpuLine("gateway", r.Gateway, r.Accepted)
	s += cpuLine("node", r.Node, r.Accepted)
	if r.Accepted > 0 {
		s += fmt.Sprintf("  generator   CPU %.1f s = %.0f us a ballot\n", r.GeneratorCPU, r.GeneratorCPU/float64(r.Accepted)*1e6)
	}
	if r.FirstError != "" {
		s += fmt.Sprintf("  first error %s\n", r.FirstError)
	}
	_, err := io.WriteString(w, s)
	return err
}
