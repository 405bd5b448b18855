package historygap

import (
	"bytes"
	"encoding/json"
	"net/http"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
)

// call is one JSON-RPC request of a body.
type call struct {
	Version string          `json:"jsonrpc,omitempty"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// Methods whose first parameter names a block, by number or by hash, and
// whose answer needs its body or receipts.
var (
	byNumber = map[string]bool{
		"eth_getBlockByNumber":                       true,
		"eth_getBlockTransactionCountByNumber":       true,
		"eth_getTransactionByBlockNumberAndIndex":    true,
		"eth_getRawTransactionByBlockNumberAndIndex": true,
		"eth_getUncleCountByBlockNumber":             true,
		"eth_getUncleByBlockNumberAndIndex":          true,
		"eth_getBlockReceipts":                       true,
	}
	byHash = map[string]bool{
		"eth_getBlockByHash":                       true,
		"eth_getBlockTransactionCountByHash":       true,
		"eth_getTransactionByBlockHashAndIndex":    true,
		"eth_getRawTransactionByBlockHashAndIndex": true,
		"eth_getUncleCountByBlockHash":             true,
		"eth_getUncleByBlockHashAndIndex":          true,
	}
	// byTxHash: lookups that answer null for a transaction they do not
	// find, which may be in a block not yet backfilled.
	byTxHash = map[string]bool{
		"eth_getTransactionByHash":    true,
		"eth_getRawTransactionByHash": true,
		"eth_getTransactionReceipt":   true,
	}
)

// parse reads a single request or a batch; batch tells which.
func parse(body []byte) ([]call, bool, error) {
	body = bytes.TrimSpace(body)
	if len(body) > 0 && body[0] == '[' {
		var calls []call
		err := json.Unmarshal(body, &calls)
		return calls, true, err
	}
	var c call
	err := json.Unmarshal(body, &c)
	return []call{c}, false, err
}

// refusal is the error message for a call that reaches below the
// backfilled history, or "".
func (c *call) refusal(src Source, lowest uint64) string {
	var params []json.RawMessage
	if json.Unmarshal(c.Params, &params) != nil || len(params) == 0 {
		return ""
	}
	switch {
	case byNumber[c.Method]:
		return numberRefusal(src, params[0], lowest)
	case byHash[c.Method]:
		return hashRefusal(src, params[0], lowest)
	case c.Method == "eth_getLogs":
		return logsRefusal(src, params[0], lowest)
	}
	return ""
}

// inGap reports whether block n lacks its history.
func inGap(n, lowest uint64) bool { return n >= 1 && n < lowest }

func numberRefusal(src Source, raw json.RawMessage, lowest uint64) string {
	var bnh rpc.BlockNumberOrHash
	if json.Unmarshal(raw, &bnh) != nil {
		return ""
	}
	if h, ok := bnh.Hash(); ok {
		return hashRefusal(src, mustJSON(h), lowest)
	}
	n, ok := bnh.Number()
	if ok && n == rpc.EarliestBlockNumber {
		n = 0
	}
	if ok && n >= 0 && inGap(uint64(n), lowest) {
		return blockGap(uint64(n), lowest)
	}
	return ""
}

func hashRefusal(src Source, raw json.RawMessage, lowest uint64) string {
	var h common.Hash
	if json.Unmarshal(raw, &h) != nil {
		return ""
	}
	if n, ok := src.NumberOf(h); ok && inGap(n, lowest) {
		return blockGap(n, lowest)
	}
	return ""
}

// logsRefusal refuses a filter whose block range reaches below lowest. An
// omitted fromBlock or toBlock is the head (go-ethereum's default).
func logsRefusal(src Source, raw json.RawMessage, lowest uint64) string {
	var f struct {
		From      json.RawMessage `json:"fromBlock"`
		To        json.RawMessage `json:"toBlock"`
		BlockHash *common.Hash    `json:"blockHash"`
	}
	if json.Unmarshal(raw, &f) != nil {
		return ""
	}
	if f.BlockHash != nil {
		return hashRefusal(src, mustJSON(*f.BlockHash), lowest)
	}
	from, fromOK := blockNumber(f.From)
	if f.From == nil || !fromOK || from >= lowest {
		return ""
	}
	to, toOK := blockNumber(f.To)
	if f.To != nil && toOK && to < 1 {
		return ""
	}
	if f.To == nil || !toOK {
		to = lowest // a tag at the head: the range runs up past the gap
	}
	return rangeGap(from, to, lowest)
}

func mustJSON(v any) json.RawMessage {
	b, _ := json.Marshal(v)
	return b
}

// encodeCalls is the body of calls, as a batch or a single request.
func encodeCalls(calls []call, batch bool) []byte {
	if batch {
		b, _ := json.Marshal(calls)
		return b
	}
	b, _ := json.Marshal(calls[0])
	return b
}

// decodeAnswers reads next's answer to encodeCalls' body.
func decodeAnswers(body []byte, batch bool) ([]json.RawMessage, bool) {
	if batch {
		var out []json.RawMessage
		return out, json.Unmarshal(body, &out) == nil
	}
	var one json.RawMessage
	if json.Unmarshal(body, &one) != nil || len(bytes.TrimSpace(one)) == 0 || bytes.TrimSpace(one)[0] != '{' {
		return nil, false
	}
	return []json.RawMessage{one}, true
}

// writeAnswers writes the answers as a batch or as the single answer.
func writeAnswers(w http.ResponseWriter, answers []json.RawMessage, batch bool) {
	w.Header().Set("Content-Type", "application/json")
	if batch {
		b, _ := json.Marshal(answers)
		_, _ = w.Write(b)
		return
	}
	_, _ = w.Write(answers[0])
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// recorder keeps next's answer.
type recorder struct {
	header http.Header
	body   bytes.Buffer
	status int
}

func (r *recorder) Header() http.Header         { return r.header }
func (r *recorder) Write(b []byte) (int, error) { return r.body.Write(b) }
func (r *recorder) WriteHeader(status int)      { r.status = status }
