package ethcall

import (
	"bytes"
	"encoding/json"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/internal/jsonscan"
)

// request is a plain eth_call: the message fields geth would derive from it.
type request struct {
	id   json.RawMessage
	from common.Address
	to   common.Address
	gas  *uint64
	data []byte
}

// message is one JSON-RPC request object, decoded as geth decodes it
// (encoding/json: member names match case-insensitively, unknown ones are
// ignored).
type message struct {
	Version string            `json:"jsonrpc"`
	ID      json.RawMessage   `json:"id"`
	Method  string            `json:"method"`
	Params  []json.RawMessage `json:"params"`
}

// callArgs are the members of geth's TransactionArgs: the five the fast path
// takes (from, to, gas, data, input) are decoded; any other one present sends
// the request to geth.
type callArgs struct {
	From  *common.Address `json:"from"`
	To    *common.Address `json:"to"`
	Gas   *hexutil.Uint64 `json:"gas"`
	Data  *hexutil.Bytes  `json:"data"`
	Input *hexutil.Bytes  `json:"input"`

	GasPrice             json.RawMessage `json:"gasPrice"`
	MaxFeePerGas         json.RawMessage `json:"maxFeePerGas"`
	MaxPriorityFeePerGas json.RawMessage `json:"maxPriorityFeePerGas"`
	Value                json.RawMessage `json:"value"`
	Nonce                json.RawMessage `json:"nonce"`
	AccessList           json.RawMessage `json:"accessList"`
	ChainID              json.RawMessage `json:"chainId"`
	BlobFeeCap           json.RawMessage `json:"maxFeePerBlobGas"`
	BlobHashes           json.RawMessage `json:"blobVersionedHashes"`
	Blobs                json.RawMessage `json:"blobs"`
	Commitments          json.RawMessage `json:"commitments"`
	Proofs               json.RawMessage `json:"proofs"`
	AuthorizationList    json.RawMessage `json:"authorizationList"`
}

func (a *callArgs) plain() bool {
	for _, m := range [...]json.RawMessage{a.GasPrice, a.MaxFeePerGas, a.MaxPriorityFeePerGas, a.Value, a.Nonce,
		a.AccessList, a.ChainID, a.BlobFeeCap, a.BlobHashes, a.Blobs, a.Commitments, a.Proofs, a.AuthorizationList} {
		if m != nil {
			return false
		}
	}
	// A call creating a contract, or naming both data and input, is geth's.
	return a.To != nil && (a.Data == nil || a.Input == nil)
}

// parse decodes body if it is a single eth_call of the plain shape on the
// latest block; ok is false for anything else. The usual encodings are read
// by a small scanner; anything it does not know is decoded as geth decodes
// it, with encoding/json (FuzzParse checks that both agree).
func parse(body []byte) (req request, ok bool) {
	if req, ok = scan(body); ok {
		return req, true
	}
	return decode(body)
}

// decode is parse with encoding/json.
func decode(body []byte) (req request, ok bool) {
	var msg message
	if err := json.Unmarshal(body, &msg); err != nil {
		return req, false // a batch, or anything geth must answer
	}
	if msg.Version != "2.0" || msg.Method != "eth_call" || !PlainID(msg.ID) {
		return req, false
	}
	switch len(msg.Params) {
	case 1:
	case 2:
		if !bytes.Equal(bytes.TrimSpace(msg.Params[1]), []byte(`"latest"`)) {
			return req, false
		}
	default:
		return req, false // state or block overrides, or a malformed call
	}
	var args callArgs
	if err := json.Unmarshal(msg.Params[0], &args); err != nil || !args.plain() {
		return req, false
	}
	req.id, req.to = msg.ID, *args.To
	if args.From != nil {
		req.from = *args.From
	}
	if args.Gas != nil {
		g := uint64(*args.Gas)
		req.gas = &g
	}
	switch {
	case args.Input != nil:
		req.data = *args.Input
	case args.Data != nil:
		req.data = *args.Data
	}
	return req, true
}

// PlainID reports whether id is a number or a string of letters, digits and
// "-_.:": geth echoes those byte for byte (others it re-encodes, escaping
// HTML characters); null and absent ids are notifications, geth's to answer.
func PlainID(id json.RawMessage) bool {
	if len(id) == 0 || len(id) > 64 {
		return false
	}
	if id[0] == '"' {
		if len(id) < 2 || id[len(id)-1] != '"' {
			return false
		}
		for _, c := range id[1 : len(id)-1] {
			if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == ':') {
				return false
			}
		}
		return true
	}
	for _, c := range id {
		if !('0' <= c && c <= '9' || c == '-' || c == '+' || c == '.' || c == 'e' || c == 'E') {
			return false
		}
	}
	return true
}

// scan reads the common encodings of a plain eth_call: members named exactly
// (in any order, each once), strings of printable ASCII without escapes, an
// integer or plain string id. Anything else is not for scan (ok false).
func scan(body []byte) (req request, ok bool) {
	s := scanner{jsonscan.Scanner{In: body}}
	if !s.Byte('{') {
		return req, false
	}
	var seen [4]bool // jsonrpc, id, method, params
	for {
		key, ok := s.Plain()
		if !ok || !s.Byte(':') {
			return req, false
		}
		var k int
		switch string(key) {
		case "jsonrpc":
			v, ok := s.Plain()
			if !ok || string(v) != "2.0" {
				return req, false
			}
			k = 0
		case "id":
			id, ok := s.id()
			if !ok {
				return req, false
			}
			req.id, k = id, 1
		case "method":
			v, ok := s.Plain()
			if !ok || string(v) != "eth_call" {
				return req, false
			}
			k = 2
		case "params":
			if !s.params(&req) {
				return req, false
			}
			k = 3
		default:
			return req, false
		}
		if seen[k] {
			return req, false
		}
		seen[k] = true
		if s.Byte('}') {
			break
		}
		if !s.Byte(',') {
			return req, false
		}
	}
	if !s.End() || seen != [4]bool{true, true, true, true} {
		return req, false
	}
	return req, true
}

// scanner reads the JSON tokens of a request (jsonscan.Scanner) and its
// ids, params and call object.
type scanner struct{ jsonscan.Scanner }

// id reads an integer or a string id, returned as it is written.
func (s *scanner) id() (json.RawMessage, bool) { return ScanID(&s.Scanner) }

// ScanID reads a plain id (PlainID): an integer without fraction or exponent,
// or a plain string, returned as it is written; false for any other.
func ScanID(s *jsonscan.Scanner) (json.RawMessage, bool) {
	s.Space()
	start := s.Pos
	if s.Pos < len(s.In) && s.In[s.Pos] == '"' {
		if _, ok := s.Plain(); !ok {
			return nil, false
		}
	} else {
		if s.Pos < len(s.In) && s.In[s.Pos] == '-' {
			s.Pos++
		}
		digits := s.Pos
		for s.Pos < len(s.In) && '0' <= s.In[s.Pos] && s.In[s.Pos] <= '9' {
			s.Pos++
		}
		n := s.Pos - digits
		if n == 0 || n > 1 && s.In[digits] == '0' {
			return nil, false
		}
		// A fraction or an exponent is for encoding/json.
		if s.Pos < len(s.In) && (s.In[s.Pos] == '.' || s.In[s.Pos] == 'e' || s.In[s.Pos] == 'E') {
			return nil, false
		}
	}
	id := json.RawMessage(s.In[start:s.Pos])
	return id, PlainID(id)
}

// params reads [callObject] or [callObject, "latest"].
func (s *scanner) params(req *request) bool {
	if !s.Byte('[') || !s.call(req) {
		return false
	}
	if s.Byte(',') {
		if tag, ok := s.Plain(); !ok || string(tag) != "latest" {
			return false
		}
	}
	return s.Byte(']')
}

// call reads the call object: from, to, gas, data and input, each at most once.
func (s *scanner) call(req *request) bool {
	if !s.Byte('{') {
		return false
	}
	var (
		seen        [5]bool // from, to, gas, data, input
		data, input []byte
	)
	for {
		key, ok := s.Plain()
		if !ok || !s.Byte(':') {
			return false
		}
		v, ok := s.Plain()
		if !ok {
			return false
		}
		var k int
		switch string(key) {
		case "from":
			k, ok = 0, req.from.UnmarshalText(v) == nil
		case "to":
			k, ok = 1, req.to.UnmarshalText(v) == nil
		case "gas":
			var g hexutil.Uint64
			k, ok = 2, g.UnmarshalText(v) == nil
			gas := uint64(g)
			req.gas = &gas
		case "data":
			var b hexutil.Bytes
			k, ok = 3, b.UnmarshalText(v) == nil
			data = b
		case "input":
			var b hexutil.Bytes
			k, ok = 4, b.UnmarshalText(v) == nil
			input = b
		default:
			return false
		}
		if !ok || seen[k] {
			return false
		}
		seen[k] = true
		if s.Byte('}') {
			break
		}
		if !s.Byte(',') {
			return false
		}
	}
	// A call creating a contract, or naming both data and input, is geth's.
	if !seen[1] || seen[3] && seen[4] {
		return false
	}
	req.data = data
	if seen[4] {
		req.data = input
	}
	return true
}
