package registry

import (
	"context"
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/documents"
)

// Document is the public part of a government document: what Documents.issue
// takes and a batch leaf hashes.
type Document struct {
	Hash       common.Hash `json:"docHash"`    // keccak256 of the document file
	Type       string      `json:"docType"`    // type code, 1 to 32 bytes ("PASSPORT")
	HolderRef  common.Hash `json:"holderRef"`  // keccak256(salt, holder id), computed off chain
	ValidFrom  uint64      `json:"validFrom"`  // seconds since the Unix epoch
	ValidUntil uint64      `json:"validUntil"` // seconds since the Unix epoch; 0: no expiry
}

// Data returns the document as the contract's DocumentData, checking it.
func (d Document) Data() (documents.DocumentsDocumentData, error) {
	var out documents.DocumentsDocumentData
	if d.Hash == (common.Hash{}) {
		return out, fmt.Errorf("%w: document hash is zero; give the keccak256 of the document file", ErrInput)
	}
	t, err := code32(d.Type, "document type")
	if err != nil {
		return out, err
	}
	if d.ValidUntil != 0 && d.ValidUntil <= d.ValidFrom {
		return out, fmt.Errorf("%w: valid until %d is not after valid from %d (use 0 for no expiry)", ErrInput, d.ValidUntil, d.ValidFrom)
	}
	return documents.DocumentsDocumentData{DocHash: d.Hash, DocType: t, HolderRef: d.HolderRef, ValidFrom: d.ValidFrom, ValidUntil: d.ValidUntil}, nil
}

// Leaf returns the document's Merkle leaf in a batch.
func (d Document) Leaf() (common.Hash, error) {
	data, err := d.Data()
	if err != nil {
		return common.Hash{}, err
	}
	return contracts.DocumentLeaf(data), nil
}

// Verification is what Documents.verify or verifyInBatch reports about a
// document, ready to print.
type Verification struct {
	DocHash      common.Hash  `json:"docHash"`
	Status       string       `json:"status"`
	StatusCode   uint8        `json:"statusCode"`
	Issuer       string       `json:"issuer,omitempty"`
	ValidFrom    uint64       `json:"validFrom,omitempty"`
	ValidUntil   uint64       `json:"validUntil,omitempty"`
	IssuedAt     uint64       `json:"issuedAt,omitempty"`
	RevokedAt    uint64       `json:"revokedAt,omitempty"`
	SupersededAt uint64       `json:"supersededAt,omitempty"`
	SupersededBy *common.Hash `json:"supersededBy,omitempty"`
	BatchRoot    *common.Hash `json:"batchRoot,omitempty"`
}

func newVerification(h common.Hash, v documents.DocumentsVerification) *Verification {
	out := &Verification{
		DocHash: h, Status: contracts.StatusName(v.Status), StatusCode: v.Status,
		ValidFrom: v.ValidFrom, ValidUntil: v.ValidUntil, IssuedAt: v.IssuedAt,
		RevokedAt: v.RevokedAt, SupersededAt: v.SupersededAt,
	}
	if v.Issuer != ([32]byte{}) {
		out.Issuer = contracts.String32(v.Issuer)
	}
	if v.SupersededBy != ([32]byte{}) {
		h := common.Hash(v.SupersededBy)
		out.SupersededBy = &h
	}
	if v.BatchRoot != ([32]byte{}) {
		h := common.Hash(v.BatchRoot)
		out.BatchRoot = &h
	}
	return out
}

// Issue issues one document for the signer's department.
func (c *Client) Issue(ctx context.Context, d Document) (*Tx, error) {
	data, err := d.Data()
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Documents.issue", contracts.DocumentsAddress, docsABI.PackIssue(data))
}

// Verify reports the status of a document issued on its own.
func (c *Client) Verify(ctx context.Context, h common.Hash) (*Verification, error) {
	out, err := c.Call(ctx, "Documents.verify", contracts.DocumentsAddress, docsABI.PackVerify(h))
	if err != nil {
		return nil, err
	}
	v, err := docsABI.UnpackVerify(out)
	if err != nil {
		return nil, fmt.Errorf("Documents.verify: %w", err)
	}
	return newVerification(h, v), nil
}

// VerifyInBatch reports the status of a document of a batch, with its proof.
func (c *Client) VerifyInBatch(ctx context.Context, root common.Hash, d Document, proof []common.Hash) (*Verification, error) {
	data, err := d.Data()
	if err != nil {
		return nil, err
	}
	out, err := c.Call(ctx, "Documents.verifyInBatch", contracts.DocumentsAddress, docsABI.PackVerifyInBatch(root, data, hashes32(proof)))
	if err != nil {
		return nil, err
	}
	v, err := docsABI.UnpackVerifyInBatch(out)
	if err != nil {
		return nil, fmt.Errorf("Documents.verifyInBatch: %w", err)
	}
	return newVerification(d.Hash, v), nil
}

// Revoke revokes a document issued on its own.
func (c *Client) Revoke(ctx context.Context, h common.Hash) (*Tx, error) {
	return c.Send(ctx, "Documents.revoke", contracts.DocumentsAddress, docsABI.PackRevoke(h))
}

// RevokeInBatch revokes one document of a batch, shown with its proof.
func (c *Client) RevokeInBatch(ctx context.Context, root common.Hash, d Document, proof []common.Hash) (*Tx, error) {
	data, err := d.Data()
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Documents.revokeInBatch", contracts.DocumentsAddress, docsABI.PackRevokeInBatch(root, data, hashes32(proof)))
}

// RevokeBatch revokes every document of a batch.
func (c *Client) RevokeBatch(ctx context.Context, root common.Hash) (*Tx, error) {
	return c.Send(ctx, "Documents.revokeBatch", contracts.DocumentsAddress, docsABI.PackRevokeBatch(root))
}

// Supersede replaces a document issued on its own by next, issued now.
func (c *Client) Supersede(ctx context.Context, old common.Hash, next Document) (*Tx, error) {
	data, err := next.Data()
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Documents.supersede", contracts.DocumentsAddress, docsABI.PackSupersede(old, data))
}

// SupersedeInBatch replaces a document of a batch, shown with its proof, by next.
func (c *Client) SupersedeInBatch(ctx context.Context, root common.Hash, d Document, proof []common.Hash, next Document) (*Tx, error) {
	data, err := d.Data()
	if err != nil {
		return nil, err
	}
	nd, err := next.Data()
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "Documents.supersedeInBatch", contracts.DocumentsAddress, docsABI.PackSupersedeInBatch(root, data, hashes32(proof), nd))
}

// IssueBatch builds the Merkle tree of docs, issues its root for the
// signer's department and returns the batch file with every document's
// proof. progress, if not nil, is called as documents are hashed and proven.
func (c *Client) IssueBatch(ctx context.Context, docs []Document, progress func(done, total int)) (*BatchFile, *Tx, error) {
	b, err := BuildBatch(docs, progress)
	if err != nil {
		return nil, nil, err
	}
	tx, err := c.Send(ctx, "Documents.issueBatch", contracts.DocumentsAddress, docsABI.PackIssueBatch(b.Root, uint32(b.Count)))
	if err != nil {
		return b, nil, err
	}
	chainID, err := c.ChainID(ctx)
	if err != nil {
		return b, tx, err
	}
	b.ChainID = chainID.Uint64()
	b.Tx, b.Block = &tx.Hash, tx.Block
	return b, tx, nil
}

func hashes32(h []common.Hash) [][32]byte {
	out := make([][32]byte, len(h))
	for i := range h {
		out[i] = h[i]
	}
	return out
}
