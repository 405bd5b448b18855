package getlogs

import (
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// FuzzAppendLog checks that appendLog writes a log exactly as geth's
// encoding/json encoding of *types.Log does.
func FuzzAppendLog(f *testing.F) {
	f.Add([]byte{}, uint8(0), uint64(0), uint64(0), false)
	f.Add([]byte(nil), uint8(5), uint64(0), uint64(0), false) // 5: nil topics
	f.Add([]byte{1, 2, 3}, uint8(2), uint64(1<<40), uint64(17), true)
	f.Add(make([]byte, 300), uint8(4), ^uint64(0), uint64(255), false)
	f.Fuzz(func(t *testing.T, data []byte, topics uint8, number, index uint64, _ bool) {
		l := &types.Log{
			Address: common.BytesToAddress(binary.BigEndian.AppendUint64(nil, number^0xabcdef)), Data: data,
			BlockNumber: number, TxHash: common.Hash{1: byte(index)}, TxIndex: uint(index >> 3), BlockHash: common.Hash{31: byte(number)},
			BlockTimestamp: number / 3, Index: uint(index),
		}
		if topics%6 != 5 {
			l.Topics = []common.Hash{}
		}
		for i := range int(topics % 6 % 5) {
			l.Topics = append(l.Topics, common.Hash{byte(i), 31: byte(number + uint64(i))})
		}
		want, err := json.Marshal(l)
		if err != nil {
			t.Fatal(err)
		}
		at := &position{block: l.BlockNumber, blockHash: l.BlockHash, time: l.BlockTimestamp, txHash: l.TxHash, txIndex: l.TxIndex, logIndex: l.Index}
		if have := appendLog(nil, &types.Log{Address: l.Address, Topics: l.Topics, Data: l.Data}, at); string(have) != string(want) {
			t.Errorf("have %s\nwant %s", have, want)
		}
	})
}

// TestWithin checks that requests beyond geth's configured limits are left
// to geth (which refuses them with its errors).
func TestWithin(t *testing.T) {
	h := &Handler{cfg: Config{LogQueryLimit: 2, RangeLimit: 10}}
	two := []common.Hash{{1}, {2}}
	for _, c := range []struct {
		q    query
		want bool
	}{
		{query{from: 5, to: 15}, true},
		{query{from: 5, to: 16}, false},
		{query{from: 0, to: 0, addresses: make([]common.Address, 2), topics: [][]common.Hash{two, nil, two}}, true},
		{query{addresses: make([]common.Address, 3)}, false},
		{query{topics: [][]common.Hash{nil, append(two, common.Hash{3})}}, false},
	} {
		if have := h.within(c.q); have != c.want {
			t.Errorf("%+v: within %v, want %v", c.q, have, c.want)
		}
	}
	if !(&Handler{}).within(query{from: 0, to: 1 << 40, addresses: make([]common.Address, 5000)}) {
		t.Error("no limits configured: a request was refused")
	}
}

// TestParse checks which filters are of the fast path's shape.
func TestParse(t *testing.T) {
	for body, want := range map[string]bool{
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2"}]}`:                  true,
		`{"jsonrpc":"2.0","id":"a-1","method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x1","topics":[]}]}`:  true,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x2","toBlock":"0x1"}]}`:                  false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1"}]}`:                                  false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"latest"}]}`:               false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2","blockHash":null}]}`: false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2","extra":1}]}`:        false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x8000000000000000"}]}`:   false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2","topics":[1]}]}`:     false,
		`{"jsonrpc":"1.0","id":1,"method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2"}]}`:                  false,
		`{"jsonrpc":"2.0","method":"eth_getLogs","params":[{"fromBlock":"0x1","toBlock":"0x2"}]}`:                         false,
		`{"jsonrpc":"2.0","id":1,"method":"eth_getFilterLogs","params":[{"fromBlock":"0x1","toBlock":"0x2"}]}`:            false,
	} {
		if _, have := parse([]byte(body)); have != want {
			t.Errorf("%s: parsed %v, want %v", body, have, want)
		}
	}
}

// TestBodyTransactions checks the transaction hashes read from a stored
// body against types.Transaction.Hash, legacy and typed.
func TestBodyTransactions(t *testing.T) {
	to := common.Address{0xd0}
	txs := []*types.Transaction{
		types.NewTx(&types.LegacyTx{Nonce: 1, To: &to, Gas: 21000, GasPrice: common.Big1, Data: make([]byte, 300), V: common.Big1, R: common.Big2, S: common.Big3}),
		types.NewTx(&types.DynamicFeeTx{ChainID: common.Big1, Nonce: 2, To: &to, Gas: 21000, GasTipCap: common.Big1, GasFeeCap: common.Big2, Data: []byte{1}, V: common.Big1, R: common.Big2, S: common.Big3}),
		types.NewTx(&types.AccessListTx{ChainID: common.Big1, Nonce: 3, Gas: 21000, GasPrice: common.Big1, V: common.Big0, R: common.Big2, S: common.Big3}),
	}
	body, err := rlp.EncodeToBytes(&types.Body{Transactions: txs})
	if err != nil {
		t.Fatal(err)
	}
	encs, ok := bodyTransactions(body)
	if !ok || len(encs) != len(txs) {
		t.Fatalf("split %d transactions (%v), want %d", len(encs), ok, len(txs))
	}
	for i, tx := range txs {
		if have := txHash(encs[i]); have != tx.Hash() {
			t.Errorf("transaction %d (type %d): hash %x, want %x", i, tx.Type(), have, tx.Hash())
		}
	}
	if _, ok := bodyTransactions([]byte{0x01}); ok {
		t.Error("a body that is not a list was split")
	}
	if encs, ok := bodyTransactions(mustEncode(t, &types.Body{})); !ok || len(encs) != 0 {
		t.Errorf("empty body: %d transactions, %v", len(encs), ok)
	}
}

func mustEncode(t *testing.T, v any) []byte {
	b, err := rlp.EncodeToBytes(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
