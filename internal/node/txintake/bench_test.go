package txintake

import (
	"context"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

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
