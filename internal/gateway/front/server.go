package front

import (
	"context"
	"errors"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/log"
)

// Buffer sizes of a connection.
const (
	readSize  = 4 << 10 // a head longer than this goes to net/http (its MaxHeaderBytes applies)
	writeSize = 4 << 10 // answers gathered for one write (more are written as they come)
)

// deadlineSlack is how far ahead of need a connection's idle deadline may
// have been set: the deadline is moved at most once a second.
const deadlineSlack = time.Second

// Server is the front: it serves a listener, answering hits itself and
// handing every other request to HTTP, whose timeouts it applies to the
// requests it reads (ReadHeaderTimeout for a head, IdleTimeout between
// requests).
type Server struct {
	Hits Hits
	HTTP *http.Server

	mu       sync.Mutex
	l        net.Listener
	inner    *listener
	conns    map[*conn]struct{}
	wg       sync.WaitGroup
	shutting atomic.Bool
	served   chan error
}

// Serve accepts connections on l until Shutdown or Close; it returns nil
// then (http.ErrServerClosed is net/http's way, not needed here).
func (s *Server) Serve(l net.Listener) error {
	s.mu.Lock()
	s.l, s.inner, s.conns, s.served = l, newListener(l.Addr()), map[*conn]struct{}{}, make(chan error, 1)
	s.mu.Unlock()
	go func() { s.served <- s.HTTP.Serve(s.inner) }()
	var backoff time.Duration
	for {
		c, err := l.Accept()
		if err != nil {
			if s.shutting.Load() || errors.Is(err, net.ErrClosed) {
				return nil
			}
			// As net/http does for a full file table: wait and try again.
			backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
			log.Warn("Failed to accept a connection", "err", err, "retry", backoff)
			time.Sleep(backoff)
			continue
		}
		backoff = 0
		s.track(c)
	}
}

// track starts serving c, unless the server is shutting down.
func (s *Server) track(nc net.Conn) {
	c := &conn{srv: s, nc: nc}
	if tc, ok := nc.(*net.TCPConn); ok {
		if ap, err := netipAddrPort(tc); err == nil {
			c.remote = ap
		}
	}
	s.mu.Lock()
	if s.shutting.Load() {
		s.mu.Unlock()
		nc.Close()
		return
	}
	s.conns[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		c.serve()
		s.mu.Lock()
		delete(s.conns, c)
		s.mu.Unlock()
	}()
}

// Shutdown stops accepting, lets each connection finish the request it is
// answering and closes it, then shuts net/http's server down (its requests
// in flight finish), all within ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	s.mu.Lock()
	s.shutting.Store(true)
	l, conns := s.l, make([]*conn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	if l == nil {
		return s.HTTP.Shutdown(ctx)
	}
	l.Close()
	for _, c := range conns {
		c.wake()
	}
	err := s.HTTP.Shutdown(ctx)
	done := make(chan struct{})
	go func() { s.wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-ctx.Done():
		s.closeAll()
		err = errors.Join(err, ctx.Err())
	}
	return err
}

// Close closes the listener and every connection at once.
func (s *Server) Close() error {
	s.shutting.Store(true)
	s.mu.Lock()
	l := s.l
	s.mu.Unlock()
	if l != nil {
		l.Close()
	}
	s.closeAll()
	return s.HTTP.Close()
}

func (s *Server) closeAll() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for c := range s.conns {
		c.nc.Close()
	}
}

// Addr returns the listener's address, nil before Serve.
func (s *Server) Addr() net.Addr {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.l == nil {
		return nil
	}
	return s.l.Addr()
}
