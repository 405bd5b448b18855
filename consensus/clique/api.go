package clique

import (
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"
)

const statusBlocks = 64 // most recent blocks that clique_status looks at

// errZeroProposal is returned by clique_propose for the zero address, which
// Clique uses to mean "no vote".
var errZeroProposal = errors.New("cannot propose the zero address: it means no vote")

// ChainReader is what the clique API reads from the chain. *core.BlockChain
// implements it.
type ChainReader interface {
	Config() *params.ChainConfig
	CurrentHeader() *types.Header
	GetHeader(hash common.Hash, number uint64) *types.Header
	GetHeaderByNumber(number uint64) *types.Header
	GetHeaderByHash(hash common.Hash) *types.Header
}

// APIs returns the clique_* RPC API over chain, compatible in method names,
// arguments and results with geth 1.13.
// The votes (clique_propose, clique_discard) are a separate service,
// ControlAPI, so that a node can serve them only on its authenticated
// control plane (ADR 052).
func (e *Engine) APIs(chain ChainReader) []rpc.API {
	return []rpc.API{
		{Namespace: "clique", Service: &API{chain: chain, engine: e}},
		{Namespace: "clique", Service: &ControlAPI{engine: e}},
	}
}

// ControlAPI is the part of the clique namespace that changes what this node
// votes for.
type ControlAPI struct {
	engine *Engine
}

// API is the clique RPC namespace: snapshots, signers, proposals and status.
type API struct {
	chain  ChainReader
	engine *Engine
}

// Status is the result of clique_status.
type Status struct {
	InturnPercent  float64                `json:"inturnPercent"`  // share of in-turn blocks, 0 to 100
	SealerActivity map[common.Address]int `json:"sealerActivity"` // blocks sealed per account; current signers appear with 0
	NumBlocks      uint64                 `json:"numBlocks"`      // number of blocks looked at
}

// header returns the header of a block number or tag: latest (also when
// number is nil), pending (the latest block: signers do not keep a pending
// block), earliest, safe, finalized or a number.
func (api *API) header(number *rpc.BlockNumber) (*types.Header, error) {
	var header *types.Header
	switch {
	case number == nil || *number == rpc.LatestBlockNumber || *number == rpc.PendingBlockNumber:
		header = api.chain.CurrentHeader()
	case *number == rpc.EarliestBlockNumber:
		header = api.chain.GetHeaderByNumber(0)
	case *number == rpc.SafeBlockNumber:
		if chain, ok := api.chain.(interface{ CurrentSafeBlock() *types.Header }); ok {
			header = chain.CurrentSafeBlock()
		}
	case *number == rpc.FinalizedBlockNumber:
		if chain, ok := api.chain.(interface{ CurrentFinalBlock() *types.Header }); ok {
			header = chain.CurrentFinalBlock()
		}
	case *number >= 0:
		header = api.chain.GetHeaderByNumber(uint64(*number))
	}
	if header == nil {
		name := "latest"
		if number != nil {
			name = number.String()
		}
		return nil, fmt.Errorf("%w: %s", errUnknownBlock, name)
	}
	return header, nil
}

// headerByHash returns the header of block hash.
func (api *API) headerByHash(hash common.Hash) (*types.Header, error) {
	header := api.chain.GetHeaderByHash(hash)
	if header == nil {
		return nil, fmt.Errorf("%w: %x", errUnknownBlock, hash)
	}
	return header, nil
}

// snapshot returns the caller's copy of the snapshot after header.
func (api *API) snapshot(header *types.Header) (*Snapshot, error) {
	return api.engine.Snapshot(api.chain, header.Number.Uint64(), header.Hash(), nil)
}

// GetSnapshot returns the voting snapshot after a block (latest if omitted).
func (api *API) GetSnapshot(number *rpc.BlockNumber) (*Snapshot, error) {
	header, err := api.header(number)
	if err != nil {
		return nil, err
	}
	return api.snapshot(header)
}

// GetSnapshotAtHash returns the voting snapshot after block hash.
func (api *API) GetSnapshotAtHash(hash common.Hash) (*Snapshot, error) {
	header, err := api.headerByHash(hash)
	if err != nil {
		return nil, err
	}
	return api.snapshot(header)
}

// GetSigners returns the signers, in ascending order, allowed to seal the
// block after the given one (latest if omitted).
func (api *API) GetSigners(number *rpc.BlockNumber) ([]common.Address, error) {
	header, err := api.header(number)
	if err != nil {
		return nil, err
	}
	snap, err := api.snapshot(header)
	if err != nil {
		return nil, err
	}
	return snap.signers(), nil
}

// GetSignersAtHash returns the signers, in ascending order, allowed to seal
// the block after block hash.
func (api *API) GetSignersAtHash(hash common.Hash) ([]common.Address, error) {
	header, err := api.headerByHash(hash)
	if err != nil {
		return nil, err
	}
	snap, err := api.snapshot(header)
	if err != nil {
		return nil, err
	}
	return snap.signers(), nil
}

// blockNumberOrHashOrRLP is the argument of clique_getSigner: a block number
// or tag, a block hash (either also as {"blockNumber": ...} or
// {"blockHash": ...}), or a hex string holding an RLP-encoded block or header.
type blockNumberOrHashOrRLP struct {
	block *rpc.BlockNumberOrHash // block in the chain, if given that way
	rlp   []byte                 // RLP of a block or header, if given that way
}

// UnmarshalJSON implements json.Unmarshaler.
func (b *blockNumberOrHashOrRLP) UnmarshalJSON(data []byte) error {
	block := new(rpc.BlockNumberOrHash)
	if err := block.UnmarshalJSON(data); err == nil {
		b.block = block
		return nil
	}
	var blob hexutil.Bytes
	if err := json.Unmarshal(data, &blob); err != nil {
		return fmt.Errorf("want a block number, tag, hash or 0x-prefixed RLP of a block or header: %w", err)
	}
	b.rlp = blob
	return nil
}

// GetSigner returns the account that sealed a block: given by number, tag or
// hash (latest if omitted), or as the RLP of a block or header, which need not
// be in the chain.
func (api *API) GetSigner(rlpOrBlockNr *blockNumberOrHashOrRLP) (common.Address, error) {
	if rlpOrBlockNr == nil || len(rlpOrBlockNr.rlp) == 0 {
		var block *rpc.BlockNumberOrHash
		if rlpOrBlockNr != nil {
			block = rlpOrBlockNr.block
		}
		header, err := api.headerOf(block)
		if err != nil {
			return common.Address{}, err
		}
		return api.engine.Author(header)
	}
	block := new(types.Block)
	if err := rlp.DecodeBytes(rlpOrBlockNr.rlp, block); err == nil {
		return api.engine.Author(block.Header())
	}
	header := new(types.Header)
	if err := rlp.DecodeBytes(rlpOrBlockNr.rlp, header); err != nil {
		return common.Address{}, fmt.Errorf("rlp is neither a block nor a header: %w", err)
	}
	return api.engine.Author(header)
}

// headerOf returns the header of a block given by number, tag or hash; nil
// means latest.
func (api *API) headerOf(block *rpc.BlockNumberOrHash) (*types.Header, error) {
	if block == nil {
		return api.header(nil)
	}
	if number, ok := block.Number(); ok {
		return api.header(&number)
	}
	hash, _ := block.Hash()
	header, err := api.headerByHash(hash)
	if err != nil {
		return nil, err
	}
	if block.RequireCanonical {
		if canonical := api.chain.GetHeaderByNumber(header.Number.Uint64()); canonical == nil || canonical.Hash() != hash {
			return nil, fmt.Errorf("%w: %x is not canonical", errUnknownBlock, hash)
		}
	}
	return header, nil
}

// Proposals returns the proposals this node votes on: account to true to add
// it, false to drop it.
func (api *API) Proposals() map[common.Address]bool {
	return api.engine.Proposals()
}

// Propose makes this node vote, in the blocks it seals, to add address to the
// signers (auth true) or to drop it (auth false), until discarded.
func (api *ControlAPI) Propose(address common.Address, auth bool) error {
	if address == (common.Address{}) {
		return errZeroProposal
	}
	api.engine.Propose(address, auth)
	return nil
}

// Discard stops this node voting on address.
func (api *ControlAPI) Discard(address common.Address) {
	api.engine.Discard(address)
}

// Status reports on the last 64 blocks up to the head (fewer on a young
// chain, never the genesis block): the share of in-turn blocks and how many
// blocks each account sealed.
func (api *API) Status() (*Status, error) {
	head := api.chain.CurrentHeader()
	if head == nil {
		return nil, fmt.Errorf("%w: no current header", errUnknownBlock)
	}
	snap, err := api.snapshot(head)
	if err != nil {
		return nil, err
	}
	status := &Status{SealerActivity: make(map[common.Address]int)}
	for signer := range snap.Signers {
		status.SealerActivity[signer] = 0
	}
	end := head.Number.Uint64()
	start := uint64(1)
	if end >= statusBlocks {
		start = end - statusBlocks + 1
	}
	var inturn int
	for n := start; n <= end; n++ {
		header := api.chain.GetHeaderByNumber(n)
		if header == nil {
			return nil, fmt.Errorf("%w: %d", errUnknownBlock, n)
		}
		signer, err := api.engine.Author(header)
		if err != nil {
			return nil, fmt.Errorf("block %d: %w", n, err)
		}
		status.SealerActivity[signer]++
		status.NumBlocks++
		if header.Difficulty.Cmp(diffInTurn) == 0 {
			inturn++
		}
	}
	if status.NumBlocks > 0 {
		status.InturnPercent = float64(100*inturn) / float64(status.NumBlocks)
	}
	return status, nil
}
