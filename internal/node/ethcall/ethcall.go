// Package ethcall answers plain eth_call requests over HTTP on the head
// state, in front of geth's JSON-RPC server, and hands every other request to
// that server unchanged.
//
// Residents' reads are eth_calls of the registry on the latest block
// (Documents.verify, PropertyTitles, poll results): the busiest thing an RPC
// node does. Of the CPU geth spends on such a call, the EVM and state reads
// take about 40%; the rest goes to its general JSON-RPC machinery: a goroutine
// per call (whose stack then grows for the EVM), reflection to decode the
// arguments and encode the answer, a second goroutine and a context per call
// for the EVM timeout. The handler here decodes one common shape of request
// (a single eth_call on "latest" with only from, to, gas and data/input set),
// executes it exactly as geth's eth_call does (same message, block context,
// gas cap, timeout and EVM configuration) on the connection's goroutine, and
// writes the answer itself. Anything else, and every call that does not
// succeed (revert, out of gas, timeout, state error), goes to geth's server,
// which then answers it (executing a failed call once more) with its own
// errors, word for word. See docs/adr/026-eth-call-fast-path.md.
package ethcall

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"math/big"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/state/snapshot"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"
)

// Chain is what the handler reads: geth's *core.BlockChain.
type Chain interface {
	core.ChainContext
	CurrentBlock() *types.Header
	TrieDB() *triedb.Database
	CodeDB() *state.CodeDB
	Snapshots() *snapshot.Tree
	JumpDestCache() vm.JumpDestCache
}

// maxCachedSlots bounds the accounts and storage slots the shared reader of
// one head keeps (each ~100-150 bytes in its maps: about 40 MB): once it has
// read more, the next call opens a fresh reader. A reader is also replaced as
// soon as the head changes, so on a chain with transactions in every block it
// lives for one block.
const maxCachedSlots = 1 << 18

// checkEvery is how often (in calls) a reader's size is checked.
const checkEvery = 256

// headReader is a state reader of the head's state shared by concurrent calls
// (geth's reader with a concurrent cache, as its block processing uses).
type headReader struct {
	root   common.Hash
	reader state.Reader
	calls  atomic.Int64
}

// full reports whether the reader has cached limit entries or more.
func (hr *headReader) full(limit uint64) bool {
	stater, ok := hr.reader.(state.StateReaderStater)
	if !ok {
		return true // no statistics: a fresh reader every checkEvery calls
	}
	st := stater.GetStateStats()
	return uint64(st.AccountCacheMiss+st.StorageCacheMiss) >= limit
}

// Config is the handler's configuration: the same limits geth's eth_call has.
type Config struct {
	GasCap    uint64        // gas of a call that names none, and the most a call may name (geth's RPCGasCap)
	Timeout   time.Duration // EVM time limit of a call (geth's RPCEVMTimeout); 0 for none
	BodyLimit int64         // largest request body read here; bigger ones go to geth

	// Traced: open a "jsonrpc.eth/call" span for every call answered here, as
	// geth's server does for the calls it serves (the node's RPC metrics are
	// made from those spans, ADR 011).
	Traced bool
}

// Handler is the HTTP handler: plain eth_calls here, the rest to Next.
type Handler struct {
	chain  Chain
	db     *state.MPTDatabase
	head   atomic.Pointer[headReader]
	signer atomic.Pointer[headAuthor]
	next   http.Handler
	cfg    Config
	tracer trace.Tracer

	served   atomic.Uint64 // calls answered here
	fallback atomic.Uint64 // eth_calls handed to Next
}

// New returns a handler answering plain eth_calls on chain's head and passing
// every other request to next (geth's rpc.Server for this endpoint, which
// must have the eth namespace).
func New(chain Chain, next http.Handler, cfg Config) *Handler {
	db := state.NewMPTDatabase(chain.TrieDB(), chain.CodeDB())
	db.WithSnapshot(chain.Snapshots())
	h := &Handler{chain: chain, db: db, next: next, cfg: cfg}
	if cfg.Traced {
		h.tracer = otel.Tracer("citychain/ethcall")
	}
	return h
}

// Stats returns the eth_calls answered here and those handed to geth.
func (h *Handler) Stats() (served, fallback uint64) { return h.served.Load(), h.fallback.Load() }

// maxCallBody is the largest request body the fast path reads: an eth_call
// with up to about 32 KB of call data.
const maxCallBody = 64 << 10

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Only a POST whose body geth would read in full (same size limit, an
	// accepted content type, a known length), and small enough to be a
	// plain call: large bodies (transaction batches) go to geth unread.
	buf, ok := ReadBody(w, r, min(h.cfg.BodyLimit, maxCallBody), h.next)
	if !ok {
		return
	}
	defer ReleaseBody(buf)
	body := buf.Bytes()
	if !bytes.Contains(body, []byte(`"eth_call"`)) {
		Forward(w, r, body, h.next)
		return
	}
	req, ok := parse(body)
	if ok {
		var span trace.Span
		if h.tracer != nil {
			_, span = h.tracer.Start(r.Context(), "jsonrpc.eth/call")
		}
		out, done := h.call(req)
		if done {
			h.served.Add(1)
			writeResult(w, req.id, out)
			if span != nil {
				span.End()
			}
			return
		}
		// Not ended: geth's server opens and ends its own span for the call.
	}
	h.fallback.Add(1)
	Forward(w, r, body, h.next)
}

// call executes req on the head state as geth's eth_call does. done is false
// if the call did not succeed, or asked for more gas than the cap: geth's
// server then answers it.
func (h *Handler) call(req request) (out []byte, done bool) {
	gas := h.cfg.GasCap
	if req.gas != nil {
		if h.cfg.GasCap != 0 && *req.gas > h.cfg.GasCap {
			return nil, false // geth caps it, with a warning in its log
		}
		gas = *req.gas
	}
	if gas == 0 && h.cfg.GasCap == 0 {
		return nil, false
	}
	header := h.chain.CurrentBlock()
	if h.chain.Config().IsUBT(header.Number, header.Time) {
		return nil, false
	}
	statedb, err := h.headState(header.Root)
	if err != nil {
		return nil, false
	}
	author := h.author(header)
	blockCtx := core.NewEVMBlockContext(header, h.chain, &author)
	// The call's gas price is zero: geth lowers the base fee to zero too.
	blockCtx.BaseFee = new(big.Int)
	msg := &core.Message{
		From:      req.from,
		To:        &req.to,
		Value:     new(uint256.Int),
		GasLimit:  gas,
		GasPrice:  new(uint256.Int),
		GasFeeCap: new(uint256.Int),
		GasTipCap: new(uint256.Int),
		Data:      req.data,
	}
	msg.SkipNonceCheck().SkipEOACheck().SkipGasLimitCapCheck().SkipExecutionGasCapCheck()

	evm := vm.NewEVM(blockCtx, statedb, h.chain.Config(), vm.Config{NoBaseFee: true})
	defer evm.Release()
	// The chain's shared JUMPDEST analyses, as block processing and the miner use.
	evm.SetJumpDestCache(h.chain.JumpDestCache())
	var timer *time.Timer
	if h.cfg.Timeout > 0 {
		timer = time.AfterFunc(h.cfg.Timeout, evm.Cancel)
	}
	gp := core.NewGasPool(h.cfg.GasCap)
	if h.cfg.GasCap == 0 {
		gp = core.NewGasPool(^uint64(0))
	}
	res, err := core.ApplyMessage(evm, msg, gp)
	if timer != nil {
		timer.Stop()
	}
	if err != nil || evm.Cancelled() || statedb.Error() != nil || res.Err != nil {
		return nil, false
	}
	return res.Return(), true
}

// author returns the head's signer (the COINBASE of a call), recovered once
// per head: geth's Clique engine hashes the header at every lookup. As in
// geth's eth_call, a header without a signer (the genesis) has the zero
// address.
func (h *Handler) author(header *types.Header) common.Address {
	if a := h.signer.Load(); a != nil && a.header == header {
		return a.author
	}
	author, _ := h.chain.Engine().Author(header)
	h.signer.Store(&headAuthor{header: header, author: author})
	return author
}

// headAuthor is the signer of the head header (by pointer: geth hands out
// the same header until the head changes).
type headAuthor struct {
	header *types.Header
	author common.Address
}

// headState returns a state of root reading through the shared reader.
func (h *Handler) headState(root common.Hash) (*state.StateDB, error) {
	hr := h.head.Load()
	if hr == nil || hr.root != root || hr.calls.Add(1)%checkEvery == 0 && hr.full(maxCachedSlots) {
		reader, _, err := h.db.ReadersWithCacheStats(root)
		if err != nil {
			return nil, err
		}
		hr = &headReader{root: root, reader: reader}
		h.head.Store(hr)
	}
	return state.NewWithReader(root, h.db, hr.reader)
}

var (
	resultPool  = sync.Pool{New: func() any { return new([]byte) }}
	contentType = []string{"application/json"}
)

// writeResult writes the JSON-RPC answer as geth's server encodes it.
func writeResult(w http.ResponseWriter, id json.RawMessage, out []byte) {
	bp := resultPool.Get().(*[]byte)
	defer resultPool.Put(bp)
	b := (*bp)[:0]
	b = append(b, `{"jsonrpc":"2.0","id":`...)
	b = append(b, id...)
	b = append(b, `,"result":"0x`...)
	b = hex.AppendEncode(b, out)
	b = append(b, `"}`...)
	w.Header()["Content-Type"] = contentType
	w.Write(b)
	*bp = b
}
