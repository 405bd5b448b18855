package rpcacl

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/rpc"
)

// recorder is the set of services of a go-ethereum server that records
// every method it runs.
type recorder struct {
	mu    sync.Mutex
	calls []string
}

func (r *recorder) add(name string) {
	r.mu.Lock()
	r.calls = append(r.calls, name)
	r.mu.Unlock()
}

func (r *recorder) take() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := r.calls
	r.calls = nil
	slices.Sort(out)
	return out
}

type ethService struct{ r *recorder }

func (s ethService) ChainId() string { s.r.add("eth_chainId"); return "0x1" }
func (s ethService) SendRawTransaction(raw string) string {
	s.r.add("eth_sendRawTransaction")
	return raw
}
func (s ethService) GetBalance(addr, block string) string    { s.r.add("eth_getBalance"); return "0x0" }
func (s ethService) Call(args map[string]any, b string) bool { s.r.add("eth_call"); return true }

type netService struct{ r *recorder }

func (s netService) Version() string   { s.r.add("net_version"); return "1" }
func (s netService) PeerCount() string { s.r.add("net_peerCount"); return "0x0" }

type adminService struct{ r *recorder }

func (s adminService) AddPeer(url string) bool { s.r.add("admin_addPeer"); return true }
func (s adminService) NodeInfo() string        { s.r.add("admin_nodeInfo"); return "" }

// gethServer is a go-ethereum JSON-RPC server with the services above and
// the refusals' service, as the node's public listener has them.
func gethServer(tb testing.TB) (*rpc.Server, *recorder) {
	rec := &recorder{}
	srv := rpc.NewServer()
	for name, svc := range map[string]any{"eth": ethService{rec}, "net": netService{rec}, "admin": adminService{rec}, Namespace: Service{}} {
		if err := srv.RegisterName(name, svc); err != nil {
			tb.Fatal(err)
		}
	}
	tb.Cleanup(srv.Stop)
	return srv, rec
}

// serve posts body to srv as an HTTP client would and returns the methods
// it ran.
func serve(srv *rpc.Server, rec *recorder, body []byte) []string {
	req := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	srv.ServeHTTP(httptest.NewRecorder(), req)
	return rec.take()
}

// FuzzRewrite: whatever the body, go-ethereum's own server, reading the
// rewritten body, runs no method the lists refuse; the rewritten body is
// JSON; and any body that is one JSON value (keys in any case, repeated or
// escaped, unknown keys, non-objects in a batch) loses nothing: geth runs
// from the rewritten body exactly the calls it runs from the body as sent,
// minus the refused ones.
func FuzzRewrite(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`,
		`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x00"]}`,
		`{"jsonrpc":"2.0","id":1,"METHOD":"admin_addPeer","params":["enode://x"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","method":"admin_nodeInfo"}`,
		`[{"jsonrpc":"2.0","id":1,"method":"net_version"},{"jsonrpc":"2.0","method":"net_peerCount"},{"jsonrpc":"2.0","id":"x","method":"eth_getBalance","params":["0x00","latest"]}]`,
		` [ {"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{},"latest"]} ] `,
		`{"jsonrpc":"2.0","id":1,"method":"admin_addPeer"} {"x":1}`,
		`{"jsonrpc":"2.0","id":1,"method":"rpcacl_refused","params":[1,"x"]}`,
		"\v[{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"admin_nodeInfo\"}]",
		`{"jsonrpc":"2.0","id":1,"method":"eth\u005fsendRawTransaction","params":["0x"]}`,
		`{"jsonrpC":"2.0","method":"eth_chainId"}`,
		`{"jsonrpc":"2.0","id":1,"Method":"eth_chainId"}`,
		`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","Method":"eth_chainId","params":["0x"]}`,
		`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","METHOD":"admin_nodeInfo"}`,
		`{"JsonRpc":"2.0","jsonrpc":"2.0","ID":7,"id":1,"Params":["0x"],"method":"net_version"}`,
		`[{"jsonrpc":"2.0","id":1,"mEtHoD":"net_version","method":"net_peerCount"},{"jsonrpc":"2.0","id":2,"method":"eth_chainId","Method":"eth_sendRawTransaction"}]`,
		`{"jsonrpc":"2.0","id":1,"method":"admin_addPeer","method":7}`,
		`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","method":null}`,
		`{"jsonrpc":"2.0","id":1,"METH\u004fD":"eth_chainId","meth\u006fd":"net_version"}`,
		`[]`, `null`, `"x"`, `[1,[],{}]`,
	} {
		f.Add([]byte(s))
	}
	p, err := New([]string{"eth_*", "net_version"}, []string{"eth_sendRawTransaction"})
	if err != nil {
		f.Fatal(err)
	}
	srv, rec := gethServer(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		sent := serve(srv, rec, body)
		out, _ := p.Rewrite(body)
		if !json.Valid(out) {
			t.Fatalf("body %q rewritten to %q: not JSON", body, out)
		}
		ran := serve(srv, rec, out)
		for _, m := range ran {
			if flag := p.Check(m); flag != "" {
				t.Fatalf("body %q: geth ran %s (refused by %s) from the rewritten body %s", body, m, flag, out)
			}
		}
		if !wellFormed(body) {
			return
		}
		var served []string
		for _, m := range sent {
			if p.Check(m) == "" {
				served = append(served, m)
			}
		}
		if !slices.Equal(ran, served) {
			t.Fatalf("body %q: geth ran %v from the rewritten body %s, want %v (of %v sent)", body, ran, out, served, sent)
		}
	})
}

// wellFormed reports whether body is one JSON value, what go-ethereum's
// server reads as a request or a batch (or answers as not one).
func wellFormed(body []byte) bool {
	return json.Valid(body)
}
