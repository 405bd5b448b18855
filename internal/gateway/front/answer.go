package front

import (
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Hits answers the requests the front can answer without net/http: the
// API's cached answers (api.Server).
type Hits interface {
	// Hit fills a with the answer to req and reports whether it did; false
	// hands the request to net/http.
	Hit(req *Request, a *Answer) bool
	// Stream reports whether a GET of path is a long-lived answer (an
	// event stream): its connection is handed to net/http for good, whose
	// background read sees the client go away.
	Stream(path []byte) bool
}

// Field is one header field of an answer.
type Field struct {
	Name  string // canonical form, as net/http writes a handler's keys
	Value string
}

// Answer is a response the front encodes: a status, the fields a handler
// would have set (in net/http's order: sorted by name), and a body. The
// front adds Date as net/http does.
type Answer struct {
	Status int
	Header []Field
	Body   []byte // not written for a HEAD, nor for a 304
}

// reset empties a for the next request, keeping its field slice.
func (a *Answer) reset() {
	a.Status, a.Header, a.Body = 0, a.Header[:0], nil
}

// appendTo appends a's bytes as net/http writes a handler's answer: the
// status line, the handler's fields in order, Date, the blank line, then
// the body unless the request was a HEAD or the status has none.
func (a *Answer) appendTo(out []byte, head bool, now time.Time) []byte {
	out = append(out, "HTTP/1.1 "...)
	out = strconv.AppendInt(out, int64(a.Status), 10)
	out = append(out, ' ')
	out = append(out, http.StatusText(a.Status)...)
	out = append(out, crlf...)
	for _, f := range a.Header {
		out = append(out, f.Name...)
		out = append(out, ": "...)
		out = append(out, f.Value...)
		out = append(out, crlf...)
	}
	out = append(out, "Date: "...)
	out = append(out, date(now)...)
	out = append(out, crlfcrlf...)
	if !head && a.Status != http.StatusNotModified && a.Status != http.StatusNoContent {
		out = append(out, a.Body...)
	}
	return out
}

// stamp is the Date value of one second.
type stamp struct {
	sec  int64
	text []byte
}

var lastDate atomic.Pointer[stamp]

// date returns now's Date value (http.TimeFormat), formatted once a second.
func date(now time.Time) []byte {
	sec := now.Unix()
	if d := lastDate.Load(); d != nil && d.sec == sec {
		return d.text
	}
	d := &stamp{sec: sec, text: now.UTC().AppendFormat(nil, http.TimeFormat)}
	lastDate.Store(d)
	return d.text
}
