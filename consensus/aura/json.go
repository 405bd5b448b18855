package aura

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// rpcHeader is a block as eth_getBlockByNumber returns it from an Aura
// node: Parity/OpenEthereum gives sealFields (the RLP of step and
// signature) and also step (decimal) and signature (hex without 0x);
// Nethermind gives step and signature.
type rpcHeader struct {
	Hash        common.Hash     `json:"hash"`
	ParentHash  common.Hash     `json:"parentHash"`
	UncleHash   common.Hash     `json:"sha3Uncles"`
	Coinbase    common.Address  `json:"miner"`
	Root        common.Hash     `json:"stateRoot"`
	TxHash      common.Hash     `json:"transactionsRoot"`
	ReceiptHash common.Hash     `json:"receiptsRoot"`
	Bloom       types.Bloom     `json:"logsBloom"`
	Difficulty  *hexutil.Big    `json:"difficulty"`
	Number      *hexutil.Uint64 `json:"number"`
	GasLimit    hexutil.Uint64  `json:"gasLimit"`
	GasUsed     hexutil.Uint64  `json:"gasUsed"`
	Time        hexutil.Uint64  `json:"timestamp"`
	Extra       hexutil.Bytes   `json:"extraData"`
	BaseFee     *hexutil.Big    `json:"baseFeePerGas"`
	SealFields  []hexutil.Bytes `json:"sealFields"`
	Step        json.RawMessage `json:"step"`
	Signature   string          `json:"signature"`
}

// DecodeJSON reads a header from an eth_getBlockByNumber result and checks
// that it hashes to the hash the node states.
func DecodeJSON(data []byte) (*Header, error) {
	var r rpcHeader
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("aura block: %w", err)
	}
	if r.Number == nil || r.Difficulty == nil {
		return nil, fmt.Errorf("aura block without number or difficulty (is it a block at all?)")
	}
	h := &Header{ParentHash: r.ParentHash, UncleHash: r.UncleHash, Coinbase: r.Coinbase, Root: r.Root, TxHash: r.TxHash,
		ReceiptHash: r.ReceiptHash, Bloom: r.Bloom, Difficulty: r.Difficulty.ToInt(), Number: uint64(*r.Number),
		GasLimit: uint64(r.GasLimit), GasUsed: uint64(r.GasUsed), Time: uint64(r.Time), Extra: r.Extra}
	if r.BaseFee != nil {
		h.BaseFee = r.BaseFee.ToInt()
	}
	if err := r.seal(h); err != nil {
		return nil, fmt.Errorf("block %d: %w", h.Number, err)
	}
	if err := h.sanity(); err != nil {
		return nil, err
	}
	if got := h.Hash(); got != r.Hash {
		return nil, fmt.Errorf("block %d: the node states hash %s, its fields hash to %s as an Aura header (not an Aura chain, or a seal with empty steps?)", h.Number, r.Hash, got)
	}
	return h, nil
}

// seal sets h's step and signature from sealFields, or else from step and
// signature.
func (r *rpcHeader) seal(h *Header) error {
	switch {
	case len(r.SealFields) == 2:
		if err := rlp.DecodeBytes(r.SealFields[0], &h.Step); err != nil {
			return fmt.Errorf("seal field 0 (step): %w", err)
		}
		var sig []byte
		if err := rlp.DecodeBytes(r.SealFields[1], &sig); err != nil || len(sig) != len(h.Signature) {
			return fmt.Errorf("seal field 1 is not a %d-byte signature", len(h.Signature))
		}
		copy(h.Signature[:], sig)
		return nil
	case len(r.SealFields) > 2:
		return fmt.Errorf("seal of %d fields: empty steps (emptyStepsTransition) are not supported", len(r.SealFields))
	}
	step, err := parseQuantity(r.Step)
	if err != nil {
		return fmt.Errorf("step: %w", err)
	}
	sig, err := hexutil.Decode("0x" + strings.TrimPrefix(r.Signature, "0x"))
	if err != nil || len(sig) != len(h.Signature) {
		return fmt.Errorf("signature %q is not %d hex bytes", r.Signature, len(h.Signature))
	}
	h.Step = step
	copy(h.Signature[:], sig)
	return nil
}

// parseQuantity reads a JSON number or string, decimal or 0x-hex, as chain
// specs and Aura nodes write quantities.
func parseQuantity(raw json.RawMessage) (uint64, error) {
	s := strings.TrimSpace(string(raw))
	if s == "" || s == "null" {
		return 0, fmt.Errorf("missing")
	}
	if unq, err := strconv.Unquote(s); err == nil {
		s = unq
	}
	base := 10
	if strings.HasPrefix(s, "0x") || strings.HasPrefix(s, "0X") {
		s, base = s[2:], 16
	}
	n, err := strconv.ParseUint(s, base, 64)
	if err != nil || s == "" || s[0] == '+' {
		return 0, fmt.Errorf("%q is not a 64-bit quantity", string(raw))
	}
	return n, nil
}
