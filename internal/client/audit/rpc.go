package audit

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// BatchCaller is the JSON-RPC client that fetches headers in batches
// (go-ethereum's *rpc.Client implements it).
type BatchCaller interface {
	BatchCallContext(ctx context.Context, b []rpc.BatchElem) error
}

// RPCHeaders fetches headers with batched eth_getBlockByNumber calls and
// checks that each header's fields hash to the hash the node states and that
// consecutive headers link.
type RPCHeaders struct {
	Client BatchCaller
}

// Headers implements HeaderSource.
func (r RPCHeaders) Headers(ctx context.Context, from, to uint64) ([]*types.Header, error) {
	raws := make([]json.RawMessage, to-from+1)
	batch := make([]rpc.BatchElem, len(raws))
	for i := range batch {
		batch[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(from + uint64(i)), false}, Result: &raws[i]}
	}
	if err := r.Client.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("fetch headers %d..%d: %w", from, to, err)
	}
	headers := make([]*types.Header, len(raws))
	for i, elem := range batch {
		number := from + uint64(i)
		if elem.Error != nil {
			return nil, fmt.Errorf("fetch header %d: %w", number, elem.Error)
		}
		if len(raws[i]) == 0 || string(raws[i]) == "null" {
			return nil, fmt.Errorf("block %d not found: the node's chain ends earlier (lower --to)", number)
		}
		h, err := decodeHeader(raws[i])
		if err != nil {
			return nil, err
		}
		if h.Number.Uint64() != number {
			return nil, fmt.Errorf("asked for block %d, the node returned %d", number, h.Number)
		}
		if i > 0 && h.ParentHash != headers[i-1].Hash() {
			return nil, fmt.Errorf("block %d does not link to block %d in the node's answer (a reorg while fetching? run again)", number, number-1)
		}
		headers[i] = h
	}
	return headers, nil
}
