package ethcall

import (
	"bytes"
	"io"
	"mime"
	"net/http"
	"sync"
)

// The node's HTTP fast paths (this package, getlogs, sendbatch) read a
// request's body the same way: only a POST that geth's server would read in
// full, into a pooled buffer, anything else handed to geth's handler as it
// came.

var bodyPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// ReadBody reads the body of r into a pooled buffer when r is a POST that
// geth would read in full: a known length from 1 to limit bytes and a
// content type JSONContent accepts. Otherwise, or when the body ends short of
// its length or fails, it serves r with next (a partly read body restored
// ahead of the rest, so next sees it as sent) and returns ok false. With ok
// true the caller owns buf and must give it back with ReleaseBody once done
// with buf.Bytes().
func ReadBody(w http.ResponseWriter, r *http.Request, limit int64, next http.Handler) (buf *bytes.Buffer, ok bool) {
	if r.Method != http.MethodPost || r.ContentLength <= 0 || r.ContentLength > limit || !JSONContent(r) {
		next.ServeHTTP(w, r)
		return nil, false
	}
	buf = bodyPool.Get().(*bytes.Buffer)
	buf.Reset()
	if _, err := io.CopyN(buf, r.Body, r.ContentLength); err != nil {
		// Let geth answer a short or broken body as it would have.
		r.Body = io.NopCloser(io.MultiReader(bytes.NewReader(buf.Bytes()), r.Body))
		next.ServeHTTP(w, r)
		bodyPool.Put(buf)
		return nil, false
	}
	return buf, true
}

// ReleaseBody gives a buffer from ReadBody back to the pool.
func ReleaseBody(buf *bytes.Buffer) { bodyPool.Put(buf) }

// Forward serves r with next, its body replaced by body (what ReadBody read).
func Forward(w http.ResponseWriter, r *http.Request, body []byte, next http.Handler) {
	r.Body = io.NopCloser(bytes.NewReader(body))
	next.ServeHTTP(w, r)
}

// JSONContent reports whether r carries a content type geth's HTTP server
// accepts for JSON-RPC.
func JSONContent(r *http.Request) bool {
	mt, _, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return err == nil && (mt == "application/json" || mt == "application/json-rpc" || mt == "application/jsonrequest")
}
