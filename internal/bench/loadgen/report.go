package loadgen

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Report is the result of one run; its JSON form is what `citybench compare` reads.
type Report struct {
	Label     string    `json:"label"`
	Client    string    `json:"client"` // web3_clientVersion
	Workload  string    `json:"workload"`
	RPC       string    `json:"rpc"`
	ChainID   uint64    `json:"chain_id"`
	TxType    string    `json:"tx_type"`
	TipWei    string    `json:"tip_wei"`
	FeeCapWei string    `json:"fee_cap_wei"`
	Started   time.Time `json:"started"`
	StartHead uint64    `json:"start_head"`

	Accounts    int     `json:"accounts"`
	Batch       int     `json:"batch"`
	Workers     int     `json:"workers"`
	MaxPending  int     `json:"max_pending"`
	Rate        int     `json:"rate,omitempty"`
	PollSeconds float64 `json:"poll_s"` // head polling interval: the latency resolution

	Txs        int  `json:"txs"`         // planned
	Sent       int  `json:"sent"`        // answered by the node
	Accepted   int  `json:"accepted"`    // answered with the tx hash
	Rejected   int  `json:"rejected"`    // answered with an error, or the batch failed
	Mined      int  `json:"mined"`       // found in a block
	NeverMined int  `json:"never_mined"` // accepted but not found in any block: a node defect
	Complete   bool `json:"complete"`    // every accepted tx mined before the run stopped
	// The crash check (Config.Resend): batches posted again after their request
	// failed, whether the node's final chain could be read to look for every
	// accepted transaction, how many are in none of its blocks (acknowledged,
	// then lost) and how many could not be looked for (neither lost nor confirmed).
	ResentBatches int  `json:"resent_batches,omitempty"`
	Confirmed     bool `json:"confirmed,omitempty"`
	Lost          int  `json:"lost,omitempty"`
	Unconfirmed   int  `json:"unconfirmed,omitempty"`
	PendingAtEnd  int  `json:"pending_at_end,omitempty"` // in no block, still held by the node when the check gave up
	// RejectReasons counts rejections by message (text before the first colon).
	RejectReasons map[string]int `json:"reject_reasons,omitempty"`

	Throughput Throughput `json:"throughput"`
	// ItemsPerTx is the number of items (documents) each transaction carries,
	// for workloads that report items/s; 0 otherwise.
	ItemsPerTx int `json:"items_per_tx,omitempty"`
	// GasPerTx is the mean gas used per workload transaction, over the blocks
	// that held only workload transactions; 0 if none did.
	GasPerTx  float64 `json:"gas_per_tx,omitempty"`
	IntakeTPS float64 `json:"intake_tps"` // accepted over the time spent sending
	Latency   Latency `json:"latency"`    // first send of the batch to first sight of the block
	// AnswerLatency is the part of it spent before the node answered the
	// batch: the intake's share (queueing, recovery, pool insertion).
	AnswerLatency Latency `json:"answer_latency"`

	PrepareSeconds      float64    `json:"prepare_s"` // connect, plan, sign, encode
	SendSeconds         float64    `json:"send_s"`    // first send to last batch answered
	RunSeconds          float64    `json:"run_s"`     // first send to the end of the run
	GeneratorCPUSeconds float64    `json:"generator_cpu_s"`
	Node                *ProcStats `json:"node,omitempty"`

	Notes  []string    `json:"notes,omitempty"`
	Blocks []BlockStat `json:"blocks"`

	txTimes []TxTime // every accepted transaction's times (WriteTxTimes); not in the JSON
}

// TxTime is one accepted transaction's timeline, in seconds since the first
// send: when its batch was posted and answered, and when the block that
// holds it (Block, 0 if never seen) was first seen.
type TxTime struct {
	Hash     common.Hash
	Sent     float64
	Answered float64
	Block    uint64
	Seen     float64
}

// WriteTxTimes writes every accepted transaction's timeline as CSV
// (hash,sent_s,answered_s,block,seen_s; block and seen_s empty for one never
// seen in a block), one line each, in the order they were planned: what a
// per-transaction analysis of a run reads (scripts/bench-network-timeline.py).
func (r *Report) WriteTxTimes(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintln(bw, "hash,sent_s,answered_s,block,seen_s")
	for _, t := range r.txTimes {
		if t.Block == 0 {
			fmt.Fprintf(bw, "%s,%.6f,%.6f,,\n", t.Hash.Hex(), t.Sent, t.Answered)
			continue
		}
		fmt.Fprintf(bw, "%s,%.6f,%.6f,%d,%.6f\n", t.Hash.Hex(), t.Sent, t.Answered, t.Block, t.Seen)
	}
	return bw.Flush()
}

// WriteJSON writes r as indented JSON.
func (r *Report) WriteJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// LoadReport reads a report written by WriteJSON.
func LoadReport(path string) (*Report, error) {
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var r Report
	if err := json.Unmarshal(raw, &r); err != nil {
		return nil, fmt.Errorf("decode report %s: %w", path, err)
	}
	return &r, nil
}

// WriteText writes the human-readable report.
func (r *Report) WriteText(w io.Writer) error {
	var b strings.Builder
	r.writeWorkload(&b)
	r.writeThroughput(&b)
	r.writeCosts(&b)
	r.writeVerdict(&b)
	_, err := io.WriteString(w, b.String())
	return err
}

// writeWorkload writes the report's title and what was sent.
func (r *Report) writeWorkload(b *strings.Builder) {
	name := r.Label
	if name == "" {
		name = r.Client
	}
	fmt.Fprintf(b, "citybench %s against %s (%s)\n", r.Workload, name, r.Client)
	fmt.Fprintf(b, "  workload    %d txs (%s) from %d accounts, batches of %d, %d workers",
		r.Txs, r.TxType, r.Accounts, r.Batch, r.Workers)
	if r.Rate > 0 {
		fmt.Fprintf(b, ", at most %d/s", r.Rate)
	}
	if r.MaxPending > 0 {
		fmt.Fprintf(b, ", at most %d pending", r.MaxPending)
	}
	b.WriteString("\n")
	fmt.Fprintf(b, "  sent        %d sent, %d accepted, %d rejected, %d mined, %d never mined\n",
		r.Sent, r.Accepted, r.Rejected, r.Mined, r.NeverMined)
}

// writeThroughput writes the rates, items, gas and latencies.
func (r *Report) writeThroughput(b *strings.Builder) {
	t := r.Throughput
	switch {
	case t.Blocks == 1:
		fmt.Fprintf(b, "  throughput  all in block #%d: no sustained rate (send more), %.0f tx/s end to end\n",
			t.FirstBlock, t.EndToEnd)
	case t.Blocks > 1:
		fmt.Fprintf(b, "  throughput  %.0f tx/s sustained (blocks #%d..#%d), %.0f tx/s by block timestamps, %.0f tx/s end to end\n",
			t.Sustained, t.FirstBlock, t.LastBlock, t.ByTimestamp, t.EndToEnd)
	default:
		b.WriteString("  throughput  no workload transaction was mined\n")
	}
	if r.ItemsPerTx > 0 {
		fmt.Fprintf(b, "  items       %d per tx: %.0f items/s sustained, %.0f items/s end to end\n",
			r.ItemsPerTx, t.Sustained*float64(r.ItemsPerTx), t.EndToEnd*float64(r.ItemsPerTx))
	}
	if r.GasPerTx > 0 {
		fmt.Fprintf(b, "  gas         %.0f per tx (mean over blocks of workload txs only)\n", r.GasPerTx)
	}
	fmt.Fprintf(b, "  intake      %.0f tx/s accepted over %.2f s of sending\n", r.IntakeTPS, r.SendSeconds)
	fmt.Fprintf(b, "  latency     p50 %.2f s, p95 %.2f s, p99 %.2f s, max %.2f s (send to block seen, polled every %.0f ms)\n",
		r.Latency.P50, r.Latency.P95, r.Latency.P99, r.Latency.Max, r.PollSeconds*1000)
	if a := r.AnswerLatency; a.Count > 0 {
		fmt.Fprintf(b, "  answered    p50 %.2f s, p95 %.2f s, max %.2f s (send to the node's answer: the intake's share of the latency)\n",
			a.P50, a.P95, a.Max)
	}
}

// writeCosts writes the node's and the generator's memory and CPU.
func (r *Report) writeCosts(b *strings.Builder) {
	if n := r.Node; n != nil {
		fmt.Fprintf(b, "  node        peak RSS %s, CPU %.1f s (%.2f cores) over the run\n",
			mib(n.PeakRSSBytes), n.CPUSeconds, n.Cores)
	}
	fmt.Fprintf(b, "  generator   CPU %.1f s over the run; %.1f s preparing\n", r.GeneratorCPUSeconds, r.PrepareSeconds)
}

// writeVerdict writes the crash check, the defects and the notes.
func (r *Report) writeVerdict(b *strings.Builder) {
	if r.Confirmed || r.ResentBatches > 0 || r.Unconfirmed > 0 || r.PendingAtEnd > 0 {
		fmt.Fprintf(b, "  crash check %d accepted: %d lost (in no block of the node's chain and unknown to it), %d still pending in the node, %d undecided (node not answering); %d batches posted again after a failed request\n",
			r.Accepted, r.Lost, r.PendingAtEnd, r.Unconfirmed, r.ResentBatches)
	}
	if r.Lost > 0 {
		fmt.Fprintf(b, "  DEFECT      %d acknowledged transactions were lost: in no block of the node's chain and unknown to it at the end\n", r.Lost)
	}
	if r.NeverMined > 0 {
		fmt.Fprintf(b, "  DEFECT      %d transactions were accepted by the node but never mined\n", r.NeverMined)
	} else if !r.Complete {
		b.WriteString("  INCOMPLETE  the run stopped before every transaction was answered and mined\n")
	}
	for _, n := range r.Notes {
		fmt.Fprintf(b, "  note        %s\n", n)
	}
}

func mib(bytes uint64) string { return fmt.Sprintf("%.0f MiB", float64(bytes)/(1<<20)) }

// Metric is one row of a side-by-side comparison. With several rounds, Base and
// Candidate are medians over the rounds and Ratio is the median of the per-round ratios
// (each round runs both nodes back to back, so a ratio is taken under like conditions).
type Metric struct {
	Name      string    `json:"name"`
	Base      float64   `json:"base"`
	Candidate float64   `json:"candidate"`
	Ratio     float64   `json:"ratio"`  // candidate / base; 0 when base is 0
	Ratios    []float64 `json:"ratios"` // per round; 0 where base is 0
	Better    string    `json:"better"` // "higher" or "lower"
	Decimals  int       `json:"-"`      // digits after the point in the table
	hasRatio  bool      // some round had a non-zero base
	valid     []bool    // per round: the base was non-zero
}

// Round is one base run and the candidate run that followed it.
type Round struct {
	Base      *Report `json:"base"`
	Candidate *Report `json:"candidate"`
}

// Comparison is the side-by-side result of runs of the same workload on two nodes.
type Comparison struct {
	Rounds  []Round  `json:"rounds"`
	Metrics []Metric `json:"metrics"`
}

// metricRows are the compared metrics, in table order.
var metricRows = []struct {
	name, better string
	decimals     int
	get          func(*Report) float64
}{
	{"mined tx/s (sustained)", "higher", 0, func(r *Report) float64 { return r.Throughput.Sustained }},
	{"mined tx/s (end to end)", "higher", 0, func(r *Report) float64 { return r.Throughput.EndToEnd }},
	{"intake tx/s", "higher", 0, func(r *Report) float64 { return r.IntakeTPS }},
	{"latency p50 (s)", "lower", 2, func(r *Report) float64 { return r.Latency.P50 }},
	{"latency p95 (s)", "lower", 2, func(r *Report) float64 { return r.Latency.P95 }},
	{"peak RSS (MiB)", "lower", 0, func(r *Report) float64 {
		if r.Node == nil {
			return 0
		}
		return float64(r.Node.PeakRSSBytes) / (1 << 20)
	}},
	{"node CPU (s)", "lower", 1, func(r *Report) float64 {
		if r.Node == nil {
			return 0
		}
		return r.Node.CPUSeconds
	}},
	{"never mined", "lower", 0, func(r *Report) float64 { return float64(r.NeverMined) }},
	{"lost (crash check)", "lower", 0, func(r *Report) float64 { return float64(r.Lost) }},
	{"rejected", "lower", 0, func(r *Report) float64 { return float64(r.Rejected) }},
}

// Compare returns candidate against base, metric by metric.
func Compare(base, candidate *Report) *Comparison {
	return CompareRounds([]Round{{Base: base, Candidate: candidate}})
}

// CompareRounds returns the candidates against the bases over one or more rounds.
func CompareRounds(rounds []Round) *Comparison {
	c := &Comparison{Rounds: rounds}
	for _, row := range metricRows {
		m := Metric{Name: row.name, Better: row.better, Decimals: row.decimals}
		var bases, cands, ratios []float64
		for _, r := range rounds {
			b, cv := row.get(r.Base), row.get(r.Candidate)
			bases, cands = append(bases, b), append(cands, cv)
			ratio := 0.0
			if b != 0 {
				ratio = cv / b
				ratios = append(ratios, ratio)
			}
			m.Ratios = append(m.Ratios, ratio)
			m.valid = append(m.valid, b != 0)
		}
		m.Base, m.Candidate, m.Ratio = median(bases), median(cands), median(ratios)
		m.hasRatio = len(ratios) > 0
		c.Metrics = append(c.Metrics, m)
	}
	return c
}

// median returns the median of v (the mean of the middle two for an even count), 0 for
// none.
func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	s := slices.Clone(v)
	slices.Sort(s)
	if n := len(s); n%2 == 1 {
		return s[n/2]
	} else {
		return (s[n/2-1] + s[n/2]) / 2
	}
}

// WriteText writes the comparison as an aligned table; with several rounds, the
// per-round ratios follow the median.
func (c *Comparison) WriteText(w io.Writer) error {
	if len(c.Rounds) == 0 {
		return errors.New("empty comparison")
	}
	bl, cl := label(c.Rounds[0].Base), label(c.Rounds[0].Candidate)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	head := fmt.Sprintf("metric\t%s\t%s\t%s/%s\t", bl, cl, cl, bl)
	if len(c.Rounds) > 1 {
		head = fmt.Sprintf("metric (median of %d rounds)\t%s\t%s\t%s/%s\tper round\t", len(c.Rounds), bl, cl, cl, bl)
	}
	fmt.Fprintln(tw, head)
	for _, m := range c.Metrics {
		ratio := "-"
		if m.hasRatio {
			ratio = fmt.Sprintf("%.2f", m.Ratio)
		}
		line := fmt.Sprintf("%s\t%.*f\t%.*f\t%s\t", m.Name, m.Decimals, m.Base, m.Decimals, m.Candidate, ratio)
		if len(c.Rounds) > 1 {
			per := make([]string, len(m.Ratios))
			for i, r := range m.Ratios {
				per[i] = "-"
				if i < len(m.valid) && m.valid[i] {
					per[i] = fmt.Sprintf("%.2f", r)
				}
			}
			line += strings.Join(per, " ") + "\t"
		}
		fmt.Fprintln(tw, line)
	}
	return tw.Flush()
}

func label(r *Report) string {
	if r.Label != "" {
		return r.Label
	}
	return r.Client
}
