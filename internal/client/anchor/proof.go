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
	// Root is the state root after the transaction, which a receipt holds
	// in place of its status before EIP-658 (Byzantium; an Aura chain whose
	// spec has no eip658Transition): Status is then 0 and says nothing.
	Root    hexutil.Bytes  `json:"root,omitempty"`
	Logs    []AnchoredLog  `json:"logs"`
	Anchors common.Address `json:"anchors"`
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

// ErrWrongChain is returned if --chain-rpc serves another chain than the
// one named.
var ErrWrongChain = errors.New("--chain-rpc serves another chain")

// ProveReceipt proves the receipt of txHash on the external chain against
// the first anchored checkpoint at or above its block, and that checkpoint
// against citychain's state at citychain block at (the latest if nil).
func ProveReceipt(ctx context.Context, a *Contract, ext *External, chainID uint64, txHash common.Hash, at *uint64) (*audit.Proof, error) {
	st, r, err := proofSetup(ctx, a, ext, chainID)
	if err != nil {
		return nil, err
	}
	rc, err := r.receipt(ctx, txHash)
	if err != nil {
		return nil, fmt.Errorf("receipt of %s on the external chain: %w", txHash, err)
	}
	block := rc.BlockNumber.Uint64()
	cp, err := coveringCheckpoint(ctx, a, st, block)
	if err != nil {
		return nil, err
	}
	raw, hs, err := anchoredHeaders(ctx, r, block, cp)
	if err != nil {
		return nil, err
	}
	index := uint64(rc.TransactionIndex)
	txNodes, txs, err := txProof(ctx, r, hs[0], index, txHash)
	if err != nil {
		return nil, err
	}
	nodes, err := receiptProof(ctx, r, hs[0], txs, index)
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

// proofSetup reads the chain's registration in Anchors and checks that
// --chain-rpc serves that chain (its id and genesis); it returns the reader
// for the chain's consensus.
func proofSetup(ctx context.Context, a *Contract, ext *External, chainID uint64) (*Status, chainReader, error) {
	st, err := a.Status(ctx, chainID)
	if err != nil {
		return nil, nil, err
	}
	id, err := ext.ChainID(ctx)
	if err != nil {
		return nil, nil, err
	}
	if id != chainID {
		return nil, nil, fmt.Errorf("%w: its chain id is %d, --chain is %d: give the node of chain %d", ErrWrongChain, id, chainID, chainID)
	}
	r := readerFor(ext, st)
	_, g, err := r.headers(ctx, 0, 0)
	if err != nil {
		return nil, nil, fmt.Errorf("genesis of --chain-rpc read as a %s chain: %w", st.Consensus, err)
	}
	if g[0].Hash != st.Genesis {
		return nil, nil, fmt.Errorf("%w: its genesis is %s, chain %d was registered with genesis %s", ErrWrongChain, g[0].Hash, chainID, st.Genesis)
	}
	return st, r, nil
}

// anchoredHeaders reads the headers from block to the checkpoint cp and
// checks the last is the anchored one.
func anchoredHeaders(ctx context.Context, r chainReader, block uint64, cp Checkpoint) ([][]byte, []extHeader, error) {
	raw, hs, err := r.headers(ctx, block, cp.Number)
	if err != nil {
		return nil, nil, err
	}
	if have := hs[len(hs)-1].Hash; have != cp.Hash {
		return nil, nil, fmt.Errorf("%w: block %d is %s on --chain-rpc, %s in Anchors", ErrForked, cp.Number, have, cp.Hash)
	}
	return raw, hs, nil
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
func coveringCheckpoint(ctx context.Context, a *Contract, s *Status, block uint64) (Checkpoint, error) {
	if block > s.Latest.Number {
		return a.Covering(ctx, s, block, 0)
	}
	return a.Covering(ctx, s, block, s.Latest.Number-block+1)
}

// receiptProof builds the receipts trie of header's block (transactions
// txs) from the node's receipts, checks its root, and returns the proof
// nodes of receipt index.
func receiptProof(ctx context.Context, r chainReader, header extHeader, txs types.Transactions, index uint64) ([][]byte, error) {
	receipts, err := r.receipts(ctx, header, txs)
	if err != nil {
		return nil, fmt.Errorf("receipts of block %d: %w", header.Number, err)
	}
	items := make([][]byte, len(receipts))
	for i, rc := range receipts {
		if items[i], err = rc.MarshalBinary(); err != nil {
			return nil, err
		}
	}
	return trieProof(items, index, header.ReceiptHash, fmt.Sprintf("the node's receipts of block %d", header.Number))
}

// txProof builds the transactions trie of header's block from the node's
// block body, checks its root and that transaction index hashes to txHash,
// and returns its proof nodes and the block's transactions.
func txProof(ctx context.Context, r chainReader, header extHeader, index uint64, txHash common.Hash) ([][]byte, types.Transactions, error) {
	txs, err := r.transactions(ctx, header)
	if err != nil {
		return nil, nil, fmt.Errorf("transactions of block %d: %w", header.Number, err)
	}
	if index >= uint64(len(txs)) || txs[index].Hash() != txHash {
		return nil, nil, fmt.Errorf("block %d holds no transaction %s at index %d (the node's receipt and block disagree)", header.Number, txHash, index)
	}
	items := make([][]byte, len(txs))
	for i, tx := range txs {
		if items[i], err = tx.MarshalBinary(); err != nil {
			return nil, nil, err
		}
	}
	nodes, err := trieProof(items, index, header.TxHash, fmt.Sprintf("the node's transactions of block %d", header.Number))
	return nodes, txs, err
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
		ChainID: k.ChainID, Block: target.Number, BlockHash: target.Hash, TxHash: tx.Hash(), TxIndex: k.TxIndex, From: from, To: tx.To(),
		Checkpoint: k.Checkpoint, CheckpointHash: cpHash, Status: receipt.Status, Root: receipt.PostState, Logs: []AnchoredLog{}, Anchors: src.Address,
	}
	for _, l := range receipt.Logs {
		rec.Logs = append(rec.Logs, AnchoredLog{Address: l.Address, Topics: append([]common.Hash{}, l.Topics...), Data: l.Data})
	}
	return json.Marshal(rec)
}

// linkHeaders checks that the RLP headers (Ethereum or Aura, see
// decodeExtHeader) end at the anchored checkpoint (number, hash cp) and
// link one to the next, and returns the first (the block of the record).
func linkHeaders(headers [][]byte, checkpoint uint64, cp common.Hash) (extHeader, error) {
	if len(headers) == 0 {
		return extHeader{}, errors.New("no header in the record")
	}
	hs := make([]extHeader, len(headers))
	for i, raw := range headers {
		h, err := decodeExtHeader(raw)
		if err != nil {
			return extHeader{}, fmt.Errorf("header %d: %w", i, err)
		}
		if i > 0 && (h.ParentHash != hs[i-1].Hash || h.Number != hs[i-1].Number+1) {
			return extHeader{}, fmt.Errorf("header %d does not follow header %d", h.Number, hs[i-1].Number)
		}
		hs[i] = h
	}
	last := hs[len(hs)-1]
	if last.Number != checkpoint || last.Hash != cp {
		return extHeader{}, fmt.Errorf("the headers end at %d %s, not at the anchored checkpoint %d %s", last.Number, last.Hash, checkpoint, cp)
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
