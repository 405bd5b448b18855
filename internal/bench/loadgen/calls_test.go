package loadgen

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// callNode answers web3_clientVersion and eth_call with the call data echoed.
func callNode(t *testing.T, calls *atomic.Int64) string {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var req struct {
			ID     int               `json:"id"`
			Method string            `json:"method"`
			Params []json.RawMessage `json:"params"`
		}
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		var result any = "fake/v1"
		if req.Method == "eth_call" {
			calls.Add(1)
			var arg struct{ Data string }
			json.Unmarshal(req.Params[0], &arg)
			result = arg.Data
		}
		json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": req.ID, "result": result})
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func TestRunCalls(t *testing.T) {
	var served atomic.Int64
	cfg := CallConfig{
		RPC: callNode(t, &served), Workers: 4, Duration: 300 * time.Millisecond, Warmup: 50 * time.Millisecond,
		RPCTimeout: time.Second, To: common.HexToAddress("0x01"), Calls: [][]byte{{1}, {2}, {3}}, Name: "echo",
		Check: func(out []byte) error {
			if len(out) != 1 {
				return errors.New("want one byte back")
			}
			return nil
		},
	}
	rep, err := RunCalls(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Calls == 0 || rep.Errors != 0 || rep.CallsPerSec <= 0 || rep.Client != "fake/v1" {
		t.Fatalf("report: have %+v, want calls without errors", rep)
	}
	// Calls outside the window (checks, warm-up, the last in flight) are not counted.
	if int64(rep.Calls) >= served.Load() {
		t.Errorf("counted %d calls of %d served: warm-up and checks must not count", rep.Calls, served.Load())
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "calls/s") {
		t.Errorf("text report: %v\n%s", err, text.String())
	}
	// A wrong answer stops the run before measuring.
	cfg.Check = func([]byte) error { return errors.New("not valid") }
	if _, err := RunCalls(context.Background(), cfg); err == nil || !strings.Contains(err.Error(), "not valid") {
		t.Errorf("failing check: have %v, want the check's error", err)
	}
	cfg.Calls = nil
	if _, err := RunCalls(context.Background(), cfg); err == nil {
		t.Error("no calls: no error")
	}
}

func TestGasPerTx(t *testing.T) {
	tests := []struct {
		name   string
		blocks []BlockStat
		want   float64
	}{
		{"none", nil, 0},
		{"only workload", []BlockStat{{Txs: 2, Workload: 2, GasUsed: 200}, {Txs: 1, Workload: 1, GasUsed: 130}}, 110},
		{"mixed blocks skipped", []BlockStat{{Txs: 3, Workload: 2, GasUsed: 999}, {Txs: 2, Workload: 2, GasUsed: 100}}, 50},
		{"empty blocks", []BlockStat{{Txs: 0, Workload: 0, GasUsed: 0}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if have := gasPerTx(tt.blocks); have != tt.want {
				t.Errorf("have %v, want %v", have, tt.want)
			}
		})
	}
}

func TestBenchDocument(t *testing.T) {
	a, b := common.HexToAddress("0xa"), common.HexToAddress("0xb")
	if first, again := BenchDocument(a, 1), BenchDocument(a, 1); first != again {
		t.Error("not deterministic")
	}
	if BenchDocument(a, 1).DocHash == BenchDocument(a, 2).DocHash || BenchDocument(a, 1).DocHash == BenchDocument(b, 1).DocHash {
		t.Error("documents of different senders or nonces share a hash")
	}
}
