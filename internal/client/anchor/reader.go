package anchor

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/client/audit"
)

// chainReader reads what a proof needs from the external chain's node, as
// that kind of chain's node answers.
type chainReader interface {
	// headers returns the RLP of headers from..to, as the chain hashes
	// them, and their fields; each hashes to the hash the node states and
	// links to the one before.
	headers(ctx context.Context, from, to uint64) ([][]byte, []extHeader, error)
	receipt(ctx context.Context, tx common.Hash) (*types.Receipt, error)
	transactions(ctx context.Context, h extHeader) (types.Transactions, error)
	receipts(ctx context.Context, h extHeader, txs types.Transactions) (types.Receipts, error)
}

// readerFor returns the reader of ext for the chain's consensus in Anchors.
func readerFor(ext *External, st *Status) chainReader {
	if st.Consensus == consensusName(Aura) {
		return auraReader{ext}
	}
	return cliqueReader{ext}
}

// cliqueReader reads a Clique chain from a go-ethereum node.
type cliqueReader struct{ ext *External }

func (r cliqueReader) headers(ctx context.Context, from, to uint64) ([][]byte, []extHeader, error) {
	hs, err := r.ext.Headers(ctx, from, to)
	if err != nil {
		return nil, nil, err
	}
	raw, err := EncodeHeaders(hs)
	if err != nil {
		return nil, nil, err
	}
	out := make([]extHeader, len(hs))
	for i, h := range hs {
		out[i] = fromEthHeader(h)
	}
	return raw, out, nil
}

func (r cliqueReader) receipt(ctx context.Context, tx common.Hash) (*types.Receipt, error) {
	return r.ext.Eth().TransactionReceipt(ctx, tx)
}

func (r cliqueReader) transactions(ctx context.Context, h extHeader) (types.Transactions, error) {
	block, err := r.ext.Eth().BlockByHash(ctx, h.Hash)
	if err != nil {
		return nil, err
	}
	return block.Transactions(), nil
}

func (r cliqueReader) receipts(ctx context.Context, h extHeader, _ types.Transactions) (types.Receipts, error) {
	return r.ext.Eth().BlockReceipts(ctx, rpc.BlockNumberOrHashWithHash(h.Hash, false))
}

// auraReader reads an Aura chain from a Parity/OpenEthereum or Nethermind
// node: headers with their seal fields (aura.DecodeJSON), transactions and
// receipts whose "type" OpenEthereum writes as a JSON number (go-ethereum
// and Nethermind as a hex string), and a block's receipts one transaction
// at a time in one batch (OpenEthereum has no eth_getBlockReceipts).
type auraReader struct{ ext *External }

func (r auraReader) headers(ctx context.Context, from, to uint64) ([][]byte, []extHeader, error) {
	hs, err := r.ext.Aura().Headers(ctx, from, to)
	if err != nil {
		return nil, nil, err
	}
	raw := make([][]byte, len(hs))
	out := make([]extHeader, len(hs))
	for i, h := range hs {
		if raw[i], err = h.Encode(); err != nil {
			return nil, nil, fmt.Errorf("encode header %d: %w", h.Number, err)
		}
		out[i] = fromAuraHeader(h)
	}
	return raw, out, nil
}

func (r auraReader) receipt(ctx context.Context, tx common.Hash) (*types.Receipt, error) {
	var raw json.RawMessage
	if err := r.ext.RPC().CallContext(ctx, &raw, "eth_getTransactionReceipt", tx); err != nil {
		return nil, err
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("not found (no such transaction, or not yet in a block)")
	}
	return decodeReceipt(raw)
}

func (r auraReader) transactions(ctx context.Context, h extHeader) (types.Transactions, error) {
	var block struct {
		Hash         common.Hash       `json:"hash"`
		Transactions []json.RawMessage `json:"transactions"`
	}
	if err := r.ext.RPC().CallContext(ctx, &block, "eth_getBlockByHash", h.Hash, true); err != nil {
		return nil, err
	}
	if block.Hash != h.Hash {
		return nil, fmt.Errorf("the node answered block %s, asked %s", block.Hash, h.Hash)
	}
	txs := make(types.Transactions, len(block.Transactions))
	for i, raw := range block.Transactions {
		tx := new(types.Transaction)
		norm, err := hexType(raw)
		if err == nil {
			err = tx.UnmarshalJSON(norm)
		}
		if err != nil {
			return nil, fmt.Errorf("transaction %d: %w", i, err)
		}
		txs[i] = tx
	}
	return txs, nil
}

func (r auraReader) receipts(ctx context.Context, h extHeader, txs types.Transactions) (types.Receipts, error) {
	raws := make([]json.RawMessage, len(txs))
	reqs := make([]rpc.BatchElem, len(txs))
	for i, tx := range txs {
		reqs[i] = rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{tx.Hash()}, Result: &raws[i]}
	}
	if len(reqs) > 0 {
		if err := r.ext.RPC().BatchCallContext(ctx, reqs); err != nil {
			return nil, err
		}
	}
	out := make(types.Receipts, len(txs))
	for i, req := range reqs {
		if req.Error != nil {
			return nil, fmt.Errorf("receipt of %s: %w", txs[i].Hash(), req.Error)
		}
		rc, err := decodeReceipt(raws[i])
		if err != nil {
			return nil, fmt.Errorf("receipt of %s: %w", txs[i].Hash(), err)
		}
		if rc.BlockHash != h.Hash {
			return nil, fmt.Errorf("the node's receipt of %s is of block %s, not %s (a reorg? run again)", txs[i].Hash(), rc.BlockHash, h.Hash)
		}
		out[i] = rc
	}
	return out, nil
}

// decodeReceipt decodes a receipt as go-ethereum, Nethermind or
// OpenEthereum writes it.
func decodeReceipt(raw json.RawMessage) (*types.Receipt, error) {
	norm, err := hexType(raw)
	if err != nil {
		return nil, err
	}
	r := new(types.Receipt)
	if err := r.UnmarshalJSON(norm); err != nil {
		return nil, err
	}
	return r, nil
}

// hexType returns the JSON object with its "type", if a JSON number (as
// OpenEthereum writes a transaction's and a receipt's type), as a hex
// quantity string (as go-ethereum reads it).
func hexType(raw json.RawMessage) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	t, ok := m["type"]
	if !ok || strings.HasPrefix(string(t), `"`) {
		return raw, nil
	}
	var n uint64
	if err := json.Unmarshal(t, &n); err != nil {
		return nil, fmt.Errorf("type %s is not a number nor a hex quantity", t)
	}
	m["type"], _ = json.Marshal(hexutil.Uint64(n))
	return json.Marshal(m)
}

// proofAccount is an eth_getProof answer as clients write it: a storage key
// is a 32-byte hex string (go-ethereum, when asked one) or a quantity
// (OpenEthereum's U256).
type proofAccount struct {
	audit.AccountResult
	StorageProof []struct {
		Key   storageKey      `json:"key"`
		Value *hexutil.Big    `json:"value"`
		Proof []hexutil.Bytes `json:"proof"`
	} `json:"storageProof"`
}

// storageKey reads a storage key written as 32 bytes or as a quantity.
type storageKey common.Hash

func (k *storageKey) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return fmt.Errorf("storage key %s is not a string", b)
	}
	digits, ok := strings.CutPrefix(s, "0x")
	if !ok || len(digits) == 0 || len(digits) > 64 {
		return fmt.Errorf("storage key %q is neither 32 hex bytes nor a 256-bit quantity", s)
	}
	v, err := hex.DecodeString(strings.Repeat("0", 64-len(digits)) + digits)
	if err != nil {
		return fmt.Errorf("storage key %q: %v", s, err)
	}
	*k = storageKey(common.BytesToHash(v))
	return nil
}

// result returns the answer with the keys as 32-byte hashes.
func (p *proofAccount) result() *audit.AccountResult {
	res := p.AccountResult
	res.StorageProof = make([]audit.StorageResult, len(p.StorageProof))
	for i, s := range p.StorageProof {
		res.StorageProof[i] = audit.StorageResult{Key: common.Hash(s.Key), Value: s.Value, Proof: s.Proof}
	}
	return &res
}
