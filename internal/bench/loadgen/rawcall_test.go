package loadgen

import (
	"bytes"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

func TestCallConn(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		switch {
		case bytes.Contains(body, []byte(`"data":"0x01"`)): // Content-Length framing
			io.WriteString(w, `{"jsonrpc":"2.0","id":1,"result":"0x2a"}`)
		case bytes.Contains(body, []byte(`"data":"0x02"`)): // chunked framing
			w.(http.Flusher).Flush()
			io.WriteString(w, `{"jsonrpc":"2.0","id":2,`)
			w.(http.Flusher).Flush()
			io.WriteString(w, `"result":"0x2b"}`)
		case bytes.Contains(body, []byte(`"data":"0x03"`)): // an error object
			io.WriteString(w, `{"jsonrpc":"2.0","id":3,"error":{"code":3,"message":"execution reverted"}}`)
		case bytes.Contains(body, []byte(`"data":"0x04"`)): // the server closes the connection
			w.Header().Set("Connection", "close")
			io.WriteString(w, `{"jsonrpc":"2.0","id":4,"result":"0x2c"}`)
		default:
			http.Error(w, "no such call", http.StatusTeapot)
		}
	}))
	defer srv.Close()

	reqs, err := encodeCallRequests(srv.URL, common.HexToAddress("0x01"), [][]byte{{1}, {2}, {3}, {4}, {5}})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := newCallConn(srv.URL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.close()
	// Twice over, on one connection where the server keeps it, on a new one where it closed it.
	for round := range 2 {
		for i, want := range []byte{0x2a, 0x2b, 0, 0x2c} {
			body, err := conn.do(reqs[i])
			if err != nil {
				t.Fatalf("round %d call %d: %v", round, i, err)
			}
			out, err := callResult(body, true)
			if i == 2 {
				var rpcErr *RPCError
				if !errors.As(err, &rpcErr) || rpcErr.Message != "execution reverted" {
					t.Fatalf("call %d: have %v, want the node's error", i, err)
				}
				if _, err := callResult(body, false); err == nil {
					t.Fatalf("call %d: an error answer passed the shape check", i)
				}
				continue
			}
			if err != nil || len(out) != 1 || out[0] != want {
				t.Fatalf("round %d call %d: have %x, %v, want %x", round, i, out, err, want)
			}
			if _, err := callResult(body, false); err != nil {
				t.Fatalf("round %d call %d: shape check: %v", round, i, err)
			}
		}
	}
	if _, err := conn.do(reqs[4]); !errors.Is(err, errHTTPStatus) || !strings.Contains(err.Error(), "418") {
		t.Errorf("status 418: have %v, want an HTTP status error", err)
	}
	if _, err := encodeCallRequests("https://127.0.0.1:1", common.Address{}, [][]byte{{1}}); err == nil {
		t.Error("https target: no error")
	}
}

// TestRawGets sends encoded GETs (path and query as given) on one kept
// connection: a 200 answer's body is returned, another status is an error.
func TestRawGets(t *testing.T) {
	var conns, gets atomic.Int32
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gets.Add(1)
		if r.Method != http.MethodGet || r.URL.Path != "/api/v1/documents/0x01" {
			http.Error(w, "want GET of document 0x01", http.StatusNotFound)
			return
		}
		io.WriteString(w, `{"status":"valid","at":"`+r.URL.Query().Get("at")+`"}`)
	}))
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) {
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	reqs, err := EncodeGets([]string{srv.URL + "/api/v1/documents/0x01", srv.URL + "/api/v1/documents/0x01?at=latest", srv.URL + "/nope"})
	if err != nil {
		t.Fatal(err)
	}
	conn, err := NewRawConn(srv.URL, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	for i, want := range []string{`{"status":"valid","at":""}`, `{"status":"valid","at":"latest"}`} {
		if body, err := conn.Do(reqs[i]); err != nil || string(body) != want {
			t.Errorf("GET %d: have %s, %v; want %s", i, body, err, want)
		}
	}
	if _, err := conn.Do(reqs[2]); !errors.Is(err, errHTTPStatus) || !strings.Contains(err.Error(), "404") {
		t.Errorf("GET of a missing path: have %v, want a 404 status error", err)
	}
	if body, err := conn.Do(reqs[0]); err != nil || string(body) != `{"status":"valid","at":""}` { // after an error status, on the same connection
		t.Errorf("GET after a 404: have %s, %v", body, err)
	}
	if conns.Load() != 1 || gets.Load() != 4 {
		t.Errorf("%d GETs on %d connections, want 4 on 1 (an error status does not drop the connection)", gets.Load(), conns.Load())
	}
	if _, err := EncodeGets([]string{"https://example.org/x"}); err == nil {
		t.Error("an https URL was encoded for the plain HTTP/1.1 client")
	}
}
