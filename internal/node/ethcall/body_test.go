package ethcall

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// recorder is a next handler that keeps the body it was given.
type recorder struct {
	called bool
	body   []byte
	err    error
}

func (rec *recorder) ServeHTTP(_ http.ResponseWriter, r *http.Request) {
	rec.called = true
	rec.body, rec.err = io.ReadAll(r.Body)
}

// brokenReader yields its data, then fails.
type brokenReader struct{ data io.Reader }

var errBroken = errors.New("connection reset")

func (b brokenReader) Read(p []byte) (int, error) {
	n, err := b.data.Read(p)
	if err == io.EOF {
		return n, errBroken
	}
	return n, err
}

func bodyRequest(method, contentType string, length int64, body io.Reader) *http.Request {
	r := httptest.NewRequest(method, "/", body)
	r.Header.Set("Content-Type", contentType)
	r.ContentLength = length
	return r
}

// TestReadBody checks which requests ReadBody reads and that every other one
// reaches next with its body as sent.
func TestReadBody(t *testing.T) {
	const limit = 16
	atLimit := strings.Repeat("a", limit)
	tests := []struct {
		name     string
		req      *http.Request
		read     bool   // ReadBody keeps the body
		wantBody string // what ReadBody read, or what next read
		wantErr  error  // what next's read of the body ended with
	}{
		{"exactly at limit", bodyRequest(http.MethodPost, "application/json", limit, strings.NewReader(atLimit)), true, atLimit, nil},
		{"one byte", bodyRequest(http.MethodPost, "application/json", 1, strings.NewReader("x")), true, "x", nil},
		{"charset parameter", bodyRequest(http.MethodPost, "application/json; charset=utf-8", 2, strings.NewReader("{}")), true, "{}", nil},
		{"json-rpc type", bodyRequest(http.MethodPost, "application/json-rpc", 2, strings.NewReader("{}")), true, "{}", nil},
		{"over limit", bodyRequest(http.MethodPost, "application/json", limit+1, strings.NewReader(atLimit+"b")), false, atLimit + "b", nil},
		{"wrong content type", bodyRequest(http.MethodPost, "text/plain", 2, strings.NewReader("{}")), false, "{}", nil},
		{"no content type", bodyRequest(http.MethodPost, "", 2, strings.NewReader("{}")), false, "{}", nil},
		{"unknown length", bodyRequest(http.MethodPost, "application/json", -1, strings.NewReader("{}")), false, "{}", nil},
		{"empty", bodyRequest(http.MethodPost, "application/json", 0, http.NoBody), false, "", nil},
		{"GET", bodyRequest(http.MethodGet, "application/json", 2, strings.NewReader("{}")), false, "{}", nil},
		{"short body", bodyRequest(http.MethodPost, "application/json", 10, strings.NewReader("abcd")), false, "abcd", nil},
		{"broken body", bodyRequest(http.MethodPost, "application/json", 10, brokenReader{strings.NewReader("abcd")}), false, "abcd", errBroken},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			next := new(recorder)
			buf, ok := ReadBody(httptest.NewRecorder(), tt.req, limit, next)
			if ok != tt.read {
				t.Fatalf("ok = %v, want %v", ok, tt.read)
			}
			if ok {
				defer ReleaseBody(buf)
				if next.called {
					t.Fatal("next called for a body ReadBody kept")
				}
				if got := buf.String(); got != tt.wantBody {
					t.Fatalf("read %q, want %q", got, tt.wantBody)
				}
				return
			}
			if buf != nil {
				t.Fatal("a buffer returned with ok false")
			}
			if !next.called {
				t.Fatal("next not called")
			}
			if string(next.body) != tt.wantBody || !errors.Is(next.err, tt.wantErr) {
				t.Fatalf("next read %q (err %v), want %q (err %v)", next.body, next.err, tt.wantBody, tt.wantErr)
			}
		})
	}
}

// TestForward checks that next reads the body Forward is given.
func TestForward(t *testing.T) {
	next := new(recorder)
	r := bodyRequest(http.MethodPost, "application/json", 4, strings.NewReader("gone"))
	_, _ = io.ReadAll(r.Body)
	Forward(httptest.NewRecorder(), r, []byte("kept"), next)
	if !next.called || !bytes.Equal(next.body, []byte("kept")) || next.err != nil {
		t.Fatalf("next called %v, read %q (err %v), want \"kept\"", next.called, next.body, next.err)
	}
}
