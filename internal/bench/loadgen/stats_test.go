package loadgen

import (
	"testing"
	"time"
)

func TestPercentile(t *testing.T) {
	ms := func(v ...int) []time.Duration {
		out := make([]time.Duration, len(v))
		for i, x := range v {
			out[i] = time.Duration(x) * time.Millisecond
		}
		return out
	}
	ten := ms(1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
	tests := []struct {
		name   string
		sorted []time.Duration
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"single p50", ms(7), 50, 7 * time.Millisecond},
		{"single p100", ms(7), 100, 7 * time.Millisecond},
		{"ten p0 is the minimum", ten, 0, 1 * time.Millisecond},
		{"ten p10", ten, 10, 1 * time.Millisecond},
		{"ten p50", ten, 50, 5 * time.Millisecond},
		{"ten p51 rounds up", ten, 51, 6 * time.Millisecond},
		{"ten p95", ten, 95, 10 * time.Millisecond},
		{"ten p100", ten, 100, 10 * time.Millisecond},
		{"above 100 clamps", ten, 150, 10 * time.Millisecond},
		{"two p50", ms(1, 9), 50, 1 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if have := Percentile(tt.sorted, tt.p); have != tt.want {
				t.Errorf("have %v, want %v", have, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	var samples []time.Duration
	for i := 100; i >= 1; i-- { // unsorted on purpose
		samples = append(samples, time.Duration(i)*10*time.Millisecond)
	}
	have := Summarize(samples)
	want := Latency{Count: 100, P50: 0.5, P95: 0.95, P99: 0.99, Max: 1, Mean: 0.505}
	if have != want {
		t.Errorf("have %+v, want %+v", have, want)
	}
	if have := Summarize(nil); have != (Latency{}) {
		t.Errorf("empty: have %+v, want zero", have)
	}
}

func TestComputeThroughput(t *testing.T) {
	tests := []struct {
		name   string
		blocks []BlockStat
		want   Throughput
	}{
		{"nothing mined", []BlockStat{{Number: 5, Seen: 1}}, Throughput{}},
		{
			"one block: no sustained rate",
			[]BlockStat{{Number: 5, Timestamp: 100, Workload: 300, Seen: 1.5}},
			Throughput{FirstBlock: 5, LastBlock: 5, Blocks: 1, EndToEnd: 200},
		},
		{
			// The first block's txs were mined before the window opened; the empty block
			// in the middle counts as time; unrelated blocks before and after do not.
			"window excludes the first block",
			[]BlockStat{
				{Number: 9, Timestamp: 99, Seen: 0.1},
				{Number: 10, Timestamp: 100, Workload: 1000, Seen: 1},
				{Number: 11, Timestamp: 101, Workload: 2000, Seen: 2},
				{Number: 12, Timestamp: 102, Seen: 3},
				{Number: 13, Timestamp: 104, Workload: 4000, Seen: 5},
				{Number: 14, Timestamp: 105, Seen: 6},
			},
			Throughput{FirstBlock: 10, LastBlock: 13, Blocks: 4, Sustained: 1500, ByTimestamp: 1500, EndToEnd: 1400},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if have := ComputeThroughput(tt.blocks); have != tt.want {
				t.Errorf("have %+v, want %+v", have, tt.want)
			}
		})
	}
}
