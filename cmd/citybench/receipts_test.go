package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/bench/loadgen"
)

// TestAskReceipts: the workers ask for receipts until the run ends; right
// answers are counted with their latencies, a receipt of another
// transaction is an error, the first of which is returned and reported.
func TestAskReceipts(t *testing.T) {
	good := txRef{hash: common.Hash{1}, block: 5, index: 2}
	wrong := txRef{hash: common.Hash{2}, block: 6, index: 0} // the node answers with good's receipt
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var req struct {
			ID     int           `json:"id"`
			Params []common.Hash `json:"params"`
		}
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil || len(req.Params) != 1 {
			http.Error(w, "bad request", http.StatusBadRequest)
			return
		}
		fmt.Fprintf(w, `{"jsonrpc":"2.0","id":%d,"result":{"transactionHash":"%s","blockNumber":"0x5","transactionIndex":"0x2","status":"0x1"}}`, req.ID, good.hash.Hex())
	}))
	defer srv.Close()
	client := loadgen.NewClient(srv.URL, 2, 10*time.Second)
	defer client.Close()

	rep := ReceiptsReport{Workers: 2}
	firstErr := askReceipts(context.Background(), client, []txRef{good, wrong}, &rep, 300*time.Millisecond, 1)
	if !errors.Is(firstErr, errWrongReceipt) || rep.FirstError != firstErr.Error() {
		t.Errorf("first error: have %v (reported %q), want a wrong receipt", firstErr, rep.FirstError)
	}
	if rep.Receipts == 0 || rep.Errors == 0 || rep.Seconds < 0.3 || rep.PerSecond <= 0 {
		t.Errorf("have %d receipts, %d errors in %v s (%v/s); want both answers counted over at least 0.3 s", rep.Receipts, rep.Errors, rep.Seconds, rep.PerSecond)
	}
	if rep.P50 <= 0 || rep.P95 < rep.P50 || rep.P99 < rep.P95 {
		t.Errorf("latency: have p50 %v ms, p95 %v ms, p99 %v ms; want increasing and above 0", rep.P50, rep.P95, rep.P99)
	}
}
