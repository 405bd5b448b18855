package relayer

import (
	"bytes"
	"encoding/json"
	"math/big"
	"reflect"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// TestRelayReceipt reads a receipt as a node sends it (go-ethereum's own
// JSON of a types.Receipt) into the fields the watcher uses, equal to what
// decoding the whole types.Receipt gives; a receipt not found (null) is nil.
func TestRelayReceipt(t *testing.T) {
	tx := common.HexToHash("0xaa")
	want := &types.Receipt{
		Type: types.DynamicFeeTxType, Status: types.ReceiptStatusSuccessful, CumulativeGasUsed: 900, GasUsed: 700,
		TxHash: tx, BlockHash: common.HexToHash("0xbb"), BlockNumber: big.NewInt(4242), TransactionIndex: 3,
		Logs: []*types.Log{
			{Address: common.HexToAddress("0x01"), Topics: []common.Hash{castID, {1}, {2}}, Data: []byte{1, 2, 3}, Index: 7},
			{Address: common.HexToAddress("0x02"), Topics: []common.Hash{rejectedID, {3}, {4}, {5}}, Data: make([]byte, 64), Index: 8},
			{Address: common.HexToAddress("0x03"), Topics: []common.Hash{}, Data: []byte{}, Index: 9},
		},
	}
	for _, l := range want.Logs {
		l.TxHash, l.BlockHash, l.BlockNumber, l.TxIndex = tx, want.BlockHash, 4242, 3
	}
	want.Bloom = types.CreateBloom(want)
	enc, err := json.Marshal(want)
	if err != nil {
		t.Fatal(err)
	}
	var full types.Receipt
	if err := json.Unmarshal(enc, &full); err != nil {
		t.Fatal(err)
	}
	var lean *relayReceipt
	if err := json.Unmarshal(enc, &lean); err != nil {
		t.Fatalf("decode %s: %v", enc, err)
	}
	have := lean.receipt(tx)
	if have.Status != full.Status || have.BlockNumber.Cmp(full.BlockNumber) != 0 || have.GasUsed != full.GasUsed || have.TxHash != full.TxHash {
		t.Errorf("receipt: have status %d block %v gas %d tx %s, want %d %v %d %s", have.Status, have.BlockNumber, have.GasUsed, have.TxHash, full.Status, full.BlockNumber, full.GasUsed, full.TxHash)
	}
	if len(have.Logs) != len(full.Logs) {
		t.Fatalf("logs: have %d, want %d", len(have.Logs), len(full.Logs))
	}
	for i, l := range full.Logs {
		h := have.Logs[i]
		if h.Address != l.Address || len(h.Topics) != len(l.Topics) || len(l.Topics) > 0 && !reflect.DeepEqual(h.Topics, l.Topics) || string(h.Data) != string(l.Data) ||
			h.Index != l.Index || h.BlockNumber != l.BlockNumber || h.TxHash != l.TxHash || h.Removed != l.Removed {
			t.Errorf("log %d: have %+v, want %+v", i, h, l)
		}
	}
	var none *relayReceipt
	if err := json.Unmarshal([]byte("null"), &none); err != nil || none.receipt(tx) != nil {
		t.Errorf("null receipt: have %v (%v), want nil", none, err)
	}
}

// BenchmarkReceiptDecode decodes a relay's receipt of 100 ballots' logs, as
// a types.Receipt and as a relayReceipt.
func BenchmarkReceiptDecode(b *testing.B) {
	r := &types.Receipt{Status: 1, BlockNumber: big.NewInt(1), Logs: make([]*types.Log, 100)}
	for i := range r.Logs {
		r.Logs[i] = &types.Log{Address: common.HexToAddress("0x01"), Topics: []common.Hash{castID, {1}, {2}}, Data: make([]byte, 64), Index: uint(i)}
	}
	enc, _ := json.Marshal(r)
	b.Run("types.Receipt", func(b *testing.B) {
		for b.Loop() {
			var out *types.Receipt
			json.Unmarshal(enc, &out)
		}
	})
	b.Run("relayReceipt", func(b *testing.B) {
		for b.Loop() {
			var out *relayReceipt
			json.Unmarshal(enc, &out)
			out.receipt(common.Hash{})
		}
	})
}

// TestFastReceipt: receipts as nodes write them (go-ethereum's JSON of a
// types.Receipt; eth_getTransactionReceipt's, with a null contractAddress
// and its extra members) are read by fastReceipt as encoding/json reads
// them into relayReceipt; each with one byte replaced, inserted or deleted
// is either refused by fastReceipt (left to encoding/json) or read the same
// by both.
func TestFastReceipt(t *testing.T) {
	r := &types.Receipt{Type: 2, Status: 1, BlockNumber: big.NewInt(4242), GasUsed: 123456, Logs: make([]*types.Log, 3)}
	for i := range r.Logs {
		r.Logs[i] = &types.Log{Address: common.HexToAddress("0x01"), Topics: []common.Hash{castID, {1}, {byte(i)}}, Data: []byte{0, byte(i)}, Index: uint(i + 9), BlockNumber: 4242}
	}
	marshalled, _ := json.Marshal(r)
	rpcForm, _ := json.Marshal(map[string]any{
		"blockHash": common.Hash{7}, "blockNumber": hexutil.Uint64(4242), "contractAddress": nil, "cumulativeGasUsed": hexutil.Uint64(1),
		"effectiveGasPrice": (*hexutil.Big)(big.NewInt(1000)), "from": common.Address{1}, "gasUsed": hexutil.Uint64(123456),
		"logs": r.Logs, "logsBloom": types.Bloom{}, "status": hexutil.Uint64(1), "to": common.Address{2},
		"transactionHash": common.Hash{8}, "transactionIndex": hexutil.Uint64(0), "type": hexutil.Uint64(2),
	})
	for _, enc := range [][]byte{marshalled, rpcForm} {
		if !sameReceipt(t, enc) {
			t.Fatalf("fastReceipt refused %s", enc)
		}
	}
	taken := 0
	for _, enc := range [][]byte{marshalled, rpcForm} {
		for i := 0; i < len(enc); i += 3 {
			for _, c := range []byte{' ', '"', ',', ':', '0', 'a', 'F', '[', ']', '{', '}', '-', '.', 'n', '\\', 0x80} {
				if sameReceipt(t, append(append(bytes.Clone(enc[:i]), c), enc[i+1:]...)) {
					taken++
				}
				sameReceipt(t, append(append(bytes.Clone(enc[:i]), c), enc[i:]...))
			}
			sameReceipt(t, append(bytes.Clone(enc[:i]), enc[i+1:]...))
		}
	}
	if taken == 0 {
		t.Error("no mutated receipt was taken: the comparison checked nothing")
	}
}

// sameReceipt reports whether fastReceipt takes enc, failing the test if
// encoding/json refuses it or reads it otherwise.
func sameReceipt(t *testing.T, enc []byte) bool {
	t.Helper()
	var fast relayReceipt
	if !fastReceipt(enc, &fast) {
		return false
	}
	type plain relayReceipt
	var slow plain
	if err := json.Unmarshal(enc, &slow); err != nil {
		t.Fatalf("fastReceipt took %s, which encoding/json refuses: %v", enc, err)
	}
	if !reflect.DeepEqual(fast, relayReceipt(slow)) {
		t.Fatalf("fastReceipt read %s as %+v, encoding/json as %+v", enc, fast, slow)
	}
	return true
}

func BenchmarkFastReceipt(b *testing.B) {
	r := &types.Receipt{Status: 1, BlockNumber: big.NewInt(1), Logs: make([]*types.Log, 100)}
	for i := range r.Logs {
		r.Logs[i] = &types.Log{Address: common.HexToAddress("0x01"), Topics: []common.Hash{castID, {1}, {2}}, Data: make([]byte, 64), Index: uint(i)}
	}
	enc, _ := json.Marshal(r)
	for b.Loop() {
		var out relayReceipt
		fastReceipt(enc, &out)
	}
}
