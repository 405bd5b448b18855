package relayer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/gateway/upstream"
)

// receiptNode answers eth_getTransactionReceipt as go-ethereum's server
// does: a receipt with logs for hashes whose first byte is odd, null for
// the others, an error for 0xee.
type receiptNode struct{}

func (receiptNode) GetTransactionReceipt(h common.Hash) (json.RawMessage, error) {
	switch {
	case h[0] == 0xee:
		return nil, errors.New("receipt index is being built")
	case h[0]%2 == 0:
		return json.RawMessage("null"), nil
	}
	r := &types.Receipt{Type: 2, Status: 1, TxHash: h, BlockNumber: big.NewInt(int64(h[0])), GasUsed: 5000, Logs: make([]*types.Log, 3)}
	for i := range r.Logs {
		r.Logs[i] = &types.Log{Address: common.Address{1}, Topics: []common.Hash{castID, {byte(i)}}, Data: []byte{byte(i)}, Index: uint(i), TxHash: h, BlockNumber: uint64(h[0])}
	}
	r.Bloom = types.CreateBloom(r)
	return json.Marshal(r)
}

// TestPostReceipts reads receipts posted for by postReceipts as go-ethereum's
// client reads them (receipts, nulls), and fails as it does: an error answer
// is an rpc.Error (an answer: no failover), a 5xx an rpc.HTTPError
// (failover).
func TestPostReceipts(t *testing.T) {
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", receiptNode{}); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	hs := httptest.NewServer(srv)
	defer hs.Close()
	client, err := rpc.Dial(hs.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	hashes := []common.Hash{{1}, {2}, {3}, {4}, {5}}
	have, err := postReceipts(context.Background(), http.DefaultClient, hs.URL, hashes)
	if err != nil {
		t.Fatal(err)
	}
	want := make([]*relayReceipt, len(hashes))
	batch := make([]rpc.BatchElem, len(hashes))
	for i, h := range hashes {
		batch[i] = rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{h}, Result: &want[i]}
	}
	if err := client.BatchCall(batch); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(have, want) {
		t.Fatalf("postReceipts: %+v, go-ethereum's client: %+v", have, want)
	}
	if have[0] == nil || len(have[0].Logs) != 3 || have[1] != nil {
		t.Fatalf("receipts: %+v, want one with 3 logs, then null", have)
	}
	// The scanner took the answer (no fallback to encoding/json).
	if _, ok := scanReceiptBatch(rawBatch(t, hs.URL, hashes), len(hashes)); !ok {
		t.Error("the scanner refused the node's answer")
	}

	_, err = postReceipts(context.Background(), http.DefaultClient, hs.URL, []common.Hash{{1}, {0xee}})
	var rerr rpc.Error
	if !errors.As(err, &rerr) || upstream.Failover(err) {
		t.Errorf("error answer: %v (%T), want an rpc.Error, no failover", err, err)
	}
	failing := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer failing.Close()
	if _, err := postReceipts(context.Background(), http.DefaultClient, failing.URL, hashes); !upstream.Failover(err) {
		t.Errorf("503: %v, want a failover error", err)
	}
}

// TestScanReceiptBatchOrder reads answers in any order, and refuses an id
// answered twice or missing (left to encoding/json, which errs).
func TestScanReceiptBatchOrder(t *testing.T) {
	out, ok := scanReceiptBatch([]byte(`[{"jsonrpc":"2.0","id":1,"result":null},{"jsonrpc":"2.0","id":0,"result":{"status":"0x1","blockNumber":"0x9","gasUsed":"0x0","logs":[]}}]`), 2)
	if !ok || out[0] == nil || out[0].BlockNumber != 9 || out[1] != nil {
		t.Fatalf("answers out of order: %+v, %v", out, ok)
	}
	for _, bad := range []string{
		`[{"jsonrpc":"2.0","id":0,"result":null},{"jsonrpc":"2.0","id":0,"result":null}]`,
		`[{"jsonrpc":"2.0","id":0,"result":null}]`,
		`[{"jsonrpc":"2.0","id":0,"error":{"code":-32000,"message":"x"}},{"jsonrpc":"2.0","id":1,"result":null}]`,
	} {
		if _, ok := scanReceiptBatch([]byte(bad), 2); ok {
			t.Errorf("scanner took %s", bad)
		}
		if _, err := decodeReceiptBatch([]byte(bad), 2); err == nil {
			t.Errorf("encoding/json's path took %s", bad)
		}
	}
}

// rawBatch returns the node's answer to a batch of receipt requests.
func rawBatch(t *testing.T, url string, hashes []common.Hash) []byte {
	t.Helper()
	resp, err := http.Post(url, "application/json", bytes.NewReader(receiptRequest(hashes)))
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	data, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
