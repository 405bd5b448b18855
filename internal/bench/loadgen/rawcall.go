package loadgen

import (
	"bufio"
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// The read load's client speaks HTTP/1.1 over one keep-alive connection per
// worker with every request encoded ahead of time, so that a call costs the
// generator a write and a read: net/http's client and encoding/json cost the
// generator about 100 us of CPU per call, as much as the node spends answering
// an eth_call, and on a shared 2-core machine that CPU is taken from the node
// under test (the same client serves every node alike).

var (
	// errHTTPStatus is returned for a response whose status is not 200.
	errHTTPStatus = errors.New("HTTP status")
	// errHTTPFraming is returned for a response that is not valid HTTP/1.1.
	errHTTPFraming = errors.New("malformed HTTP response")
)

// maxCallResponse bounds one eth_call response body, bytes.
const maxCallResponse = 4 << 20

// encodeCallRequests encodes one complete HTTP request per call: a single
// JSON-RPC eth_call of data to `to` on the latest block.
func encodeCallRequests(rawURL string, to common.Address, calls [][]byte) ([][]byte, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("invalid RPC URL %q: %w", rawURL, err)
	}
	if u.Scheme != "http" {
		return nil, fmt.Errorf("the read load speaks plain HTTP/1.1: have scheme %q, want http", u.Scheme)
	}
	path := u.RequestURI()
	reqs := make([][]byte, len(calls))
	for i, data := range calls {
		body, err := json.Marshal(request{Version: "2.0", ID: i + 1, Method: "eth_call", Params: []any{
			map[string]any{"to": to, "data": hexutil.Bytes(data)}, "latest",
		}})
		if err != nil {
			return nil, err
		}
		var b bytes.Buffer
		fmt.Fprintf(&b, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n", path, u.Host, len(body))
		b.Write(body)
		reqs[i] = b.Bytes()
	}
	return reqs, nil
}

// callConn is one worker's keep-alive connection.
type callConn struct {
	addr    string
	timeout time.Duration
	dial    time.Duration // bound of a dial; 0: 5 s
	conn    net.Conn
	br      *bufio.Reader
	body    []byte // reused response buffer
}

func newCallConn(rawURL string, timeout time.Duration) (*callConn, error) {
	u, err := url.Parse(rawURL)
	if err != nil {
		return nil, fmt.Errorf("invalid RPC URL %q: %w", rawURL, err)
	}
	addr := u.Host
	if u.Port() == "" {
		addr = net.JoinHostPort(u.Hostname(), "80")
	}
	return &callConn{addr: addr, timeout: timeout}, nil
}

// close drops the connection.
func (c *callConn) close() {
	if c.conn != nil {
		c.conn.Close()
		c.conn, c.br = nil, nil
	}
}

// do sends one encoded request and returns the response body, valid until
// the next call. A request on a reused connection that the server had
// closed is sent once more on a new one.
func (c *callConn) do(req []byte) ([]byte, error) {
	reused := c.conn != nil
	body, err := c.roundTrip(req)
	if err != nil && reused && !errors.Is(err, errHTTPStatus) && !errors.Is(err, errHTTPFraming) {
		c.close()
		body, err = c.roundTrip(req)
	}
	// An answer with an error status was read whole: the connection goes on
	// (closing it made an overloaded gateway's 503s thousands of new dials a
	// second, overflowing its listener's accept queue).
	if err != nil && !errors.Is(err, errHTTPStatus) {
		c.close()
	}
	return body, err
}

func (c *callConn) roundTrip(req []byte) ([]byte, error) {
	if c.conn == nil {
		conn, err := net.DialTimeout("tcp", c.addr, cmp.Or(c.dial, 5*time.Second))
		if err != nil {
			return nil, err
		}
		c.conn, c.br = conn, bufio.NewReaderSize(conn, 16<<10)
	}
	if err := c.conn.SetDeadline(time.Now().Add(c.timeout)); err != nil {
		return nil, err
	}
	if _, err := c.conn.Write(req); err != nil {
		return nil, err
	}
	return c.readResponse()
}

// readResponse reads one HTTP/1.1 response: status line, headers, and a body
// framed by Content-Length or chunked transfer encoding.
func (c *callConn) readResponse() ([]byte, error) {
	status, err := c.readStatus()
	if err != nil {
		return nil, err
	}
	fr, err := c.readHeaders()
	if err != nil {
		return nil, err
	}
	if err := c.readBody(fr); err != nil {
		return nil, err
	}
	if fr.closing {
		c.close()
	}
	if status != 200 {
		return nil, fmt.Errorf("%w %d: %s", errHTTPStatus, status, truncate(c.body, 200))
	}
	return c.body, nil
}

// framing is what a response's headers say of its body and connection.
type framing struct {
	length  int  // Content-Length; -1 if none
	chunked bool // Transfer-Encoding: chunked
	closing bool // Connection: close
}

// readStatus reads the status line ("HTTP/1.1 200 OK") and returns its
// status code.
func (c *callConn) readStatus() (int, error) {
	line, err := c.readLine()
	if err != nil {
		return 0, err
	}
	if len(line) < 12 || !bytes.HasPrefix(line, []byte("HTTP/1.")) || line[8] != ' ' {
		return 0, fmt.Errorf("%w: status line %q", errHTTPFraming, line)
	}
	status, err := strconv.Atoi(string(line[9:12]))
	if err != nil {
		return 0, fmt.Errorf("%w: status line %q", errHTTPFraming, line)
	}
	return status, nil
}

// readHeaders reads the header lines up to the blank line and returns the
// body's framing.
func (c *callConn) readHeaders() (framing, error) {
	fr := framing{length: -1}
	for {
		h, err := c.readLine()
		if err != nil {
			return fr, err
		}
		if len(h) == 0 {
			return fr, nil
		}
		name, value, ok := bytes.Cut(h, []byte(":"))
		if !ok {
			return fr, fmt.Errorf("%w: header line %q", errHTTPFraming, h)
		}
		value = bytes.TrimSpace(value)
		switch {
		case bytes.EqualFold(name, []byte("Content-Length")):
			if fr.length, err = strconv.Atoi(string(value)); err != nil || fr.length < 0 || fr.length > maxCallResponse {
				return fr, fmt.Errorf("%w: Content-Length %q (at most %d)", errHTTPFraming, value, maxCallResponse)
			}
		case bytes.EqualFold(name, []byte("Transfer-Encoding")):
			fr.chunked = bytes.EqualFold(value, []byte("chunked"))
		case bytes.EqualFold(name, []byte("Connection")):
			fr.closing = bytes.EqualFold(value, []byte("close"))
		}
	}
}

// readBody reads the body framed as fr into c.body.
func (c *callConn) readBody(fr framing) error {
	c.body = c.body[:0]
	switch {
	case fr.chunked:
		return c.readChunked()
	case fr.length >= 0:
		if cap(c.body) < fr.length {
			c.body = make([]byte, fr.length)
		}
		c.body = c.body[:fr.length]
		_, err := io.ReadFull(c.br, c.body)
		return err
	default:
		return fmt.Errorf("%w: neither Content-Length nor chunked encoding", errHTTPFraming)
	}
}

func (c *callConn) readChunked() error {
	for {
		line, err := c.readLine()
		if err != nil {
			return err
		}
		size, _, _ := bytes.Cut(line, []byte(";"))
		n, err := strconv.ParseUint(string(bytes.TrimSpace(size)), 16, 32)
		if err != nil || len(c.body)+int(n) > maxCallResponse {
			return fmt.Errorf("%w: chunk size %q", errHTTPFraming, line)
		}
		if n == 0 {
			for { // trailers up to the blank line
				if t, err := c.readLine(); err != nil || len(t) == 0 {
					return err
				}
			}
		}
		start := len(c.body)
		c.body = append(c.body, make([]byte, n)...)
		if _, err := io.ReadFull(c.br, c.body[start:]); err != nil {
			return err
		}
		if crlf, err := c.readLine(); err != nil || len(crlf) != 0 {
			return fmt.Errorf("%w: chunk not followed by CRLF", errHTTPFraming)
		}
	}
}

// readLine reads one CRLF-terminated line without its terminator.
func (c *callConn) readLine() ([]byte, error) {
	line, err := c.br.ReadSlice('\n')
	if err != nil {
		if errors.Is(err, bufio.ErrBufferFull) {
			return nil, fmt.Errorf("%w: header line longer than %d bytes", errHTTPFraming, c.br.Size())
		}
		return nil, err
	}
	return bytes.TrimRight(line, "\r\n"), nil
}

// callResult returns the result of a single JSON-RPC response. Most answers
// are checked only for their shape ({"...","result":"0x..."} with no error
// member); decode decodes the whole response and returns the result bytes.
func callResult(body []byte, decode bool) ([]byte, error) {
	if !decode && bytes.Contains(body, []byte(`"result":"0x`)) && !bytes.Contains(body, []byte(`"error"`)) {
		return nil, nil
	}
	var resp response
	if err := json.Unmarshal(body, &resp); err != nil {
		return nil, fmt.Errorf("decode response: %w (body %s)", err, truncate(body, 200))
	}
	if resp.Error != nil {
		return nil, resp.Error
	}
	var out hexutil.Bytes
	if err := json.Unmarshal(resp.Result, &out); err != nil {
		return nil, fmt.Errorf("decode result: %w (body %s)", err, truncate(body, 200))
	}
	return out, nil
}

// RawConn is the read load's keep-alive HTTP/1.1 connection (the one
// citybench verify sends its eth_calls on) for other workloads: citybench
// gateway-reads sends its GETs on it, so that both sides of W5 cost the
// generator the same per request.
type RawConn struct{ c *callConn }

// NewRawConn returns a connection to rawURL's host, dialled at the first
// request (within 30 s: 10,000 connections opened at once wait for the
// listener's backlog, as net/http's client did for gateway-reads before);
// each request is bounded by timeout.
func NewRawConn(rawURL string, timeout time.Duration) (*RawConn, error) {
	c, err := newCallConn(rawURL, timeout)
	if err != nil {
		return nil, err
	}
	c.dial = 30 * time.Second
	return &RawConn{c: c}, nil
}

// Do sends one request encoded by EncodeGets and returns the body of a 200
// answer (valid until the next call); another status is an error.
func (r *RawConn) Do(req []byte) ([]byte, error) { return r.c.do(req) }

// Close drops the connection.
func (r *RawConn) Close() { r.c.close() }

// EncodeGets encodes one complete HTTP/1.1 GET request per URL, each of the
// same http:// host.
func EncodeGets(urls []string) ([][]byte, error) {
	reqs := make([][]byte, len(urls))
	for i, raw := range urls {
		u, err := url.Parse(raw)
		if err != nil {
			return nil, fmt.Errorf("invalid URL %q: %w", raw, err)
		}
		if u.Scheme != "http" {
			return nil, fmt.Errorf("the read load speaks plain HTTP/1.1: have scheme %q in %s, want http", u.Scheme, raw)
		}
		reqs[i] = fmt.Appendf(nil, "GET %s HTTP/1.1\r\nHost: %s\r\n\r\n", u.RequestURI(), u.Host)
	}
	return reqs, nil
}
