package anchor

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// coveringBatch is how many checkpoints one JSON-RPC batch reads.
const coveringBatch = 64

// Covering returns the first anchored checkpoint of st's chain at or above
// block, reading at most maxScan heights from block on, coveringBatch a
// JSON-RPC batch, at the client's block. None found: ErrNotAnchored.
func (a *Contract) Covering(ctx context.Context, st *Status, block, maxScan uint64) (Checkpoint, error) {
	if maxScan == 0 || block > st.Latest.Number {
		return Checkpoint{}, fmt.Errorf("%w: block %d, latest checkpoint %d (wait for the follower, or post a span)", ErrNotAnchored, block, st.Latest.Number)
	}
	last := min(st.Latest.Number, block+maxScan-1)
	for from := block; from <= last; from += coveringBatch {
		cp, ok, err := a.firstCheckpoint(ctx, st.ChainID, from, min(from+coveringBatch-1, last))
		if err != nil || ok {
			return cp, err
		}
	}
	return Checkpoint{}, fmt.Errorf("%w: none of chain %d within %d blocks from block %d (latest checkpoint %d)", ErrNotAnchored, st.ChainID, maxScan, block, st.Latest.Number)
}

// firstCheckpoint reads the checkpoints from..to of chainID in one batch of
// eth_calls and returns the first anchored one.
func (a *Contract) firstCheckpoint(ctx context.Context, chainID, from, to uint64) (Checkpoint, bool, error) {
	id := new(big.Int).SetUint64(chainID)
	at := "latest"
	if a.c.Block != nil {
		at = hexutil.EncodeBig(a.c.Block)
	}
	outs := make([]hexutil.Bytes, to-from+1)
	batch := make([]rpc.BatchElem, len(outs))
	for i := range batch {
		msg := map[string]any{"to": a.Address, "data": hexutil.Bytes(abiAnchors.PackCheckpoint(id, from+uint64(i)))}
		batch[i] = rpc.BatchElem{Method: "eth_call", Args: []any{msg, at}, Result: &outs[i]}
	}
	if err := a.c.RPC().BatchCallContext(ctx, batch); err != nil {
		return Checkpoint{}, false, fmt.Errorf("Anchors.checkpoint(%d, %d..%d): %w", chainID, from, to, err)
	}
	for i, el := range batch {
		n := from + uint64(i)
		if el.Error != nil {
			return Checkpoint{}, false, fmt.Errorf("Anchors.checkpoint(%d, %d): %w", chainID, n, el.Error)
		}
		cp, err := abiAnchors.UnpackCheckpoint(outs[i])
		if err != nil {
			return Checkpoint{}, false, fmt.Errorf("Anchors.checkpoint(%d, %d): %w", chainID, n, err)
		}
		if cp.Hash != (common.Hash{}) {
			return Checkpoint{Number: n, Hash: cp.Hash, StateRoot: cp.StateRoot, ReceiptsRoot: cp.ReceiptsRoot, Sealer: cp.Sealer, AnchoredAt: cp.AnchoredAt}, true, nil
		}
	}
	return Checkpoint{}, false, nil
}
