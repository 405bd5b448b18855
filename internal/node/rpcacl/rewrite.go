package rpcacl

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
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
	if err := fill(raw, m); err != nil {
		*m = message{Version: "2.0", ID: json.RawMessage("null"), Method: Method, Params: params(codeParse, "invalid JSON-RPC request: not a JSON-RPC object ("+err.Error()+")")}
		return false
	}
	if m.Method == "" {
		return false // no call: geth answers it (invalid request) as it would the body as sent
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

// fill reads raw, one JSON object, into m as go-ethereum's server reads a
// request (rpc.fillMessage in 1.17): keys compared exactly, case included,
// after their escapes are decoded; every occurrence of a key in order, a
// later one replacing an earlier; a "jsonrpc" or "method" value that is not
// a string leaving the field as it was; other keys ignored. encoding/json
// would match keys case-insensitively ("Method" for "method"): the call
// checked and passed on would not be the one go-ethereum reads from the
// body as sent.
func fill(raw []byte, m *message) error {
	dec := json.NewDecoder(bytes.NewReader(raw))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		return fmt.Errorf("want an object, have %s", describe(tok, err))
	}
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		var value json.RawMessage
		if err := dec.Decode(&value); err != nil {
			return err
		}
		switch key, _ := tok.(string); key {
		case "jsonrpc":
			json.Unmarshal(value, &m.Version) // as geth: a non-string leaves it
		case "id":
			m.ID = value
		case "method":
			json.Unmarshal(value, &m.Method) // as geth: a non-string leaves it
		case "params":
			m.Params = value
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("data after the request object")
	}
	return nil
}

// describe names the first token of a value that is not an object.
func describe(tok json.Token, err error) string {
	switch {
	case err != nil:
		return err.Error()
	case tok == nil:
		return "null"
	case tok == json.Delim('['):
		return "an array"
	}
	switch tok.(type) {
	case string:
		return "a string"
	case bool:
		return "a boolean"
	default:
		return "a number"
	}
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
