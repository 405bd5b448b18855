package api

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"strconv"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/bindings/anchors"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/client/signers"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

const (
	// anchorScan is how many external blocks above the asked one are
	// searched for the covering checkpoint: cityctl anchor post posts at
	// most 256 headers a span by default, so a checkpoint lies within it.
	anchorScan = 1024
	// sealedWindow is how many citychain blocks, from the anchoring one,
	// are read for who sealed them.
	sealedWindow = 64
)

// Anchored is where an external chain's block is anchored in citychain: the
// first anchored checkpoint at or above it, the citychain block whose
// transaction anchored it, and the departments whose signers sealed that
// block and the blocks after it, up to the block the answer is read at.
type Anchored struct {
	Block      BlockRef            `json:"block"` // the citychain block read at
	Chain      AnchoredChain       `json:"chain"`
	Asked      uint64              `json:"asked"` // the external block asked about
	Checkpoint anchor.Checkpoint   `json:"checkpoint"`
	Conflicted bool                `json:"conflicted"` // a conflicting checkpoint at the same number is kept: do not trust it
	Conflicts  []anchor.Checkpoint `json:"conflicts"`  // the conflicting checkpoints kept at its number, oldest first
	AnchoredIn AnchoringBlock      `json:"anchoredIn"`
	Sealed     SealedRange         `json:"sealed"`
}

// AnchoredChain is the registered external chain.
type AnchoredChain struct {
	ChainID    uint64            `json:"chainId"`
	Anchors    common.Address    `json:"anchors"` // the Anchors contract
	Genesis    common.Hash       `json:"genesisHash"`
	Consensus  string            `json:"consensus"`
	Epoch      uint64            `json:"epoch"`
	Trusted    uint64            `json:"trusted"` // the checkpoint it was registered at
	Latest     anchor.Checkpoint `json:"latest"`
	Validators []common.Address  `json:"validators"`
}

// AnchoringBlock is the citychain block whose transaction anchored the checkpoint.
type AnchoringBlock struct {
	Number uint64      `json:"number"`
	Hash   common.Hash `json:"hash"`
	Tx     common.Hash `json:"tx"`
}

// SealedRange is who sealed citychain blocks From..To (at most Limit blocks
// from the anchoring one; Capped when the read block is further on).
type SealedRange struct {
	From        uint64             `json:"from"`
	To          uint64             `json:"to"`
	Limit       int                `json:"limit"`
	Capped      bool               `json:"capped"`
	Departments []SealedDepartment `json:"departments"`
}

// SealedDepartment is a department whose signers sealed blocks of the range.
type SealedDepartment struct {
	Code    string           `json:"code"` // "" for signers no department holds
	Name    string           `json:"name"`
	Signers []common.Address `json:"signers"`
	Blocks  int              `json:"blocks"`
}

var (
	abiAnchors           = anchors.NewAnchors()
	checkpointAnchoredID = crypto.Keccak256Hash([]byte("CheckpointAnchored(uint256,uint64,bytes32,bytes32,bytes32,address)"))
)

func (s *Server) getAnchored(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	chainID, number, err := chainBlock(r)
	if err != nil {
		return nil, err
	}
	a, err := findAnchors(ctx, c, v)
	if err != nil {
		return nil, err
	}
	st, err := a.Status(ctx, chainID)
	if errors.Is(err, anchor.ErrUnknownChain) {
		return nil, problemf(kindNotFound, "chain id %d is not registered in Anchors at block %d", chainID, v.Block.Number)
	} else if err != nil {
		return nil, err
	}
	cp, err := covering(ctx, a, st, number)
	if err != nil {
		return nil, err
	}
	out := &Anchored{Block: refOf(v), Asked: number, Checkpoint: cp, Chain: AnchoredChain{
		ChainID: chainID, Anchors: st.Anchors, Genesis: st.Genesis, Consensus: st.Consensus, Epoch: st.Epoch,
		Trusted: st.Trusted, Latest: st.Latest, Validators: st.Validators,
	}}
	conflicts, err := a.Conflicts(ctx, chainID, cp.Number)
	if err != nil {
		return nil, err
	}
	out.Conflicts, out.Conflicted = conflicts, len(conflicts) > 0
	if out.AnchoredIn, err = anchoringTx(ctx, c, a.Address, chainID, cp); err != nil {
		return nil, err
	}
	out.Sealed, err = sealedBy(ctx, c, v, cp.AnchoredAt)
	return out, err
}

// getCheckpointProof answers the proof file of an anchored checkpoint: the
// Anchors account and the checkpoint's slots at the block read at, record
// kind anchored-checkpoint, for `cityctl audit verify-proof`.
func (s *Server) getCheckpointProof(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	chainID, number, err := chainBlock(r)
	if err != nil {
		return nil, err
	}
	a, err := findAnchors(ctx, c, v)
	if err != nil {
		return nil, err
	}
	cp, err := a.Checkpoint(ctx, chainID, number)
	if err != nil {
		return nil, err
	}
	if cp.Hash == (common.Hash{}) {
		return nil, problemf(kindNotFound, "no checkpoint of chain %d is anchored at block %d (read at citychain block %d): ask %s/anchors/%d/blocks/%d for the checkpoint that covers a block", chainID, number, v.Block.Number, Prefix, chainID, number)
	}
	p, err := anchor.ProveCheckpoint(ctx, a, chainID, number, &v.Block.Number)
	if err != nil {
		return nil, err
	}
	data, err := p.Encode()
	return rawBody(data), err
}

// getReceiptProof answers the proof file of a receipt of an external chain
// (record kind anchored-receipt, as `cityctl anchor prove ... receipt`
// writes it) read from the chain's node named by --anchor.rpc, against the
// first anchored checkpoint at or above its block, at the block read at.
func (s *Server) getReceiptProof(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	chainID, err := uintParam(r, "chainId")
	if err != nil {
		return nil, err
	}
	tx, err := hashParam(r, "tx")
	if err != nil {
		return nil, err
	}
	url, ok := s.chains[chainID]
	if !ok {
		return nil, problemf(kindNotFound, "this gateway reads no node of chain %d, so it cannot prove its receipts: its operator adds --anchor.rpc %d=URL, or anyone with such a node runs `cityctl anchor prove --chain %d --chain-rpc URL receipt %s`", chainID, chainID, chainID, tx.Hex())
	}
	a, err := findAnchors(ctx, c, v)
	if err != nil {
		return nil, err
	}
	ext, err := dialChain(ctx, url, chainID)
	if err != nil {
		return nil, err
	}
	defer ext.Close()
	p, err := anchor.ProveReceipt(ctx, a, ext, chainID, tx, &v.Block.Number)
	switch {
	case errors.Is(err, ethereum.NotFound):
		return nil, problemf(kindNotFound, "chain %d's node has no receipt of transaction %s: not mined (yet), or of another chain", chainID, tx.Hex())
	case errors.Is(err, anchor.ErrNotAnchored), errors.Is(err, anchor.ErrUnknownChain):
		return nil, problemf(kindNotFound, "transaction %s of chain %d: %v", tx.Hex(), chainID, err)
	case err != nil:
		return nil, err
	}
	data, err := p.Encode()
	return rawBody(data), err
}

// chainBlock reads the chainId and number path parameters.
func chainBlock(r *http.Request) (chainID, number uint64, err error) {
	if chainID, err = uintParam(r, "chainId"); err != nil {
		return 0, 0, err
	}
	number, err = uintParam(r, "number")
	return chainID, number, err
}

// findAnchors returns the Anchors contract the Directory names at the block
// read at, or a not-found problem when there is none.
func findAnchors(ctx context.Context, c *registry.Client, v upstream.View) (*anchor.Contract, error) {
	a, err := anchor.Find(ctx, c)
	if errors.Is(err, anchor.ErrNotDeployed) {
		return nil, problemf(kindNotFound, "no Anchors contract on this chain at block %d: nothing is anchored", v.Block.Number)
	}
	return a, err
}

// dialChain connects to the external chain's node at url and checks that
// it serves chain chainID.
func dialChain(ctx context.Context, url string, chainID uint64) (*anchor.External, error) {
	ext, err := anchor.DialExternal(ctx, url)
	if err != nil {
		return nil, problemf(kindUpstream, "the node of chain %d (--anchor.rpc) failed: %v", chainID, err)
	}
	if id, err := ext.ChainID(ctx); err != nil || id != chainID {
		ext.Close()
		return nil, problemf(kindUpstream, "the node given for chain %d (--anchor.rpc) serves chain %d (%v): fix --anchor.rpc", chainID, id, err)
	}
	return ext, nil
}

// covering returns the first anchored checkpoint at or above number,
// searching at most anchorScan blocks.
func covering(ctx context.Context, a *anchor.Contract, st *anchor.Status, number uint64) (anchor.Checkpoint, error) {
	if number > st.Latest.Number {
		return anchor.Checkpoint{}, problemf(kindNotFound, "block %d of chain %d is not anchored yet: the latest anchored checkpoint is block %d (%s)", number, st.ChainID, st.Latest.Number, st.Latest.Hash.Hex())
	}
	if number < st.Trusted {
		return anchor.Checkpoint{}, problemf(kindNotFound, "block %d of chain %d is below the checkpoint %d it was registered at: Anchors holds nothing before it", number, st.ChainID, st.Trusted)
	}
	cp, err := a.Covering(ctx, st, number, anchorScan)
	if errors.Is(err, anchor.ErrNotAnchored) {
		return anchor.Checkpoint{}, problemf(kindNotFound, "no anchored checkpoint of chain %d within %d blocks from block %d (the latest is %d): its spans are longer than the gateway searches; ask about a block nearer a checkpoint", st.ChainID, anchorScan, number, st.Latest.Number)
	}
	return cp, err
}

// anchoringTx finds the CheckpointAnchored event of cp in its block.
func anchoringTx(ctx context.Context, c *registry.Client, addr common.Address, chainID uint64, cp anchor.Checkpoint) (AnchoringBlock, error) {
	at := new(big.Int).SetUint64(cp.AnchoredAt)
	logs, err := c.Eth().FilterLogs(ctx, ethereum.FilterQuery{
		FromBlock: at, ToBlock: at, Addresses: []common.Address{addr},
		Topics: [][]common.Hash{{checkpointAnchoredID}, {common.BigToHash(new(big.Int).SetUint64(chainID))}, {common.BigToHash(new(big.Int).SetUint64(cp.Number))}},
	})
	if err != nil {
		return AnchoringBlock{}, fmt.Errorf("CheckpointAnchored event of checkpoint %d in block %d: %w", cp.Number, cp.AnchoredAt, err)
	}
	for _, l := range logs {
		e, err := abiAnchors.UnpackCheckpointAnchoredEvent(&l)
		if err == nil && e.Hash == cp.Hash {
			return AnchoringBlock{Number: l.BlockNumber, Hash: l.BlockHash, Tx: l.TxHash}, nil
		}
	}
	return AnchoringBlock{}, fmt.Errorf("block %d holds no CheckpointAnchored event of checkpoint %d (%s), though Anchors says it was anchored there", cp.AnchoredAt, cp.Number, cp.Hash.Hex())
}

// sealedBy reads who sealed citychain blocks from..(the view's block, at
// most sealedWindow blocks) and groups them by their department at block
// from.
func sealedBy(ctx context.Context, c *registry.Client, v upstream.View, from uint64) (SealedRange, error) {
	out := SealedRange{From: from, Limit: sealedWindow, To: v.Block.Number, Departments: []SealedDepartment{}}
	if out.To >= from+sealedWindow {
		out.To, out.Capped = from+sealedWindow-1, true
	}
	sc := signers.NewClient(c.RPC(), v.Node.URL())
	blocks, err := sc.Sealers(ctx, from, out.To)
	if err != nil {
		return out, err
	}
	// The departments as the Directory had them at the anchoring block: a
	// department renamed or a signer unassigned since does not change
	// who signed then.
	out.Departments, err = byDepartment(ctx, blocks, signers.NewDirectory(sc).At(from))
	return out, err
}

// byDepartment groups blocks by the department of their sealer, in the
// order each first sealed; a sealer no department holds is under code "".
func byDepartment(ctx context.Context, blocks []signers.Block, dir signers.DepartmentResolver) ([]SealedDepartment, error) {
	out := []SealedDepartment{}
	index := map[string]int{}
	seen := map[common.Address]bool{}
	for _, b := range blocks {
		code, name, _, err := dir.DepartmentOf(ctx, b.Signer)
		if err != nil {
			return nil, err
		}
		i, ok := index[code]
		if !ok {
			i = len(out)
			index[code] = i
			out = append(out, SealedDepartment{Code: code, Name: name, Signers: []common.Address{}})
		}
		d := &out[i]
		d.Blocks++
		if !seen[b.Signer] {
			seen[b.Signer] = true
			d.Signers = append(d.Signers, b.Signer)
		}
	}
	return out, nil
}

// uintParam reads a whole number path parameter (from 0).
func uintParam(r *http.Request, name string) (uint64, error) {
	s := r.PathValue(name)
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, badInput("%s %q: want a whole number", name, s)
	}
	return n, nil
}
