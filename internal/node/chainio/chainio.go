// Package chainio exports and imports chains in the block-stream format of
// geth's `export` and `import` commands: blocks RLP-encoded one after the
// other, gzip-compressed when the file name ends in ".gz". Imported blocks go
// through fork choice, so our engine verifies each header (and geth's chain
// executes each block and checks its state root) and the total-difficulty
// store stays consistent, exactly as for blocks from peers.
package chainio

import (
	"bufio"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/consensus/forkchoice"
)

const progressPeriod = 5 * time.Second // time between progress reports

// ErrImport is returned if a block of an import file cannot be inserted.
var ErrImport = errors.New("import failed")

// BlockReader is the chain an export reads (core.BlockChain implements it).
type BlockReader interface {
	GetBlockByNumber(number uint64) *types.Block
}

// Inserter takes imported blocks (forkchoice.ForkChoice implements it).
type Inserter interface {
	Insert(block *types.Block) (forkchoice.Result, error)
}

// BatchInserter takes runs of consecutive blocks at once, returning the
// result of each block inserted before the first error
// (forkchoice.ForkChoice implements it).
type BatchInserter interface {
	InsertBatch(blocks []*types.Block) ([]forkchoice.Result, error)
}

// Batch limits: the blocks held in memory and inserted at once. Batching
// pays for short blocks, whose cost is the per-block work around execution
// (a database sync, the head move and what follows it); a block of
// thousands of transactions goes on its own, which measured faster than in a
// batch of several (docs/benchmarks.md).
const (
	batchBlocks = 1024  // blocks per batch
	batchTxs    = 2_000 // transactions per batch (a batch ends with the block that reaches it)
)

// Progress is a report of an export or import so far.
type Progress struct {
	Blocks  uint64        // blocks written or read
	Txs     uint64        // transactions in them
	Known   uint64        // imported blocks already in the chain
	Last    uint64        // number of the last block
	Elapsed time.Duration // since the start
	Done    bool          // the final report
}

// BlocksPerSecond is the block rate so far.
func (p Progress) BlocksPerSecond() float64 { return rate(p.Blocks, p.Elapsed) }

// TxsPerSecond is the transaction rate so far.
func (p Progress) TxsPerSecond() float64 { return rate(p.Txs, p.Elapsed) }

func rate(n uint64, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

// reporter calls fn at most every progressPeriod, and once at the end.
type reporter struct {
	fn    func(Progress)
	start time.Time
	last  time.Time
	Progress
}

func newReporter(fn func(Progress)) *reporter {
	now := time.Now()
	return &reporter{fn: fn, start: now, last: now}
}

func (r *reporter) add(block *types.Block, known bool) {
	r.Blocks++
	r.Txs += uint64(len(block.Transactions()))
	r.Last = block.NumberU64()
	if known {
		r.Known++
	}
	if r.fn != nil && time.Since(r.last) >= progressPeriod {
		r.last = time.Now()
		r.Elapsed = r.last.Sub(r.start)
		r.fn(r.Progress)
	}
}

func (r *reporter) done() Progress {
	r.Elapsed, r.Done = time.Since(r.start), true
	if r.fn != nil {
		r.fn(r.Progress)
	}
	return r.Progress
}

// Export writes blocks first..last of chain to w.
func Export(w io.Writer, chain BlockReader, first, last uint64, progress func(Progress)) (Progress, error) {
	if first > last {
		return Progress{}, fmt.Errorf("invalid range: first block %d is above last %d", first, last)
	}
	rep := newReporter(progress)
	for n := first; n <= last; n++ {
		block := chain.GetBlockByNumber(n)
		if block == nil {
			return rep.Progress, fmt.Errorf("block %d is not in the chain (the head is lower?)", n)
		}
		if err := block.EncodeRLP(w); err != nil {
			return rep.Progress, fmt.Errorf("write block %d: %w", n, err)
		}
		rep.add(block, false)
	}
	return rep.done(), nil
}

// Import reads blocks from r and inserts them in order, in batches of
// consecutive blocks if chain is a BatchInserter. Blocks already in the chain
// (the genesis block, a repeated range) are skipped; the first block that
// cannot be inserted stops the import with ErrImport wrapping the cause, and
// the blocks before it stay.
func Import(r io.Reader, chain Inserter, progress func(Progress)) (Progress, error) {
	stream := rlp.NewStream(bufio.NewReaderSize(r, 1<<20), 0)
	im := &importer{chain: chain, rep: newReporter(progress)}
	im.batcher, _ = chain.(BatchInserter)
	for i := 0; ; i++ {
		block := new(types.Block)
		if err := stream.Decode(block); err == io.EOF {
			break
		} else if err != nil {
			if ferr := im.flush(); ferr != nil {
				return im.rep.Progress, ferr
			}
			return im.rep.Progress, fmt.Errorf("%w: entry %d of the file is not a block: %v", ErrImport, i, err)
		}
		if err := im.add(block); err != nil {
			return im.rep.Progress, err
		}
	}
	if err := im.flush(); err != nil {
		return im.rep.Progress, err
	}
	return im.rep.done(), nil
}

// importer is Import's state: the batch of consecutive blocks not inserted
// yet.
type importer struct {
	chain   Inserter
	batcher BatchInserter // nil: blocks are inserted one by one
	rep     *reporter
	batch   []*types.Block
	txs     int // transactions in batch
}

// add inserts block, or adds it to the batch, inserting the batch first if
// block does not follow it and after if it is full.
func (im *importer) add(block *types.Block) error {
	if im.batcher == nil {
		res, err := im.chain.Insert(block)
		if err != nil {
			return fmt.Errorf("%w: block %d %s: %w", ErrImport, block.NumberU64(), block.Hash(), err)
		}
		im.rep.add(block, res.Status == forkchoice.StatusKnown)
		return nil
	}
	// A block that does not follow the batch starts a new one.
	if n := len(im.batch); n > 0 && (block.ParentHash() != im.batch[n-1].Hash() || block.NumberU64() != im.batch[n-1].NumberU64()+1) {
		if err := im.flush(); err != nil {
			return err
		}
	}
	im.batch = append(im.batch, block)
	im.txs += len(block.Transactions())
	if len(im.batch) >= batchBlocks || im.txs >= batchTxs {
		return im.flush()
	}
	return nil
}

// flush inserts the batch: a lone block alone, more with InsertBatch.
func (im *importer) flush() error {
	if len(im.batch) == 0 {
		return nil
	}
	var results []forkchoice.Result
	var err error
	if len(im.batch) == 1 {
		var res forkchoice.Result
		if res, err = im.chain.Insert(im.batch[0]); err == nil {
			results = append(results, res)
		}
	} else {
		results, err = im.batcher.InsertBatch(im.batch)
	}
	for i, res := range results {
		im.rep.add(im.batch[i], res.Status == forkchoice.StatusKnown)
	}
	if err != nil {
		bad := im.batch[min(len(results), len(im.batch)-1)]
		return fmt.Errorf("%w: block %d %s: %w", ErrImport, bad.NumberU64(), bad.Hash(), err)
	}
	im.batch, im.txs = im.batch[:0], 0
	return nil
}

// Create creates an export file, gzip-compressed if its name ends in ".gz".
// Closing the result flushes and closes the file.
func Create(path string) (io.WriteCloser, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, 0o644)
	if err != nil {
		return nil, err
	}
	buf := bufio.NewWriterSize(f, 1<<20)
	if strings.HasSuffix(path, ".gz") {
		gz := gzip.NewWriter(buf)
		return closers{gz, flusher{buf}, f}, nil
	}
	return closers{flusher{buf}, f}, nil
}

// Open opens an import file, decompressing it if its name ends in ".gz".
func Open(path string) (io.ReadCloser, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	if !strings.HasSuffix(path, ".gz") {
		return f, nil
	}
	gz, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("%s is not gzip-compressed (%v): rename it without .gz", path, err)
	}
	return struct {
		io.Reader
		io.Closer
	}{gz, closers{gz, f}}, nil
}

// closers writes to the first and closes all in order.
type closers []io.Closer

func (c closers) Write(p []byte) (int, error) { return c[0].(io.Writer).Write(p) }

func (c closers) Close() error {
	var errs []error
	for _, x := range c {
		errs = append(errs, x.Close())
	}
	return errors.Join(errs...)
}

type flusher struct{ *bufio.Writer }

func (f flusher) Close() error { return f.Flush() }
