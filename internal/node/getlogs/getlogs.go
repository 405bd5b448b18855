// Package getlogs answers plain eth_getLogs requests over HTTP from the
// canonical chain's receipts, in front of geth's JSON-RPC server, and hands
// every other request to that server unchanged.
//
// A recount of a city-wide poll reads 1.5 million BallotCast events in pages
// of ~20,000 (ADR 058). geth spends most of such a page encoding it: each log
// is copied into a generated struct and encoded by encoding/json's
// reflection, then the whole array once more. Here one common shape (a single
// eth_getLogs with numbered fromBlock and toBlock within the chain, an
// address and topics filter) is answered by reading each block's stored
// receipts, naming each log's transaction from the transaction hash index
// (package txhashes, ADR 072), and writing the answer directly, in exactly
// geth's encoding. Anything else goes to geth's server, with its own errors
// word for word. See docs/adr/060-eth-getlogs-fast-path.md.
package getlogs

import (
	"bytes"
	"compress/gzip"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"go.opentelemetry.io/otel"

	"github.com/citychain/citychain/internal/node/ethcall"
	"github.com/citychain/citychain/internal/node/txhashes"
	"go.opentelemetry.io/otel/trace"
)

// Chain is what the handler reads: geth's *core.BlockChain.
type Chain interface {
	CurrentBlock() *types.Header
	GetHeaderByNumber(number uint64) *types.Header
	GetRawReceipts(hash common.Hash, number uint64) types.Receipts
	GetBody(hash common.Hash) *types.Body
	HistoryPruningCutoff() (uint64, common.Hash)
}

// Config holds geth's filter limits, which the fast path must honour (it
// hands requests beyond them to geth, which refuses them).
type Config struct {
	LogQueryLimit int    // addresses, or topics in one position, at most (geth's LogQueryLimit; 0 none)
	RangeLimit    uint64 // end - start at most (geth's RangeLimit, --rpc.logrange; 0 none)

	// Hashes: the transaction hashes of blocks with logs (package
	// txhashes); nil: from each block's body, every time.
	Hashes Hashes

	// Traced: open a "jsonrpc.eth/getLogs" span for every request answered
	// here, as geth's server does (the node's RPC metrics come from spans).
	Traced bool
}

// Hashes is the index of the transaction hashes of blocks with logs
// (*txhashes.Index).
type Hashes interface {
	Lookup(block common.Hash, receipts types.Receipts) (txhashes.Entry, bool)
	Fill(block common.Hash, receipts types.Receipts, txs types.Transactions) (txhashes.Entry, error)
}

// maxBody is the largest request body read here: a filter with a few
// hundred addresses or topics.
const maxBody = 64 << 10

// Handler is the HTTP handler: plain eth_getLogs here, the rest to Next.
type Handler struct {
	chain  Chain
	next   http.Handler
	cfg    Config
	tracer trace.Tracer

	served   atomic.Uint64 // requests answered here
	fallback atomic.Uint64 // eth_getLogs handed to next
}

// New returns a handler answering plain eth_getLogs from chain and passing
// every other request to next.
func New(chain Chain, next http.Handler, cfg Config) *Handler {
	h := &Handler{chain: chain, next: next, cfg: cfg}
	if cfg.Traced {
		h.tracer = otel.Tracer("citychain/getlogs")
	}
	return h
}

// Stats returns the eth_getLogs answered here and those handed to geth.
func (h *Handler) Stats() (served, fallback uint64) { return h.served.Load(), h.fallback.Load() }

var (
	outPool = sync.Pool{New: func() any { return new([]byte) }}

	contentType = []string{"application/json"}
)

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	buf, ok := ethcall.ReadBody(w, r, maxBody, h.next)
	if !ok {
		return
	}
	defer ethcall.ReleaseBody(buf)
	body := buf.Bytes()
	if !bytes.Contains(body, []byte(`"eth_getLogs"`)) {
		ethcall.Forward(w, r, body, h.next)
		return
	}
	if q, ok := parse(body); ok && h.answer(w, r, q) {
		h.served.Add(1)
		return
	}
	h.fallback.Add(1)
	ethcall.Forward(w, r, body, h.next)
}

// minGzip is the smallest answer compressed for a client that accepts gzip
// (geth's server compresses every answer for such a client).
const minGzip = 1 << 10

var (
	gzipPool = sync.Pool{New: func() any {
		gz, _ := gzip.NewWriterLevel(nil, gzip.BestSpeed) // a valid level: no error
		return gz
	}}
	zbufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}
)

func acceptsGzip(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept-Encoding"), "gzip")
}

// writeGzip writes out compressed at gzip's fastest level: an answer of
// 20,000 logs is ~15 MB of JSON, and geth's server, which would otherwise
// compress it at the default level, spent more CPU on that than the fast path
// on the logs (docs/benchmarks.md). "Transfer-Encoding: identity" tells
// geth's gzip handler to pass the answer through; net/http drops it, and the
// length makes the answer length-delimited, so the connection is kept.
func writeGzip(w http.ResponseWriter, out []byte) {
	buf := zbufPool.Get().(*bytes.Buffer)
	defer zbufPool.Put(buf)
	buf.Reset()
	gz := gzipPool.Get().(*gzip.Writer)
	defer gzipPool.Put(gz)
	gz.Reset(buf)
	gz.Write(out) // into memory: cannot fail
	gz.Close()
	h := w.Header()
	h["Transfer-Encoding"] = []string{"identity"}
	h["Content-Encoding"] = []string{"gzip"}
	h["Content-Length"] = []string{strconv.Itoa(buf.Len())}
	w.Write(buf.Bytes())
}

// answer writes the answer to q if it is the fast path's to give: within
// geth's limits, from <= to <= head, above the history cutoff. ok false:
// nothing was written.
func (h *Handler) answer(w http.ResponseWriter, r *http.Request, q query) bool {
	if !h.within(q) {
		return false
	}
	head := h.chain.CurrentBlock().Number.Uint64()
	cutoff, _ := h.chain.HistoryPruningCutoff()
	if q.to > head || q.from < cutoff {
		return false // geth's errors: a range into the future, pruned history
	}
	var span trace.Span
	if h.tracer != nil {
		_, span = h.tracer.Start(r.Context(), "jsonrpc.eth/getLogs")
	}
	bp := outPool.Get().(*[]byte)
	defer outPool.Put(bp)
	out, ok := h.collect(r, q, (*bp)[:0])
	*bp = out
	if !ok {
		return false // a block gone (reorg, pruning) or the client gone: geth's to answer
	}
	w.Header()["Content-Type"] = contentType
	if acceptsGzip(r) && len(out) >= minGzip {
		writeGzip(w, out)
	} else {
		w.Write(out)
	}
	if span != nil {
		span.End()
	}
	return true
}

// within reports whether q is inside geth's configured limits (geth refuses
// the others, with its errors).
func (h *Handler) within(q query) bool {
	if h.cfg.RangeLimit != 0 && q.to-q.from > h.cfg.RangeLimit {
		return false
	}
	if l := h.cfg.LogQueryLimit; l != 0 {
		if len(q.addresses) > l || slices.ContainsFunc(q.topics, func(t []common.Hash) bool { return len(t) > l }) {
			return false
		}
	}
	return true
}

// collect appends the JSON-RPC answer to out: the logs of blocks q.from to
// q.to matching q, in block and log order. ok false if a block's header or
// receipts are missing or the request's context ended.
func (h *Handler) collect(r *http.Request, q query, out []byte) ([]byte, bool) {
	out = append(out, `{"jsonrpc":"2.0","id":`...)
	out = append(out, q.id...)
	out = append(out, `,"result":[`...)
	first := true
	for n := q.from; n <= q.to; n++ {
		if n&63 == 0 && r.Context().Err() != nil {
			return out, false
		}
		header := h.chain.GetHeaderByNumber(n)
		if header == nil {
			return out, false
		}
		if !q.bloomMatch(header.Bloom) {
			continue
		}
		var ok bool
		if out, first, ok = h.appendBlock(out, first, q, header); !ok {
			return out, false
		}
		if n == q.to {
			break // q.to may be the largest uint64 a block number has
		}
	}
	return append(out, "]}"...), true
}

// appendBlock appends the logs of the block of header matching q. Its
// receipts are read as stored (geth's derived receipts would compute a bloom
// per receipt, which a log does not show) and each log's position is derived
// as geth's Receipts.DeriveFields derives it; receipts are not modified (they
// may be geth's cached ones). The transaction hashes come from the index, or
// from the body for a block without an entry. ok false if the receipts or the
// body are missing or do not fit.
func (h *Handler) appendBlock(out []byte, first bool, q query, header *types.Header) ([]byte, bool, bool) {
	if header.ReceiptHash == types.EmptyReceiptsHash {
		return out, first, true
	}
	hash := header.Hash()
	receipts := h.chain.GetRawReceipts(hash, header.Number.Uint64())
	if receipts == nil {
		return out, first, false
	}
	hashes, ok := h.hashes(hash, receipts)
	if !ok {
		return out, first, false
	}
	at := position{block: header.Number.Uint64(), blockHash: hash, time: header.Time}
	j := 0 // hashes' entry of the next transaction with logs
	for i, rc := range receipts {
		if len(rc.Logs) == 0 {
			continue
		}
		at.txIndex = uint(i)
		_, at.txHash = hashes.At(j)
		j++
		for _, l := range rc.Logs {
			if q.match(l) {
				if !first {
					out = append(out, ',')
				}
				first = false
				out = appendLog(out, l, &at)
			}
			at.logIndex++
		}
	}
	return out, first, true
}

// hashes returns the hashes of the block's transactions with logs: its
// index entry, or computed from its body (and stored, with an index). ok
// false if the body is missing or does not fit the receipts.
func (h *Handler) hashes(block common.Hash, receipts types.Receipts) (txhashes.Entry, bool) {
	if h.cfg.Hashes != nil {
		if e, ok := h.cfg.Hashes.Lookup(block, receipts); ok {
			return e, true
		}
	}
	body := h.chain.GetBody(block)
	if body == nil || len(body.Transactions) != len(receipts) {
		return nil, false
	}
	var (
		e   txhashes.Entry
		err error
	)
	if h.cfg.Hashes != nil {
		e, err = h.cfg.Hashes.Fill(block, receipts, body.Transactions)
	} else {
		e, _, err = txhashes.Encode(receipts, body.Transactions)
	}
	return e, err == nil
}
