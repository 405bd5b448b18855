package loadgen

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/log"
)

// CallConfig is the configuration of a read load: Workers concurrent
// clients, each sending one eth_call at a time (no batching), cycling through
// Calls, for Duration after a Warmup.
type CallConfig struct {
	RPC         string
	AllowRemote bool
	Label       string
	Workers     int
	Duration    time.Duration // measured window
	Warmup      time.Duration // calls before the window, not counted
	RPCTimeout  time.Duration
	PID         int // node process to sample; 0 for none
	Sample      time.Duration
	To          common.Address
	Calls       [][]byte               // call data, cycled through
	Check       func(out []byte) error // checks a sample of results; nil checks nothing
	Name        string                 // workload name in the report ("verify")
}

// Validate checks the fields.
func (c *CallConfig) Validate() error {
	if err := CheckTarget(c.RPC, c.AllowRemote); err != nil {
		return err
	}
	switch {
	case c.Workers < 1 || c.Workers > 1024:
		return fmt.Errorf("invalid worker count: have %d, want 1..1024", c.Workers)
	case c.Duration <= 0 || c.Warmup < 0 || c.RPCTimeout <= 0:
		return fmt.Errorf("invalid durations: have duration %v, warmup %v, rpc timeout %v", c.Duration, c.Warmup, c.RPCTimeout)
	case len(c.Calls) == 0:
		return errors.New("no calls to send")
	}
	return nil
}

// CallReport is the result of a read load.
type CallReport struct {
	Label               string     `json:"label"`
	Client              string     `json:"client"`
	Workload            string     `json:"workload"`
	RPC                 string     `json:"rpc"`
	Workers             int        `json:"workers"`
	Distinct            int        `json:"distinct_calls"`
	Calls               int        `json:"calls"`
	Errors              int        `json:"errors"`
	Seconds             float64    `json:"seconds"`
	CallsPerSec         float64    `json:"calls_per_s"`
	Latency             Latency    `json:"latency"`
	Node                *ProcStats `json:"node,omitempty"`
	GeneratorCPUSeconds float64    `json:"generator_cpu_s"`
	FirstError          string     `json:"first_error,omitempty"`
}

// latencySample keeps every n-th call's latency.
const latencySample = 16

// checkEvery decodes and checks every n-th answer of each worker; the others
// are checked to be a result without an error.
const checkEvery = 64

// RunCalls runs a read load and reports calls per second.
func RunCalls(ctx context.Context, cfg CallConfig) (*CallReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	client := NewClient(cfg.RPC, cfg.Workers, cfg.RPCTimeout)
	defer client.Close()
	rep, err := newCallReport(ctx, client, cfg)
	if err != nil {
		return nil, err
	}
	if err := checkSampleCalls(ctx, client, cfg); err != nil {
		return nil, err
	}
	reqs, err := encodeCallRequests(cfg.RPC, cfg.To, cfg.Calls)
	if err != nil {
		return nil, err
	}
	w, err := startCallWorkers(cfg, reqs)
	if err != nil {
		return nil, err
	}
	sleepCtx(ctx, cfg.Warmup)
	sampler, err := startSampler(cfg.PID, cfg.Sample)
	if err != nil {
		w.stop()
		return nil, err
	}
	cpu0 := selfCPU()
	log.Info("Measuring calls", "workload", cfg.Name, "workers", cfg.Workers, "duration", cfg.Duration)
	elapsed, n := w.measure(ctx, cfg.Duration)
	w.stop()
	rep.GeneratorCPUSeconds = selfCPU() - cpu0
	if sampler != nil {
		st := sampler.Stop()
		rep.Node = &st
	}
	w.fill(rep, elapsed, n)
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	return rep, nil
}

// newCallReport asks the node for its version and returns the report with
// the run's facts filled in.
func newCallReport(ctx context.Context, client *Client, cfg CallConfig) (*CallReport, error) {
	rep := &CallReport{Label: cfg.Label, Workload: cfg.Name, RPC: cfg.RPC, Workers: cfg.Workers, Distinct: len(cfg.Calls)}
	if err := client.Call(ctx, &rep.Client, "web3_clientVersion"); err != nil {
		return nil, fmt.Errorf("node at %s: %w", cfg.RPC, err)
	}
	if rep.Label == "" {
		rep.Label = rep.Client
	}
	return rep, nil
}

// checkSampleCalls checks the first, middle and last call's answers before
// measuring: a wrong answer is no throughput.
func checkSampleCalls(ctx context.Context, client *Client, cfg CallConfig) error {
	for _, i := range []int{0, len(cfg.Calls) / 2, len(cfg.Calls) - 1} {
		args := map[string]any{"to": cfg.To, "data": hexutil.Bytes(cfg.Calls[i])}
		var out hexutil.Bytes
		if err := client.Call(ctx, &out, "eth_call", args, "latest"); err != nil {
			return fmt.Errorf("check call %d: %w", i, err)
		}
		if cfg.Check != nil {
			if err := cfg.Check(out); err != nil {
				return fmt.Errorf("check call %d: %w", i, err)
			}
		}
	}
	return nil
}

// sleepCtx waits for d or until ctx is done.
func sleepCtx(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// startSampler starts sampling the node process pid; none for pid 0.
func startSampler(pid int, interval time.Duration) (*ProcSampler, error) {
	if pid <= 0 {
		return nil, nil
	}
	sampler, err := StartProcSampler(pid, interval)
	if err != nil {
		return nil, fmt.Errorf("sample node process %d: %w", pid, err)
	}
	return sampler, nil
}

// callWorkers are RunCalls' workers: each sends the pre-encoded requests in
// turn on a connection of its own and, while measuring, checks and counts
// the answers.
type callWorkers struct {
	reqs  [][]byte
	check func(out []byte) error

	measuring atomic.Bool
	next      atomic.Int64
	calls     atomic.Int64
	errs      atomic.Int64
	stopCh    chan struct{}
	wg        sync.WaitGroup

	mu       sync.Mutex
	lat      []time.Duration // sampled latencies, handed over by each worker when it stops
	firstErr string
}

// startCallWorkers opens cfg.Workers connections and starts a worker on
// each.
func startCallWorkers(cfg CallConfig, reqs [][]byte) (*callWorkers, error) {
	w := &callWorkers{reqs: reqs, check: cfg.Check, stopCh: make(chan struct{})}
	for range cfg.Workers {
		conn, err := newCallConn(cfg.RPC, cfg.RPCTimeout)
		if err != nil {
			w.stop()
			return nil, err
		}
		w.wg.Add(1)
		go w.work(conn)
	}
	return w, nil
}

// work sends calls on conn until stop.
func (w *callWorkers) work(conn *callConn) {
	defer w.wg.Done()
	defer conn.close()
	var local []time.Duration
	for n := 0; ; n++ {
		select {
		case <-w.stopCh:
			w.mu.Lock()
			w.lat = append(w.lat, local...)
			w.mu.Unlock()
			return
		default:
		}
		i := int(w.next.Add(1)) % len(w.reqs)
		start := time.Now()
		body, err := conn.do(w.reqs[i])
		if !w.measuring.Load() {
			continue
		}
		if err != nil {
			w.fail(err)
			continue
		}
		if err := w.checkAnswer(body, n); err != nil {
			w.fail(fmt.Errorf("call %d: %w", i, err))
			continue
		}
		w.calls.Add(1)
		if n%latencySample == 0 {
			local = append(local, time.Since(start))
		}
	}
}

// checkAnswer checks that the n-th answer body is a result; every
// checkEvery-th is decoded and checked.
func (w *callWorkers) checkAnswer(body []byte, n int) error {
	check := n%checkEvery == 0
	out, err := callResult(body, check)
	if err == nil && check && w.check != nil {
		err = w.check(out)
	}
	return err
}

// fail counts a failed call and keeps the first error.
func (w *callWorkers) fail(err error) {
	if w.errs.Add(1) == 1 {
		w.mu.Lock()
		w.firstErr = err.Error()
		w.mu.Unlock()
	}
}

// measure counts the calls answered in the next d (or until ctx is done)
// and returns the window's length and that count.
func (w *callWorkers) measure(ctx context.Context, d time.Duration) (time.Duration, int64) {
	w.measuring.Store(true)
	t0 := time.Now()
	sleepCtx(ctx, d)
	w.measuring.Store(false)
	return time.Since(t0), w.calls.Load()
}

// stop stops the workers and waits for them.
func (w *callWorkers) stop() {
	close(w.stopCh)
	w.wg.Wait()
}

// fill writes the measured window's counts and latencies into rep; the
// workers have stopped.
func (w *callWorkers) fill(rep *CallReport, elapsed time.Duration, n int64) {
	rep.Calls, rep.Errors, rep.FirstError = int(n), int(w.errs.Load()), w.firstErr
	rep.Seconds = elapsed.Seconds()
	rep.CallsPerSec = float64(n) / rep.Seconds
	rep.Latency = Summarize(w.lat)
}

// WriteText writes the human-readable call report.
func (r *CallReport) WriteText(w io.Writer) error {
	s := fmt.Sprintf("citybench %s against %s (%s)\n", r.Workload, r.Label, r.Client)
	s += fmt.Sprintf("  workload    eth_call from %d workers, one call at a time each, over %d distinct calls\n", r.Workers, r.Distinct)
	s += fmt.Sprintf("  throughput  %.0f calls/s (%d calls in %.1f s), %d errors\n", r.CallsPerSec, r.Calls, r.Seconds, r.Errors)
	s += fmt.Sprintf("  latency     p50 %.2f ms, p95 %.2f ms, p99 %.2f ms\n", r.Latency.P50*1000, r.Latency.P95*1000, r.Latency.P99*1000)
	if n := r.Node; n != nil {
		s += fmt.Sprintf("  node        peak RSS %s, CPU %.1f s (%.2f cores)\n", mib(n.PeakRSSBytes), n.CPUSeconds, n.Cores)
	}
	s += fmt.Sprintf("  generator   CPU %.1f s\n", r.GeneratorCPUSeconds)
	if r.FirstError != "" {
		s += fmt.Sprintf("  first error %s\n", r.FirstError)
	}
	_, err := io.WriteString(w, s)
	return err
}
