package loadgen

import (
	"math"
	"slices"
	"time"
)

// Percentile returns the p-th percentile (0 < p <= 100) of sorted by the nearest-rank
// method: the smallest value such that at least p% of the values are <= it. It returns 0
// for an empty slice; p <= 0 gives the minimum.
func Percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	if p <= 0 {
		return sorted[0]
	}
	rank := int(math.Ceil(p / 100 * float64(len(sorted))))
	rank = min(max(rank, 1), len(sorted))
	return sorted[rank-1]
}

// Latency summarises inclusion latencies, in seconds.
type Latency struct {
	Count int     `json:"count"`
	P50   float64 `json:"p50_s"`
	P95   float64 `json:"p95_s"`
	P99   float64 `json:"p99_s"`
	Max   float64 `json:"max_s"`
	Mean  float64 `json:"mean_s"`
}

// Summarize returns the latency summary of samples; it sorts samples in place.
func Summarize(samples []time.Duration) Latency {
	if len(samples) == 0 {
		return Latency{}
	}
	slices.Sort(samples)
	var sum time.Duration
	for _, s := range samples {
		sum += s
	}
	return Latency{
		Count: len(samples),
		P50:   Percentile(samples, 50).Seconds(),
		P95:   Percentile(samples, 95).Seconds(),
		P99:   Percentile(samples, 99).Seconds(),
		Max:   samples[len(samples)-1].Seconds(),
		Mean:  (sum / time.Duration(len(samples))).Seconds(),
	}
}

// BlockStat is one block observed during a run.
type BlockStat struct {
	Number    uint64  `json:"number"`
	Timestamp uint64  `json:"timestamp"`
	Txs       int     `json:"txs"`      // all transactions in the block
	Workload  int     `json:"workload"` // transactions of this run
	GasUsed   uint64  `json:"gas_used"`
	Seen      float64 `json:"seen_s"` // when the generator first saw it, seconds after the first send
	// OldestSent is when the batch of the block's earliest-sent workload
	// transaction was posted, seconds after the first send: a block whose
	// oldest transaction was sent well before the block before it was seen
	// carries transactions an earlier block left behind.
	OldestSent float64 `json:"oldest_sent_s,omitempty"`
}

// Throughput is the mined rate of a run.
type Throughput struct {
	FirstBlock uint64 `json:"first_block"` // first block holding workload txs
	LastBlock  uint64 `json:"last_block"`  // last block holding workload txs
	Blocks     int    `json:"blocks"`      // blocks from first to last, inclusive
	// Sustained counts the workload txs of blocks first+1..last over the time between
	// seeing block first and seeing block last (the txs of block first were mined before
	// the window opened). Zero when fewer than two blocks held workload txs.
	Sustained float64 `json:"sustained_tps"`
	// ByTimestamp is the same ratio over the blocks' own timestamps (1 s resolution).
	ByTimestamp float64 `json:"timestamp_tps"`
	// EndToEnd counts all mined workload txs over the time from the first send to
	// seeing the last block: it includes intake and the wait for the first block.
	EndToEnd float64 `json:"end_to_end_tps"`
}

// ComputeThroughput derives the mined rates from the blocks seen in one run (in any
// order; blocks without workload txs count only as elapsed time).
func ComputeThroughput(blocks []BlockStat) Throughput {
	var t Throughput
	var first, last *BlockStat
	total := 0
	for i := range blocks {
		b := &blocks[i]
		if b.Workload == 0 {
			continue
		}
		total += b.Workload
		if first == nil || b.Number < first.Number {
			first = b
		}
		if last == nil || b.Number > last.Number {
			last = b
		}
	}
	if first == nil {
		return t
	}
	t.FirstBlock, t.LastBlock = first.Number, last.Number
	t.Blocks = int(last.Number-first.Number) + 1
	if last.Seen > 0 {
		t.EndToEnd = float64(total) / last.Seen
	}
	if first.Number == last.Number {
		return t
	}
	window := total - first.Workload
	if d := last.Seen - first.Seen; d > 0 {
		t.Sustained = float64(window) / d
	}
	if d := last.Timestamp - first.Timestamp; last.Timestamp > first.Timestamp {
		t.ByTimestamp = float64(window) / float64(d)
	}
	return t
}
