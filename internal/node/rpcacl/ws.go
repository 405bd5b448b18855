package rpcacl

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

// wsReadLimit is the largest message a client may send, as go-ethereum's own
// WebSocket server (32 MiB).
const wsReadLimit = 32 * 1024 * 1024

// WebSocket serves JSON-RPC over WebSocket from srv with every message
// rewritten (Rewrite) before srv reads it. origins are the allowed Origin
// headers (* for any; none: only clients that send no Origin, i.e. not browsers).
func (p *Policy) WebSocket(srv *rpc.Server, origins []string) http.Handler {
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
		conn.SetReadLimit(wsReadLimit)
		srv.ServeCodec(rpc.NewCodec(&wsConn{p: p, conn: conn}), 0)
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
// message rewritten, then a newline) and writes (one message per Write).
type wsConn struct {
	p    *Policy
	conn *websocket.Conn
	in   bytes.Buffer
	wmu  sync.Mutex
}

func (c *wsConn) Read(b []byte) (int, error) {
	for c.in.Len() == 0 {
		_, msg, err := c.conn.ReadMessage()
		if err != nil {
			return 0, err
		}
		out, _ := c.p.Rewrite(msg)
		c.in.Write(out)
		c.in.WriteByte('\n')
	}
	return c.in.Read(b)
}

func (c *wsConn) Write(b []byte) (int, error) {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.conn.WriteMessage(websocket.TextMessage, bytes.TrimSuffix(b, []byte("\n"))); err != nil {
		return 0, err
	}
	return len(b), nil
}

func (c *wsConn) Close() error                       { return c.conn.Close() }
func (c *wsConn) SetWriteDeadline(t time.Time) error { return c.conn.SetWriteDeadline(t) }
func (c *wsConn) RemoteAddr() string                 { return c.conn.RemoteAddr().String() }
