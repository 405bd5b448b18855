package getlogs

import (
	"encoding/binary"
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
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
