package front

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

// fakeHits answers GET /hit with a fixed body, as the API's cache would.
type fakeHits struct{ n atomic.Int64 }

var hitBody = []byte(`{"status":"valid"}`)

func (f *fakeHits) Hit(q *Request, a *Answer) bool {
	if string(q.Path) == "/panic" {
		panic("a broken hit")
	}
	if string(q.Path) != "/hit" {
		return false
	}
	f.n.Add(1)
	a.Status, a.Body = 200, hitBody
	a.Header = append(a.Header, Field{"Cache-Control", "public, max-age=1"}, Field{"Content-Length", strconv.Itoa(len(hitBody))},
		Field{"Content-Type", "application/json"}, Field{"Etag", `"e"`}, Field{"Vary", "Origin"})
	return true
}

func (f *fakeHits) Stream(path []byte) bool { return string(path) == "/events" }

// hitHandler writes what fakeHits does, through net/http.
func hitHandler(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "public, max-age=1")
	h.Set("Content-Length", strconv.Itoa(len(hitBody)))
	h.Set("Content-Type", "application/json")
	h.Set("Etag", `"e"`)
	h.Set("Vary", "Origin")
	w.WriteHeader(200)
	w.Write(hitBody)
}

// frontOn serves handler behind a front with fakeHits on 127.0.0.1; the
// server shuts down at the test's end.
func frontOn(t *testing.T, handler http.HandlerFunc, tune func(*http.Server)) (*Server, *fakeHits, string) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: time.Minute, MaxHeaderBytes: 16 << 10}
	if tune != nil {
		tune(hs)
	}
	hits := &fakeHits{}
	s := &Server{Hits: hits, HTTP: hs}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := s.Shutdown(ctx); err != nil {
			t.Errorf("shutdown: %v", err)
		}
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return s, hits, l.Addr().String()
}

// client is a raw HTTP/1.1 connection.
type client struct {
	t  *testing.T
	c  net.Conn
	br *bufio.Reader
}

func dial(t *testing.T, addr string) *client {
	t.Helper()
	c, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(20 * time.Second))
	t.Cleanup(func() { c.Close() })
	return &client{t: t, c: c, br: bufio.NewReader(c)}
}

func (c *client) send(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.c, s); err != nil {
		c.t.Fatal(err)
	}
}

// answer reads one response whole, as bytes (noBody: a HEAD's).
func (c *client) answer(noBody bool) string {
	c.t.Helper()
	var b strings.Builder
	length := 0
	for {
		line, err := c.br.ReadString('\n')
		if err != nil {
			c.t.Fatalf("reading an answer: %v (so far %q)", err, b.String())
		}
		b.WriteString(line)
		if line == "\r\n" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if !noBody && !strings.HasPrefix(b.String(), "HTTP/1.1 304") {
		body := make([]byte, length)
		if _, err := io.ReadFull(c.br, body); err != nil {
			c.t.Fatal(err)
		}
		b.Write(body)
	}
	return b.String()
}

// closed reports whether the server closed the connection (EOF) within 10 s.
func (c *client) closed() bool {
	c.c.SetReadDeadline(time.Now().Add(10 * time.Second))
	_, err := c.br.ReadByte()
	return errors.Is(err, io.EOF)
}

var dateLine = regexp.MustCompile(`Date: [^\r]+\r\n`)

func get(path string, extra ...string) string {
	return "GET " + path + " HTTP/1.1\r\nHost: example.org\r\n" + strings.Join(extra, "") + "\r\n"
}

// TestFrontAnswersLikeNetHTTP: a hit is answered by the front with the bytes
// net/http writes for the same handler (Date apart, same second); a GET
// that is not a hit is served by net/http and the connection comes back to
// the front (the next hit on it is the front's); pipelined requests are
// answered in order.
func TestFrontAnswersLikeNetHTTP(t *testing.T) {
	var served atomic.Int64
	handler := func(w http.ResponseWriter, r *http.Request) {
		served.Add(1)
		if r.URL.Path == "/hit" {
			hitHandler(w)
			return
		}
		fmt.Fprintf(w, "net/http: %s %s", r.Method, r.URL.Path)
	}
	_, hits, addr := frontOn(t, handler, nil)
	plain := httpServer(t, handler)

	c, p := dial(t, addr), dial(t, plain)
	for _, tc := range []struct {
		req    string
		noBody bool
	}{
		{get("/hit"), false},
		{strings.Replace(get("/hit"), "GET", "HEAD", 1), true},
		{get("/other"), false},
		{get("/hit"), false},
		{get("/a%2Fb"), false},
		{get("/hit", "Connection: keep-alive\r\n", "X-Forwarded-For: 10.0.0.1\r\n"), false},
	} {
		c.send(tc.req)
		p.send(tc.req)
		have, want := dateLine.ReplaceAllString(c.answer(tc.noBody), ""), dateLine.ReplaceAllString(p.answer(tc.noBody), "")
		if have != want {
			t.Errorf("%q:\nfront    %q\nnet/http %q", tc.req, have, want)
		}
	}
	if h, s := hits.n.Load(), served.Load(); h != 4 || s != 8 {
		t.Errorf("answered by the front %d, by net/http %d; want 4 and 8 (net/http: the 6 plain requests and the 2 not hits)", h, s)
	}

	// Pipelined: a hit, a request for net/http, a hit, in one write.
	c.send(get("/hit") + get("/other") + get("/hit"))
	for i, want := range []string{string(hitBody), "net/http: GET /other", string(hitBody)} {
		if a := c.answer(false); !strings.HasSuffix(a, want) {
			t.Errorf("pipelined answer %d: have %q, want ... %q", i, a, want)
		}
	}
	if h := hits.n.Load(); h != 6 {
		t.Errorf("pipelined hits answered by the front: have %d, want 6 in all", h)
	}
}

// httpServer serves handler with net/http alone, for comparison.
func httpServer(t *testing.T, handler http.HandlerFunc) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: handler}
	go hs.Serve(l)
	t.Cleanup(func() { hs.Close() })
	return l.Addr().String()
}

// TestFrontHandsOverForGood: a request with a body or a stream's GET (and
// anything after it on its connection) is net/http's, so is one asking to close the
// connection (closed after its answer), and a head larger than the front's
// buffer (net/http's MaxHeaderBytes applies).
func TestFrontHandsOverForGood(t *testing.T) {
	handler := func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "net/http: %s %s %s", r.Method, r.URL.Path, b)
	}
	_, hits, addr := frontOn(t, handler, func(hs *http.Server) { hs.MaxHeaderBytes = 6 << 10 })

	c := dial(t, addr)
	c.send("POST /ballots HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello" + get("/hit"))
	if a := c.answer(false); !strings.HasSuffix(a, "net/http: POST /ballots hello") {
		t.Errorf("POST: have %q", a)
	}
	if a := c.answer(false); !strings.HasSuffix(a, "net/http: GET /hit ") {
		t.Errorf("a hit after a POST on its connection: have %q, want net/http's answer", a)
	}

	c = dial(t, addr)
	c.send(get("/events") + get("/hit"))
	for _, want := range []string{"net/http: GET /events ", "net/http: GET /hit "} {
		if a := c.answer(false); !strings.HasSuffix(a, want) {
			t.Errorf("after a stream's GET on its connection: have %q, want net/http's %q", a, want)
		}
	}

	c = dial(t, addr)
	c.send(get("/hit", "Connection: close\r\n"))
	if a := c.answer(false); !strings.Contains(a, "Connection: close\r\n") || !strings.HasSuffix(a, "net/http: GET /hit ") {
		t.Errorf("Connection: close: have %q, want net/http's answer saying close", a)
	}
	if !c.closed() {
		t.Errorf("the connection was not closed after Connection: close")
	}

	c = dial(t, addr)
	c.send(get("/hit", "X-Big: "+strings.Repeat("a", 5000)+"\r\n"))
	if a := c.answer(false); !strings.HasSuffix(a, "net/http: GET /hit ") {
		t.Errorf("a 5 KB head: have %q, want net/http's answer", a)
	}
	c = dial(t, addr)
	c.send(get("/hit", "X-Big: "+strings.Repeat("a", 12000)+"\r\n"))
	if a := c.answer(false); !strings.HasPrefix(a, "HTTP/1.1 431") {
		t.Errorf("a 12 KB head over MaxHeaderBytes (and its 4 KB of slack): have %q, want net/http's 431", a)
	}
	c = dial(t, addr)
	c.send("GET /hit HTTP/1.1\r\n\r\n")
	if a := c.answer(false); !strings.HasPrefix(a, "HTTP/1.1 400") {
		t.Errorf("no Host: have %q, want net/http's 400", a)
	}
	if n := hits.n.Load(); n != 0 {
		t.Errorf("the front answered %d of these, want none", n)
	}
}

// TestFrontPanic: a panic answering a hit closes its connection only; the
// server goes on.
func TestFrontPanic(t *testing.T) {
	_, hits, addr := frontOn(t, func(w http.ResponseWriter, r *http.Request) {}, nil)
	c := dial(t, addr)
	c.send(get("/panic"))
	if !c.closed() {
		t.Errorf("the connection of a request whose answer panicked was not closed")
	}
	c = dial(t, addr)
	c.send(get("/hit"))
	if a := c.answer(false); !strings.HasSuffix(a, string(hitBody)) || hits.n.Load() != 1 {
		t.Errorf("after a panic: have %q (%d hits), want the hit", a, hits.n.Load())
	}
}

// TestFrontTimeouts: an idle connection is closed after IdleTimeout, an
// unfinished head after ReadHeaderTimeout.
func TestFrontTimeouts(t *testing.T) {
	_, _, addr := frontOn(t, func(w http.ResponseWriter, r *http.Request) {}, func(hs *http.Server) {
		hs.IdleTimeout, hs.ReadHeaderTimeout = 300*time.Millisecond, 300*time.Millisecond
	})
	c := dial(t, addr)
	c.send(get("/hit"))
	c.answer(false)
	start := time.Now()
	if !c.closed() || time.Since(start) > 5*time.Second {
		t.Errorf("idle connection not closed by the idle timeout")
	}
	c = dial(t, addr)
	c.send("GET /hit HTTP/1.1\r\nHost: h\r\n")
	start = time.Now()
	if !c.closed() || time.Since(start) > 5*time.Second {
		t.Errorf("unfinished head not closed by the header timeout")
	}
}

// TestFrontShutdown: Shutdown closes idle connections, lets a request
// that net/http is serving finish and answer, and refuses new
// connections.
func TestFrontShutdown(t *testing.T) {
	release, entered := make(chan struct{}), make(chan struct{})
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &Server{Hits: &fakeHits{}, HTTP: &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		close(entered)
		<-release
		io.WriteString(w, "finished")
	})}}
	served := make(chan error, 1)
	go func() { served <- s.Serve(l) }()
	idle, busy := dial(t, l.Addr().String()), dial(t, l.Addr().String())
	idle.send(get("/hit"))
	idle.answer(false)
	busy.send(get("/slow"))
	<-entered

	done := make(chan error, 1)
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		done <- s.Shutdown(ctx)
	}()
	if !idle.closed() {
		t.Errorf("idle connection not closed by Shutdown")
	}
	select {
	case err := <-done:
		t.Fatalf("Shutdown returned (%v) while a request was being served", err)
	case <-time.After(100 * time.Millisecond):
	}
	close(release)
	if a := busy.answer(false); !strings.HasSuffix(a, "finished") {
		t.Errorf("request in flight: have %q, want its answer", a)
	}
	if err := <-done; err != nil {
		t.Errorf("Shutdown: %v", err)
	}
	if err := <-served; err != nil {
		t.Errorf("Serve: %v", err)
	}
	if c, err := net.DialTimeout("tcp", l.Addr().String(), time.Second); err == nil {
		c.Close()
		t.Errorf("a connection was accepted after Shutdown")
	}
}

// BenchmarkFrontHit is a hit on one keep-alive connection through the
// front, the client's round trip included.
func BenchmarkFrontHit(b *testing.B) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	s := &Server{Hits: &fakeHits{}, HTTP: &http.Server{Handler: http.NotFoundHandler()}}
	go s.Serve(l)
	defer s.Close()
	c, err := net.Dial("tcp", l.Addr().String())
	if err != nil {
		b.Fatal(err)
	}
	defer c.Close()
	req, buf := []byte(get("/hit")), make([]byte, 4096)
	b.ReportAllocs()
	for b.Loop() {
		c.Write(req)
		if _, err := c.Read(buf); err != nil {
			b.Fatal(err)
		}
	}
}
