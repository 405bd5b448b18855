package rpcacl

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// HTTP returns next behind the lists: the body of every POST is rewritten
// (Rewrite) before next reads it. limit is the listener's body limit; a
// larger body is refused as go-ethereum's server would refuse it.
func (p *Policy) HTTP(next http.Handler, limit int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			next.ServeHTTP(w, r) // geth runs no call outside a POST
			return
		}
		body, err := io.ReadAll(io.LimitReader(r.Body, limit+1))
		if err != nil {
			http.Error(w, fmt.Sprintf("reading the request: %v", err), http.StatusBadRequest)
			return
		}
		if int64(len(body)) > limit {
			http.Error(w, fmt.Sprintf("content length too large (more than %d bytes)", limit), http.StatusRequestEntityTooLarge)
			return
		}
		body, _ = p.Rewrite(body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		r.ContentLength = int64(len(body))
		r.Header.Set("Content-Length", strconv.Itoa(len(body)))
		next.ServeHTTP(w, r)
	})
}
