package gateload

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"time"

	"github.com/citychain/citychain/internal/bench/loadgen"
)

// DrainConfig is the second half of a W6 run measured in halves: the
// gateway, restarted with its relayer free over a store that a held run of
// RunBallots filled, empties its queue with no ballot arriving.
type DrainConfig struct {
	URL      string        // citygate's base URL
	Poll     uint64        // the poll the ballots are for
	Accepted int           // ballots the held run had answered 202: all are to be counted
	Limit    time.Duration // longest wait for the queue to empty
	PID      int           // the gateway's process, to sample its CPU; 0 for none
	NodePID  int           // the rpc node's process; 0 for none
}

// DrainReport is the outcome of a drain.
type DrainReport struct {
	Workload       string             `json:"workload"`
	URL            string             `json:"url"`
	Poll           uint64             `json:"poll"`
	Held           int                `json:"held"`    // ballots queued or in flight at the first status read
	DrainSeconds   float64            `json:"drain_s"` // first status read to an empty queue
	DrainPerSec    float64            `json:"drain_per_s"`
	Counted        uint64             `json:"counted"`
	RecountMatches bool               `json:"recount_matches"`
	Gateway        *loadgen.ProcStats `json:"gateway,omitempty"`
	Node           *loadgen.ProcStats `json:"node,omitempty"`
}

// RunDrain waits until the gateway's queue is empty, timing it from its
// first status read, then reads the poll's total and recount.
func RunDrain(ctx context.Context, cfg DrainConfig) (*DrainReport, error) {
	client := &http.Client{Timeout: time.Minute}
	rep := &DrainReport{Workload: "gateway-drain", URL: cfg.URL, Poll: cfg.Poll}
	gate, node, err := startSamplers(cfg.PID, cfg.NodePID)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	held, err := drain(ctx, client, cfg.URL, cfg.Limit)
	rep.DrainSeconds = time.Since(t0).Seconds()
	rep.Gateway, rep.Node = stopSampler(gate), stopSampler(node)
	rep.Held = held
	if err != nil {
		return rep, err
	}
	if rep.DrainSeconds > 0 {
		rep.DrainPerSec = float64(held) / rep.DrainSeconds
	}
	rep.Counted, rep.RecountMatches, err = readResult(client, cfg.URL, cfg.Poll, cfg.Accepted)
	return rep, err
}

// WriteText writes the human-readable report.
func (r *DrainReport) WriteText(w io.Writer) error {
	s := fmt.Sprintf("citybench gateway-drain against %s (poll %d)\n", r.URL, r.Poll)
	s += fmt.Sprintf("  drain       %d ballots held, queue empty after %.1f s = %.0f ballots/s relayed\n", r.Held, r.DrainSeconds, r.DrainPerSec)
	s += fmt.Sprintf("  result      %d counted, recount matches %v\n", r.Counted, r.RecountMatches)
	s += cpuLine("gateway", r.Gateway, r.Held)
	s += cpuLine("node", r.Node, r.Held)
	_, err := io.WriteString(w, s)
	return err
}
