package anchor

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/client/audit"
)

// External is an external Clique chain read over its JSON-RPC.
type External struct {
	URL string
	rpc *rpc.Client
	eth *ethclient.Client
}

// DialExternal connects to the external chain's node at url.
func DialExternal(ctx context.Context, url string) (*External, error) {
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("--chain-rpc %s: %w", url, err)
	}
	e := &External{URL: url, rpc: c, eth: ethclient.NewClient(c)}
	if _, err := e.ChainID(ctx); err != nil {
		c.Close()
		return nil, fmt.Errorf("--chain-rpc %s does not answer (%v): is the external chain's node running with its HTTP JSON-RPC on?", url, err)
	}
	return e, nil
}

// Close closes the connection.
func (e *External) Close() { e.rpc.Close() }

// RPC returns the connection.
func (e *External) RPC() *rpc.Client { return e.rpc }

// Eth returns the connection's ethclient.
func (e *External) Eth() *ethclient.Client { return e.eth }

// ChainID returns the external chain's id.
func (e *External) ChainID(ctx context.Context) (uint64, error) {
	id, err := e.eth.ChainID(ctx)
	if err != nil {
		return 0, err
	}
	return id.Uint64(), nil
}

// Head returns the number of the external chain's head.
func (e *External) Head(ctx context.Context) (uint64, error) {
	return e.eth.BlockNumber(ctx)
}

// Headers returns headers from..to, each checked to hash to the hash the
// node states and to link to the one before.
func (e *External) Headers(ctx context.Context, from, to uint64) ([]*types.Header, error) {
	const batch = 128
	var out []*types.Header
	for n := from; n <= to; n += batch {
		hs, err := audit.RPCHeaders{Client: e.rpc}.Headers(ctx, n, min(n+batch-1, to))
		if err != nil {
			return nil, err
		}
		if len(out) > 0 && hs[0].ParentHash != out[len(out)-1].Hash() {
			return nil, fmt.Errorf("block %d does not link to block %d (a reorg while fetching? run again)", n, n-1)
		}
		out = append(out, hs...)
	}
	return out, nil
}

// Signers returns the signer set after the block with hash h
// (clique_getSignersAtHash), sorted.
func (e *External) Signers(ctx context.Context, h common.Hash) ([]common.Address, error) {
	var set []common.Address
	if err := e.rpc.CallContext(ctx, &set, "clique_getSignersAtHash", h); err != nil {
		return nil, fmt.Errorf("clique_getSignersAtHash %s: %w (enable the clique API on the external node: --http.api eth,clique)", h, err)
	}
	slices.SortFunc(set, common.Address.Cmp)
	return set, nil
}

// Registration reads what registering the chain needs: its id, genesis hash,
// and the checkpoint at number, an epoch header (the latest one if number is
// nil), with the signer set there. At an epoch header the set is the header's
// signer list, checked against the node's clique_getSignersAtHash.
func (e *External) Registration(ctx context.Context, epoch uint64, number *uint64) (*Registration, error) {
	if epoch == 0 {
		return nil, errors.New("--epoch must be the external chain's Clique epoch (its genesis' clique.epoch, 30000 by default)")
	}
	id, err := e.ChainID(ctx)
	if err != nil {
		return nil, err
	}
	var at uint64
	if number != nil {
		at = *number
		if at%epoch != 0 {
			return nil, fmt.Errorf("--checkpoint %d is not an epoch header of --epoch %d: Anchors is registered at an epoch header, where no Clique vote is pending (take %d or %d)", at, epoch, at-at%epoch, at-at%epoch+epoch)
		}
	} else {
		head, err := e.Head(ctx)
		if err != nil {
			return nil, err
		}
		at = head - head%epoch
	}
	hs, err := e.Headers(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	r := &Registration{ChainID: id, Genesis: hs[0].Hash(), Consensus: consensusName(Clique), Epoch: epoch}
	if at > 0 {
		if hs, err = e.Headers(ctx, at, at); err != nil {
			return nil, err
		}
	}
	h := hs[0]
	r.Checkpoint = Checkpoint{Number: at, Hash: h.Hash(), StateRoot: h.Root, ReceiptsRoot: h.ReceiptHash}
	if r.Signers, err = e.signersAt(ctx, h, epoch); err != nil {
		return nil, err
	}
	return r, nil
}

// signersAt returns the signer set at h: its list if h is an epoch header
// (compared with the node's answer), else the node's answer.
func (e *External) signersAt(ctx context.Context, h *types.Header, epoch uint64) ([]common.Address, error) {
	rpcSet, rpcErr := e.Signers(ctx, h.Hash())
	if h.Number.Uint64()%epoch != 0 {
		return rpcSet, rpcErr
	}
	extra, err := clique.DecodeExtra(h.Extra, true)
	if err != nil {
		return nil, fmt.Errorf("block %d is an epoch header for --epoch %d but its extra-data holds no signer list (%v): is --epoch the chain's epoch?", h.Number, epoch, err)
	}
	set := slices.SortedFunc(slices.Values(extra.Signers), common.Address.Cmp)
	if rpcErr == nil && !slices.Equal(set, rpcSet) {
		return nil, fmt.Errorf("block %d lists signers %v, the node reports %v: is --epoch %d the chain's epoch?", h.Number, set, rpcSet, epoch)
	}
	return set, nil
}

// EncodeHeaders returns the RLP of each header, as Anchors.post takes them.
func EncodeHeaders(hs []*types.Header) ([][]byte, error) {
	out := make([][]byte, len(hs))
	for i, h := range hs {
		b, err := rlp.EncodeToBytes(h)
		if err != nil {
			return nil, fmt.Errorf("encode header %d: %w", h.Number, err)
		}
		out[i] = b
	}
	return out, nil
}

// LoadGenesis reads the external chain's genesis file: a citychain genesis,
// or a geth 1.13 Clique genesis as such networks have (converted by the
// ceremony's Convert, which keeps its hash).
func LoadGenesis(path string) (*core.Genesis, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	g, err := genesis.Decode(bytes.NewReader(data))
	if err == nil {
		return g, nil
	}
	conv, cerr := ceremony.Convert(data)
	if cerr != nil {
		return nil, fmt.Errorf("%s: %w (nor a geth 1.13 Clique genesis: %v)", path, err, cerr)
	}
	return genesis.Decode(bytes.NewReader(conv.JSON))
}
