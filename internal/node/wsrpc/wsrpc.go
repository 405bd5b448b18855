// Package wsrpc serves JSON-RPC over WebSocket from a go-ethereum rpc.Server
// with every request message and every answer passed through the filters of
// its connection: the per-method lists (ADR 067) rewrite refused calls, the
// history guard (ADR 084) the calls below a join's backfilled history.
// go-ethereum's own WebSocket server takes no such filter.
package wsrpc

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"
)

// readLimit is the largest message a client may send, as go-ethereum's own
// WebSocket server (32 MiB).
const readLimit = 32 * 1024 * 1024

// Filter sees one connection's messages.
type Filter interface {
	// Request returns a request message (a call or a batch) as the server
	// is to read it.
	Request(msg []byte) []byte
	// Answer returns an answer message (or a subscription's notification)
	// as the client is to receive it.
	Answer(msg []byte) []byte
}

// Handler serves JSON-RPC over WebSocket from srv; filters gives each new
// connection its filters, applied to requests in order and to answers in
// reverse order. origins are the allowed Origin headers (* for any; none:
// only clients that send no Origin, i.e. not browsers).
func Handler(srv *rpc.Server, origins []string, filters func() []Filter) http.Handler {
	up := websocket.Upgrader{
		ReadBufferSize:  1024,
		WriteBufferSize: 1024,
		CheckOrigin:     originCheck(origins),
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		conn, err := up.Upgrade(w, r, nil)
		if err != nil {
			log.Debug("WebSocket upgrade failed", "err", err)
			return
		}
		conn.SetReadLimit(readLimit)
		srv.ServeCodec(rpc.NewCodec(&wsConn{filters: filters(), conn: conn}), 0)
	})
}

// IsWebSocket reports whether r asks for a WebSocket upgrade.
func IsWebSocket(r *http.Request) bool {
	return strings.EqualFold(r.Header.Get("Upgrade"), "websocket") &&
		strings.Contains(strings.ToLower(r.Header.Get("Connection")), "upgrade")
}

func originCheck(origins []string) func(*http.Request) bool {
	if len(origins) == 0 {
		origins = []string{"http://localhost"}
	}
	return func(r *http.Request) bool {
		origin := r.Header.Get("Origin")
		if origin == "" {
			return true
		}
		for _, o := range origins {
			if o == "*" || strings.EqualFold(o, origin) {
				return true
			}
		}
		log.Warn("Rejected WebSocket connection", "origin", origin)
		return false
	}
}

// wsConn is a WebSocket as the byte stream go-ethereum's codec reads (every
// message filtered, then a newline) and writes (one message per Write,
// filtered).
type wsConn struct {
	filters []Filter
	conn    *websocket.Conn
	in      bytes.Buffer
	wmu     sync.Mutex
}

func (c *wsConn) Read(b []byte) (int, error) {
	for c.in.Len() == 0 {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			return 0, err
		}
		for _, f := range c.filters {
			msg = f.Request(msg)
		}
		c.in.Write(msg)
		c.in.WriteByte('\n')
	}
	return c.in.Read(b)
}

func (c *wsConn) Write(b []byte) (int, error) {
	msg := bytes.TrimSuffix(b, []byte("\n"))
	for i := len(c.filters) - 1; i >= 0; i-- {
		msg = c.filters[i].Answer(msg)
	}
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.conn.WriteMessage(websocket.TextMessage, msg); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c *wsConn) Close() error                       { return c.conn.Close() }
func (c *wsConn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }
func (c *wsConn) RemoteAddr() string                 { return c.conn.RemoteAddr().String() }
