// Package senders recovers the senders of a batch of transactions on every
// core, caching each on its transaction for the signer given, so that geth's
// pool (whose signer is equal) finds them recovered.
//
// One recovery (ecrecover) is 39-56 µs of CPU on the machines of
// docs/benchmarks.md and the largest single cost of taking a transaction in:
// the RPC intake (txintake) and transaction gossip (gossiptx) spread it over
// the cores instead of recovering one transaction after another on the
// goroutine that received them.
package senders

import (
	"runtime"
	"sync"

	"github.com/ethereum/go-ethereum/core/types"
)

// MinPerWorker is how many transactions each worker gets at least: below
// twice this, a batch is recovered on the calling goroutine.
const MinPerWorker = 64

// Recover recovers (and caches on each transaction) the senders of txs for
// signer, spread over the available cores for large batches. Errors are left
// for the pool to report: a transaction whose signature does not recover has
// nothing cached.
func Recover(signer types.Signer, txs []*types.Transaction) {
	workers := min(runtime.GOMAXPROCS(0), len(txs)/MinPerWorker)
	if workers < 2 {
		for _, tx := range txs {
			types.Sender(signer, tx)
		}
		return
	}
	var wg sync.WaitGroup
	chunk := (len(txs) + workers - 1) / workers
	for start := 0; start < len(txs); start += chunk {
		part := txs[start:min(start+chunk, len(txs))]
		wg.Go(func() {
			for _, tx := range part {
				types.Sender(signer, tx)
			}
		})
	}
	wg.Wait()
}
