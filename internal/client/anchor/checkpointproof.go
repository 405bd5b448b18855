package anchor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/client/audit"
)

// RecordCheckpoint is the proof record kind of an anchored checkpoint
// alone: its key names the chain and the checkpoint's number; the proven
// Anchors storage holds the checkpoint's hash and receipts root. It is what
// citygate can prove without a node of the external chain: that citychain
// holds that checkpoint, not a record inside the external block.
const RecordCheckpoint = "anchored-checkpoint"

// checkpointKey is the RLP of a RecordCheckpoint key.
type checkpointKey struct {
	ChainID    uint64
	Checkpoint uint64
}

// AnchoredCheckpoint is the decoded RecordCheckpoint.
type AnchoredCheckpoint struct {
	ChainID      uint64         `json:"chainId"`
	Checkpoint   uint64         `json:"checkpoint"`
	Hash         common.Hash    `json:"hash"`
	ReceiptsRoot common.Hash    `json:"receiptsRoot"`
	Anchors      common.Address `json:"anchors"`
}

// ProveCheckpoint proves the anchored checkpoint number of chainID against
// citychain's state at citychain block at (the latest if nil).
func ProveCheckpoint(ctx context.Context, a *Contract, chainID, number uint64, at *uint64) (*audit.Proof, error) {
	key, err := rlp.EncodeToBytes(checkpointKey{ChainID: chainID, Checkpoint: number})
	if err != nil {
		return nil, err
	}
	hashSlot, rootSlot := checkpointSlots(chainID, number)
	return proveCheckpoint(ctx, a, at, RecordCheckpoint, key, hashSlot, rootSlot)
}

// decodeCheckpointRecord verifies a RecordCheckpoint offline: the account
// runs Anchors' code and its proven slots hold a checkpoint at the number.
func decodeCheckpointRecord(src audit.RecordSource) (json.RawMessage, error) {
	if err := checkAnchorsCode(src.CodeHash); err != nil {
		return nil, err
	}
	var k checkpointKey
	if err := rlp.DecodeBytes(src.Key, &k); err != nil {
		return nil, fmt.Errorf("record key: %w", err)
	}
	hashSlot, rootSlot := checkpointSlots(k.ChainID, k.Checkpoint)
	hash, ok := src.Slots[hashSlot]
	if !ok || hash == (common.Hash{}) {
		return nil, fmt.Errorf("checkpoint %d of chain %d is not proven anchored (no hash at its slot)", k.Checkpoint, k.ChainID)
	}
	root, ok := src.Slots[rootSlot]
	if !ok {
		return nil, errors.New("the checkpoint's receipts root is not proven")
	}
	return json.Marshal(AnchoredCheckpoint{ChainID: k.ChainID, Checkpoint: k.Checkpoint, Hash: hash, ReceiptsRoot: root, Anchors: src.Address})
}
