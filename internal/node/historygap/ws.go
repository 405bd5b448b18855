package historygap

import (
	"bytes"
	"encoding/json"
	"sync"

	"github.com/citychain/citychain/internal/node/rpcacl"
)

// Conn guards the calls of one WebSocket connection (a wsrpc.Filter), as
// ServeHTTP guards HTTP requests: a call reaching below the backfilled
// history is replaced by a call to rpcacl's refusal method (registered on
// the server) answering the same error, and a null answer to a lookup by
// transaction hash becomes such an error.
type Conn struct {
	g       *Guard
	mu      sync.Mutex
	lookups map[string]string // id of a pending lookup by transaction hash: its method
}

// Conn returns the guard of a new WebSocket connection.
func (g *Guard) Conn() *Conn { return &Conn{g: g, lookups: map[string]string{}} }

// Request rewrites the refused calls of a request message and notes the
// lookups by transaction hash whose answers Answer checks.
func (c *Conn) Request(msg []byte) []byte {
	lowest, gap := c.g.gap()
	if !gap {
		return msg
	}
	calls, batch, err := parse(msg)
	if err != nil || len(calls) == 0 || !c.g.touches(calls, lowest) {
		return msg
	}
	for i := range calls {
		if why := calls[i].refusal(c.g.src, lowest); why != "" {
			calls[i] = refusedCall(calls[i].ID, why)
			continue
		}
		if byTxHash[calls[i].Method] && calls[i].ID != nil {
			c.note(calls[i].ID, calls[i].Method)
		}
	}
	return encodeCalls(calls, batch)
}

// Answer turns a null answer to a noted lookup by transaction hash into an
// error while the history still has its gap.
func (c *Conn) Answer(msg []byte) []byte {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.lookups) == 0 {
		return msg
	}
	trimmed := bytes.TrimSpace(msg)
	batch := len(trimmed) > 0 && trimmed[0] == '['
	answers, ok := decodeAnswers(trimmed, batch)
	if !ok {
		return msg
	}
	changed := false
	for i, a := range answers {
		if out, ok := c.answer(a); ok {
			answers[i], changed = out, true
		}
	}
	if !changed {
		return msg
	}
	if batch {
		b, _ := json.Marshal(answers)
		return b
	}
	return answers[0]
}

// answer is the error replacing a (with c.mu held), if a answers a noted
// lookup with null while blocks still lack their history.
func (c *Conn) answer(a json.RawMessage) (json.RawMessage, bool) {
	var head struct {
		ID     json.RawMessage `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  json.RawMessage `json:"error"`
	}
	if json.Unmarshal(a, &head) != nil || head.ID == nil {
		return nil, false
	}
	key := idKey(head.ID)
	method, ok := c.lookups[key]
	if !ok {
		return nil, false
	}
	delete(c.lookups, key)
	lowest, gap := c.g.src.Lowest()
	if head.Error != nil || !bytes.Equal(head.Result, []byte("null")) || !gap || lowest <= 1 {
		return nil, false
	}
	return errorAnswer(head.ID, txGap(method, lowest)), true
}

func (c *Conn) note(id json.RawMessage, method string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.lookups[idKey(id)] = method
}

// idKey is a JSON-RPC id in compact form, as the server echoes it.
func idKey(id json.RawMessage) string {
	var b bytes.Buffer
	if json.Compact(&b, id) != nil {
		return string(id)
	}
	return b.String()
}

// refusedCall is the call answering a refusal: rpcacl's refusal method with
// the guard's code and message.
func refusedCall(id json.RawMessage, why string) call {
	params, _ := json.Marshal([]any{Code, why})
	return call{Version: "2.0", ID: id, Method: rpcacl.Method, Params: params}
}
