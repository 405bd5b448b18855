package loadgen

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/merkle"
)

// Gas limits of the document transactions (measured use: issue 128,060,
// issueBatch 81,033; contracts/predeploy TestGasLondon), gas.
const (
	issueGas      = 160_000
	issueBatchGas = 110_000
)

// BenchDocType is the document type the document workloads issue.
const BenchDocType = "BENCH"

// ItemCounter is implemented by workloads whose transactions each carry
// several items (documents of a Merkle batch); reports then give items/s.
type ItemCounter interface {
	ItemsPerTx() int
}

// Documents is the W2 workload: each transaction issues documents for the
// sender's department in the Documents contract, either one document
// (Documents.issue, PerBatch 0) or a Merkle batch of PerBatch documents
// (Documents.issueBatch of the tree's root; the trees are built in Plan,
// outside the measured window). The senders must hold the issuer role:
// `citybench genesis --registry` makes every test account an issuer of
// department BENCH. The document issued at (sender, nonce) is
// BenchDocument(sender, nonce), so a later run (citybench verify) knows which
// documents exist.
type Documents struct {
	PerBatch int
}

var (
	docsABI = documents.NewDocuments()
	dirABI  = directory.NewDirectory()
)

// Name implements Workload.
func (w Documents) Name() string {
	if w.PerBatch > 0 {
		return "docs-batch"
	}
	return "docs"
}

// ItemsPerTx implements ItemCounter.
func (w Documents) ItemsPerTx() int { return max(w.PerBatch, 1) }

// BenchDocument returns the document the docs workload issues from sender at
// nonce; batches hold BenchDocument(sender, nonce<<32 | i) for i < PerBatch.
func BenchDocument(sender common.Address, nonce uint64) documents.DocumentsDocumentData {
	var n [8]byte
	binary.BigEndian.PutUint64(n[:], nonce)
	typ, _ := contracts.Bytes32(BenchDocType)
	return documents.DocumentsDocumentData{
		DocHash:   crypto.Keccak256Hash([]byte("citybench document"), sender[:], n[:]),
		DocType:   typ,
		HolderRef: crypto.Keccak256Hash([]byte("citybench holder"), n[:]),
	}
}

// Plan implements Workload.
func (w Documents) Plan(ctx context.Context, env *Env, count int) ([]Intent, error) {
	if err := checkIssuer(ctx, env); err != nil {
		return nil, err
	}
	to := contracts.DocumentsAddress
	n := len(env.Accounts)
	out := make([]Intent, count)
	leaves := make([]common.Hash, w.PerBatch)
	for k := range out {
		from := k % n
		nonce := env.Nonces[from]
		sender := env.Accounts[from].Address
		if w.PerBatch == 0 {
			out[k] = env.Tx(from, &to, nil, issueGas, docsABI.PackIssue(BenchDocument(sender, nonce)))
			continue
		}
		for i := range leaves {
			leaves[i] = contracts.DocumentLeaf(BenchDocument(sender, nonce<<32|uint64(i)))
		}
		tree, err := merkle.New(leaves)
		if err != nil {
			return nil, err
		}
		out[k] = env.Tx(from, &to, nil, issueBatchGas, docsABI.PackIssueBatch(tree.Root(), uint32(w.PerBatch)))
	}
	return out, nil
}

// checkIssuer refuses to run when the first account may not issue: its
// transactions would be mined as failures and counted as throughput.
func checkIssuer(ctx context.Context, env *Env) error {
	dir := contracts.DirectoryAddress
	from := env.Accounts[0].Address
	call := map[string]any{"to": dir, "data": hexutil.Bytes(dirABI.PackDepartmentWithRole(from, uint8(contracts.RoleIssuer)))}
	var out hexutil.Bytes
	if err := env.Client.Call(ctx, &out, "eth_call", call, "latest"); err != nil {
		return fmt.Errorf("ask the Directory whether %s is an issuer: %w (is the registry in the genesis? citybench genesis --registry)", from, err)
	}
	if len(out) != 32 || common.BytesToHash(out) == (common.Hash{}) {
		return fmt.Errorf("test account %s holds no issuer role: write the genesis with citybench genesis --registry", from)
	}
	return nil
}
