package logpage

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/rpc"
)

const oneLog = `{"address":"0x00000000000000000000000000000000000000d0","topics":["0x0000000000000000000000000000000000000000000000000000000000000001"],"data":"0x0a0b","blockNumber":"0x1a","transactionHash":"0x1100000000000000000000000000000000000000000000000000000000000022","transactionIndex":"0x0","blockHash":"0x3300000000000000000000000000000000000000000000000000000000000044","blockTimestamp":"0x693280a0","logIndex":"0x7","removed":false}`

// TestHTTPFilterer checks logpage.HTTP against the answers a node gives:
// logs (in the common encoding and another), a range-limit refusal the
// pager understands, and an HTTP error, each as geth's rpc client reports it.
func TestHTTPFilterer(t *testing.T) {
	answers := []string{
		`{"jsonrpc":"2.0","id":1,"result":[` + oneLog + `,` + oneLog + `]}`,
		`{"id":1, "result":[` + oneLog + `], "jsonrpc":"2.0"}`,
		`{"jsonrpc":"2.0","id":1,"result":[]}`,
		`{"jsonrpc":"2.0","id":"x","result":[` + oneLog + `]}`, // an id the scanner leaves to encoding/json
		`{"jsonrpc":"2.0","id":1,"error":{"code":-32602,"message":"exceed maximum block range 5"}}`,
	}
	var i int
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if i == len(answers) {
			http.Error(w, "overloaded", http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, answers[i])
		i++
	}))
	defer srv.Close()
	f := HTTP{URL: srv.URL}
	ctx := context.Background()
	for _, want := range []int{2, 1, 0, 1} {
		raw := answers[i]
		logs, err := f.FilterLogs(ctx, ethereum.FilterQuery{})
		if err != nil || len(logs) != want {
			t.Fatalf("%s: %d logs, %v; want %d", raw, len(logs), err, want)
		}
		if want > 0 {
			ref, err := DecodeLogs([]byte(`[` + oneLog + `]`))
			if err != nil || !reflect.DeepEqual(logs[0], ref[0]) {
				t.Errorf("%s: decoded %+v, want %+v (%v)", raw, logs[0], ref[0], err)
			}
		}
	}
	_, err := f.FilterLogs(ctx, ethereum.FilterQuery{})
	if n, ok := rangeLimit(err); !ok || n != 5 {
		t.Errorf("range limit refusal: %v read as %d, %v", err, n, ok)
	}
	_, err = f.FilterLogs(ctx, ethereum.FilterQuery{})
	var httpErr rpc.HTTPError
	if !errors.As(err, &httpErr) || httpErr.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("HTTP 503: %v", err)
	}
}
