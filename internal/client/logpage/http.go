package logpage

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/jsonscan"
)

// HTTP is a Filterer that posts eth_getLogs to a JSON-RPC endpoint over
// HTTP itself and scans the answer once: geth's rpc client scans and copies
// a 15 MB answer four times before a Filterer sees it (its envelope, then
// the result), more CPU than decoding the logs. For endpoints without
// authentication; others go through RPC.
type HTTP struct {
	URL    string
	Client *http.Client // nil: http.DefaultClient
}

// FilterLogs implements Filterer.
func (h HTTP) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	body, err := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": 1, "method": "eth_getLogs", "params": []any{filterArg(q)}})
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	client := h.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var buf bytes.Buffer
	if resp.ContentLength > 0 {
		buf.Grow(int(resp.ContentLength))
	}
	if _, err := io.Copy(&buf, resp.Body); err != nil {
		return nil, err
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, rpc.HTTPError{StatusCode: resp.StatusCode, Status: resp.Status, Body: buf.Bytes()}
	}
	return decodeAnswer(buf.Bytes())
}

// decodeAnswer reads a JSON-RPC answer holding logs or an error, as geth's
// rpc client would report it.
func decodeAnswer(raw []byte) ([]types.Log, error) {
	s := scanner{jsonscan.Scanner{In: raw}}
	if logs, ok := s.envelope(); ok {
		return logs, nil
	}
	var m struct {
		Result json.RawMessage
		Error  *jsonError
	}
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("eth_getLogs answer: %w", err)
	}
	if m.Error != nil {
		return nil, m.Error
	}
	return DecodeLogs(m.Result)
}

// envelope reads {"jsonrpc":"2.0","id":N,"result":[...]} in any member
// order; ok false for anything else (an error answer among them).
func (s *scanner) envelope() ([]types.Log, bool) {
	if !s.Byte('{') {
		return nil, false
	}
	var logs []types.Log
	result := false
	for {
		key, ok := s.Plain()
		if !ok || !s.Byte(':') {
			return nil, false
		}
		switch string(key) {
		case "jsonrpc":
			_, ok = s.Plain()
		case "id":
			ok = s.integer()
		case "result":
			logs, ok = s.logArray()
			ok = ok && !result
			result = true
		default:
			ok = false
		}
		if !ok {
			return nil, false
		}
		if s.Byte('}') {
			return logs, result && s.End()
		}
		if !s.Byte(',') {
			return nil, false
		}
	}
}

// integer reads a non-negative integer.
func (s *scanner) integer() bool {
	s.Space()
	start := s.Pos
	for s.Pos < len(s.In) && '0' <= s.In[s.Pos] && s.In[s.Pos] <= '9' {
		s.Pos++
	}
	return s.Pos > start
}

// jsonError is a JSON-RPC error answer, as geth's rpc client reports it.
type jsonError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	Data    any    `json:"data,omitempty"`
}

func (e *jsonError) Error() string {
	if e.Message == "" {
		return fmt.Sprintf("json-rpc error %d", e.Code)
	}
	return e.Message
}

// ErrorCode implements rpc.Error.
func (e *jsonError) ErrorCode() int { return e.Code }

// ErrorData implements rpc.DataError.
func (e *jsonError) ErrorData() any { return e.Data }
