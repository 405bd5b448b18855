package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/permissions"
)

const blockBatch = 64 // blocks fetched with their transactions per batch of eth_getBlockByNumber

// RPC is the JSON-RPC client the permissions audit needs (go-ethereum's
// *rpc.Client implements it).
type RPC interface {
	Caller
	BatchCaller
}

// PermissionAudit is every block of a range checked against the
// Directory's history: each transaction's sender against the Directory at
// the state of the block's parent, the consensus rule of ADR 048.
type PermissionAudit struct {
	Genesis common.Hash `json:"genesis"`
	// RuleFrom is the first block the rule applies to: the genesis's
	// config.citychain.permissionsBlock, or block 1 if it sets none (the
	// audit then says which blocks the rule would refuse).
	RuleFrom     uint64 `json:"ruleFrom"`
	Scheduled    bool   `json:"scheduled"` // the genesis sets a permissions block
	From         uint64 `json:"from"`
	To           uint64 `json:"to"`
	Transactions uint64 `json:"transactions"` // transactions checked
	Senders      int    `json:"senders"`      // distinct senders seen
	// DirectoryStates is how many distinct states of the Directory the
	// senders were checked against (its storage root changed between them).
	DirectoryStates int `json:"directoryStates"`
	// Findings are the transactions the rule refuses, in chain order;
	// those at or above RuleFrom are violations.
	Findings   []PermissionFinding `json:"findings"`
	Violations int                 `json:"violations"`
}

// PermissionFinding is a transaction whose sender the Directory did not
// permit at its block's parent.
type PermissionFinding struct {
	Block     uint64         `json:"block"`
	Hash      common.Hash    `json:"blockHash"`
	Index     int            `json:"index"`
	Tx        common.Hash    `json:"tx"`
	From      common.Address `json:"from"`
	Create    bool           `json:"create"` // a contract creation by an account without the deployer role
	Violation bool           `json:"violation"`
	Reason    string         `json:"reason"`
}

// AuditPermissions checks blocks from..to (from >= 1) of the chain with
// genesis g and config.citychain section ext, read from a node over
// JSON-RPC. Nothing the node says is taken on trust beyond the block
// headers' chain: each block's transactions are checked against its header's
// transaction root, senders are recovered from the signatures, and every
// Directory storage value read comes with a Merkle proof (eth_getProof)
// checked against the parent header's state root. Old blocks' state needs an
// archive node (citynode --mode auditor). It returns the audit and, if any
// finding is a violation, an error wrapping ErrPermissionViolation.
func AuditPermissions(ctx context.Context, c RPC, g *core.Genesis, ext genesis.Extension, from, to uint64, progress func(done, total uint64)) (*PermissionAudit, error) {
	if from == 0 {
		from = 1 // block 0 holds no transactions
	}
	if from > to {
		return nil, fmt.Errorf("invalid range: from %d is above to %d", from, to)
	}
	a := &PermissionAudit{Genesis: g.ToBlock().Hash(), RuleFrom: 1, From: from, To: to, Findings: []PermissionFinding{}}
	if ext.PermissionsBlock != nil {
		a.Scheduled, a.RuleFrom = true, max(*ext.PermissionsBlock, 1)
	}
	zero, err := fetchHeader(ctx, c, 0)
	if err != nil {
		return nil, err
	}
	if zero.Hash() != a.Genesis {
		return nil, fmt.Errorf("the node's genesis is %s, the genesis file's is %s: another chain, or the wrong genesis file", zero.Hash(), a.Genesis)
	}
	parent, err := fetchHeader(ctx, c, from-1)
	if err != nil {
		return nil, err
	}
	st := &provenDirectory{ctx: ctx, c: c, values: make(map[common.Hash]map[common.Hash]common.Hash)}
	senders := make(map[common.Address]bool)
	for start := from; start <= to; start += blockBatch {
		end := min(start+blockBatch-1, to)
		blocks, err := fetchBlocks(ctx, c, start, end)
		if err != nil {
			return nil, err
		}
		for _, b := range blocks {
			if b.header.ParentHash != parent.Hash() {
				return nil, fmt.Errorf("block %d does not link to block %d in the node's answers (a reorg while auditing? run again)", b.header.Number, parent.Number)
			}
			if len(b.txs) > 0 {
				if err := a.checkBlock(st, g.Config, parent, b, senders); err != nil {
					return nil, err
				}
			}
			parent = b.header
		}
		if progress != nil {
			progress(end-from+1, to-from+1)
		}
	}
	a.Senders, a.DirectoryStates = len(senders), len(st.values)
	if a.Violations > 0 {
		first := a.firstViolation()
		return a, fmt.Errorf("%w: %d transactions from accounts the Directory did not permit, the first in block %d (tx %s from %s)", ErrPermissionViolation, a.Violations, first.Block, first.Tx.Hex(), first.From.Hex())
	}
	return a, nil
}

func (a *PermissionAudit) firstViolation() PermissionFinding {
	for _, f := range a.Findings {
		if f.Violation {
			return f
		}
	}
	return PermissionFinding{}
}

// checkBlock checks the transactions of b against the Directory at parent.
func (a *PermissionAudit) checkBlock(st *provenDirectory, config *params.ChainConfig, parent *types.Header, b fetchedBlock, senders map[common.Address]bool) error {
	if err := st.at(parent); err != nil {
		return err
	}
	signer := types.MakeSigner(config, b.header.Number, b.header.Time)
	number := b.header.Number.Uint64()
	var rule permissions.Rule
	for i, tx := range b.txs {
		from, err := types.Sender(signer, tx)
		if err != nil {
			return fmt.Errorf("block %d transaction %d (%s): sender: %w", number, i, tx.Hash().Hex(), err)
		}
		senders[from] = true
		a.Transactions++
		denied := rule.Check(st, from, tx.To() == nil)
		if st.err != nil {
			return st.err
		}
		var de *permissions.DeniedError
		if !errors.As(denied, &de) {
			continue
		}
		f := PermissionFinding{Block: number, Hash: b.header.Hash(), Index: i, Tx: tx.Hash(), From: from, Create: de.Create, Violation: number >= a.RuleFrom, Reason: denied.Error()}
		if f.Violation {
			a.Violations++
		}
		a.Findings = append(a.Findings, f)
	}
	return nil
}

// fetchedBlock is a header and its transactions, checked against its
// transaction root.
type fetchedBlock struct {
	header *types.Header
	txs    types.Transactions
}

// fetchBlocks fetches blocks from..to with their transactions.
func fetchBlocks(ctx context.Context, c BatchCaller, from, to uint64) ([]fetchedBlock, error) {
	raws := make([]json.RawMessage, to-from+1)
	batch := make([]rpc.BatchElem, len(raws))
	for i := range batch {
		batch[i] = rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{hexutil.Uint64(from + uint64(i)), true}, Result: &raws[i]}
	}
	if err := c.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("fetch blocks %d..%d: %w", from, to, err)
	}
	out := make([]fetchedBlock, len(raws))
	for i, elem := range batch {
		number := from + uint64(i)
		if elem.Error != nil {
			return nil, fmt.Errorf("fetch block %d: %w", number, elem.Error)
		}
		if len(raws[i]) == 0 || string(raws[i]) == "null" {
			return nil, fmt.Errorf("block %d not found: the node's chain ends earlier (lower --to-block)", number)
		}
		h, err := decodeHeader(raws[i])
		if err != nil {
			return nil, err
		}
		if h.Number.Uint64() != number {
			return nil, fmt.Errorf("asked for block %d, the node returned %d", number, h.Number)
		}
		var body struct {
			Transactions []*types.Transaction `json:"transactions"`
		}
		if err := json.Unmarshal(raws[i], &body); err != nil {
			return nil, fmt.Errorf("block %d: transactions: %w", number, err)
		}
		txs := types.Transactions(body.Transactions)
		if root := types.DeriveSha(txs, trie.NewStackTrie(nil)); root != h.TxHash {
			return nil, fmt.Errorf("block %d: the node's transactions hash to %s, the header says %s: the node's answer is not that block", number, root, h.TxHash)
		}
		out[i] = fetchedBlock{header: h, txs: txs}
	}
	return out, nil
}

// provenDirectory is the Directory's storage at one block's state, each value
// read with eth_getProof and checked against the header's state root, cached
// by the Directory's storage root (which changes only when its storage
// does). It implements permissions.State; the first error is kept in err.
type provenDirectory struct {
	ctx    context.Context
	c      Caller
	header *types.Header                               // the state's block
	root   common.Hash                                 // the Directory's storage root there
	values map[common.Hash]map[common.Hash]common.Hash // storage root -> slot -> value
	err    error
}

// at moves to the state of header: one proof of the Directory's account.
func (d *provenDirectory) at(header *types.Header) error {
	res, err := d.proof(header, nil)
	if err != nil {
		return err
	}
	d.header, d.root = header, res.StorageHash
	if d.values[d.root] == nil {
		d.values[d.root] = make(map[common.Hash]common.Hash)
	}
	return nil
}

// GetState implements permissions.State.
func (d *provenDirectory) GetState(addr common.Address, slot common.Hash) common.Hash {
	if addr != contracts.DirectoryAddress {
		d.fail(fmt.Errorf("permissions audit: read of %s, want only the Directory %s", addr, contracts.DirectoryAddress))
		return common.Hash{}
	}
	if v, ok := d.values[d.root][slot]; ok {
		return v
	}
	res, err := d.proof(d.header, []common.Hash{slot})
	if err != nil {
		d.fail(err)
		return common.Hash{}
	}
	if res.StorageHash != d.root {
		d.fail(fmt.Errorf("eth_getProof of the Directory at block %d: storage root %s, an earlier answer said %s", d.header.Number, res.StorageHash, d.root))
		return common.Hash{}
	}
	v := common.BigToHash(bigOf(res.StorageProof[0].Value))
	d.values[d.root][slot] = v
	return v
}

func (d *provenDirectory) fail(err error) {
	if d.err == nil {
		d.err = err
	}
}

// proof fetches and verifies eth_getProof of the Directory and slots at
// header's block.
func (d *provenDirectory) proof(header *types.Header, slots []common.Hash) (*AccountResult, error) {
	number := header.Number.Uint64()
	keys := make([]string, len(slots))
	for i, s := range slots {
		keys[i] = s.Hex()
	}
	var res AccountResult
	if err := d.c.CallContext(d.ctx, &res, "eth_getProof", contracts.DirectoryAddress, keys, hexutil.Uint64(number)); err != nil {
		return nil, fmt.Errorf("eth_getProof of the Directory at block %d: %w", number, StateError(d.ctx, d.c, number, err))
	}
	if err := checkAnswer(&res, contracts.DirectoryAddress, slots); err != nil {
		return nil, fmt.Errorf("eth_getProof of the Directory at block %d: %w", number, err)
	}
	if _, err := res.verify(header.Root); err != nil {
		return nil, fmt.Errorf("eth_getProof of the Directory at block %d does not verify against the header's state root: %w", number, err)
	}
	for i := range res.StorageProof {
		if err := res.StorageProof[i].verify(res.StorageHash); err != nil {
			return nil, fmt.Errorf("eth_getProof of the Directory at block %d does not verify: %w", number, err)
		}
	}
	return &res, nil
}
