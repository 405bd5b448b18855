package loadgen

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

// Set UPDATE_GOLDEN=1 to rewrite testdata/*.golden from the current output.
var updateGolden = os.Getenv("UPDATE_GOLDEN") == "1"

func checkGolden(t *testing.T, name string, have []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if updateGolden {
		if err := os.WriteFile(path, have, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with UPDATE_GOLDEN=1 to create it)", err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("output differs from %s (UPDATE_GOLDEN=1 rewrites it)\nhave:\n%s\nwant:\n%s", path, have, want)
	}
}

func sampleReport(label string, tps, p50 float64, rss uint64, neverMined int) *Report {
	return &Report{
		Label: label, Client: "Geth/v1.13.15-stable/linux-amd64/go1.26.8", Workload: "transfers",
		RPC: "http://127.0.0.1:8545", ChainID: 4242, TxType: TxTypeDynamic, TipWei: "1000000000",
		FeeCapWei: "3000000000", Started: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC),
		Accounts: 300, Batch: 500, Workers: 4, PollSeconds: 0.05,
		Txs: 120000, Sent: 120000, Accepted: 120000, Mined: 120000 - neverMined, NeverMined: neverMined,
		Complete:      neverMined == 0,
		Throughput:    Throughput{FirstBlock: 3, LastBlock: 22, Blocks: 20, Sustained: tps, ByTimestamp: tps + 10, EndToEnd: tps - 500},
		IntakeTPS:     9000.4,
		Latency:       Latency{Count: 120000, P50: p50, P95: 2 * p50, P99: 2.1 * p50, Max: 2.5 * p50, Mean: 1.1 * p50},
		AnswerLatency: Latency{Count: 120000, P50: p50 / 4, P95: p50 / 2, P99: p50 / 2, Max: p50, Mean: p50 / 4},
		SendSeconds:   13.3, PrepareSeconds: 4.2, RunSeconds: 21, GeneratorCPUSeconds: 3.5,
		Node: &ProcStats{PID: 42, PeakRSSBytes: rss, HWMBytes: rss, MaxRSSBytes: rss, CPUSeconds: 35.5, Cores: 1.69},
	}
}

func TestReportText(t *testing.T) {
	var buf bytes.Buffer
	ok := sampleReport("geth", 5000.2, 8.25, 1200<<20, 0)
	if err := ok.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	lost := sampleReport("citynode", 7500, 5.5, 900<<20, 3)
	lost.Rejected, lost.RejectReasons = 2, map[string]int{"txpool is full": 2}
	lost.Notes = []string{`rejected 2× "txpool is full", e.g. "txpool is full"`}
	if err := lost.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "report.golden", buf.Bytes())
}

func TestReportJSONRoundTrip(t *testing.T) {
	r := sampleReport("geth", 5000.2, 8.25, 1200<<20, 0)
	r.Blocks = []BlockStat{{Number: 3, Timestamp: 100, Txs: 10, Workload: 9, GasUsed: 210000, Seen: 1.25}}
	var buf bytes.Buffer
	if err := r.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "r.json")
	if err := os.WriteFile(path, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	back, err := LoadReport(path)
	if err != nil {
		t.Fatal(err)
	}
	a, _ := json.Marshal(r)
	b, _ := json.Marshal(back)
	if !bytes.Equal(a, b) {
		t.Errorf("round trip changed the report:\nhave %s\nwant %s", b, a)
	}
}

func TestCompareText(t *testing.T) {
	base := sampleReport("geth", 5000, 8.25, 1200<<20, 0)
	cand := sampleReport("citynode", 7500, 5.5, 900<<20, 0)
	cmp := Compare(base, cand)
	if have, want := cmp.Metrics[0].Ratio, 7500.0/5000.0; have != want {
		t.Errorf("tx/s ratio: have %v, want %v", have, want)
	}
	var buf bytes.Buffer
	if err := cmp.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare.golden", buf.Bytes())
}

func TestCompareRounds(t *testing.T) {
	var rounds []Round
	for i, v := range []struct{ base, cand float64 }{{5000, 7500}, {4000, 4400}, {6000, 12000}} {
		b := sampleReport("geth", v.base, 8, 1000<<20, 0)
		c := sampleReport("citynode", v.cand, 4+float64(i), 800<<20, 0)
		rounds = append(rounds, Round{Base: b, Candidate: c})
	}
	cmp := CompareRounds(rounds)
	tps := cmp.Metrics[0]
	// Per-round ratios 1.5, 1.1, 2.0: the median is 1.5; the medians of the values
	// are taken separately (5000 and 7500).
	if tps.Ratio != 1.5 || tps.Base != 5000 || tps.Candidate != 7500 {
		t.Errorf("have %+v, want ratio 1.5, base 5000, candidate 7500", tps)
	}
	if have := median([]float64{4, 1, 3, 2}); have != 2.5 {
		t.Errorf("median of an even count: have %v, want 2.5", have)
	}
	var buf bytes.Buffer
	if err := cmp.WriteText(&buf); err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "compare-rounds.golden", buf.Bytes())
}
