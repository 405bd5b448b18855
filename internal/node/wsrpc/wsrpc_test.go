package wsrpc

import (
	"bytes"
	"context"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
)

type echo struct{}

func (echo) Say(s string) string { return s }

// tag rewrites "a" in requests and answers, to show the order filters run in.
type tag struct{ from, to string }

func (f tag) Request(msg []byte) []byte {
	return bytes.ReplaceAll(msg, []byte(`"`+f.from+`"`), []byte(`"`+f.to+`"`))
}
func (f tag) Answer(msg []byte) []byte {
	return bytes.ReplaceAll(msg, []byte(`"`+f.to+`"`), []byte(`"`+f.to+"<"+`"`))
}

func TestFiltersSeeRequestsInOrderAndAnswersInReverse(t *testing.T) {
	srv := rpc.NewServer()
	if err := srv.RegisterName("test", echo{}); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	ts := httptest.NewServer(Handler(srv, nil, func() []Filter { return []Filter{tag{"a", "b"}, tag{"b", "c"}} }))
	defer ts.Close()
	client, err := rpc.Dial("ws" + strings.TrimPrefix(ts.URL, "http"))
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var out string
	if err := client.CallContext(ctx, &out, "test_say", "a"); err != nil {
		t.Fatal(err)
	}
	// request a -> b (first filter) -> c (second); the server says c; the
	// answer passes the second filter (c -> c<) and then the first (no b).
	if out != "c<" {
		t.Errorf("answer %q, want %q", out, "c<")
	}
}
