package getlogs

import (
	"encoding/hex"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// position is where a log is: the fields geth derives for it.
type position struct {
	block     uint64
	blockHash common.Hash
	time      uint64
	txHash    common.Hash
	txIndex   uint
	logIndex  uint
}

// appendLog appends l at position at as geth encodes a *types.Log with those
// fields derived (gen_log_json.go: the members in that order, addresses and
// hashes in lower-case hex, numbers as hexutil quantities, nil topics as
// null, removed false: the fast path reads the canonical chain).
func appendLog(b []byte, l *types.Log, at *position) []byte {
	b = append(b, `{"address":"0x`...)
	b = hex.AppendEncode(b, l.Address[:])
	b = appendTopics(b, l.Topics)
	b = append(b, `,"data":"0x`...)
	b = hex.AppendEncode(b, l.Data)
	b = append(b, `","blockNumber":`...)
	b = appendQuantity(b, at.block)
	b = append(b, `,"transactionHash":"0x`...)
	b = hex.AppendEncode(b, at.txHash[:])
	b = append(b, `","transactionIndex":`...)
	b = appendQuantity(b, uint64(at.txIndex))
	b = append(b, `,"blockHash":"0x`...)
	b = hex.AppendEncode(b, at.blockHash[:])
	b = append(b, `","blockTimestamp":`...)
	b = appendQuantity(b, at.time)
	b = append(b, `,"logIndex":`...)
	b = appendQuantity(b, uint64(at.logIndex))
	return append(b, `,"removed":false}`...)
}

// appendTopics appends the "topics" member (after the address's closing
// quote is still to be written).
func appendTopics(b []byte, topics []common.Hash) []byte {
	if topics == nil {
		return append(b, `","topics":null`...) // encoding/json's nil slice
	}
	b = append(b, `","topics":[`...)
	for i := range topics {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `"0x`...)
		b = hex.AppendEncode(b, topics[i][:])
		b = append(b, '"')
	}
	return append(b, ']')
}

// appendQuantity appends v as a quoted hexutil quantity ("0x0", "0x1a").
func appendQuantity(b []byte, v uint64) []byte {
	b = append(b, `"0x`...)
	b = strconv.AppendUint(b, v, 16)
	return append(b, '"')
}
