package rpcacl

import (
	"bytes"
	"encoding/json"
	"fmt"
)

// message is a JSON-RPC request as checked and passed on.
type message struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// Rewrite returns body, a JSON-RPC request or batch, written again from its
// parsed form with each refused call replaced by a call to Method (same id),
// and how many calls it refused. A body that is not JSON becomes one call to
// Method answering a parse error; nothing of it is passed on.
func (p *Policy) Rewrite(body []byte) ([]byte, int) {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var elems []json.RawMessage
		if err := json.Unmarshal(body, &elems); err != nil {
			return invalid(err), 0
		}
		if len(elems) == 0 {
			return []byte("[]"), 0 // geth answers an empty batch with its error
		}
		out := make([]message, len(elems))
		refused := 0
		for i, e := range elems {
			if p.check(e, &out[i]) {
				refused++
			}
		}
		b, _ := json.Marshal(out)
		return b, refused
	}
	var m message
	refused := 0
	if p.check(body, &m) {
		refused = 1
	}
	b, _ := json.Marshal(m)
	return b, refused
}

// check parses raw into m and replaces it by a call to Method if its method
// is refused or it is not a request object; it reports a refusal.
func (p *Policy) check(raw []byte, m *message) bool {
	if err := json.Unmarshal(raw, m); err != nil {
		*m = message{Version: "2.0", ID: json.RawMessage("null"), Method: Method, Params: params(codeParse, "invalid JSON-RPC request: not a JSON-RPC object ("+err.Error()+")")}
		return false
	}
	flag := p.Check(m.Method)
	if flag == "" {
		return false
	}
	p.count(m.Method)
	m.Params = params(codeMethodNotFound, fmt.Sprintf("method %s is not served on this node's public listener: refused by %s", m.Method, flag))
	m.Method = Method
	return true
}

// invalid is the call answering a body that is not JSON.
func invalid(err error) []byte {
	b, _ := json.Marshal(message{Version: "2.0", ID: json.RawMessage("null"), Method: Method, Params: params(codeParse, "invalid JSON-RPC request: "+err.Error())})
	return b
}

func params(code int, message string) json.RawMessage {
	b, _ := json.Marshal([]any{code, message})
	return b
}

// Request implements wsrpc.Filter: every WebSocket message rewritten.
func (p *Policy) Request(msg []byte) []byte {
	out, _ := p.Rewrite(msg)
	return out
}

// Answer implements wsrpc.Filter: answers pass unchanged.
func (p *Policy) Answer(msg []byte) []byte { return msg }
