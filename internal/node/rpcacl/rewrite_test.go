package rpcacl

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestRewrite: what the server reads is what was checked, whatever the
// spelling of the request; deny wins over allow; namespaces match by prefix.
func TestRewrite(t *testing.T) {
	p, err := New([]string{"eth_*", "net_version"}, []string{"eth_sendRawTransaction"})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		body    string
		methods []string // as the server reads them
		refused int
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}`, []string{"eth_chainId"}, 0},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x00"]}`, []string{Method}, 1},
		{`{"jsonrpc":"2.0","id":1,"method":"net_peerCount"}`, []string{Method}, 1},
		{`{"jsonrpc":"2.0","id":1,"method":"ethx_call"}`, []string{Method}, 1},
		// Keys in another case: go-ethereum's server reads only "method",
		// so the check does too (encoding/json would match "Method").
		{`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","Method":"eth_chainId"}`, []string{Method}, 1},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","METHOD":"eth_sendRawTransaction"}`, []string{"eth_chainId"}, 0},
		{`{"jsonrpc":"2.0","id":1,"Method":"eth_chainId","METHOD":"eth_sendRawTransaction"}`, []string{""}, 0},
		{`{"JSONRPC":"1.0","jsonrpc":"2.0","id":1,"mEthod":"admin_addPeer","method":"eth_chainId","Params":[1]}`, []string{"eth_chainId"}, 0},
		// The same key twice: the later wins, as in geth; a non-string value leaves the earlier.
		{`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","method":"eth_sendRawTransaction"}`, []string{Method}, 1},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","method":7}`, []string{Method}, 1},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_chainId","method":null}`, []string{"eth_chainId"}, 0},
		// An escaped key is the key it spells.
		{`{"jsonrpc":"2.0","id":1,"meth\u006fd":"eth_sendRawTransaction"}`, []string{Method}, 1},
		// Trailing bytes after a request (geth's decoder would read the first value): nothing passed on.
		{`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction"} {"x":1}`, []string{Method}, 0},
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_sendRawTransaction"},3]`, []string{"eth_chainId", Method, Method}, 1},
	} {
		out, refused := p.Rewrite([]byte(c.body))
		if refused != c.refused {
			t.Errorf("%s: refused %d, want %d", c.body, refused, c.refused)
		}
		if have := methods(t, out); strings.Join(have, ",") != strings.Join(c.methods, ",") {
			t.Errorf("%s: server reads %s (methods %v), want methods %v", c.body, out, have, c.methods)
		}
	}
}

func methods(t *testing.T, out []byte) []string {
	t.Helper()
	var msgs []message
	if len(out) > 0 && out[0] == '[' {
		if err := json.Unmarshal(out, &msgs); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
	} else {
		msgs = make([]message, 1)
		if err := json.Unmarshal(out, &msgs[0]); err != nil {
			t.Fatalf("%s: %v", out, err)
		}
	}
	var names []string
	for _, m := range msgs {
		names = append(names, m.Method)
	}
	return names
}

// TestNewRefusesBadPatterns: a list entry that is neither a method nor a
// namespace is an error naming its flag.
func TestNewRefusesBadPatterns(t *testing.T) {
	for _, c := range []struct{ allow, deny []string }{{[]string{"eth"}, nil}, {nil, []string{"*"}}, {nil, []string{"eth_*x"}}} {
		if _, err := New(c.allow, c.deny); err == nil || !strings.Contains(err.Error(), "--http.rpc-") {
			t.Errorf("allow %v deny %v: have %v, want an error naming the flag", c.allow, c.deny, err)
		}
	}
	if p, err := New(nil, nil); p != nil || err != nil {
		t.Errorf("no lists: have %v, %v; want no policy", p, err)
	}
}

// BenchmarkRewrite is the cost the lists add to one plain eth_call and to a
// batch of 100 calls.
func BenchmarkRewrite(b *testing.B) {
	p, err := New(nil, []string{"eth_sendRawTransaction"})
	if err != nil {
		b.Fatal(err)
	}
	call := `{"jsonrpc":"2.0","id":7,"method":"eth_call","params":[{"to":"0x00000000000000000000000000000000000000c0","data":"0x70a08231000000000000000000000000000000000000000000000000000000000000c0de"},"latest"]}`
	batch := "[" + strings.TrimSuffix(strings.Repeat(call+",", 100), ",") + "]"
	for _, c := range []struct{ name, body string }{{"call", call}, {"batch100", batch}} {
		b.Run(c.name, func(b *testing.B) {
			b.SetBytes(int64(len(c.body)))
			for b.Loop() {
				p.Rewrite([]byte(c.body))
			}
		})
	}
}
