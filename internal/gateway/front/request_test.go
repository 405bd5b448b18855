package front

import (
	"bufio"
	"bytes"
	"net/http"
	"net/textproto"
	"path"
	"strings"
	"testing"
)

// TestParse: the heads the front answers itself, and the ones it hands to
// net/http for one request or for good.
func TestParse(t *testing.T) {
	const host = "Host: 127.0.0.1:8080\r\n"
	cases := []struct {
		name, head string
		want       verdict
		path, qry  string
	}{
		{"GET", "GET /api/v1/documents/0x01 HTTP/1.1\r\n" + host + "\r\n", parsed, "/api/v1/documents/0x01", ""},
		{"HEAD with a query", "HEAD /api/v1/x?at=latest&y=1 HTTP/1.1\r\n" + host + "\r\n", parsed, "/api/v1/x", "at=latest&y=1"},
		{"keep-alive, header names in any case", "GET /a HTTP/1.1\r\nhOST: h\r\nconnection: Keep-Alive\r\nIF-NONE-MATCH: \"x\"\r\n\r\n", parsed, "/a", ""},
		{"trailing slash", "GET /api/v1/ HTTP/1.1\r\n" + host + "\r\n", parsed, "/api/v1/", ""},
		{"Connection: close", "GET /a HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n", oneShot, "", ""},
		{"an escape", "GET /a%2Fb HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"an empty segment", "GET /a//b HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"a dot segment", "GET /a/../b HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"a dot file", "GET /a/.env HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"an escaped query", "GET /a?at=%20 HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"absolute form", "GET http://h/a HTTP/1.1\r\n" + host + "\r\n", oneShot, "", ""},
		{"POST", "POST /api/v1/polls/1/ballots HTTP/1.1\r\n" + host + "Content-Length: 2\r\n\r\n", forGood, "", ""},
		{"OPTIONS", "OPTIONS /a HTTP/1.1\r\n" + host + "\r\n", forGood, "", ""},
		{"HTTP/1.0", "GET /a HTTP/1.0\r\n\r\n", forGood, "", ""},
		{"no Host", "GET /a HTTP/1.1\r\n\r\n", forGood, "", ""},
		{"two Hosts", "GET /a HTTP/1.1\r\n" + host + host + "\r\n", forGood, "", ""},
		{"a bad Host", "GET /a HTTP/1.1\r\nHost: a b\r\n\r\n", forGood, "", ""},
		{"a body on a GET", "GET /a HTTP/1.1\r\n" + host + "Content-Length: 0\r\n\r\n", forGood, "", ""},
		{"chunked", "GET /a HTTP/1.1\r\n" + host + "Transfer-Encoding: chunked\r\n\r\n", forGood, "", ""},
		{"Expect", "GET /a HTTP/1.1\r\n" + host + "Expect: 100-continue\r\n\r\n", forGood, "", ""},
		{"Upgrade", "GET /a HTTP/1.1\r\n" + host + "Connection: Upgrade\r\nUpgrade: websocket\r\n\r\n", forGood, "", ""},
		{"a continuation line", "GET /a HTTP/1.1\r\n" + host + "X-A: 1\r\n b\r\n\r\n", forGood, "", ""},
		{"a space before the colon", "GET /a HTTP/1.1\r\n" + host + "X-A : 1\r\n\r\n", forGood, "", ""},
		{"a control byte in a value", "GET /a HTTP/1.1\r\n" + host + "X-A: 1\x01\r\n\r\n", forGood, "", ""},
		{"lowercase method", "get /a HTTP/1.1\r\n" + host + "\r\n", forGood, "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var req Request
			b := []byte(tc.head)
			if n := headEnd(b); n != len(b) {
				t.Fatalf("headEnd: have %d, want %d", n, len(b))
			}
			v := parse(b, &req)
			if v != tc.want {
				t.Fatalf("verdict: have %d, want %d", v, tc.want)
			}
			if v == parsed && (string(req.Path) != tc.path || string(req.Query) != tc.qry) {
				t.Errorf("target: have %q ? %q, want %q ? %q", req.Path, req.Query, tc.path, tc.qry)
			}
		})
	}
	var req Request
	parse([]byte("GET /a HTTP/1.1\r\n"+host+"If-None-Match: \"1\"\r\nIf-None-Match: \"2\"\r\nX-Forwarded-For:  10.0.0.1, 10.0.0.2 \r\nOrigin: https://x\r\n\r\n"), &req)
	if string(req.IfNoneMatch) != `"1"` || string(req.ForwardedFor) != "10.0.0.1, 10.0.0.2" || !req.Origin || req.Head {
		t.Errorf("headers: have If-None-Match %q, X-Forwarded-For %q, Origin %v, HEAD %v; want the first \"1\", the trimmed list, true, false", req.IfNoneMatch, req.ForwardedFor, req.Origin, req.Head)
	}
	if headEnd([]byte("GET /a HTTP/1.1\r\nHost: h\r\n")) != -1 {
		t.Errorf("headEnd of an unfinished head: want -1")
	}
}

// checkLikeNetHTTP fails if the front took head as a request it may
// answer while net/http would read it otherwise: another method, path,
// query or header value, a body, a close, an error, or a path its router
// would redirect.
func checkLikeNetHTTP(t *testing.T, head []byte) {
	var req Request
	if parse(head, &req) != parsed {
		return
	}
	r, err := http.ReadRequest(bufio.NewReader(bytes.NewReader(head)))
	if err != nil {
		t.Fatalf("front parsed %q, net/http refuses it: %v", head, err)
	}
	method := "GET"
	if req.Head {
		method = "HEAD"
	}
	clean := path.Clean(r.URL.Path)
	if strings.HasSuffix(r.URL.Path, "/") && clean != "/" {
		clean += "/"
	}
	switch {
	case r.Method != method || r.URL.Path != string(req.Path) || r.URL.RawQuery != string(req.Query) || clean != r.URL.Path:
		t.Fatalf("%q: front read %s %q ? %q, net/http %s %q ? %q (clean %q)", head, method, req.Path, req.Query, r.Method, r.URL.Path, r.URL.RawQuery, clean)
	case r.URL.Query().Encode() != mustQuery(t, r.URL.RawQuery):
		t.Fatalf("%q: query %q does not decode to itself", head, r.URL.RawQuery)
	case r.Header.Get("If-None-Match") != string(req.IfNoneMatch) || r.Header.Get("X-Forwarded-For") != string(req.ForwardedFor):
		t.Fatalf("%q: front read If-None-Match %q, X-Forwarded-For %q; net/http %q, %q", head, req.IfNoneMatch, req.ForwardedFor, r.Header.Get("If-None-Match"), r.Header.Get("X-Forwarded-For"))
	case (r.Header.Values("Origin") != nil) != req.Origin:
		t.Fatalf("%q: front read Origin %v", head, req.Origin)
	case r.ContentLength != 0 || len(r.TransferEncoding) > 0 || r.Close || len(hostValues(t, head)) != 1:
		// net/http's server answers 400 to no Host or two.
		t.Fatalf("%q: net/http reads a body, a close or not one Host (length %d, encoding %v, close %v, %q)", head, r.ContentLength, r.TransferEncoding, r.Close, hostValues(t, head))
	}
}

// hostValues is the head's Host values as net/http's server counts them
// (http.ReadRequest drops them from the header it returns).
func hostValues(t *testing.T, head []byte) []string {
	tp := textproto.NewReader(bufio.NewReader(bytes.NewReader(head)))
	if _, err := tp.ReadLine(); err != nil {
		t.Fatal(err)
	}
	hdr, err := tp.ReadMIMEHeader()
	if err != nil {
		t.Fatal(err)
	}
	return hdr.Values("Host")
}

func mustQuery(t *testing.T, raw string) string {
	r, err := http.NewRequest("GET", "/?"+raw, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r.URL.Query().Encode()
}

// FuzzParse: a head the front parses as a plain GET or HEAD is read the
// same by net/http's own parser (checkLikeNetHTTP); nothing panics.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"GET /api/v1/documents/0x01 HTTP/1.1\r\nHost: 127.0.0.1:8080\r\n\r\n",
		"HEAD /api/v1/x?at=latest&y=1 HTTP/1.1\r\nHost: h\r\nIf-None-Match: \"ab\"\r\nConnection: keep-alive\r\n\r\n",
		"GET /a HTTP/1.1\r\nHost: h\r\nX-Forwarded-For: 1.2.3.4\r\nOrigin: https://x\r\n\r\n",
		"GET /a?b=c&d HTTP/1.1\r\nHost: [::1]:80\r\n\r\n",
		"POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		n := headEnd(b)
		if n < 0 {
			return
		}
		checkLikeNetHTTP(t, b[:n])
	})
}
