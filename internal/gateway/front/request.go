package front

import (
	"bytes"
	"net/netip"
)

// Request is a request head the front parsed: a GET or HEAD over HTTP/1.1
// without a body. Its fields are valid only during the Hits call.
type Request struct {
	Head         bool   // HEAD: the answer without its body
	Path         []byte // the path, as sent: only unreserved characters and '/', already clean
	Query        []byte // the raw query without '?', "" if none
	IfNoneMatch  []byte // the first If-None-Match header's value, nil if none
	ForwardedFor []byte // the first X-Forwarded-For header's value, nil if none
	Origin       bool   // an Origin header was sent (a CORS request)
	Remote       netip.AddrPort
}

// verdict is what the front does with a head.
type verdict uint8

const (
	parsed  verdict = iota // a GET or HEAD the front may answer (Request filled)
	oneShot                // not for the front, but a request net/http serves and gives the connection back after
	forGood                // net/http takes the connection for the rest of its life
)

// headEnd returns the length of the head at the start of b (through the
// blank line), or -1 if b holds no complete head yet.
func headEnd(b []byte) int {
	i := bytes.Index(b, crlfcrlf)
	if i < 0 {
		return -1
	}
	return i + len(crlfcrlf)
}

var (
	crlf     = []byte("\r\n")
	crlfcrlf = []byte("\r\n\r\n")
	http11   = []byte(" HTTP/1.1")
)

// parse reads a complete head (as headEnd delimits it) into req. Anything
// it does not take as a plain GET or HEAD goes to net/http, which answers it
// as it would have: a malformed head gets net/http's own error answer.
func parse(head []byte, req *Request) verdict {
	line, rest, _ := bytes.Cut(head, crlf)
	v := parseLine(line, req)
	if v == forGood {
		return forGood
	}
	hv := parseHeaders(rest[:len(rest)-len(crlf)], req)
	if hv != parsed {
		return hv
	}
	return v
}

// parseLine reads the request line: "GET /path?query HTTP/1.1". A target
// the front does not keep exactly as net/http's router would see it (an
// escape, a dot segment, an empty segment, any other character) is one
// request for net/http.
func parseLine(line []byte, req *Request) verdict {
	switch {
	case bytes.HasPrefix(line, []byte("GET ")):
		req.Head, line = false, line[4:]
	case bytes.HasPrefix(line, []byte("HEAD ")):
		req.Head, line = true, line[5:]
	default:
		return forGood // another method: a body may follow
	}
	if !bytes.HasSuffix(line, http11) {
		return forGood // HTTP/1.0 and others: keep-alive rules of their own
	}
	target := line[:len(line)-len(http11)]
	path, query, _ := bytes.Cut(target, []byte("?"))
	req.Path, req.Query = path, query
	if !cleanPath(path) || !plainQuery(query) {
		return oneShot
	}
	return parsed
}

// cleanPath reports whether p is an absolute path of unreserved characters
// in non-empty segments that start with no dot: what url.Parse and
// ServeMux's cleaning leave as it is.
func cleanPath(p []byte) bool {
	if len(p) == 0 || p[0] != '/' {
		return false
	}
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/' || c == '.':
			if p[i-1] == '/' {
				return false // an empty segment or one starting with a dot
			}
		case !unreserved(c):
			return false
		}
	}
	return true
}

// plainQuery reports whether q holds only unreserved characters, '=' and
// '&': what url.ParseQuery decodes to the same bytes.
func plainQuery(q []byte) bool {
	for _, c := range q {
		if !unreserved(c) && c != '=' && c != '&' {
			return false
		}
	}
	return true
}

func unreserved(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-' || c == '_' || c == '.' || c == '~'
}

// parseHeaders reads the header lines (each "Name: value" and CRLF) into
// req, checking names, values and Host as net/http does. A header that
// changes how net/http reads or answers the request hands it over.
func parseHeaders(b []byte, req *Request) verdict {
	req.IfNoneMatch, req.ForwardedFor, req.Origin = nil, nil, false
	hosts, closing := 0, false
	for len(b) > 0 {
		var line []byte
		line, b, _ = bytes.Cut(b, crlf)
		name, value, ok := bytes.Cut(line, []byte(":"))
		if !ok || !validName(name) {
			return forGood // a continuation line, a space before the colon, no colon: net/http's 400
		}
		value = bytes.Trim(value, " \t")
		if !validValue(value) {
			return forGood
		}
		switch {
		case equalFold(name, "Host"):
			hosts++
			if !plainHost(value) {
				return forGood
			}
		case equalFold(name, "If-None-Match"):
			if req.IfNoneMatch == nil {
				req.IfNoneMatch = value
			}
		case equalFold(name, "X-Forwarded-For"):
			if req.ForwardedFor == nil {
				req.ForwardedFor = value
			}
		case equalFold(name, "Origin"):
			req.Origin = true
		case equalFold(name, "Connection"):
			switch {
			case equalFold(value, "close"):
				closing = true
			case !equalFold(value, "keep-alive"):
				return forGood
			}
		case equalFold(name, "Content-Length"), equalFold(name, "Transfer-Encoding"), equalFold(name, "Expect"), equalFold(name, "Upgrade"):
			return forGood // a body, or an exchange the front does not speak
		}
	}
	if hosts != 1 {
		return forGood // HTTP/1.1 needs exactly one Host: net/http's 400
	}
	if closing {
		return oneShot // net/http answers it and closes the connection
	}
	return parsed
}

// validName reports whether b is a header name of letters, digits and
// '-': a token, as net/http requires (httpguts.ValidHeaderFieldName); a
// name with a token's other characters goes to net/http.
func validName(b []byte) bool {
	if len(b) == 0 {
		return false
	}
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// plainHost reports whether b is a host and port of letters, digits and
// ".-:[]": a subset of what net/http takes (httpguts.ValidHostHeader).
func plainHost(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || c == '.' || c == '-' || c == ':' || c == '[' || c == ']') {
			return false
		}
	}
	return true
}

// validValue reports whether b is a header value net/http takes: no
// control character but tab (httpguts.ValidHeaderFieldValue).
func validValue(b []byte) bool {
	for _, c := range b {
		if (c < ' ' && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}

// equalFold reports whether b equals the ASCII string s, ignoring the case
// of letters.
func equalFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range len(b) {
		if lower(b[i]) != lower(s[i]) {
			return false
		}
	}
	return true
}

func lower(c byte) byte {
	if 'A' <= c && c <= 'Z' {
		return c + 'a' - 'A'
	}
	return c
}
