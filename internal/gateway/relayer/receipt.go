package relayer

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// relayReceipt is the part of a relay transaction's receipt the watcher
// reads: its status, block, gas and logs (address, topics, data, index).
// types.Receipt decodes every field (the bloom, each log's block and
// transaction hashes) and scans each log's JSON three times (its own
// UnmarshalJSON decodes a copy); a relay's receipt holds a log per ballot,
// and decoding them was a quarter of the relayer's CPU.
type relayReceipt struct {
	Status      hexutil.Uint64 `json:"status"`
	BlockNumber hexutil.Uint64 `json:"blockNumber"`
	GasUsed     hexutil.Uint64 `json:"gasUsed"`
	Logs        []relayLog     `json:"logs"`
}

// relayLog is the part of a log the watcher reads.
type relayLog struct {
	Address common.Address `json:"address"`
	Topics  []common.Hash  `json:"topics"`
	Data    hexutil.Bytes  `json:"data"`
	Index   hexutil.Uint   `json:"logIndex"`
	Removed bool           `json:"removed"`
}

// receipt returns the fields read as a types.Receipt (its logs with their
// block number and transaction hash); nil for nil.
func (r *relayReceipt) receipt(tx common.Hash) *types.Receipt {
	if r == nil {
		return nil
	}
	out := &types.Receipt{Status: uint64(r.Status), BlockNumber: new(big.Int).SetUint64(uint64(r.BlockNumber)), GasUsed: uint64(r.GasUsed), TxHash: tx}
	logs := make([]types.Log, len(r.Logs))
	out.Logs = make([]*types.Log, len(r.Logs))
	for i, l := range r.Logs {
		logs[i] = types.Log{Address: l.Address, Topics: l.Topics, Data: l.Data, Index: uint(l.Index), Removed: l.Removed, BlockNumber: uint64(r.BlockNumber), TxHash: tx}
		out.Logs[i] = &logs[i]
	}
	return out
}
