// Package historygap answers, on a node that joined by the join driver
// (ADR 084), the JSON-RPC calls that need block bodies or receipts it has not
// backfilled yet with an error naming the gap, instead of the null or empty
// answer go-ethereum gives for data it does not hold, which would say that the
// block, transaction or log does not exist.
package historygap

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/node/ethcall"
)

// Code is the JSON-RPC error code of a refused call (a server error in
// JSON-RPC's reserved range, as geth's own -32000).
const Code = -32001

// Source is what the guard reads of the node.
type Source interface {
	// Lowest is the lowest block whose body and receipts are stored (every
	// block above it has them) and whether a backfill is recorded at all.
	Lowest() (uint64, bool)
	// NumberOf is the number of the stored header with this hash.
	NumberOf(hash common.Hash) (uint64, bool)
}

// Guard is an http.Handler in front of the node's JSON-RPC handler.
type Guard struct {
	src   Source
	next  http.Handler
	limit int64
	whole atomic.Bool // the backfill reached block 1: nothing to guard
}

// New returns a guard of next reading request bodies up to limit bytes.
func New(src Source, next http.Handler, limit int64) *Guard {
	return &Guard{src: src, next: next, limit: limit}
}

// ServeHTTP passes every request on while the history is whole; otherwise
// it refuses the calls that reach below the backfilled history and turns a
// null answer to a lookup by transaction hash into such a refusal.
func (g *Guard) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	lowest, gap := g.gap()
	if !gap {
		g.next.ServeHTTP(w, r)
		return
	}
	body, release, ok := g.readBody(w, r)
	if !ok {
		return
	}
	defer release()
	calls, batch, err := parse(body)
	if err != nil || !g.touches(calls, lowest) {
		ethcall.Forward(w, r, body, g.next)
		return
	}
	g.serve(w, r, calls, batch, lowest)
}

// readBody reads a JSON-RPC request's body: one with a length through
// ethcall.ReadBody, one without (chunked) up to the limit, after which it
// carries its length. ok is false when next has served the request (not a
// JSON POST, a broken body or one over the limit, which geth refuses).
func (g *Guard) readBody(w http.ResponseWriter, r *http.Request) ([]byte, func(), bool) {
	if r.ContentLength >= 0 || r.Method != http.MethodPost || !ethcall.JSONContent(r) {
		buf, ok := ethcall.ReadBody(w, r, g.limit, g.next)
		if !ok {
			return nil, nil, false
		}
		return buf.Bytes(), func() { ethcall.ReleaseBody(buf) }, true
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, g.limit+1))
	if err != nil || int64(len(body)) > g.limit {
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(body), r.Body))
		g.next.ServeHTTP(w, r)
		return nil, nil, false
	}
	r.ContentLength = int64(len(body))
	r.TransferEncoding = nil
	return body, func() {}, true
}

// gap is the lowest backfilled block and whether blocks below it (above
// genesis) lack their history.
func (g *Guard) gap() (uint64, bool) {
	if g.whole.Load() {
		return 0, false
	}
	lowest, ok := g.src.Lowest()
	if ok && lowest <= 1 {
		g.whole.Store(true)
	}
	return lowest, ok && lowest > 1
}

// touches reports whether any call needs a look.
func (g *Guard) touches(calls []call, lowest uint64) bool {
	for i := range calls {
		if calls[i].refusal(g.src, lowest) != "" || byTxHash[calls[i].Method] {
			return true
		}
	}
	return false
}

// serve answers the refused calls itself, the others through next, and
// turns null answers to lookups by transaction hash into refusals.
func (g *Guard) serve(w http.ResponseWriter, r *http.Request, calls []call, batch bool, lowest uint64) {
	var passed []call
	var out []json.RawMessage
	for _, c := range calls {
		if msg := c.refusal(g.src, lowest); msg != "" {
			out = append(out, errorAnswer(c.ID, msg))
			continue
		}
		passed = append(passed, c)
	}
	if len(passed) > 0 {
		answers, raw, status := g.forward(r, passed, batch)
		if answers == nil {
			writeRaw(w, status, raw)
			return
		}
		out = append(out, nullTxToRefusal(passed, answers, lowest)...)
	}
	writeAnswers(w, out, batch)
}

// forward serves calls with next and returns its answers in order of the
// calls; nil (with next's raw answer and status) when they cannot be read.
func (g *Guard) forward(r *http.Request, calls []call, batch bool) ([]json.RawMessage, []byte, int) {
	body := encodeCalls(calls, batch)
	rec := &recorder{header: http.Header{}, status: http.StatusOK}
	ethcall.Forward(rec, r, body, g.next)
	answers, ok := decodeAnswers(rec.body.Bytes(), batch)
	if !ok || len(answers) != len(calls) {
		return nil, rec.body.Bytes(), rec.status
	}
	return answers, nil, rec.status
}

// nullTxToRefusal replaces a null result of a lookup by transaction hash
// with a refusal: the transaction may be in a block not yet backfilled.
func nullTxToRefusal(calls []call, answers []json.RawMessage, lowest uint64) []json.RawMessage {
	method := make(map[string]string, len(calls))
	for _, c := range calls {
		method[string(c.ID)] = c.Method
	}
	for i, a := range answers {
		var head struct {
			ID     json.RawMessage `json:"id"`
			Result json.RawMessage `json:"result"`
			Error  json.RawMessage `json:"error"`
		}
		if json.Unmarshal(a, &head) != nil || head.Error != nil || !bytes.Equal(head.Result, []byte("null")) {
			continue
		}
		if m := method[string(head.ID)]; byTxHash[m] {
			answers[i] = errorAnswer(head.ID, txGap(m, lowest))
		}
	}
	return answers
}

func blockGap(number, lowest uint64) string {
	return fmt.Sprintf("block %d's body and receipts are not yet backfilled: this node joined by the join driver and stores history down to block %d (ADR 084); retry later or ask an auditor node", number, lowest)
}

func rangeGap(from, to, lowest uint64) string {
	return fmt.Sprintf("blocks %d..%d reach below the backfilled history: this node joined by the join driver and stores bodies and receipts down to block %d (ADR 084); ask for blocks from %d on, retry later or ask an auditor node", from, to, lowest, lowest)
}

func txGap(method string, lowest uint64) string {
	return fmt.Sprintf("%s: not found in the history this node holds, which starts at block %d: blocks below it are not yet backfilled (the node joined by the join driver, ADR 084); retry later or ask an auditor node", method, lowest)
}

// errorAnswer is a JSON-RPC error answer.
func errorAnswer(id json.RawMessage, msg string) json.RawMessage {
	if id == nil {
		id = json.RawMessage("null")
	}
	b, _ := json.Marshal(struct {
		Version string          `json:"jsonrpc"`
		ID      json.RawMessage `json:"id"`
		Error   struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}{Version: "2.0", ID: id, Error: struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	}{Code, msg}})
	return b
}

// blockNumber reads a block number parameter; tags other than earliest
// name blocks at the head, which the join stored whole.
func blockNumber(raw json.RawMessage) (uint64, bool) {
	var n rpc.BlockNumber
	if json.Unmarshal(raw, &n) != nil {
		return 0, false
	}
	switch {
	case n == rpc.EarliestBlockNumber:
		return 0, true
	case n < 0:
		return 0, false
	}
	return uint64(n), true
}
