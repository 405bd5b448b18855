package front

import (
	"io"
	"net"
	"os"
	"sync"
	"time"
)

// handoff is a connection as net/http's server sees it when the front hands
// it a request: the bytes the front read ahead first, then the connection.
//
// Handed for good, it is the connection. Handed for one request (a GET or
// HEAD without a body, whose head is all that is read ahead), net/http reads
// the head, serves the request and then waits for the next one; the
// connection is not read meanwhile, so net/http's background read (which
// watches for the client going away while the handler runs) waits until
// net/http aborts it by a read deadline in the past (a read while the
// deadline is past fails as on a connection), and the read for the next
// request, after the deadline was moved on, gets io.EOF. net/http then
// closes the handoff, and the front takes the connection back. If net/http closes it otherwise (the answer said
// Connection: close, or the request was refused), the connection is closed.
type handoff struct {
	net.Conn
	head []byte // read ahead, served first
	once bool   // one request, then back to the front

	mu      sync.Mutex
	aborted chan struct{} // closed by a read deadline in the past (once)
	past    bool          // the read deadline is in the past (once)
	done    bool          // io.EOF given for the next request (once)
	closed  bool
	back    chan bool // gets true when the front may go on with the connection, false when it was closed
}

func newHandoff(c net.Conn, head []byte, once bool) *handoff {
	return &handoff{Conn: c, head: head, once: once, aborted: make(chan struct{}), back: make(chan bool, 1)}
}

// Read implements net.Conn.
func (h *handoff) Read(p []byte) (int, error) {
	h.mu.Lock()
	if len(h.head) > 0 {
		n := copy(p, h.head)
		h.head = h.head[n:]
		h.mu.Unlock()
		return n, nil
	}
	if !h.once {
		h.mu.Unlock()
		return h.Conn.Read(p)
	}
	if h.past {
		h.mu.Unlock()
		return 0, os.ErrDeadlineExceeded // as a connection does
	}
	select {
	case <-h.aborted:
		// The background read was aborted and the deadline moved on:
		// net/http reads the next request, this one is answered.
		h.done = true
		h.mu.Unlock()
		return 0, io.EOF
	default:
	}
	h.mu.Unlock()
	<-h.aborted // the background read, until the answer is written
	return 0, os.ErrDeadlineExceeded
}

// SetReadDeadline implements net.Conn: once, a deadline in the past aborts
// the background read (and fails reads until the deadline is moved);
// others do not matter (nothing is read).
func (h *handoff) SetReadDeadline(t time.Time) error {
	if !h.once {
		return h.Conn.SetReadDeadline(t)
	}
	past := !t.IsZero() && !t.After(time.Now())
	h.mu.Lock()
	h.past = past
	h.mu.Unlock()
	if past {
		h.abort()
	}
	return nil
}

// SetDeadline implements net.Conn.
func (h *handoff) SetDeadline(t time.Time) error {
	if !h.once {
		return h.Conn.SetDeadline(t)
	}
	h.SetReadDeadline(t)
	return h.Conn.SetWriteDeadline(t)
}

func (h *handoff) abort() {
	h.mu.Lock()
	defer h.mu.Unlock()
	select {
	case <-h.aborted:
	default:
		close(h.aborted)
	}
}

// CloseWrite lets net/http half-close the connection as it does a TCP one
// before closing after an error answer.
func (h *handoff) CloseWrite() error {
	if cw, ok := h.Conn.(interface{ CloseWrite() error }); ok {
		return cw.CloseWrite()
	}
	return nil
}

// Close implements net.Conn: the connection goes back to the front if
// net/http served the one request it was handed and wanted the next,
// otherwise it is closed.
func (h *handoff) Close() error {
	h.abort()
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	if h.once && h.done {
		h.back <- true
		return nil
	}
	err := h.Conn.Close()
	h.back <- false
	return err
}

// listener is the listener net/http's server accepts handed connections
// from.
type listener struct {
	addr   net.Addr
	conns  chan net.Conn
	closed chan struct{}
	once   sync.Once
}

func newListener(addr net.Addr) *listener {
	return &listener{addr: addr, conns: make(chan net.Conn), closed: make(chan struct{})}
}

// Accept implements net.Listener.
func (l *listener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.closed:
		return nil, net.ErrClosed
	}
}

// hand gives c to net/http; false if the server is closed.
func (l *listener) hand(c net.Conn) bool {
	select {
	case l.conns <- c:
		return true
	case <-l.closed:
		return false
	}
}

// Close implements net.Listener.
func (l *listener) Close() error {
	l.once.Do(func() { close(l.closed) })
	return nil
}

// Addr implements net.Listener.
func (l *listener) Addr() net.Addr { return l.addr }
