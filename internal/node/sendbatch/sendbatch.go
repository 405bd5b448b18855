// Package sendbatch answers a JSON-RPC batch made only of
// eth_sendRawTransaction calls over HTTP by handing all its transactions to
// the node's intake at once (ADR 077).
//
// geth's server runs the calls of a batch one after the other: each one is
// decoded by reflection, has its sender recovered on the request's goroutine,
// takes the pool's lock, is journaled and announced to the sealer on its own.
// Here the batch's transactions are submitted together: senders recovered on
// every core, one pool insertion, one journal write, one announcement. Each
// call still gets the answer geth's server would give it: the hash, or the
// error with the same code and message. Every other request, and any batch
// this handler cannot answer exactly as geth would (a notification, an odd
// id, parameters that are not one hex string, more calls than the server's
// batch limit), goes to the next handler unchanged.
package sendbatch

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/trace"

	"github.com/citychain/citychain/internal/jsonscan"
	"github.com/citychain/citychain/internal/node/ethcall"
)

// Method is the one method this handler answers.
const Method = "eth_sendRawTransaction"

// Submitter takes signed transactions and returns one error per
// transaction, nil for those accepted; *txintake.Intake satisfies it.
type Submitter interface {
	Submit(ctx context.Context, txs []*types.Transaction) []error
}

// Config bounds what the handler reads: the limits of the server behind it.
type Config struct {
	BodyLimit  int64 // largest request body read here; bigger ones go to Next
	BatchLimit int   // most calls in one batch (geth's BatchRequestLimit); 0 for none

	// Traced: open a "jsonrpc.eth/sendRawTransaction" span for every call
	// answered here, as geth's server does (the node's RPC metrics are made
	// from those spans, ADR 011).
	Traced bool

	// Room reports whether the pool may take more now; nil: always. While
	// it says no, a batch waits (it looks again at every head change and
	// every recheck interval), at most MaxWait in all, before it is
	// submitted: a pool holding far more than a block makes every block
	// slower to build (ADR 077). MaxWait 0: batches are never held.
	Room    func() bool
	MaxWait time.Duration
}

// recheck is how often a held batch looks at the pool between head changes:
// the pool takes out a block's transactions some time after the head moves.
const recheck = 50 * time.Millisecond

// Handler is the HTTP handler: batches of eth_sendRawTransaction here, the
// rest to next.
type Handler struct {
	intake Submitter
	next   http.Handler
	cfg    Config
	tracer trace.Tracer

	batches  atomic.Uint64 // batches answered here
	calls    atomic.Uint64 // calls in those batches
	fallback atomic.Uint64 // batches naming the method handed to next
	held     atomic.Uint64 // batches that waited for the pool's backlog

	headMu sync.Mutex
	head   chan struct{} // closed at the next head change; nil: nobody waits

	// The hold's queue (awaitRoom): tickets handed out and the ticket
	// whose turn it is; tickets submitted out of turn, until their turn.
	turnMu     sync.Mutex
	ticketNext uint64
	ticketNow  uint64
	finished   map[uint64]bool
	turn       chan struct{} // closed when a held batch is submitted; nil: nobody waits
}

// HeadChanged tells the handler the chain has a new head: batches held for
// the pool's backlog look at it again.
func (h *Handler) HeadChanged() {
	h.headMu.Lock()
	defer h.headMu.Unlock()
	if h.head != nil {
		close(h.head)
		h.head = nil
	}
}

// nextHead returns a channel closed at the next head change.
func (h *Handler) nextHead() <-chan struct{} {
	h.headMu.Lock()
	defer h.headMu.Unlock()
	if h.head == nil {
		h.head = make(chan struct{})
	}
	return h.head
}

// awaitRoom holds a batch while Room says no, until it says yes, MaxWait
// passes or ctx ends; it returns what to call once the batch is submitted.
//
// Held batches leave in the order they came (a ticket each; a batch looks at
// Room only when every batch held before it is submitted), and a batch that
// comes while others are held queues behind them: a client's batches carry
// its accounts' nonces in order, and a batch submitted before an earlier one
// leaves a nonce gap in the pool until the earlier one comes (released in
// any order, a third to nearly half of a 3-signer run's transactions were
// answered before an earlier nonce of their account, docs/benchmarks.md
// 2026-12-06 06:40). A batch whose MaxWait passes leaves without its turn.
func (h *Handler) awaitRoom(ctx context.Context) (submitted func()) {
	if h.cfg.Room == nil || h.cfg.MaxWait <= 0 {
		return func() {}
	}
	t, queued := h.takeTicket()
	if !queued {
		return func() {}
	}
	h.held.Add(1)
	submitted = func() { h.finish(t) }
	timer := time.NewTimer(h.cfg.MaxWait)
	defer timer.Stop()
	tick := time.NewTicker(recheck)
	defer tick.Stop()
	for {
		// Before the look: a head change or a turn in between is not missed.
		next, turn := h.nextHead(), h.nextTurn()
		if h.myTurn(t) && h.cfg.Room() {
			return submitted
		}
		select {
		case <-next:
		case <-turn:
		case <-tick.C:
		case <-timer.C:
			return submitted
		case <-ctx.Done():
			return submitted // Submit refuses the batch with ctx's error
		}
	}
}

// takeTicket returns a place in the hold's queue, or queued false when no
// batch is held and the pool has room (the batch goes at once).
func (h *Handler) takeTicket() (ticket uint64, queued bool) {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	if h.ticketNext == h.ticketNow && h.cfg.Room() {
		return 0, false
	}
	ticket = h.ticketNext
	h.ticketNext++
	return ticket, true
}

// myTurn reports whether every batch held before ticket is submitted.
func (h *Handler) myTurn(ticket uint64) bool {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	return h.ticketNow == ticket
}

// finish marks ticket's batch submitted and hands the turn on.
func (h *Handler) finish(ticket uint64) {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	if h.finished == nil {
		h.finished = make(map[uint64]bool)
	}
	h.finished[ticket] = true
	for h.finished[h.ticketNow] {
		delete(h.finished, h.ticketNow)
		h.ticketNow++
	}
	if h.turn != nil {
		close(h.turn)
		h.turn = nil
	}
}

// nextTurn returns a channel closed when the next held batch is submitted.
func (h *Handler) nextTurn() <-chan struct{} {
	h.turnMu.Lock()
	defer h.turnMu.Unlock()
	if h.turn == nil {
		h.turn = make(chan struct{})
	}
	return h.turn
}

// New returns a handler that submits batches of eth_sendRawTransaction to
// intake and passes every other request to next (the node's JSON-RPC
// server, whose eth_sendRawTransaction must be intake's).
func New(intake Submitter, next http.Handler, cfg Config) *Handler {
	h := &Handler{intake: intake, next: next, cfg: cfg}
	if cfg.Traced {
		h.tracer = otel.Tracer("citychain/sendbatch")
	}
	return h
}

// Stats returns the batches and calls answered here, and the batches naming
// the method that were handed to the server.
func (h *Handler) Stats() (batches, calls, fallback uint64) {
	return h.batches.Load(), h.calls.Load(), h.fallback.Load()
}

// Held returns how many batches waited for the pool's backlog.
func (h *Handler) Held() uint64 { return h.held.Load() }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	// Only a POST whose body geth would read in full: same size limit, an
	// accepted content type, a known length.
	buf, ok := ethcall.ReadBody(w, r, h.cfg.BodyLimit, h.next)
	if !ok {
		return
	}
	defer ethcall.ReleaseBody(buf)
	body := buf.Bytes()
	if !isBatch(body) || !bytes.Contains(body, []byte(`"`+Method+`"`)) {
		ethcall.Forward(w, r, body, h.next)
		return
	}
	calls, ok := parse(body, h.cfg.BatchLimit)
	if !ok {
		h.fallback.Add(1)
		ethcall.Forward(w, r, body, h.next)
		return
	}
	h.serve(r.Context(), w, calls)
}

// serve submits the batch's transactions and writes one answer per call.
func (h *Handler) serve(ctx context.Context, w http.ResponseWriter, calls []call) {
	spans := h.startSpans(ctx, len(calls))
	txs := make([]*types.Transaction, 0, len(calls))
	pos := make([]int, 0, len(calls))
	for i := range calls {
		if calls[i].err == nil {
			txs = append(txs, calls[i].tx)
			pos = append(pos, i)
		}
	}
	if len(txs) > 0 {
		submitted := h.awaitRoom(ctx)
		for k, err := range h.intake.Submit(ctx, txs) {
			calls[pos[k]].err = err
		}
		submitted()
	}
	out := encode(calls)
	w.Header().Set("Content-Type", "application/json")
	w.Write(out)
	for i, span := range spans {
		if calls[i].err != nil {
			span.RecordError(calls[i].err)
		}
		span.End()
	}
	h.batches.Add(1)
	h.calls.Add(uint64(len(calls)))
}

// startSpans opens one call span per call when traced.
func (h *Handler) startSpans(ctx context.Context, n int) []trace.Span {
	if h.tracer == nil {
		return nil
	}
	spans := make([]trace.Span, n)
	for i := range spans {
		_, spans[i] = h.tracer.Start(ctx, "jsonrpc.eth/sendRawTransaction")
	}
	return spans
}

// isBatch reports whether body is a JSON array (after leading white space).
func isBatch(body []byte) bool {
	body = bytes.TrimLeft(body, " \t\r\n")
	return len(body) > 0 && body[0] == '['
}

// call is one eth_sendRawTransaction of a batch: its id, and either its
// decoded transaction or the error geth's method returns for it.
type call struct {
	id  json.RawMessage
	tx  *types.Transaction
	err error
}

// message is a JSON-RPC request as the batch holds it.
type message struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Method  string          `json:"method"`
	Params  []hexutil.Bytes `json:"params"` // decoded as geth decodes the method's argument
}

// parse decodes a batch whose every element is an eth_sendRawTransaction
// call with a plain id and one hex string parameter. ok is false for any
// other batch (a parameter that is not a hex string fails the whole
// decoding): geth's server answers it.
func parse(body []byte, limit int) (calls []call, ok bool) {
	msgs, ok := scanBatch(body)
	if !ok {
		if err := json.Unmarshal(body, &msgs); err != nil {
			return nil, false
		}
	}
	if len(msgs) == 0 || limit > 0 && len(msgs) > limit {
		return nil, false
	}
	calls = make([]call, len(msgs))
	for i, m := range msgs {
		if m.Version != "2.0" || m.Method != Method || !ethcall.PlainID(m.ID) {
			return nil, false
		}
		if len(m.Params) != 1 {
			return nil, false
		}
		calls[i].id = m.ID
		tx := new(types.Transaction)
		if err := tx.UnmarshalBinary(m.Params[0]); err != nil {
			calls[i].err = err // geth's method returns the decoding error
			continue
		}
		calls[i].tx = tx
	}
	return calls, true
}

// scanBatch reads the common encoding of a batch (a load generator's, a
// relayer's) without encoding/json's reflection, its largest cost: an array of
// objects whose members are named exactly, each at most once, a plain string
// jsonrpc and method, a plain id (ethcall.ScanID) and params holding one "0x"
// hex string. Anything else is not for scanBatch (ok false) and goes to
// encoding/json; what it takes, encoding/json decodes to the same messages
// (FuzzScanBatch).
func scanBatch(body []byte) (msgs []message, ok bool) {
	s := jsonscan.Scanner{In: body}
	if !s.Byte('[') {
		return nil, false
	}
	for {
		m, ok := scanMessage(&s)
		if !ok {
			return nil, false
		}
		msgs = append(msgs, m)
		if s.Byte(']') {
			break
		}
		if !s.Byte(',') {
			return nil, false
		}
	}
	return msgs, s.End()
}

// scanMessage reads one call of a batch (see scanBatch).
func scanMessage(s *jsonscan.Scanner) (m message, ok bool) {
	if !s.Byte('{') {
		return m, false
	}
	var seen [4]bool // jsonrpc, id, method, params
	for {
		key, ok := s.Plain()
		if !ok || !s.Byte(':') {
			return m, false
		}
		var k int
		switch string(key) {
		case "jsonrpc":
			v, ok := s.Plain()
			if !ok {
				return m, false
			}
			m.Version, k = string(v), 0
		case "id":
			if m.ID, ok = ethcall.ScanID(s); !ok {
				return m, false
			}
			k = 1
		case "method":
			v, ok := s.Plain()
			if !ok {
				return m, false
			}
			m.Method, k = string(v), 2
		case "params":
			if m.Params, ok = scanParams(s); !ok {
				return m, false
			}
			k = 3
		default:
			return m, false
		}
		if seen[k] {
			return m, false
		}
		seen[k] = true
		if s.Byte('}') {
			return m, true
		}
		if !s.Byte(',') {
			return m, false
		}
	}
}

// scanParams reads params of one "0x" hex string of even length.
func scanParams(s *jsonscan.Scanner) ([]hexutil.Bytes, bool) {
	if !s.Byte('[') {
		return nil, false
	}
	v, ok := s.Plain()
	if !ok || len(v) < 2 || v[0] != '0' || v[1] != 'x' || len(v)%2 != 0 {
		return nil, false
	}
	raw := make([]byte, (len(v)-2)/2)
	if _, err := hex.Decode(raw, v[2:]); err != nil {
		return nil, false
	}
	if !s.Byte(']') {
		return nil, false
	}
	return []hexutil.Bytes{raw}, true
}

// encode writes the answers as geth's server encodes a batch's: an array of
// {"jsonrpc":"2.0","id":ID,"result":"0xHASH"} or, for a failed call,
// {"jsonrpc":"2.0","id":ID,"error":{"code":C,"message":M[,"data":D]}} with
// the code -32000 unless the error names its own (rpc.Error).
func encode(calls []call) []byte {
	out := make([]byte, 0, len(calls)*110)
	out = append(out, '[')
	for i, c := range calls {
		if i > 0 {
			out = append(out, ',')
		}
		out = append(out, `{"jsonrpc":"2.0","id":`...)
		out = append(out, c.id...)
		if c.err == nil {
			out = append(out, `,"result":"`...)
			out = append(out, c.tx.Hash().Hex()...)
			out = append(out, `"}`...)
			continue
		}
		out = append(out, `,"error":`...)
		out = append(out, errorJSON(c.err)...)
		out = append(out, '}')
	}
	return append(out, ']')
}

// errorJSON is geth's encoding of a method's error.
func errorJSON(err error) []byte {
	code := -32000
	if ec, ok := err.(rpc.Error); ok {
		code = ec.ErrorCode()
	}
	var data any
	if de, ok := err.(rpc.DataError); ok {
		data = de.ErrorData()
	}
	msg, _ := json.Marshal(err.Error())
	b := []byte(`{"code":` + strconv.Itoa(code) + `,"message":`)
	b = append(b, msg...)
	if data != nil {
		enc, derr := json.Marshal(data)
		if derr == nil {
			b = append(b, `,"data":`...)
			b = append(b, enc...)
		}
	}
	return append(b, '}')
}
