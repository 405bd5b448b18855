package relayer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/jsonscan"
)

// postReceipts asks url for the receipts of hashes in one JSON-RPC batch
// posted by itself, and reads the answer with the receipt scanner (nil
// where not mined). Through go-ethereum's client, encoding/json scanned
// each receipt's JSON three times before the scanner saw it (the batch,
// then the result's validity and extent): most of the relayer's CPU per
// ballot (docs/benchmarks.md, W6). Errors are those of the client: an
// rpc.HTTPError for a status other than 200, an rpc.Error for an answer's
// error.
func postReceipts(ctx context.Context, c *http.Client, url string, hashes []common.Hash) ([]*relayReceipt, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(receiptRequest(hashes)))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, rpc.HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Body: data}
	}
	if out, ok := scanReceiptBatch(data, len(hashes)); ok {
		return out, nil
	}
	return decodeReceiptBatch(data, len(hashes))
}

// receiptRequest is the JSON-RPC batch asking for the receipts of hashes,
// the i-th with id i.
func receiptRequest(hashes []common.Hash) []byte {
	var body bytes.Buffer
	body.WriteByte('[')
	for i, h := range hashes {
		if i > 0 {
			body.WriteByte(',')
		}
		fmt.Fprintf(&body, `{"jsonrpc":"2.0","id":%d,"method":"eth_getTransactionReceipt","params":["%s"]}`, i, h.Hex())
	}
	body.WriteByte(']')
	return body.Bytes()
}

// scanReceiptBatch reads a batch's answer of n receipts with the scanner:
// an array of answers, each with its id (0 to n-1, each once) and a result
// (a receipt or null). It reports false for anything else (an error, a
// receipt the scanner does not take): decodeReceiptBatch then reads it.
func scanReceiptBatch(data []byte, n int) ([]*relayReceipt, bool) {
	out := make([]*relayReceipt, n)
	got := make([]bool, n)
	p := scan{jsonscan.Scanner{In: data}}
	if !p.Byte('[') {
		return nil, false
	}
	for i := 0; i < n; i++ {
		if i > 0 && !p.Byte(',') {
			return nil, false
		}
		id, r := -1, (*relayReceipt)(nil)
		var seen [3]bool
		ok := p.object(func(name []byte) bool {
			switch string(name) {
			case "jsonrpc":
				return once(&seen[0]) && p.skipString()
			case "id":
				var v uint64
				if !once(&seen[1]) || !p.integer(&v) || v >= uint64(n) {
					return false
				}
				id = int(v)
				return true
			case "result":
				if !once(&seen[2]) {
					return false
				}
				if p.literal("null") {
					return true
				}
				r = new(relayReceipt)
				return p.receipt(r)
			}
			return false
		})
		if !ok || id < 0 || !seen[2] || got[id] {
			return nil, false
		}
		got[id], out[id] = true, r
	}
	return out, p.Byte(']') && p.End()
}

// integer reads a decimal integer without sign, fraction or exponent.
func (p *scan) integer(v *uint64) bool {
	p.Space()
	start := p.Pos
	if !p.skipNumber() || p.Pos-start > 18 {
		return false
	}
	n, err := strconv.ParseUint(string(p.In[start:p.Pos]), 10, 64)
	*v = n
	return err == nil
}

// rpcAnswer is one answer of a JSON-RPC batch.
type rpcAnswer struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *rpcError       `json:"error"`
}

// rpcError is a JSON-RPC error answer; it is an rpc.Error.
type rpcError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *rpcError) Error() string  { return e.Message }
func (e *rpcError) ErrorCode() int { return e.Code }

// decodeReceiptBatch reads a batch's answer of n receipts with
// encoding/json, the first error answered as the error.
func decodeReceiptBatch(data []byte, n int) ([]*relayReceipt, error) {
	var answers []rpcAnswer
	if err := json.Unmarshal(data, &answers); err != nil {
		return nil, fmt.Errorf("receipts: %w", err)
	}
	out := make([]*relayReceipt, n)
	got := make([]bool, n)
	for _, a := range answers {
		if a.Error != nil {
			return nil, a.Error
		}
		id, err := strconv.Atoi(string(a.ID))
		if err != nil || id < 0 || id >= n || got[id] {
			return nil, fmt.Errorf("receipts: answer with id %s to a batch of %d", a.ID, n)
		}
		got[id] = true
		if err := json.Unmarshal(a.Result, &out[id]); err != nil {
			return nil, fmt.Errorf("receipt %d: %w", id, err)
		}
	}
	for id, ok := range got {
		if !ok {
			return nil, fmt.Errorf("receipts: no answer for id %d of %d", id, n)
		}
	}
	return out, nil
}
