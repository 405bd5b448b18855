// Package gateload is workloads W5 and W6 of the benchmark, against citygate:
// public reads of document statuses over HTTP from many concurrent
// connections (W5, compared with the same reads as eth_call on the node:
// citybench verify), and residents' signed ballots posted to the intake
// until they are all counted (W6).
package gateload

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/internal/bench/loadgen"
)

// ReadsConfig is one W5 run: Connections clients, each with one request in
// flight on its own connection, reading the status of Docs for Duration
// after Warmup.
type ReadsConfig struct {
	URL         string        // citygate's base URL
	Docs        []common.Hash // documents to read, cycled through
	Connections int
	Duration    time.Duration
	Warmup      time.Duration
	Timeout     time.Duration // limit of one request
	At          string        // ?at= of the reads ("" for finalized)
	Rate        float64       // requests per second offered in all, spread over the connections; 0: each sends its next request at once (closed loop)
	PID         int           // the gateway's process, to sample its CPU; 0 for none
}

// Validate checks the configuration.
func (c *ReadsConfig) Validate() error {
	switch {
	case c.URL == "":
		return errors.New("no gateway URL")
	case len(c.Docs) == 0:
		return errors.New("no documents to read")
	case c.Connections < 1 || c.Connections > 100_000:
		return fmt.Errorf("invalid connections: have %d, want 1..100000", c.Connections)
	case c.Rate < 0:
		return fmt.Errorf("invalid rate: have %v, want >= 0", c.Rate)
	case c.Duration <= 0 || c.Warmup < 0 || c.Timeout <= 0:
		return fmt.Errorf("invalid durations: duration %v, warmup %v, timeout %v", c.Duration, c.Warmup, c.Timeout)
	}
	return nil
}

// ReadsReport is the outcome of a W5 run.
type ReadsReport struct {
	Workload            string             `json:"workload"`
	URL                 string             `json:"url"`
	Connections         int                `json:"connections"`
	OfferedRate         float64            `json:"offered_rate"` // 0: closed loop
	Distinct            int                `json:"distinct_reads"`
	Reads               int                `json:"reads"`
	Errors              int                `json:"errors"`
	Seconds             float64            `json:"seconds"`
	ReadsPerSec         float64            `json:"reads_per_s"`
	Latency             loadgen.Latency    `json:"latency"`            // open loop: from each read's due time (see readRun.connection)
	SendLag             *loadgen.Latency   `json:"send_lag,omitempty"` // open loop: how late reads were sent after their due time
	Gateway             *loadgen.ProcStats `json:"gateway,omitempty"`
	GeneratorCPUSeconds float64            `json:"generator_cpu_s"`
	FirstError          string             `json:"first_error,omitempty"`
}

// latencyEvery keeps every n-th read's latency of each connection.
const latencyEvery = 4

// readRun is the state the connections of one run share.
type readRun struct {
	reqs      [][]byte
	interval  time.Duration // between one connection's requests; 0: closed loop
	stop      chan struct{}
	wg        sync.WaitGroup // the connections
	measuring atomic.Bool
	reads     atomic.Int64
	errs      atomic.Int64
	firstErr  atomic.Value
	mu        sync.Mutex
	lat, lag  []time.Duration
}

// connection sends reads on conn until stop: the w-th of n connections. In
// an open loop (interval > 0) each read is due at its place in the
// connection's schedule and its latency counts from then, not from when it
// was sent: a read sent late because the one before it was slow (or the
// generator was behind) waited for its answer all that time, and timing it
// from its send would leave the wait out (coordinated omission). How late
// reads were sent is kept apart (SendLag): a generator behind its schedule.
func (run *readRun) connection(conn *loadgen.RawConn, w, n int) {
	var lat, lag []time.Duration
	defer func() {
		run.mu.Lock()
		run.lat, run.lag = append(run.lat, lat...), append(run.lag, lag...)
		run.mu.Unlock()
	}()
	var timer *time.Timer
	next := time.Now()
	if run.interval > 0 {
		next = next.Add(time.Duration(w) * run.interval / time.Duration(n)) // spread the connections' first requests
		timer = time.NewTimer(time.Until(next))
		defer timer.Stop()
	}
	for i := w; ; i++ {
		due := next
		if run.interval > 0 {
			timer.Reset(time.Until(next))
			select {
			case <-run.stop:
				return
			case <-timer.C:
			}
			next = next.Add(run.interval)
		} else {
			select {
			case <-run.stop:
				return
			default:
			}
			due = time.Now()
		}
		sent := time.Now()
		_, err := conn.Do(run.reqs[i%len(run.reqs)])
		if !run.measuring.Load() {
			continue
		}
		if err != nil {
			run.errs.Add(1)
			run.firstErr.CompareAndSwap(nil, err.Error())
			continue
		}
		if run.reads.Add(1)%latencyEvery == 0 {
			lat = append(lat, time.Since(due))
			if run.interval > 0 {
				lag = append(lag, sent.Sub(due))
			}
		}
	}
}

func ptr[T any](v T) *T { return &v }

// RunReads runs W5.
func RunReads(ctx context.Context, cfg ReadsConfig) (*ReadsReport, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	urls := documentURLs(cfg)
	client := &http.Client{Timeout: cfg.Timeout} // for the first read's check
	defer client.CloseIdleConnections()
	if err := checkRead(client, urls[0]); err != nil {
		return nil, err
	}
	// The reads go out as citybench verify's eth_calls do: requests encoded
	// once, each connection a raw HTTP/1.1 one (net/http's client cost the
	// generator 3.5 times the CPU per request, taken from the gateway).
	reqs, err := loadgen.EncodeGets(urls)
	if err != nil {
		return nil, err
	}
	run, err := startReads(cfg, reqs)
	if err != nil {
		return nil, err
	}
	rep := &ReadsReport{Workload: "gateway-reads", URL: cfg.URL, Connections: cfg.Connections, OfferedRate: cfg.Rate, Distinct: len(urls)}
	log.Info("Opening connections and warming up", "connections", cfg.Connections, "warmup", cfg.Warmup)
	sleep(ctx, cfg.Warmup)
	sampler, err := startGatewaySampler(cfg.PID)
	if err != nil {
		run.halt()
		return nil, err
	}
	cpu0 := loadgen.SelfCPU()
	elapsed := run.measure(ctx, cfg)
	run.halt()
	rep.GeneratorCPUSeconds = loadgen.SelfCPU() - cpu0
	rep.Gateway = stopSampler(sampler)
	run.fill(rep, elapsed)
	return rep, ctx.Err()
}

// documentURLs returns the gateway's URLs of cfg.Docs, at cfg.At.
func documentURLs(cfg ReadsConfig) []string {
	urls := make([]string, len(cfg.Docs))
	for i, h := range cfg.Docs {
		urls[i] = cfg.URL + "/api/v1/documents/" + h.Hex()
		if cfg.At != "" {
			urls[i] += "?at=" + cfg.At
		}
	}
	return urls
}

// startReads opens cfg.Connections connections and starts sending reqs on
// each.
func startReads(cfg ReadsConfig, reqs [][]byte) (*readRun, error) {
	run := &readRun{reqs: reqs, stop: make(chan struct{})}
	if cfg.Rate > 0 {
		run.interval = time.Duration(float64(cfg.Connections) / cfg.Rate * float64(time.Second))
	}
	for w := range cfg.Connections {
		conn, err := loadgen.NewRawConn(cfg.URL, cfg.Timeout)
		if err != nil {
			run.halt()
			return nil, err
		}
		run.wg.Add(1)
		go func() {
			defer run.wg.Done()
			defer conn.Close()
			run.connection(conn, w, cfg.Connections)
		}()
	}
	return run, nil
}

// startGatewaySampler samples the gateway process pid's CPU; none for 0.
func startGatewaySampler(pid int) (*loadgen.ProcSampler, error) {
	if pid <= 0 {
		return nil, nil
	}
	sampler, err := loadgen.StartProcSampler(pid, time.Second)
	if err != nil {
		return nil, fmt.Errorf("sample gateway process %d: %w", pid, err)
	}
	return sampler, nil
}

// measure counts the reads of the next cfg.Duration (or until ctx is done)
// and returns the window's length.
func (run *readRun) measure(ctx context.Context, cfg ReadsConfig) time.Duration {
	run.measuring.Store(true)
	t0 := time.Now()
	log.Info("Measuring reads", "connections", cfg.Connections, "duration", cfg.Duration)
	sleep(ctx, cfg.Duration)
	run.measuring.Store(false)
	return time.Since(t0)
}

// halt stops the connections and waits for them.
func (run *readRun) halt() {
	close(run.stop)
	run.wg.Wait()
}

// fill writes the measured window's counts and latencies into rep; the
// connections have stopped.
func (run *readRun) fill(rep *ReadsReport, elapsed time.Duration) {
	rep.Reads, rep.Errors = int(run.reads.Load()), int(run.errs.Load())
	if e, ok := run.firstErr.Load().(string); ok {
		rep.FirstError = e
	}
	rep.Seconds = elapsed.Seconds()
	rep.ReadsPerSec = float64(rep.Reads) / rep.Seconds
	rep.Latency = loadgen.Summarize(run.lat)
	if run.interval > 0 {
		rep.SendLag = ptr(loadgen.Summarize(run.lag))
	}
}

func sleep(ctx context.Context, d time.Duration) {
	select {
	case <-time.After(d):
	case <-ctx.Done():
	}
}

// checkRead checks that the first document reads as valid.
func checkRead(client *http.Client, url string) error {
	resp, err := client.Get(url)
	if err != nil {
		return fmt.Errorf("the gateway does not answer: %w", err)
	}
	defer resp.Body.Close()
	var doc struct {
		Status string `json:"status"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&doc); err != nil || resp.StatusCode != 200 {
		return fmt.Errorf("GET %s: %s (%v)", url, resp.Status, err)
	}
	if doc.Status != "valid" {
		return fmt.Errorf("GET %s: status %q, want valid: issue the documents first (citybench docs)", url, doc.Status)
	}
	return nil
}

// WriteText writes the human-readable report.
func (r *ReadsReport) WriteText(w io.Writer) error {
	s := fmt.Sprintf("citybench gateway-reads against %s\n", r.URL)
	load := "each sending its next request at once"
	if r.OfferedRate > 0 {
		load = fmt.Sprintf("%.0f requests/s offered in all", r.OfferedRate)
	}
	s += fmt.Sprintf("  workload    GET /api/v1/documents/{hash} from %d connections (%s), over %d documents\n", r.Connections, load, r.Distinct)
	s += fmt.Sprintf("  throughput  %.0f reads/s (%d reads in %.1f s), %d errors\n", r.ReadsPerSec, r.Reads, r.Seconds, r.Errors)
	s += fmt.Sprintf("  latency     p50 %.2f ms, p95 %.2f ms, p99 %.2f ms, max %.2f ms\n", r.Latency.P50*1000, r.Latency.P95*1000, r.Latency.P99*1000, r.Latency.Max*1000)
	if l := r.SendLag; l != nil {
		s += fmt.Sprintf("  send lag    p50 %.2f ms, p99 %.2f ms, max %.2f ms (reads sent after their due time; latency counts from it)\n", l.P50*1000, l.P99*1000, l.Max*1000)
	}
	if g := r.Gateway; g != nil {
		s += fmt.Sprintf("  gateway     peak RSS %.0f MiB, CPU %.1f s (%.2f cores)\n", float64(g.PeakRSSBytes)/(1<<20), g.CPUSeconds, g.Cores)
	}
	s += fmt.Sprintf("  generator   CPU %.1f s\n", r.GeneratorCPUSeconds)
	if r.FirstError != "" {
		s += fmt.Sprintf("  first error %s\n", r.FirstError)
	}
	_, err := io.WriteString(w, s)
	return err
}
