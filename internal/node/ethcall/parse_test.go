package ethcall

import (
	"bytes"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func TestParse(t *testing.T) {
	to := common.HexToAddress("0x0cdFB9255825860A972E668d326d54b59338C655")
	from := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	tests := []struct {
		body       string
		ok, byScan bool
		want       request
	}{
		// The shapes clients send: geth's rpc client, ethers, our load generator.
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","data":"0x0102"},"latest"]}`, true, true,
			request{id: []byte("1"), to: to, data: []byte{1, 2}}},
		{`{"method":"eth_call","params":[{"to":"0x0cdFB9255825860A972E668d326d54b59338C655","data":"0x0102"},"latest"],"id":42,"jsonrpc":"2.0"}`, true, true,
			request{id: []byte("42"), to: to, data: []byte{1, 2}}},
		{" {\n \"jsonrpc\" : \"2.0\", \"id\" : \"a-1\", \"method\" : \"eth_call\", \"params\" : [ { \"from\":\"0x00000000000000000000000000000000000000a1\", \"to\":\"0x0cdfb9255825860a972e668d326d54b59338c655\", \"gas\":\"0x5208\", \"input\":\"0x\" } ] }\n", true, true,
			request{id: []byte(`"a-1"`), from: from, to: to, gas: ptr(21000), data: []byte{}}},
		// Shapes the scanner leaves to encoding/json, which takes them.
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"To":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, true, false,
			request{id: []byte("1"), to: to}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","data":null}]}`, true, false,
			request{id: []byte("1"), to: to}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","data":"0x01","data":"0x02"}]}`, true, false,
			request{id: []byte("1"), to: to, data: []byte{2}}},
		{`{"jsonrpc":"2.0","id":1e2,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, true, false,
			request{id: []byte("1e2"), to: to}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}],"extra":true}`, true, false,
			request{id: []byte("1"), to: to}},
		// Geth's alone.
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}]`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","value":"0x1"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"data":"0x6000"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","data":"0x01","input":"0x01"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"},"pending"]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"},{"blockNumber":"latest"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"},"latest",{}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":null,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":"<b>","method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, false, false, request{}},
		{`{"jsonrpc":"1.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c65"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","gas":"0x01"}]}`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]} trailing`, false, false, request{}},
		{`{"jsonrpc":"2.0","id":1,"method":"eth_estimateGas","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`, false, false, request{}},
	}
	for _, tt := range tests {
		have, ok := parse([]byte(tt.body))
		if ok != tt.ok {
			t.Errorf("%s: have ok %v, want %v", tt.body, ok, tt.ok)
			continue
		}
		if _, scanned := scan([]byte(tt.body)); scanned != tt.byScan {
			t.Errorf("%s: scanned %v, want %v", tt.body, scanned, tt.byScan)
		}
		if ok && !equal(have, tt.want) {
			t.Errorf("%s:\nhave %+v\nwant %+v", tt.body, have, tt.want)
		}
	}
}

// FuzzParse checks that every request the scanner takes is decoded the same
// way by encoding/json, as geth decodes it.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655","data":"0x0102"},"latest"]}`,
		`{"method":"eth_call","params":[{"from":"0x00000000000000000000000000000000000000a1","to":"0x0cdfb9255825860a972e668d326d54b59338c655","gas":"0x5208","input":"0x"}],"id":"x","jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","id":-7,"method":"eth_call","params":[{"to":"0x0cdfb9255825860a972e668d326d54b59338c655"}]}`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		scanned, ok := scan(body)
		if !ok {
			return
		}
		decoded, ok := decode(body)
		if !ok {
			t.Fatalf("scanned but not decoded: %q", body)
		}
		if !equal(scanned, decoded) {
			t.Fatalf("%q:\nscanned %+v\ndecoded %+v", body, scanned, decoded)
		}
	})
}

func ptr(v uint64) *uint64 { return &v }

func equal(a, b request) bool {
	return bytes.Equal(a.id, b.id) && a.from == b.from && a.to == b.to && bytes.Equal(a.data, b.data) &&
		(a.gas == nil) == (b.gas == nil) && (a.gas == nil || *a.gas == *b.gas)
}
