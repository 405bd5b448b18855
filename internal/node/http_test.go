package node_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
)

// HTTP helpers of the node's JSON-RPC tests: every failure is fatal.

// postJSON posts body to url as application/json and returns the answer.
func postJSON(t *testing.T, ctx context.Context, url, body string) []byte {
	t.Helper()
	out, _ := postJSONHeader(t, ctx, url, body)
	return out
}

// postJSONHeader is postJSON that also returns the answer's header.
func postJSONHeader(t *testing.T, ctx context.Context, url, body string) ([]byte, http.Header) {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	return do(t, req)
}

// get fetches url and returns the answer.
func get(t *testing.T, ctx context.Context, url string) string {
	t.Helper()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	out, _ := do(t, req)
	return string(out)
}

// do sends req and returns the answer's body and header.
func do(t *testing.T, req *http.Request) ([]byte, http.Header) {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return out, resp.Header
}
