package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// Caller is the JSON-RPC client the audit needs (go-ethereum's *rpc.Client
// implements it).
type Caller interface {
	CallContext(ctx context.Context, result any, method string, args ...any) error
}

// ProveRequest says what to prove: an account, some of its storage slots and,
// if RecordKind is set, the record that kind's decoder reads from those slots.
type ProveRequest struct {
	Address    common.Address
	Slots      []common.Hash
	Block      uint64   // block number whose state is proven
	RecordKind string   // a kind of Records; empty for none
	RecordKey  []byte   // the record's key, for keyed kinds (Records.AddKeyed)
	Records    *Records // the decoders the proof is made and checked with
}

// Prove fetches the header of req.Block and eth_getProof of the account and
// slots at that block from a node (an archive node for old blocks), and
// returns the proof, already verified against the header's hash: a node
// that answers with inconsistent data is reported, not written to a file.
func Prove(ctx context.Context, c Caller, req ProveRequest) (*Proof, error) {
	header, err := fetchHeader(ctx, c, req.Block)
	if err != nil {
		return nil, err
	}
	claim, err := headerClaim(header, req.Block)
	if err != nil {
		return nil, err
	}
	res, err := fetchAccountProof(ctx, c, req)
	if err != nil {
		return nil, err
	}
	p := &Proof{Version: ProofVersion, Header: *claim, Account: *res}
	if req.RecordKind != "" {
		if p.Record, err = decodeRecord(p, req); err != nil {
			return nil, err
		}
	}
	if err := p.Verify(header.Hash(), req.Records); err != nil {
		return nil, fmt.Errorf("the node's answer does not verify (is it the chain you meant, and honest?): %w", err)
	}
	// Round trip through the file form so the caller holds what a reader sees.
	data, err := p.Encode()
	if err != nil {
		return nil, err
	}
	return DecodeProof(data)
}

// headerClaim returns what a proof file says of header, the header of
// block, with its sealer.
func headerClaim(header *types.Header, block uint64) (*HeaderClaim, error) {
	enc, err := rlp.EncodeToBytes(header)
	if err != nil {
		return nil, err
	}
	sealer, err := sealerOf(header)
	if err != nil {
		return nil, fmt.Errorf("block %d has no valid Clique seal: %w", block, err)
	}
	return &HeaderClaim{
		RLP:        enc,
		Hash:       header.Hash(),
		Number:     hexutil.Uint64(header.Number.Uint64()),
		ParentHash: header.ParentHash,
		StateRoot:  header.Root,
		Time:       hexutil.Uint64(header.Time),
		Sealer:     sealer,
	}, nil
}

// fetchAccountProof asks the node for eth_getProof of req's account and
// slots at its block and checks that the answer is about them.
func fetchAccountProof(ctx context.Context, c Caller, req ProveRequest) (*AccountResult, error) {
	slots := sortedSlots(req.Slots)
	keys := make([]string, len(slots))
	for i, s := range slots {
		keys[i] = s.Hex()
	}
	var res AccountResult
	if err := c.CallContext(ctx, &res, "eth_getProof", req.Address, keys, hexutil.Uint64(req.Block)); err != nil {
		return nil, fmt.Errorf("eth_getProof of %s at block %d: %w", req.Address, req.Block, StateError(ctx, c, req.Block, err))
	}
	if err := checkAnswer(&res, req.Address, slots); err != nil {
		return nil, fmt.Errorf("eth_getProof of %s at block %d: %w", req.Address, req.Block, err)
	}
	return &res, nil
}

// decodeRecord decodes the record req asks for from p's proven slots.
func decodeRecord(p *Proof, req ProveRequest) (*Record, error) {
	decode, ok := req.Records.decoder(req.RecordKind)
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrUnknownRecord, req.RecordKind)
	}
	value, err := decode(p.source(req.RecordKey))
	if err != nil {
		return nil, fmt.Errorf("decode %s record of %s at block %d: %w", req.RecordKind, req.Address, req.Block, err)
	}
	var key hexutil.Bytes
	if len(req.RecordKey) > 0 {
		key = req.RecordKey
	}
	return &Record{Kind: req.RecordKind, Key: key, Value: value}, nil
}

// StateError explains err, a failed read of the state at block
// (eth_getProof, eth_getStorageAt): a block above the node's head has not
// been sealed yet (ErrFutureBlock); an older block's state may have been
// pruned, which an archive node keeps.
func StateError(ctx context.Context, c Caller, block uint64, err error) error {
	var head hexutil.Uint64
	if herr := c.CallContext(ctx, &head, "eth_blockNumber"); herr == nil && block > uint64(head) {
		return fmt.Errorf("%w: block %d is not sealed yet, the node's head is %d: ask for block %d or lower, or wait (node: %v)", ErrFutureBlock, block, uint64(head), uint64(head), err)
	}
	return fmt.Errorf("%w (old blocks need an archive node: citynode --mode auditor)", err)
}

// checkAnswer checks that an eth_getProof result is about the address and
// slots asked for, in order.
func checkAnswer(res *AccountResult, address common.Address, slots []common.Hash) error {
	if res.Address != address {
		return fmt.Errorf("the node answered for account %s", res.Address)
	}
	if len(res.StorageProof) != len(slots) {
		return fmt.Errorf("the node returned %d storage proofs for %d slots", len(res.StorageProof), len(slots))
	}
	for i, s := range res.StorageProof {
		if s.Key != slots[i] {
			return fmt.Errorf("storage proof %d is for key %s, asked %s", i, s.Key, slots[i])
		}
	}
	return nil
}

// fetchHeader returns the header of block number, checking that its fields
// hash to the hash the node reports.
func fetchHeader(ctx context.Context, c Caller, number uint64) (*types.Header, error) {
	var raw json.RawMessage
	if err := c.CallContext(ctx, &raw, "eth_getBlockByNumber", hexutil.Uint64(number), false); err != nil {
		return nil, fmt.Errorf("fetch block %d: %w", number, err)
	}
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("block %d not found: the node's chain is shorter", number)
	}
	return decodeHeader(raw)
}

// decodeHeader decodes a header from its JSON-RPC form and checks that its
// fields hash to the hash given beside them.
func decodeHeader(raw json.RawMessage) (*types.Header, error) {
	header := new(types.Header)
	if err := json.Unmarshal(raw, header); err != nil {
		return nil, fmt.Errorf("decode header: %w", err)
	}
	var stated struct {
		Hash *common.Hash `json:"hash"`
	}
	if err := json.Unmarshal(raw, &stated); err != nil || stated.Hash == nil {
		return nil, errors.New("header without a hash in the node's reply")
	}
	if have := header.Hash(); have != *stated.Hash {
		return nil, fmt.Errorf("header %v: fields hash to %s, node says %s (fields this client does not know?)", header.Number, have, *stated.Hash)
	}
	return header, nil
}
