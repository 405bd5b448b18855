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
	rep := &CallReport{Label: cfg.Label, Workload: cfg.Name, RPC: cfg.RPC, Workers: cfg.Workers, Distinct: len(cfg.Calls)}
	if err := client.Call(ctx, &rep.Client, "web3_clientVersion"); err != nil {
		return nil, fmt.Errorf("node at %s: %w", cfg.RPC, err)
	}
	if rep.Label == "" {
		rep.Label = rep.Client
	}
	// Pre-encode the call objects once; the workers only send.
	args := make([]map[string]any, len(cfg.Calls))
	for i, data := range cfg.Calls {
		args[i] = map[string]any{"to": cfg.To, "data": hexutil.Bytes(data)}
	}
	// Check a sample of answers before measuring: a wrong answer is no throughput.
	for _, i := range []int{0, len(args) / 2, len(args) - 1} {
		var out hexutil.Bytes
		if err := client.Call(ctx, &out, "eth_call", args[i], "latest"); err != nil {
			return nil, fmt.Errorf("check call %d: %w", i, err)
		}
		if cfg.Check != nil {
			if err := cfg.Check(out); err != nil {
				return nil, fmt.Errorf("check call %d: %w", i, err)
			}
		}
	}

	reqs, err := encodeCallRequests(cfg.RPC, cfg.To, cfg.Calls)
	if err != nil {
		return nil, err
	}

	var (
		measuring atomic.Bool
		next      atomic.Int64
		calls     atomic.Int64
		errs      atomic.Int64
		mu        sync.Mutex
		lat       []time.Duration
		firstErr  string
	)
	fail := func(err error) {
		if errs.Add(1) == 1 {
			mu.Lock()
			firstErr = err.Error()
			mu.Unlock()
		}
	}
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for range cfg.Workers {
		conn, err := newCallConn(cfg.RPC, cfg.RPCTimeout)
		if err != nil {
			close(stop)
			wg.Wait()
			return nil, err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer conn.close()
			var local []time.Duration
			for n := 0; ; n++ {
				select {
				case <-stop:
					mu.Lock()
					lat = append(lat, local...)
					mu.Unlock()
					return
				default:
				}
				i := int(next.Add(1)) % len(reqs)
				start := time.Now()
				body, err := conn.do(reqs[i])
				if !measuring.Load() {
					continue
				}
				if err != nil {
					fail(err)
					continue
				}
				// Every answer must be a result; every checkEvery-th is decoded and checked.
				check := n%checkEvery == 0
				out, err := callResult(body, check)
				if err == nil && check && cfg.Check != nil {
					err = cfg.Check(out)
				}
				if err != nil {
					fail(fmt.Errorf("call %d: %w", i, err))
					continue
				}
				calls.Add(1)
				if n%latencySample == 0 {
					local = append(local, time.Since(start))
				}
			}
		}()
	}
	select {
	case <-time.After(cfg.Warmup):
	case <-ctx.Done():
	}
	var sampler *ProcSampler
	if cfg.PID > 0 {
		var err error
		if sampler, err = StartProcSampler(cfg.PID, cfg.Sample); err != nil {
			close(stop)
			wg.Wait()
			return nil, fmt.Errorf("sample node process %d: %w", cfg.PID, err)
		}
	}
	cpu0 := selfCPU()
	measuring.Store(true)
	t0 := time.Now()
	log.Info("Measuring calls", "workload", cfg.Name, "workers", cfg.Workers, "duration", cfg.Duration)
	select {
	case <-time.After(cfg.Duration):
	case <-ctx.Done():
	}
	measuring.Store(false)
	elapsed := time.Since(t0)
	n := calls.Load()
	close(stop)
	wg.Wait()
	rep.GeneratorCPUSeconds = selfCPU() - cpu0
	if sampler != nil {
		st := sampler.Stop()
		rep.Node = &st
	}
	rep.Calls, rep.Errors, rep.FirstError = int(n), int(errs.Load()), firstErr
	rep.Seconds = elapsed.Seconds()
	rep.CallsPerSec = float64(n) / rep.Seconds
	rep.Latency = Summarize(lat)
	if ctx.Err() != nil {
		return rep, ctx.Err()
	}
	return rep, nil
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
