package sendbatch

import (
	"bytes"
	"encoding/json"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// TestScanBatch checks which batches the scanner takes itself, and that each
// it takes decodes as encoding/json decodes it; those it leaves are parsed by
// encoding/json as before.
func TestScanBatch(t *testing.T) {
	const tx = `"0x02f86a"`
	for _, tt := range []struct {
		body    string
		scanned bool
	}{
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[` + tx + `]}]`, true},
		{" [ {\"params\" : [ " + tx + " ] , \"method\":\"eth_sendRawTransaction\",\n\"id\":\"a-1\",\t\"jsonrpc\":\"2.0\"} ,{\"jsonrpc\":\"2.0\",\"id\":-2,\"method\":\"m\",\"params\":[\"0x\"]}]\r\n", true},
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[` + tx + `],"x":1}]`, false},      // unknown member
		{`[{"jsonrpc":"2.0","id":1,"id":2,"method":"eth_sendRawTransaction","params":[` + tx + `]}]`, false},     // repeated member
		{`[{"Method":"eth_sendRawTransaction","jsonrpc":"2.0","id":1,"params":[` + tx + `]}]`, false},            // member named in another case
		{`[{"jsonrpc":"2.0","id":1.5,"method":"eth_sendRawTransaction","params":[` + tx + `]}]`, false},          // fractional id
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0X02f86a"]}]`, false},            // prefix 0X
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02f86"]}]`, false},             // odd length
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02fg6a"]}]`, false},            // not hex
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[` + tx + `,` + tx + `]}]`, false}, // two params
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_send\u0052awTransaction","params":[` + tx + `]}]`, false},       // escape
		{`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":[` + tx + `]}] x`, false},          // trailing bytes
		{`[]`, false},
		{`{}`, false},
	} {
		scanned, ok := scanBatch([]byte(tt.body))
		if ok != tt.scanned {
			t.Errorf("%s: scanned %v, want %v", tt.body, ok, tt.scanned)
			continue
		}
		if ok {
			var decoded []message
			if err := json.Unmarshal([]byte(tt.body), &decoded); err != nil {
				t.Fatalf("%s: scanned but encoding/json says %v", tt.body, err)
			}
			if !sameMessages(scanned, decoded) {
				t.Errorf("%s:\nscanned %+v\ndecoded %+v", tt.body, scanned, decoded)
			}
		}
	}
}

// FuzzScanBatch checks that every batch the scanner takes is decoded the same
// way by encoding/json, as parse decoded every batch before the scanner.
func FuzzScanBatch(f *testing.F) {
	for _, s := range []string{
		`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["0x02f86a"]}]`,
		`[{"params":["0x"],"method":"eth_sendRawTransaction","id":"x","jsonrpc":"2.0"},{"jsonrpc":"2.0","id":-7,"method":"eth_sendRawTransaction","params":["0xabCD"]}]`,
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		scanned, ok := scanBatch(body)
		if !ok {
			return
		}
		var decoded []message
		if err := json.Unmarshal(body, &decoded); err != nil {
			t.Fatalf("scanned but not decoded (%v): %q", err, body)
		}
		if !sameMessages(scanned, decoded) {
			t.Fatalf("%q:\nscanned %+v\ndecoded %+v", body, scanned, decoded)
		}
	})
}

func sameMessages(a, b []message) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Version != y.Version || x.Method != y.Method || !bytes.Equal(x.ID, y.ID) || len(x.Params) != len(y.Params) {
			return false
		}
		for j := range x.Params {
			if !bytes.Equal(x.Params[j], y.Params[j]) {
				return false
			}
		}
	}
	return true
}

// BenchmarkParse is the batch decoding of W1's generator: 500 signed
// transfers in one batch.
func BenchmarkParse(b *testing.B) {
	key, err := crypto.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	var calls []string
	for i := range 500 {
		calls = append(calls, send(strconv.Itoa(i), signed(b, key, uint64(i))))
	}
	body := []byte(batch(calls...))
	b.SetBytes(int64(len(body)))
	for b.Loop() {
		if _, ok := parse(body, 0); !ok {
			b.Fatal("not parsed")
		}
	}
}
