package front

import (
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/log"
)

// conn is one connection the front serves.
type conn struct {
	srv    *Server
	nc     net.Conn
	remote netip.AddrPort

	idle      atomic.Bool // waiting for a request with nothing read ahead
	buf       []byte      // the read buffer
	in        []byte      // read, not yet answered: a part of buf
	headStart time.Time   // when the first bytes of the pending head were read
	out       []byte      // answers not yet written
	deadline  time.Time   // the read deadline set on nc
	req       Request
	ans       Answer
}

func netipAddrPort(c *net.TCPConn) (netip.AddrPort, error) {
	return netip.ParseAddrPort(c.RemoteAddr().String())
}

// wake makes an idle connection's read return, so that it sees the server
// shutting down.
func (c *conn) wake() {
	if c.idle.Load() {
		c.nc.SetReadDeadline(time.Unix(1, 0))
	}
}

// serve answers the connection's requests until it closes, fails, times
// out, is handed to net/http for good, or the server shuts down.
func (c *conn) serve() {
	defer func() {
		// As net/http does: a panic answering a request closes its
		// connection and is logged; the gateway goes on.
		if p := recover(); p != nil {
			log.Error("Panic serving a request", "remote", c.remote, "panic", p, "stack", string(debug.Stack()))
			c.nc.Close()
		}
	}()
	c.buf = make([]byte, readSize)
	c.in = c.buf[:0]
	c.out = make([]byte, 0, writeSize)
	for {
		if !c.answerBuffered() {
			return
		}
		if !c.flush() || !c.read() {
			c.nc.Close()
			return
		}
	}
}

// answerBuffered answers every complete head read so far: hits into c.out,
// others handed to net/http. It reports whether the front keeps the
// connection.
func (c *conn) answerBuffered() bool {
	for {
		n := headEnd(c.in)
		if n < 0 {
			if len(c.in) >= len(c.buf) {
				return c.handOver(len(c.in), false) // a head longer than the buffer
			}
			return true
		}
		switch parse(c.in[:n], &c.req) {
		case parsed:
			if c.srv.Hits.Stream(c.req.Path) {
				return c.handOver(len(c.in), false)
			}
			c.req.Remote = c.remote
			c.ans.reset()
			if !c.srv.Hits.Hit(&c.req, &c.ans) {
				if !c.handOver(n, true) {
					return false
				}
				continue
			}
			c.out = c.ans.appendTo(c.out, c.req.Head, time.Now())
			c.in = c.in[n:]
			if len(c.out) >= writeSize && !c.flush() {
				c.nc.Close()
				return false
			}
		case oneShot:
			if !c.handOver(n, true) {
				return false
			}
		case forGood:
			return c.handOver(len(c.in), false)
		}
	}
}

// handOver gives net/http the first n bytes read (a request's head, once)
// or all of them and the connection (for good). Once, it waits for
// net/http to answer and reports whether the connection came back.
func (c *conn) handOver(n int, once bool) bool {
	if !c.flush() {
		c.nc.Close()
		return false
	}
	head := make([]byte, n)
	copy(head, c.in[:n])
	c.in = c.in[:copy(c.in, c.in[n:])]
	h := newHandoff(c.nc, head, once)
	if !c.srv.inner.hand(h) {
		c.nc.Close()
		return false
	}
	if !once {
		return false
	}
	if back := <-h.back; !back {
		return false
	}
	c.deadline = time.Time{} // net/http may have moved it
	return true
}

// flush writes the answers gathered.
func (c *conn) flush() bool {
	if len(c.out) == 0 {
		return true
	}
	_, err := c.nc.Write(c.out)
	c.out = c.out[:0]
	return err == nil
}

// read reads more of the connection, within the idle timeout if nothing
// is pending and the header timeout otherwise. It reports false when the
// connection is to be closed (end, error, timeout, shutdown).
func (c *conn) read() bool {
	c.in = c.buf[:copy(c.buf, c.in)]
	empty := len(c.in) == 0
	if empty {
		c.idle.Store(true)
		defer c.idle.Store(false)
	}
	// The deadline before the check: Server.Shutdown's wake comes after.
	if !c.setDeadline() || c.srv.shutting.Load() {
		return false
	}
	n, err := c.nc.Read(c.buf[len(c.in):])
	c.in = c.buf[:len(c.in)+n]
	if empty && n > 0 {
		c.headStart = time.Now()
	}
	return err == nil
}

// setDeadline sets the read deadline: IdleTimeout from now before a
// request (moved at most once a second), ReadHeaderTimeout while a head is
// being read.
func (c *conn) setDeadline() bool {
	now := time.Now()
	var want time.Time
	if len(c.in) > 0 {
		if d := c.srv.HTTP.ReadHeaderTimeout; d > 0 {
			want = c.headStart.Add(d)
		}
	} else if d := idleTimeout(c.srv.HTTP); d > 0 {
		want = now.Add(d)
		if !c.deadline.IsZero() && want.Sub(c.deadline) < deadlineSlack && c.deadline.After(now) {
			return true
		}
	}
	if want.Equal(c.deadline) {
		return true
	}
	c.deadline = want
	return c.nc.SetReadDeadline(want) == nil
}

// idleTimeout is net/http's: IdleTimeout, or ReadTimeout if that is 0.
func idleTimeout(s *http.Server) time.Duration {
	if s.IdleTimeout != 0 {
		return s.IdleTimeout
	}
	return s.ReadTimeout
}
