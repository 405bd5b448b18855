package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"sync/atomic"
	"time"
)

const maxResponseBytes = 256 << 20 // largest JSON-RPC response body read, bytes

var (
	// errRemoteTarget is returned if the RPC target is not a loopback address and remote
	// targets were not allowed.
	errRemoteTarget = errors.New("target is not a loopback address")
	// errBatchLength is returned if a batch response does not answer every request.
	errBatchLength = errors.New("batch response does not match request")
)

// CheckTarget returns an error unless rawURL is an http(s) URL on a loopback address
// (127.0.0.0/8, ::1 or "localhost"), or allowRemote is set. Host names other than
// localhost are not resolved: they count as remote.
func CheckTarget(rawURL string, allowRemote bool) error {
	u, err := url.Parse(rawURL)
	if err != nil {
		return fmt.Errorf("invalid RPC URL %q: %w", rawURL, err)
	}
	if u.Scheme != "http" && u.Scheme != "https" {
		return fmt.Errorf("invalid RPC URL scheme: have %q, want http or https", u.Scheme)
	}
	if allowRemote {
		return nil
	}
	host := u.Hostname()
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("%w: %q (pass --allow-remote to target it anyway)", errRemoteTarget, host)
}

// RPCError is an error object returned by the node for one request.
type RPCError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *RPCError) Error() string { return fmt.Sprintf("%s (code %d)", e.Message, e.Code) }

// response is one JSON-RPC response object.
type response struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *RPCError       `json:"error"`
}

// request is one JSON-RPC request object.
type request struct {
	Version string `json:"jsonrpc"`
	ID      int    `json:"id"`
	Method  string `json:"method"`
	Params  []any  `json:"params"`
}

// Client is a minimal JSON-RPC 2.0 client over HTTP with keep-alive connections. Batch
// bodies can be encoded ahead of time so that sending costs the generator almost no CPU.
type Client struct {
	url     string
	http    *http.Client
	timeout time.Duration // per request
	nextID  atomic.Int64
}

// NewClient returns a client for url allowing conns concurrent keep-alive connections,
// each request bounded by timeout.
func NewClient(url string, conns int, timeout time.Duration) *Client {
	tr := &http.Transport{
		Proxy:               nil, // never send load through a proxy
		MaxIdleConns:        conns + 4,
		MaxIdleConnsPerHost: conns + 4,
		IdleConnTimeout:     90 * time.Second,
		DisableCompression:  true,
		DialContext:         (&net.Dialer{Timeout: 5 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
	}
	return &Client{url: url, http: &http.Client{Transport: tr}, timeout: timeout}
}

// Close releases the client's idle connections.
func (c *Client) Close() { c.http.CloseIdleConnections() }

// Call performs one request and decodes its result into result (which may be nil).
func (c *Client) Call(ctx context.Context, result any, method string, params ...any) error {
	if params == nil {
		params = []any{}
	}
	body, err := json.Marshal(request{Version: "2.0", ID: int(c.nextID.Add(1)), Method: method, Params: params})
	if err != nil {
		return err
	}
	raw, err := c.post(ctx, body)
	if err != nil {
		return fmt.Errorf("%s: %w", method, err)
	}
	var resp response
	if err := json.Unmarshal(raw, &resp); err != nil {
		return fmt.Errorf("%s: decode response: %w", method, err)
	}
	if resp.Error != nil {
		return fmt.Errorf("%s: %w", method, resp.Error)
	}
	if result == nil || len(resp.Result) == 0 {
		return nil // an absent result reads as null
	}
	if err := json.Unmarshal(resp.Result, result); err != nil {
		return fmt.Errorf("%s: decode result: %w", method, err)
	}
	return nil
}

// BatchElem is one call of a batch built with Batch.
type BatchElem struct {
	Method string
	Params []any
	Result any   // decoded into when the call succeeds
	Err    error // set when the call fails
}

// Batch performs elems as one batch request. A transport failure is returned; the
// failure of a single call is stored in its element.
func (c *Client) Batch(ctx context.Context, elems []BatchElem) error {
	reqs := make([]request, len(elems))
	for i, e := range elems {
		params := e.Params
		if params == nil {
			params = []any{}
		}
		reqs[i] = request{Version: "2.0", ID: i, Method: e.Method, Params: params}
	}
	body, err := json.Marshal(reqs)
	if err != nil {
		return err
	}
	resps, err := c.BatchRaw(ctx, body, len(elems))
	if err != nil {
		return err
	}
	for i, r := range resps {
		switch {
		case r.Error != nil:
			elems[i].Err = r.Error
		case elems[i].Result != nil && len(r.Result) > 0:
			if err := json.Unmarshal(r.Result, elems[i].Result); err != nil {
				elems[i].Err = fmt.Errorf("decode result: %w", err)
			}
		}
	}
	return nil
}

// BatchRaw posts a pre-encoded batch whose request ids are 0..n-1 and returns the
// responses indexed by id.
func (c *Client) BatchRaw(ctx context.Context, body []byte, n int) ([]response, error) {
	raw, err := c.post(ctx, body)
	if err != nil {
		return nil, err
	}
	var resps []response
	if err := json.Unmarshal(raw, &resps); err != nil {
		// A node that refuses the whole batch answers with a single error object.
		var single response
		if json.Unmarshal(raw, &single) == nil && single.Error != nil {
			return nil, single.Error
		}
		return nil, fmt.Errorf("decode batch response: %w", err)
	}
	if len(resps) != n {
		return nil, fmt.Errorf("%w: have %d responses, want %d", errBatchLength, len(resps), n)
	}
	out := make([]response, n)
	seen := make([]bool, n)
	for _, r := range resps {
		id, err := strconv.Atoi(string(r.ID))
		if err != nil || id < 0 || id >= n || seen[id] {
			return nil, fmt.Errorf("%w: unexpected id %s", errBatchLength, r.ID)
		}
		seen[id] = true
		out[id] = r
	}
	return out, nil
}

func (c *Client) post(ctx context.Context, body []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/json")
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxResponseBytes))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("HTTP %s: %s", resp.Status, bytes.TrimSpace(truncate(raw, 200)))
	}
	return raw, nil
}

func truncate(b []byte, n int) []byte {
	if len(b) > n {
		return b[:n]
	}
	return b
}
