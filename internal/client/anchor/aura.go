package anchor

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/aura"
)

// AuraChain reads an external Aura chain over its JSON-RPC: headers as
// Aura seals them, and what a contract-based validator set needs
// (aura.Chain).
type AuraChain struct{ rpc *rpc.Client }

// Aura returns the external chain read as an Aura chain.
func (e *External) Aura() *AuraChain { return &AuraChain{e.rpc} }

// auraBatch is how many headers one JSON-RPC batch asks for.
const auraBatch = 128

// Headers returns headers from..to, each checked to hash to the hash the
// node states (as an Aura header) and to link to the one before.
func (a *AuraChain) Headers(ctx context.Context, from, to uint64) ([]*aura.Header, error) {
	var out []*aura.Header
	for n := from; n <= to; n += auraBatch {
		hs, err := a.batch(ctx, n, min(n+auraBatch-1, to))
		if err != nil {
			return nil, err
		}
		for _, h := range hs {
			if len(out) > 0 && h.ParentHash != out[len(out)-1].Hash() {
				return nil, fmt.Errorf("block %d does not link to block %d (a reorg while fetching? run again)", h.Number, h.Number-1)
			}
			out = append(out, h)
		}
	}
	return out, nil
}

func (a *AuraChain) batch(ctx context.Context, from, to uint64) ([]*aura.Header, error) {
	raws := make([]json.RawMessage, to-from+1)
	reqs := make([]rpc.BatchElem, len(raws))
	for i := range reqs {
		reqs[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(from + uint64(i)), false}, Result: &raws[i]}
	}
	if err := a.rpc.BatchCallContext(ctx, reqs); err != nil {
		return nil, fmt.Errorf("eth_getBlockByNumber %d..%d: %w", from, to, err)
	}
	hs := make([]*aura.Header, len(raws))
	for i, r := range reqs {
		n := from + uint64(i)
		if r.Error != nil {
			return nil, fmt.Errorf("eth_getBlockByNumber %d: %w", n, r.Error)
		}
		if len(raws[i]) == 0 || string(raws[i]) == "null" {
			return nil, fmt.Errorf("the external node has no block %d", n)
		}
		h, err := aura.DecodeJSON(raws[i])
		if err != nil {
			return nil, err
		}
		if h.Number != n {
			return nil, fmt.Errorf("asked for block %d, the node answered block %d", n, h.Number)
		}
		hs[i] = h
	}
	return hs, nil
}

var (
	getValidators = []byte{0xb7, 0xab, 0x4d, 0xb5} // getValidators()
	addressList   = abi.Arguments{{Type: mustABIType("address[]")}}
)

func mustABIType(s string) abi.Type {
	t, err := abi.NewType(s, "", nil)
	if err != nil {
		panic(err)
	}
	return t
}

// Validators implements aura.Chain: getValidators() of contract in the
// state after the block with hash at: eth_call with the block hash
// (EIP-1898), or, from a node that does not take one (older Parity), with
// the block's number, the block at that number read again after the call
// to be sure it is still the one with hash at.
func (a *AuraChain) Validators(ctx context.Context, contract common.Address, at common.Hash) ([]common.Address, error) {
	var out hexutil.Bytes
	call := map[string]any{"to": contract, "data": hexutil.Bytes(getValidators)}
	err := a.rpc.CallContext(ctx, &out, "eth_call", call, rpc.BlockNumberOrHashWithHash(at, true))
	if err != nil {
		if out, err = a.callAtNumber(ctx, call, at); err != nil {
			return nil, fmt.Errorf("eth_call getValidators() after block %s: %w", at, err)
		}
	}
	return decodeAddresses(out)
}

// callAtNumber runs call at the number of the block with hash at, and
// checks that block is still at that number afterwards.
func (a *AuraChain) callAtNumber(ctx context.Context, call map[string]any, at common.Hash) (hexutil.Bytes, error) {
	var head struct {
		Number *hexutil.Uint64 `json:"number"`
	}
	if err := a.rpc.CallContext(ctx, &head, "eth_getBlockByHash", at, false); err != nil || head.Number == nil {
		return nil, fmt.Errorf("the node does not know block %s (%v)", at, err)
	}
	var out hexutil.Bytes
	if err := a.rpc.CallContext(ctx, &out, "eth_call", call, *head.Number); err != nil {
		return nil, err
	}
	hs, err := a.batch(ctx, uint64(*head.Number), uint64(*head.Number))
	if err != nil {
		return nil, err
	}
	if hs[0].Hash() != at {
		return nil, fmt.Errorf("block %d changed during the call (a reorg): run again", *head.Number)
	}
	return out, nil
}

func decodeAddresses(data []byte) ([]common.Address, error) {
	vals, err := addressList.Unpack(data)
	if err != nil {
		return nil, fmt.Errorf("not an address[]: %w", err)
	}
	return vals[0].([]common.Address), nil
}

// Signalled implements aura.Chain: the new set of the InitiateChange event
// contract emitted in block h. The header's bloom says whether one can be
// there (the contract, the event and h's parent hash, as OpenEthereum
// looks): if not, the node is not asked; if so, the node's logs must be of
// h (its hash) and name h's parent, as the event does.
func (a *AuraChain) Signalled(ctx context.Context, contract common.Address, h *aura.Header) ([]common.Address, error) {
	for _, t := range [][]byte{contract.Bytes(), aura.InitiateChangeTopic.Bytes(), h.ParentHash.Bytes()} {
		if !h.Bloom.Test(t) {
			return nil, nil
		}
	}
	var logs []types.Log
	q := map[string]any{"fromBlock": hexutil.Uint64(h.Number), "toBlock": hexutil.Uint64(h.Number), "address": contract,
		"topics": []any{aura.InitiateChangeTopic}}
	if err := a.rpc.CallContext(ctx, &logs, "eth_getLogs", q); err != nil {
		return nil, fmt.Errorf("eth_getLogs InitiateChange in block %d: %w", h.Number, err)
	}
	return signalIn(logs, contract, h)
}

// errBadSignal is returned if the node's InitiateChange log does not belong
// to the block the verifier asked about.
var errBadSignal = errors.New("the node's InitiateChange log is not of this block")

// signalIn returns the set of the last InitiateChange log of contract in h
// (only the last change in a block has effect, as OpenEthereum reads it).
func signalIn(logs []types.Log, contract common.Address, h *aura.Header) ([]common.Address, error) {
	var set []common.Address
	for _, l := range logs {
		if l.Address != contract || len(l.Topics) != 2 || l.Topics[0] != aura.InitiateChangeTopic {
			continue
		}
		if l.BlockHash != h.Hash() || l.Topics[1] != h.ParentHash || l.Removed {
			return nil, fmt.Errorf("%w: block %d %s, log of block %s naming parent %s", errBadSignal, h.Number, h.Hash(), l.BlockHash, l.Topics[1])
		}
		s, err := decodeAddresses(l.Data)
		if err != nil {
			return nil, fmt.Errorf("InitiateChange in block %d: %w", h.Number, err)
		}
		set = s
	}
	return set, nil
}

// VerifyAura verifies the headers after the trusted block from, up to to,
// with the Aura rules of spec, reading the chain from a; it returns the
// State after the last header and the number of headers verified. A header
// that breaks the rules gives an error wrapping aura.ErrRuleViolation, after
// the State of the last good header.
func VerifyAura(ctx context.Context, a *AuraChain, spec *aura.Spec, from, to uint64) (*aura.State, uint64, error) {
	if to <= from {
		return nil, 0, fmt.Errorf("nothing to verify: --to %d is not after --from %d", to, from)
	}
	trusted, err := a.Headers(ctx, from, from)
	if err != nil {
		return nil, 0, err
	}
	v := &aura.Verifier{Spec: spec, Chain: a}
	st, err := v.Start(ctx, trusted[0])
	if err != nil {
		return nil, 0, err
	}
	for n := from + 1; n <= to; n += auraBatch {
		hs, err := a.Headers(ctx, n, min(n+auraBatch-1, to))
		if err != nil {
			return st, st.Number - from, err
		}
		if hs[0].ParentHash != st.Hash {
			return st, st.Number - from, fmt.Errorf("block %d does not link to block %d (a reorg while verifying? run again)", n, n-1)
		}
		if st, err = v.VerifyChain(ctx, st, hs); err != nil {
			return st, st.Number - from, err
		}
	}
	return st, st.Number - from, nil
}
