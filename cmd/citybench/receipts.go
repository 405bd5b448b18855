package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/bench/loadgen"
)

var (
	receiptsWorkersFlag = &cli.IntFlag{
		Name:     "workers",
		Usage:    "concurrent clients, each with one request in flight",
		Value:    32,
		Category: catLoad,
	}
	receiptsDurationFlag = &cli.DurationFlag{
		Name:     "duration",
		Usage:    "length of the measured run",
		Value:    20 * time.Second,
		Category: catLoad,
	}
	receiptsMinTxsFlag = &cli.IntFlag{
		Name:     "min-txs",
		Usage:    "ask only for transactions of blocks holding at least this many",
		Value:    1000,
		Category: catLoad,
	}
	receiptsSeedFlag = &cli.Uint64Flag{
		Name:     "rand-seed",
		Usage:    "seed of the random choice of transactions (the same seed asks two nodes the same sequence)",
		Value:    1,
		Category: catLoad,
	}
	receiptsLabelFlag = &cli.StringFlag{Name: "label", Usage: "name of the node in the report", Category: catTarget}
	receiptsJSONFlag  = &cli.StringFlag{Name: "report", Usage: "also write the JSON report to this file", Category: catOutput}
)

var receiptsCommand = &cli.Command{
	Name:  "receipts",
	Usage: "measure eth_getTransactionReceipt throughput over random transactions of big blocks",
	Description: `Reads every block of the node's chain (transaction hashes only), keeps the blocks
holding at least --min-txs transactions, then runs --workers clients for --duration,
each asking eth_getTransactionReceipt for a transaction picked at random from those
blocks and checking that the answer is that transaction's receipt (hash, block, index).
Reports receipts/s, latency percentiles and errors. Nothing is sent to the chain.`,
	Flags:  []cli.Flag{rpcFlag, allowRemoteFlag, receiptsWorkersFlag, receiptsDurationFlag, receiptsMinTxsFlag, receiptsSeedFlag, receiptsLabelFlag, receiptsJSONFlag},
	Action: runReceipts,
}

// ReceiptsReport is the result of a receipts run.
type ReceiptsReport struct {
	Label        string  `json:"label"`
	Workers      int     `json:"workers"`
	Blocks       int     `json:"blocks"`        // blocks the transactions were drawn from
	Transactions int     `json:"transactions"`  // transactions in them
	MinBlockTxs  int     `json:"min_block_txs"` // smallest of those blocks
	MaxBlockTxs  int     `json:"max_block_txs"` // largest
	Seconds      float64 `json:"seconds"`
	Receipts     uint64  `json:"receipts"` // correct answers
	Errors       uint64  `json:"errors"`   // failed calls or wrong answers
	PerSecond    float64 `json:"receipts_per_s"`
	P50          float64 `json:"p50_ms"`
	P95          float64 `json:"p95_ms"`
	P99          float64 `json:"p99_ms"`
	FirstError   string  `json:"first_error,omitempty"`
}

type txRef struct {
	hash  common.Hash
	block uint64
	index uint64
}

// runReceipts is the receipts command: it draws transactions of big blocks,
// asks for their receipts for --duration and reports the rate.
func runReceipts(c *cli.Context) error {
	url := c.String(rpcFlag.Name)
	if err := loadgen.CheckTarget(url, c.Bool(allowRemoteFlag.Name)); err != nil {
		return cli.Exit(err.Error(), 2)
	}
	workers := c.Int(receiptsWorkersFlag.Name)
	if workers < 1 {
		return cli.Exit(fmt.Sprintf("invalid --workers %d: want at least 1", workers), 2)
	}
	client := loadgen.NewClient(url, workers, time.Minute)
	defer client.Close()

	refs, rep, err := collectTxs(c.Context, client, c.Int(receiptsMinTxsFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	rep.Label, rep.Workers = c.String(receiptsLabelFlag.Name), workers
	if err := awaitIndexed(c.Context, client, refs, indexWait); err != nil {
		return cli.Exit(err.Error(), 1)
	}
	log.Info("Asking for receipts", "rpc", url, "blocks", rep.Blocks, "txs", rep.Transactions, "workers", workers, "duration", c.Duration(receiptsDurationFlag.Name))

	firstErr := askReceipts(c.Context, client, refs, &rep, c.Duration(receiptsDurationFlag.Name), c.Uint64(receiptsSeedFlag.Name))
	fmt.Printf("%s: %.0f receipts/s (%d in %.1fs, %d workers), latency p50 %.1f ms p95 %.1f ms p99 %.1f ms, errors %d; %d transactions of %d blocks holding %d-%d each\n",
		orDash(rep.Label), rep.PerSecond, rep.Receipts, rep.Seconds, workers, rep.P50, rep.P95, rep.P99, rep.Errors, rep.Transactions, rep.Blocks, rep.MinBlockTxs, rep.MaxBlockTxs)
	if path := c.String(receiptsJSONFlag.Name); path != "" {
		out, _ := json.MarshalIndent(rep, "", "  ")
		if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
			return cli.Exit(fmt.Sprintf("write report: %v", err), 1)
		}
	}
	if rep.Errors > 0 {
		return cli.Exit(fmt.Sprintf("%d receipt requests failed or were wrong; first: %v", rep.Errors, firstErr), 3)
	}
	return nil
}

// askReceipts has rep.Workers workers ask for the receipts of random refs
// (drawn with seed) for d, fills the counts and latencies into rep and
// returns the first failure.
func askReceipts(ctx context.Context, client *loadgen.Client, refs []txRef, rep *ReceiptsReport, d time.Duration, seed uint64) error {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	var (
		ok, failed atomic.Uint64
		mu         sync.Mutex
		latencies  []time.Duration
		firstErr   error
		wg         sync.WaitGroup
	)
	fail := func(err error) {
		failed.Add(1)
		mu.Lock()
		if firstErr == nil {
			firstErr = err
		}
		mu.Unlock()
	}
	start := time.Now()
	for w := range rep.Workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mine := askRandomReceipts(ctx, client, refs, rand.New(rand.NewPCG(seed, uint64(w))), &ok, fail)
			mu.Lock()
			latencies = append(latencies, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	rep.Seconds = elapsed.Seconds()
	rep.Receipts, rep.Errors = ok.Load(), failed.Load()
	rep.PerSecond = float64(rep.Receipts) / elapsed.Seconds()
	rep.P50, rep.P95, rep.P99 = latencyPercentiles(latencies)
	if firstErr != nil {
		rep.FirstError = firstErr.Error()
	}
	return firstErr
}

// askRandomReceipts is one worker of askReceipts: it asks for the receipts
// of refs drawn with rnd until ctx is done, counts the correct answers in ok,
// hands failures to fail, and returns the correct answers' latencies.
func askRandomReceipts(ctx context.Context, client *loadgen.Client, refs []txRef, rnd *rand.Rand, ok *atomic.Uint64, fail func(error)) []time.Duration {
	var mine []time.Duration
	for ctx.Err() == nil {
		ref := refs[rnd.IntN(len(refs))]
		t0 := time.Now()
		err := askReceipt(ctx, client, ref)
		if ctx.Err() != nil {
			break // the run ended during the call
		}
		if err != nil {
			fail(err)
			continue
		}
		mine = append(mine, time.Since(t0))
		ok.Add(1)
	}
	return mine
}

// latencyPercentiles returns the 50th, 95th and 99th percentile of
// latencies in milliseconds (0 for none); it sorts latencies.
func latencyPercentiles(latencies []time.Duration) (p50, p95, p99 float64) {
	slices.Sort(latencies)
	pct := func(p float64) float64 {
		if len(latencies) == 0 {
			return 0
		}
		return float64(latencies[min(len(latencies)-1, int(p*float64(len(latencies))))].Microseconds()) / 1000
	}
	return pct(0.50), pct(0.95), pct(0.99)
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// collectTxs reads the transaction hashes of every block holding at least minTxs.
func collectTxs(ctx context.Context, client *loadgen.Client, minTxs int) ([]txRef, ReceiptsReport, error) {
	var head hexutil.Uint64
	if err := client.Call(ctx, &head, "eth_blockNumber"); err != nil {
		return nil, ReceiptsReport{}, err
	}
	var (
		refs []txRef
		rep  ReceiptsReport
	)
	for n := uint64(1); n <= uint64(head); n++ {
		var block struct {
			Transactions []common.Hash `json:"transactions"`
		}
		if err := client.Call(ctx, &block, "eth_getBlockByNumber", hexutil.Uint64(n), false); err != nil {
			return nil, rep, err
		}
		k := len(block.Transactions)
		if k < minTxs || k == 0 {
			continue
		}
		for i, h := range block.Transactions {
			refs = append(refs, txRef{hash: h, block: n, index: uint64(i)})
		}
		if rep.Blocks == 0 || k < rep.MinBlockTxs {
			rep.MinBlockTxs = k
		}
		rep.MaxBlockTxs = max(rep.MaxBlockTxs, k)
		rep.Blocks++
		rep.Transactions += k
	}
	if len(refs) == 0 {
		return nil, rep, fmt.Errorf("no block of the %d holds at least %d transactions: lower --min-txs or load the chain first", head, minTxs)
	}
	return refs, rep, nil
}

var errWrongReceipt = errors.New("wrong receipt")

const indexWait = 5 * time.Minute // longest wait for the node's transaction index

// awaitIndexed waits until the node answers for the oldest and the newest
// transaction: nodes index transactions in the background after an import,
// and answer null (or an "indexing" error) until they have.
func awaitIndexed(ctx context.Context, client *loadgen.Client, refs []txRef, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	for {
		err := askReceipt(ctx, client, refs[0])
		if err == nil {
			err = askReceipt(ctx, client, refs[len(refs)-1])
		}
		if err == nil {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the node did not answer for the oldest and newest transactions within %v (transaction index not built?): %w", limit, err)
		case <-time.After(500 * time.Millisecond):
		}
	}
}

// askReceipt asks for ref's receipt and checks that the answer is it.
func askReceipt(ctx context.Context, client *loadgen.Client, ref txRef) error {
	var r *struct {
		TransactionHash  common.Hash    `json:"transactionHash"`
		BlockNumber      hexutil.Uint64 `json:"blockNumber"`
		TransactionIndex hexutil.Uint64 `json:"transactionIndex"`
		Status           hexutil.Uint64 `json:"status"`
	}
	if err := client.Call(ctx, &r, "eth_getTransactionReceipt", ref.hash); err != nil {
		return err
	}
	switch {
	case r == nil:
		return fmt.Errorf("%w: no receipt for %s (block %d)", errWrongReceipt, ref.hash, ref.block)
	case r.TransactionHash != ref.hash || uint64(r.BlockNumber) != ref.block || uint64(r.TransactionIndex) != ref.index:
		return fmt.Errorf("%w: asked %s (block %d index %d), have %s (block %d index %d)", errWrongReceipt, ref.hash, ref.block, ref.index, r.TransactionHash, r.BlockNumber, r.TransactionIndex)
	}
	return nil
}
