package anchor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/client/audit"
)

// RecordState is the proof record kind of an account (and storage slots) of
// an external chain at an anchored block: its key holds the external node's
// eth_getProof (EIP-1186) answer and the headers from that block to an
// anchored checkpoint; the proven Anchors storage holds the checkpoint.
const RecordState = "anchored-state"

// stateKey is the RLP of a RecordState key: the eth_getProof result of the
// external chain at the first header's block, as the node returned it.
type stateKey struct {
	ChainID      uint64
	Checkpoint   uint64
	Headers      [][]byte // RLP headers from the state's block up to the checkpoint, ascending
	Address      common.Address
	Nonce        uint64
	Balance      *big.Int
	CodeHash     common.Hash
	StorageHash  common.Hash
	AccountProof [][]byte
	Storage      []stateSlot
}

type stateSlot struct {
	Key   common.Hash
	Value *big.Int
	Proof [][]byte
}

// AnchoredState is the decoded record: the account, its proven slots and
// where the block is anchored.
type AnchoredState struct {
	ChainID        uint64         `json:"chainId"`
	Block          uint64         `json:"block"`
	BlockHash      common.Hash    `json:"blockHash"`
	StateRoot      common.Hash    `json:"stateRoot"`
	Address        common.Address `json:"address"`
	Exists         bool           `json:"exists"`
	Nonce          uint64         `json:"nonce"`
	Balance        *hexutil.Big   `json:"balance"`
	CodeHash       common.Hash    `json:"codeHash"`
	StorageHash    common.Hash    `json:"storageHash"`
	Storage        []StateSlot    `json:"storage"`
	Checkpoint     uint64         `json:"checkpoint"`
	CheckpointHash common.Hash    `json:"checkpointHash"`
	Anchors        common.Address `json:"anchors"`
}

// StateSlot is a proven storage slot of the account.
type StateSlot struct {
	Slot  common.Hash `json:"slot"`
	Value common.Hash `json:"value"`
}

// ProveState proves account address and its storage slots on the external
// chain at block (the latest anchored checkpoint if nil) with the external
// node's eth_getProof, against the first anchored checkpoint at or above
// block, and that checkpoint against citychain's state at citychain block
// at (the latest if nil).
func ProveState(ctx context.Context, a *Contract, ext *External, chainID uint64, address common.Address, slots []common.Hash, block, at *uint64) (*audit.Proof, error) {
	st, r, err := proofSetup(ctx, a, ext, chainID)
	if err != nil {
		return nil, err
	}
	cp := st.Latest
	if block == nil {
		block = &cp.Number
	} else if cp, err = coveringCheckpoint(ctx, a, st, *block); err != nil {
		return nil, err
	}
	raw, hs, err := anchoredHeaders(ctx, r, *block, cp)
	if err != nil {
		return nil, err
	}
	res, err := externalGetProof(ctx, ext, address, slots, *block)
	if err != nil {
		return nil, err
	}
	absentAsZero(res, hs[0].Root)
	if _, err := res.Verify(hs[0].Root); err != nil {
		return nil, fmt.Errorf("the external node's eth_getProof at block %d does not verify against its state root: %w", *block, err)
	}
	key, err := rlp.EncodeToBytes(toStateKey(chainID, cp.Number, raw, res))
	if err != nil {
		return nil, err
	}
	hashSlot, _ := checkpointSlots(chainID, cp.Number)
	return proveCheckpoint(ctx, a, at, RecordState, key, hashSlot)
}

// externalGetProof calls eth_getProof on the external node, slots sorted.
func externalGetProof(ctx context.Context, ext *External, address common.Address, slots []common.Hash, block uint64) (*audit.AccountResult, error) {
	sorted := sortedUnique(slots)
	keys := make([]string, len(sorted))
	for i, s := range sorted {
		keys[i] = s.Hex()
	}
	var answer proofAccount
	if err := ext.RPC().CallContext(ctx, &answer, "eth_getProof", address, keys, hexutil.Uint64(block)); err != nil {
		return nil, fmt.Errorf("eth_getProof of %s at block %d of the external chain: %w (the node keeps the state of recent blocks only unless it is an archive node: try a later --chain-block)", address, block, err)
	}
	res := answer.result()
	if res.Address != address || len(res.StorageProof) != len(sorted) || res.Balance == nil {
		return nil, fmt.Errorf("eth_getProof of %s at block %d: the node answered for another account or other slots", address, block)
	}
	for i, s := range res.StorageProof {
		if s.Key != sorted[i] || s.Value == nil {
			return nil, fmt.Errorf("eth_getProof of %s at block %d: slot %d is %s, asked %s", address, block, i, s.Key, sorted[i])
		}
	}
	return res, nil
}

// absentAsZero writes an account the proof shows absent as go-ethereum
// answers it, and as the proof record holds it (code and storage hash
// zero): OpenEthereum answers an absent account with the empty code's hash
// and the empty trie's root.
func absentAsZero(res *audit.AccountResult, root common.Hash) {
	if res.CodeHash != types.EmptyCodeHash || res.StorageHash != types.EmptyRootHash || res.Nonce != 0 || res.Balance.ToInt().Sign() != 0 {
		return
	}
	zeroed := *res
	zeroed.CodeHash, zeroed.StorageHash = common.Hash{}, common.Hash{}
	if exists, err := zeroed.Verify(root); err == nil && !exists {
		*res = zeroed
	}
}

func sortedUnique(slots []common.Hash) []common.Hash {
	out := slices.Clone(slots)
	slices.SortFunc(out, common.Hash.Cmp)
	return slices.Compact(out)
}

func toStateKey(chainID, checkpoint uint64, headers [][]byte, res *audit.AccountResult) stateKey {
	k := stateKey{
		ChainID: chainID, Checkpoint: checkpoint, Headers: headers, Address: res.Address, Nonce: uint64(res.Nonce),
		Balance: res.Balance.ToInt(), CodeHash: res.CodeHash, StorageHash: res.StorageHash, AccountProof: bytesOf(res.AccountProof),
	}
	for _, s := range res.StorageProof {
		k.Storage = append(k.Storage, stateSlot{Key: s.Key, Value: s.Value.ToInt(), Proof: bytesOf(s.Proof)})
	}
	return k
}

func (k *stateKey) accountResult() *audit.AccountResult {
	res := &audit.AccountResult{
		Address: k.Address, AccountProof: hexOf(k.AccountProof), Balance: (*hexutil.Big)(k.Balance), CodeHash: k.CodeHash,
		Nonce: hexutil.Uint64(k.Nonce), StorageHash: k.StorageHash, StorageProof: []audit.StorageResult{},
	}
	for _, s := range k.Storage {
		res.StorageProof = append(res.StorageProof, audit.StorageResult{Key: s.Key, Value: (*hexutil.Big)(s.Value), Proof: hexOf(s.Proof)})
	}
	return res
}

// decodeStateRecord verifies a RecordState offline from the proven Anchors
// storage: the checkpoint's hash is proven; the headers link the state's
// block to it; the account and slot proofs lead from that block's state
// root to the values.
func decodeStateRecord(src audit.RecordSource) (json.RawMessage, error) {
	if err := checkAnchorsCode(src.CodeHash); err != nil {
		return nil, err
	}
	var k stateKey
	if err := rlp.DecodeBytes(src.Key, &k); err != nil {
		return nil, fmt.Errorf("record key: %w", err)
	}
	if enc, _ := rlp.EncodeToBytes(&k); !bytes.Equal(enc, src.Key) {
		return nil, errors.New("record key is not canonical RLP")
	}
	hashSlot, _ := checkpointSlots(k.ChainID, k.Checkpoint)
	cpHash, ok := src.Slots[hashSlot]
	if !ok || cpHash == (common.Hash{}) {
		return nil, fmt.Errorf("checkpoint %d of chain %d is not proven anchored", k.Checkpoint, k.ChainID)
	}
	target, err := linkHeaders(k.Headers, k.Checkpoint, cpHash)
	if err != nil {
		return nil, err
	}
	res := k.accountResult()
	exists, err := res.Verify(target.Root)
	if err != nil {
		return nil, fmt.Errorf("block %d of chain %d: %w", target.Number, k.ChainID, err)
	}
	rec := AnchoredState{
		ChainID: k.ChainID, Block: target.Number, BlockHash: target.Hash, StateRoot: target.Root,
		Address: k.Address, Exists: exists, Nonce: k.Nonce, Balance: (*hexutil.Big)(k.Balance), CodeHash: k.CodeHash, StorageHash: k.StorageHash,
		Storage: []StateSlot{}, Checkpoint: k.Checkpoint, CheckpointHash: cpHash, Anchors: src.Address,
	}
	for _, s := range k.Storage {
		rec.Storage = append(rec.Storage, StateSlot{Slot: s.Key, Value: common.BigToHash(s.Value)})
	}
	return json.Marshal(rec)
}

func bytesOf(in []hexutil.Bytes) [][]byte {
	out := make([][]byte, len(in))
	for i, b := range in {
		out[i] = b
	}
	return out
}

func hexOf(in [][]byte) []hexutil.Bytes {
	out := make([]hexutil.Bytes, len(in))
	for i, b := range in {
		out[i] = b
	}
	return out
}
