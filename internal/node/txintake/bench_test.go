package txintake

import (
	"context"
	"fmt"
	"path/filepath"
	"runtime"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/node/senders"
)

const benchCorpus = 16384 // distinct signed transactions the benchmark cycles through

var (
	corpusOnce sync.Once
	corpus     [][]byte // raw signed transfers from 64 senders
)

// benchTxs returns the corpus decoded afresh, so no sender is cached on the
// transactions, as when they arrive over RPC.
func benchTxs(b *testing.B) []*types.Transaction {
	corpusOnce.Do(func() {
		for i := range benchCorpus {
			raw, err := transfer(fmt.Sprintf("bench%d", i%64), uint64(i/64)).MarshalBinary()
			if err != nil {
				panic(err)
			}
			corpus = append(corpus, raw)
		}
	})
	txs := make([]*types.Transaction, len(corpus))
	for i, raw := range corpus {
		txs[i] = new(types.Transaction)
		if err := txs[i].UnmarshalBinary(raw); err != nil {
			b.Fatal(err)
		}
	}
	return txs
}

// BenchmarkSubmit measures transactions per second through Submit (sender
// recovery, a fake pool, the journal on a temporary dir, tracking), one
// transaction per call as eth_sendRawTransaction makes, and in batches as
// city_sendRawTransactions makes. The "recovered" case has the senders
// cached beforehand, leaving the intake's own cost.
func BenchmarkSubmit(b *testing.B) {
	cases := []struct {
		name      string
		batch     int
		recovered bool
	}{
		{"batch=1", 1, false},
		{"batch=100", 100, false},
		{"batch=100/recovered", 100, true},
	}
	for _, bc := range cases {
		batch := bc.batch
		b.Run(bc.name, func(b *testing.B) {
			var (
				in   *Intake
				txs  []*types.Transaction
				next int
				sent int
			)
			fresh := func() {
				if in != nil {
					in.Stop()
				}
				chain := newFakeChain()
				cfg := Defaults
				cfg.Journal = filepath.Join(b.TempDir(), fmt.Sprintf("txs%d.journal", sent))
				var err error
				if in, err = New(cfg, testConfig(), newFakePool(chain), chain); err != nil {
					b.Fatal(err)
				}
				txs, next = benchTxs(b), 0
				if bc.recovered {
					senders.Recover(testSigner, txs)
				}
			}
			b.StopTimer()
			fresh()
			b.StartTimer()
			for range b.N {
				if next+batch > len(txs) {
					b.StopTimer()
					fresh()
					b.StartTimer()
				}
				for _, err := range in.Submit(context.Background(), txs[next:next+batch]) {
					if err != nil {
						b.Fatal(err)
					}
				}
				next += batch
				sent += batch
			}
			b.StopTimer()
			b.ReportMetric(float64(sent)/b.Elapsed().Seconds(), "txs/s")
			in.Stop()
		})
	}
}

// BenchmarkRecoverSender measures one sender recovery (secp256k1 public key
// recovery and the address hash) on one core: the intake's floor of CPU per
// transaction, since every transaction's sender is recovered once. Run with
// -cpu 1; docs/benchmarks.md (W1) sets it against the 2 cores' budget.
func BenchmarkRecoverSender(b *testing.B) {
	txs := benchTxs(b)
	b.ResetTimer()
	for i := range b.N {
		if i%len(txs) == 0 && i > 0 {
			b.StopTimer()
			txs = benchTxs(b)
			b.StartTimer()
		}
		if _, err := types.Sender(testSigner, txs[i%len(txs)]); err != nil {
			b.Fatal(err)
		}
	}
}

// Tracker workload (ADR 103): W1's shape, scaled as the node sees it at its
// busiest: 300 senders, 120,000 tracked transactions in the pool, a block
// mining 15,000 of them (50 per sender).
const (
	trackerSenders   = 300
	trackerPerSender = 400
	trackerPerBlock  = 50 // per sender
)

var (
	trackerOnce sync.Once
	trackerTxs  []*types.Transaction // senders cached
)

// BenchmarkTrackerHead measures the tracker's round on one new head of the
// tracker workload: the full check every head had before ADR 103, and the
// head round that replaces it. Setting up each round (120,000 submissions,
// untimed) takes a while: run it with -benchtime=10x.
func BenchmarkTrackerHead(b *testing.B) {
	trackerOnce.Do(func() {
		for s := range trackerSenders {
			for n := range trackerPerSender {
				trackerTxs = append(trackerTxs, transfer(fmt.Sprintf("track%d", s), uint64(n)))
			}
		}
		senders.Recover(testSigner, trackerTxs)
	})
	var block []*types.Transaction
	for _, tx := range trackerTxs {
		if tx.Nonce() < trackerPerBlock {
			block = append(block, tx)
		}
	}
	for _, kind := range []string{"full", "head"} {
		b.Run(kind, func(b *testing.B) {
			var cpu time.Duration
			for b.Loop() {
				b.StopTimer()
				in, chain, heads := trackerBench(b)
				chain.mine(block...)
				ev := <-heads
				runtime.GC() // the set-up's garbage is not the round's
				b.StartTimer()
				start := processCPU(b)
				if kind == "full" {
					in.noteIncluded(ev)
					in.check()
				} else {
					in.onHeads([]core.ChainEvent{ev})
				}
				cpu += processCPU(b) - start
				b.StopTimer()
				if m := in.Metrics(); m.Tracked != len(trackerTxs) || in.unsettled != len(trackerTxs)-len(block) {
					b.Fatalf("tracked/unsettled: have %d/%d, want %d/%d", m.Tracked, in.unsettled, len(trackerTxs), len(trackerTxs)-len(block))
				}
				in.Stop()
				b.StartTimer()
			}
			// Why: on a shared machine the wall time of a round is mostly
			// waiting for a core; the CPU it used is its cost.
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/op")
		})
	}
}

// trackerBench returns an intake (without a journal) tracking the tracker
// workload, brought up to the fake chain's head, and the chain's events.
func trackerBench(b *testing.B) (*Intake, *fakeChain, chan core.ChainEvent) {
	chain := newFakeChain()
	cfg := Defaults
	in, err := New(cfg, testConfig(), newFakePool(chain), chain)
	if err != nil {
		b.Fatal(err)
	}
	for i, err := range in.Submit(context.Background(), trackerTxs) {
		if err != nil {
			b.Fatalf("Submit tx %d: %v", i, err)
		}
	}
	in.check()
	heads := make(chan core.ChainEvent, 1)
	chain.feed.Subscribe(heads)
	return in, chain, heads
}

// processCPU returns the CPU time (user and system) the process has used.
func processCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
