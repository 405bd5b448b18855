package netlab

import (
	"errors"
	"fmt"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"time"
)

// Relay delays the TCP connections other hosts open to one port of a host:
// a redirect in the host's namespace sends them to a relay of this process,
// which connects to the port itself and copies the bytes both ways, each
// chunk held for the delay set (0: passed at once). It models latency on
// the link as seen by the application: every byte arrives Delay later than
// it was sent, in each direction. It does not delay packets: the TCP
// handshake, acknowledgements and retransmissions between a peer and the
// relay are local and prompt, so TCP's own timers and windows see no
// latency, and the relay buffers without bound (no bandwidth limit). The
// kernel here has no sch_netem (docs/reliability.md).
type Relay struct {
	host  *Host
	port  int
	ln    net.Listener
	delay atomic.Int64 // nanoseconds
	count atomic.Int64 // connections relayed

	mu    sync.Mutex
	conns map[net.Conn]bool
	wg    sync.WaitGroup
}

// chunkSize is the most one read passes on at a time.
const chunkSize = 32 << 10

// Relay puts a relay in front of port on host (a process listening on the
// host's address): from now on, connections from other hosts to that port
// go through it. Existing connections are not redirected: call it before
// the process starts.
func (l *Lab) Relay(host string, port int) (*Relay, error) {
	h := l.Host(host)
	if h == nil {
		return nil, fmt.Errorf("no host %q in the lab", host)
	}
	ln, err := h.Listen()
	if err != nil {
		return nil, fmt.Errorf("relay listener on %s: %w", host, err)
	}
	r := &Relay{host: h, port: port, ln: ln, conns: map[net.Conn]bool{}}
	to := strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
	// Only what arrives on eth0 is redirected: the relay's own connection
	// to the port is local and reaches the process.
	if err := run([]string{"ip", "netns", "exec", h.Netns, "iptables", "-w", "-t", "nat", "-A", "PREROUTING", "-i", "eth0", "-p", "tcp", "--dport", strconv.Itoa(port), "-j", "REDIRECT", "--to-ports", to}); err != nil {
		ln.Close()
		return nil, err
	}
	l.mu.Lock()
	l.relays = append(l.relays, r)
	l.mu.Unlock()
	r.wg.Add(1)
	go r.accept()
	return r, nil
}

// SetDelay sets how long each chunk is held, from now on, both ways.
func (r *Relay) SetDelay(d time.Duration) { r.delay.Store(int64(d)) }

// Delay is the delay set.
func (r *Relay) Delay() time.Duration { return time.Duration(r.delay.Load()) }

// Conns is how many connections the relay has passed on so far.
func (r *Relay) Conns() int64 { return r.count.Load() }

// Close stops accepting and cuts every relayed connection.
func (r *Relay) Close() error {
	err := r.ln.Close()
	r.mu.Lock()
	for c := range r.conns {
		c.Close()
	}
	r.conns = nil // serve closes what it opens from now on
	r.mu.Unlock()
	r.wg.Wait()
	return err
}

func (r *Relay) accept() {
	defer r.wg.Done()
	for {
		in, err := r.ln.Accept()
		if err != nil {
			return
		}
		r.wg.Add(1)
		go r.serve(in)
	}
}

// serve connects to the port and copies both ways until either side ends.
func (r *Relay) serve(in net.Conn) {
	defer r.wg.Done()
	out, err := r.host.Dial(net.JoinHostPort(r.host.Addr, strconv.Itoa(r.port)))
	if err != nil {
		in.Close() // the process is down: the peer sees the connection end
		return
	}
	if !r.track(in, out) {
		return
	}
	r.count.Add(1)
	defer r.untrack(in, out)
	done := make(chan struct{}, 2)
	go func() { r.copy(out, in); done <- struct{}{} }()
	go func() { r.copy(in, out); done <- struct{}{} }()
	<-done
	in.Close()
	out.Close()
	<-done
}

func (r *Relay) track(cs ...net.Conn) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.conns == nil {
		for _, c := range cs {
			c.Close()
		}
		return false
	}
	for _, c := range cs {
		r.conns[c] = true
	}
	return true
}

func (r *Relay) untrack(cs ...net.Conn) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, c := range cs {
		delete(r.conns, c)
	}
}

type chunk struct {
	data []byte
	due  time.Time
}

// copy reads from src and writes each chunk to dst once its delay is over,
// in order; a change of the delay applies to chunks read after it.
func (r *Relay) copy(dst, src net.Conn) {
	queue := make(chan chunk, 4096)
	go func() {
		defer close(queue)
		for {
			buf := make([]byte, chunkSize)
			n, err := src.Read(buf)
			if n > 0 {
				queue <- chunk{data: buf[:n], due: time.Now().Add(r.Delay())}
			}
			if err != nil {
				return
			}
		}
	}()
	for c := range queue {
		if wait := time.Until(c.due); wait > 0 {
			time.Sleep(wait) // the chunk's delay: nothing to await
		}
		if _, err := dst.Write(c.data); err != nil {
			src.Close()
			for range queue { // let the reader end
			}
			return
		}
	}
	// src ended: pass the end on once the bytes before it are through.
	if cw, ok := dst.(interface{ CloseWrite() error }); ok {
		_ = cw.CloseWrite()
	}
}

// closeRelays stops every relay of the lab.
func (l *Lab) closeRelays() error {
	l.mu.Lock()
	rs := l.relays
	l.relays = nil
	l.mu.Unlock()
	var errs []error
	for _, r := range rs {
		if err := r.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
