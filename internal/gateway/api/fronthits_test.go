package api

import (
	"bufio"
	"context"
	"io"
	"net"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"

	"github.com/citychain/citychain/internal/gateway/front"
)

// serveRaw serves s on 127.0.0.1 by net/http alone (hits nil), or behind
// the HTTP/1.1 front with hits, and returns a raw connection to it.
func serveRaw(t *testing.T, s *Server, hits front.Hits) (net.Conn, *bufio.Reader) {
	t.Helper()
	withFront := hits != nil
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	hs := &http.Server{Handler: s.Handler(), ReadHeaderTimeout: 10 * time.Second}
	if withFront {
		fs := &front.Server{Hits: hits, HTTP: hs}
		go fs.Serve(l)
		t.Cleanup(func() {
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			fs.Shutdown(ctx)
		})
	} else {
		go hs.Serve(l)
		t.Cleanup(func() { hs.Close() })
	}
	c, err := net.DialTimeout("tcp", l.Addr().String(), 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	c.SetDeadline(time.Now().Add(30 * time.Second))
	t.Cleanup(func() { c.Close() })
	return c, bufio.NewReader(c)
}

// exchange sends req and reads its answer whole, Date left out.
func exchange(t *testing.T, c net.Conn, br *bufio.Reader, req string) string {
	t.Helper()
	if _, err := io.WriteString(c, req); err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	length, status := 0, ""
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			t.Fatalf("%q: %v (so far %q)", req, err, b.String())
		}
		if status == "" {
			status = line
		}
		if !strings.HasPrefix(line, "Date: ") {
			b.WriteString(line)
		}
		if line == "\r\n" {
			break
		}
		if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
			length, _ = strconv.Atoi(strings.TrimSpace(v))
		}
	}
	if !strings.HasPrefix(req, "HEAD") && !strings.Contains(status, " 304 ") {
		body := make([]byte, length)
		if _, err := io.ReadFull(br, body); err != nil {
			t.Fatal(err)
		}
		b.Write(body)
	}
	return b.String()
}

var etagHeader = regexp.MustCompile(`Etag: ("[0-9a-f]+")`)

// TestHitLikeHandler: the front's answers to cached reads are, byte for
// byte (Date apart), what Server.Handler writes through net/http, and count
// the same metrics: 200, HEAD, 304, a query, a stale answer while the
// block's is refreshed; a client over its rate and a CORS request (Origin,
// CORS configured) get net/http's answers on the front's connection; a
// read the cache does not hold is the handler's.
func TestHitLikeHandler(t *testing.T) {
	cfg := Defaults
	cfg.RateLimit, cfg.RateBurst, cfg.CORS = 0.001, 8, []string{"https://city.example"}
	plain, path, _ := frontServer(t, cfg)
	fronted, _, _ := frontServer(t, cfg)
	pc, pr := serveRaw(t, plain, nil)
	hits := &countedHits{s: fronted}
	fc, fr := serveRaw(t, fronted, hits)
	get := func(method, target string, hdr ...string) string {
		return method + " " + target + " HTTP/1.1\r\nHost: gate.example\r\n" + strings.Join(hdr, "") + "\r\n"
	}
	first := exchange(t, pc, pr, get("GET", path))
	m := etagHeader.FindStringSubmatch(first)
	if m == nil || !strings.HasPrefix(first, "HTTP/1.1 200 OK\r\n") {
		t.Fatalf("net/http's hit: %q", first)
	}
	reqs := []string{
		get("GET", path),
		get("HEAD", path),
		get("GET", path, "If-None-Match: W/"+m[1]+"\r\n"),
		get("GET", path+"?at=finalized"),
		get("GET", path, "Origin: https://city.example\r\n"),
		get("GET", "/api/v1/documents/0x02"),
		get("GET", path, "X-Forwarded-For: 10.0.0.9\r\n"),
		get("GET", path), // the ninth read with a burst of 8: 429
	}
	have := []string{exchange(t, fc, fr, get("GET", path))}
	want := []string{first}
	for _, req := range reqs {
		want = append(want, exchange(t, pc, pr, req))
		have = append(have, exchange(t, fc, fr, req))
	}
	for i := range want {
		if have[i] != want[i] {
			t.Errorf("request %d:\nfront    %q\nnet/http %q", i, have[i], want[i])
		}
	}
	if !strings.HasPrefix(want[len(want)-1], "HTTP/1.1 429") {
		t.Errorf("the last read: have %q, want a 429", want[len(want)-1])
	}
	if !fronted.Stream([]byte(Prefix+"/events")) || fronted.Stream([]byte(path)) {
		t.Errorf("Stream: want true for the event stream only")
	}
	if hits.n != 6 {
		t.Errorf("answered by the front: have %d, want 6 (all but the CORS request, the miss and the 429)", hits.n)
	}
	pattern := Prefix + "/documents/{hash}"
	for _, code := range []string{"200", "304", "429"} {
		p := testutil.ToFloat64(plain.metrics.requests.WithLabelValues(pattern, code))
		f := testutil.ToFloat64(fronted.metrics.requests.WithLabelValues(pattern, code))
		if p != f || p == 0 {
			t.Errorf("requests answered %s: front %v, net/http %v; want the same, not 0", code, f, p)
		}
	}
	if p, f := testutil.ToFloat64(plain.metrics.hit), testutil.ToFloat64(fronted.metrics.hit); p != f {
		t.Errorf("cache hits: front %v, net/http %v", f, p)
	}
}

// countedHits counts the answers the front gave.
type countedHits struct {
	s *Server
	n int
}

func (c *countedHits) Hit(q *front.Request, a *front.Answer) bool {
	ok := c.s.Hit(q, a)
	if ok {
		c.n++
	}
	return ok
}

func (c *countedHits) Stream(path []byte) bool { return c.s.Stream(path) }
