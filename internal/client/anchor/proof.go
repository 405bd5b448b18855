package anchor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/ethereum/go-ethereum/triedb"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/client/audit"
)

// RecordReceipt is the proof record kind of a receipt of an external chain
// anchored in Anchors: its key holds the receipt's Merkle-Patricia proof
// against its block's receipts root, the transaction's against its
// transactions root, and the headers from that block to an anchored
// checkpoint; the proven Anchors storage holds the checkpoint.
const RecordReceipt = "anchored-receipt"

// receiptKey is the RLP of a RecordReceipt key.
type receiptKey struct {
	ChainID    uint64
	Checkpoint uint64
	TxHash     common.Hash // the transaction named, proven by TxProof
	TxIndex    uint64
	Headers    [][]byte // RLP headers from the receipt's block up to the checkpoint, ascending
	Proof      [][]byte // receipt trie nodes, sorted
	TxProof    [][]byte // transaction trie nodes, sorted
}

// AnchoredReceipt is the decoded record: the receipt and where it is anchored.
type AnchoredReceipt struct {
	ChainID        uint64          `json:"chainId"`
	Block          uint64          `json:"block"`
	BlockHash      common.Hash     `json:"blockHash"`
	TxHash         common.Hash     `json:"txHash"`
	TxIndex        uint64          `json:"txIndex"`
	From           common.Address  `json:"from"`
	To             *common.Address `json:"to"` // nil for a contract creation
	Checkpoint     uint64          `json:"checkpoint"`
	CheckpointHash common.Hash     `json:"checkpointHash"`
	Status         uint64          `json:"status"`
	Logs           []AnchoredLog   `json:"logs"`
	Anchors        common.Address  `json:"anchors"`
}

// AnchoredLog is a log of the receipt.
type AnchoredLog struct {
	Address common.Address `json:"address"`
	Topics  []common.Hash  `json:"topics"`
	Data    hexutil.Bytes  `json:"data"`
}

// Records returns the proof record decoders of anchoring (RecordReceipt,
// RecordState, RecordCheckpoint),
// to add to the set `audit verify-proof` checks with.
func Records(r *audit.Records) {
	r.AddKeyed(RecordReceipt, decodeReceiptRecord)
	r.AddKeyed(RecordState, decodeStateRecord)
	r.AddKeyed(RecordCheckpoint, decodeCheckpointRecord)
}

// ErrNotAnchored is returned if no anchored checkpoint covers a block.
var ErrNotAnchored = errors.New("no anchored checkpoint at or above the block yet")

// ProveReceipt proves the receipt of txHash on the external chain against
// the first anchored checkpoint at or above its block, and that checkpoint
// against citychain's state at citychain block at (the latest if nil).
func ProveReceipt(ctx context.Context, a *Contract, ext *External, chainID uint64, txHash common.Hash, at *uint64) (*audit.Proof, error) {
	r, err := ext.Eth().TransactionReceipt(ctx, txHash)
	if err != nil {
		return nil, fmt.Errorf("receipt of %s on the external chain: %w", txHash, err)
	}
	block := r.BlockNumber.Uint64()
	cp, err := coveringCheckpoint(ctx, a, chainID, block)
	if err != nil {
		return nil, err
	}
	headers, err := ext.Headers(ctx, block, cp.Number)
	if err != nil {
		return nil, err
	}
	if have := headers[len(headers)-1].Hash(); have != cp.Hash {
		return nil, fmt.Errorf("%w: block %d is %s on --chain-rpc, %s in Anchors", ErrForked, cp.Number, have, cp.Hash)
	}
	index := uint64(r.TransactionIndex)
	nodes, err := receiptProof(ctx, ext, headers[0], index)
	if err != nil {
		return nil, err
	}
	txNodes, err := txProof(ctx, ext, headers[0], index, txHash)
	if err != nil {
		return nil, err
	}
	raw, err := EncodeHeaders(headers)
	if err != nil {
		return nil, err
	}
	key, err := rlp.EncodeToBytes(receiptKey{ChainID: chainID, Checkpoint: cp.Number, TxHash: txHash, TxIndex: index, Headers: raw, Proof: nodes, TxProof: txNodes})
	if err != nil {
		return nil, err
	}
	hashSlot, rootSlot := checkpointSlots(chainID, cp.Number)
	return proveCheckpoint(ctx, a, at, RecordReceipt, key, hashSlot, rootSlot)
}

// proveCheckpoint proves Anchors' slots (of an anchored checkpoint) at
// citychain block at (the latest if nil), with the record kind and key.
func proveCheckpoint(ctx context.Context, a *Contract, at *uint64, kind string, key []byte, slots ...common.Hash) (*audit.Proof, error) {
	number := at
	if number == nil {
		head, err := a.c.Eth().BlockNumber(ctx)
		if err != nil {
			return nil, err
		}
		number = &head
	}
	records := new(audit.Records)
	Records(records)
	return audit.Prove(ctx, a.c.RPC(), audit.ProveRequest{
		Address: a.Address, Slots: slots, Block: *number, RecordKind: kind, RecordKey: key, Records: records,
	})
}

// coveringCheckpoint returns the first anchored checkpoint at or above block.
func coveringCheckpoint(ctx context.Context, a *Contract, chainID, block uint64) (Checkpoint, error) {
	s, err := a.Status(ctx, chainID)
	if err != nil {
		return Checkpoint{}, err
	}
	if block > s.Latest.Number {
		return a.Covering(ctx, s, block, 0)
	}
	return a.Covering(ctx, s, block, s.Latest.Number-block+1)
}

// receiptProof builds the receipts trie of header's block from the node's
// receipts, checks its root, and returns the proof nodes of receipt index.
func receiptProof(ctx context.Context, ext *External, header *types.Header, index uint64) ([][]byte, error) {
	receipts, err := ext.Eth().BlockReceipts(ctx, rpc.BlockNumberOrHashWithHash(header.Hash(), false))
	if err != nil {
		return nil, fmt.Errorf("receipts of block %d: %w", header.Number, err)
	}
	items := make([][]byte, len(receipts))
	for i, r := range receipts {
		if items[i], err = r.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	return trieProof(items, index, header.ReceiptHash, fmt.Sprintf("the node's receipts of block %d", header.Number))
}

// txProof builds the transactions trie of header's block from the node's
// block body, checks its root and that transaction index hashes to txHash,
// and returns its proof nodes.
func txProof(ctx context.Context, ext *External, header *types.Header, index uint64, txHash common.Hash) ([][]byte, error) {
	block, err := ext.Eth().BlockByHash(ctx, header.Hash())
	if err != nil {
		return nil, fmt.Errorf("transactions of block %d: %w", header.Number, err)
	}
	txs := block.Transactions()
	if index >= uint64(len(txs)) || txs[index].Hash() != txHash {
		return nil, fmt.Errorf("block %d holds no transaction %s at index %d (the node's receipt and block disagree)", header.Number, txHash, index)
	}
	items := make([][]byte, len(txs))
	for i, tx := range txs {
		if items[i], err = tx.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	return trieProof(items, index, header.TxHash, fmt.Sprintf("the node's transactions of block %d", header.Number))
}

// trieProof builds the Merkle-Patricia trie of items keyed by RLP index (as
// a block's transactions and receipts tries are), checks that it hashes to
// root, and returns the proof nodes of item index, sorted.
func trieProof(items [][]byte, index uint64, root common.Hash, what string) ([][]byte, error) {
	tr := trie.NewEmpty(triedb.NewDatabase(rawdb.NewMemoryDatabase(), nil))
	for i, item := range items {
		k, _ := rlp.EncodeToBytes(uint64(i))
		if err := tr.Update(k, item); err != nil {
			return nil, err
		}
	}
	if tr.Hash() != root {
		return nil, fmt.Errorf("%s hash to %s, the header says %s", what, tr.Hash(), root)
	}
	db := memorydb.New()
	k, _ := rlp.EncodeToBytes(index)
	if err := tr.Prove(k, db); err != nil {
		return nil, err
	}
	var nodes [][]byte
	it := db.NewIterator(nil, nil)
	defer it.Release()
	for it.Next() {
		nodes = append(nodes, slices.Clone(it.Value()))
	}
	slices.SortFunc(nodes, bytes.Compare)
	return nodes, nil
}

// decodeReceiptRecord verifies a RecordReceipt offline from the proven
// Anchors storage: the checkpoint's hash and receipts root are proven; the
// headers link the receipt's block to the checkpoint; the receipt's proof
// leads from the block's receipts root to the receipt.
func decodeReceiptRecord(src audit.RecordSource) (json.RawMessage, error) {
	if err := checkAnchorsCode(src.CodeHash); err != nil {
		return nil, err
	}
	var k receiptKey
	if err := rlp.DecodeBytes(src.Key, &k); err != nil {
		return nil, fmt.Errorf("record key: %w (a proof written before cityctl proved the transaction too? write it again with cityctl anchor prove)", err)
	}
	hashSlot, rootSlot := checkpointSlots(k.ChainID, k.Checkpoint)
	cpHash, ok := src.Slots[hashSlot]
	if !ok || cpHash == (common.Hash{}) {
		return nil, fmt.Errorf("checkpoint %d of chain %d is not proven anchored", k.Checkpoint, k.ChainID)
	}
	if _, ok := src.Slots[rootSlot]; !ok {
		return nil, errors.New("the checkpoint's receipts root is not proven")
	}
	target, err := linkHeaders(k.Headers, k.Checkpoint, cpHash)
	if err != nil {
		return nil, err
	}
	receipt, err := verifyReceipt(target.ReceiptHash, k.TxIndex, k.Proof)
	if err != nil {
		return nil, err
	}
	tx, from, err := verifyTx(target.TxHash, k)
	if err != nil {
		return nil, err
	}
	rec := AnchoredReceipt{
		ChainID: k.ChainID, Block: target.Number.Uint64(), BlockHash: target.Hash(), TxHash: tx.Hash(), TxIndex: k.TxIndex, From: from, To: tx.To(),
		Checkpoint: k.Checkpoint, CheckpointHash: cpHash, Status: receipt.Status, Logs: []AnchoredLog{}, Anchors: src.Address,
	}
	for _, l := range receipt.Logs {
		rec.Logs = append(rec.Logs, AnchoredLog{Address: l.Address, Topics: append([]common.Hash{}, l.Topics...), Data: l.Data})
	}
	return json.Marshal(rec)
}

// linkHeaders checks that the RLP headers end at the anchored checkpoint
// (number, hash cp) and link one to the next, and returns the first (the
// block of the record).
func linkHeaders(headers [][]byte, checkpoint uint64, cp common.Hash) (*types.Header, error) {
	if len(headers) == 0 {
		return nil, errors.New("no header in the record")
	}
	hs := make([]*types.Header, len(headers))
	for i, raw := range headers {
		hs[i] = new(types.Header)
		if err := rlp.DecodeBytes(raw, hs[i]); err != nil {
			return nil, fmt.Errorf("header %d: %w", i, err)
		}
		if enc, _ := rlp.EncodeToBytes(hs[i]); !bytes.Equal(enc, raw) {
			return nil, fmt.Errorf("header %d is not canonical RLP", i)
		}
		if i > 0 && (hs[i].ParentHash != hs[i-1].Hash() || hs[i].Number.Uint64() != hs[i-1].Number.Uint64()+1) {
			return nil, fmt.Errorf("header %d does not follow header %d", hs[i].Number, hs[i-1].Number)
		}
	}
	last := hs[len(hs)-1]
	if last.Number.Uint64() != checkpoint || last.Hash() != cp {
		return nil, fmt.Errorf("the headers end at %d %s, not at the anchored checkpoint %d %s", last.Number, last.Hash(), checkpoint, cp)
	}
	return hs[0], nil
}

// verifyReceipt checks the receipt proof against root and decodes it.
func verifyReceipt(root common.Hash, index uint64, proof [][]byte) (*types.Receipt, error) {
	enc, err := verifyTrieValue(root, index, proof)
	if err != nil {
		return nil, fmt.Errorf("the receipt proof does not lead from receipts root %s to receipt %d: %v", root, index, err)
	}
	r := new(types.Receipt)
	if err := r.UnmarshalBinary(enc); err != nil {
		return nil, fmt.Errorf("receipt %d: %w", index, err)
	}
	return r, nil
}

// verifyTx checks k's transaction proof against the transactions root and
// that the transaction is the one k names; it returns it and its sender.
func verifyTx(root common.Hash, k receiptKey) (*types.Transaction, common.Address, error) {
	enc, err := verifyTrieValue(root, k.TxIndex, k.TxProof)
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("the transaction proof does not lead from transactions root %s to transaction %d: %v", root, k.TxIndex, err)
	}
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(enc); err != nil {
		return nil, common.Address{}, fmt.Errorf("transaction %d: %w", k.TxIndex, err)
	}
	if tx.Hash() != k.TxHash {
		return nil, common.Address{}, fmt.Errorf("transaction %d of the block is %s, the record names %s", k.TxIndex, tx.Hash(), k.TxHash)
	}
	from, err := types.Sender(types.LatestSignerForChainID(new(big.Int).SetUint64(k.ChainID)), tx)
	if err != nil {
		return nil, common.Address{}, fmt.Errorf("transaction %s: sender: %w", tx.Hash(), err)
	}
	return tx, from, nil
}

// verifyTrieValue returns the value at RLP key index of the trie with root,
// from proof: nodes sorted and unique.
func verifyTrieValue(root common.Hash, index uint64, proof [][]byte) ([]byte, error) {
	db := memorydb.New()
	for i, n := range proof {
		if i > 0 && bytes.Compare(proof[i-1], n) >= 0 {
			return nil, errors.New("proof nodes are not sorted and unique")
		}
		db.Put(crypto.Keccak256(n), n)
	}
	k, _ := rlp.EncodeToBytes(index)
	enc, err := trie.VerifyProof(root, k, db)
	if err == nil && enc == nil {
		err = errors.New("no value at that key")
	}
	return enc, err
}

// checkAnchorsCode checks that the proven account runs Anchors' committed
// code with the Directory's address as its immutable.
func checkAnchorsCode(codeHash common.Hash) error {
	a := contracts.MustLoad(contracts.AnchorsName)
	code := slices.Clone([]byte(a.DeployedBytecode))
	word := common.BytesToHash(contracts.DirectoryAddress.Bytes())
	for _, refs := range a.ImmutableReferences {
		for _, r := range refs {
			copy(code[r.Start:r.Start+r.Length], word[32-r.Length:])
		}
	}
	if want := crypto.Keccak256Hash(code); codeHash != want {
		return fmt.Errorf("the proven account's code hash %s is not Anchors' (%s): not the Anchors contract", codeHash, want)
	}
	return nil
}

// checkpointSlots returns the storage slots of the hash and receipts root of
// Anchors' _checkpoints[chainID][number].
func checkpointSlots(chainID, number uint64) (hash, receiptsRoot common.Hash) {
	base := new(big.Int).SetBytes(crypto.Keccak256(common.BigToHash(new(big.Int).SetUint64(chainID)).Bytes(), common.BigToHash(checkpointsSlot).Bytes()))
	s := new(big.Int).SetBytes(crypto.Keccak256(common.BigToHash(new(big.Int).SetUint64(number)).Bytes(), common.BigToHash(base).Bytes()))
	return common.BigToHash(new(big.Int).Add(s, big.NewInt(int64(memberReceipts[0])))), common.BigToHash(new(big.Int).Add(s, big.NewInt(int64(memberReceipts[1]))))
}

// The slot of _checkpoints and the offsets of Checkpoint.hash and
// Checkpoint.receiptsRoot, from the artifact's storage layout.
var (
	checkpointsSlot, memberReceipts = layoutOfCheckpoints()
)

func layoutOfCheckpoints() (*big.Int, [2]uint64) {
	var raw struct {
		Storage []struct{ Label, Slot, Type string } `json:"storage"`
		Types   map[string]struct {
			Members []struct{ Label, Slot string } `json:"members"`
		} `json:"types"`
	}
	if err := json.Unmarshal(contracts.MustLoad(contracts.AnchorsName).StorageLayout, &raw); err != nil {
		panic(err)
	}
	var slot *big.Int
	for _, v := range raw.Storage {
		if v.Label == "_checkpoints" {
			slot, _ = new(big.Int).SetString(v.Slot, 10)
		}
	}
	var members [2]uint64
	found := 0
	for id, t := range raw.Types {
		if !strings.HasPrefix(id, "t_struct(Checkpoint)") {
			continue
		}
		for _, m := range t.Members {
			n, _ := strconv.ParseUint(m.Slot, 10, 64)
			switch m.Label {
			case "hash":
				members[0] = n
				found++
			case "receiptsRoot":
				members[1] = n
				found++
			}
		}
	}
	if slot == nil || found != 2 {
		panic("anchor: the Anchors storage layout has no _checkpoints of Checkpoint{hash, receiptsRoot}: artifact changed? update proof.go")
	}
	return slot, members
}
