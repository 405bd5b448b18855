package api

import (
	"context"
	"encoding/json"
	"net/http"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Document is the status of a document as Documents.verify reports it, with
// the issuing department's name and the successor of a superseded document.
type Document struct {
	Block BlockRef `json:"block"`
	*registry.Verification
	IssuerName string     `json:"issuerName,omitempty"`
	Successor  *Successor `json:"successor,omitempty"`
}

// Successor is the document that superseded another, and its status.
type Successor struct {
	DocHash common.Hash `json:"docHash"`
	Status  string      `json:"status"`
}

// rawBody is an answer that is already its JSON bytes (a proof file, whose
// canonical form must reach the client byte for byte).
type rawBody []byte

func (s *Server) getDocument(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	h, err := hashParam(r, "hash")
	if err != nil {
		return nil, err
	}
	ver, err := c.Verify(ctx, h)
	if err != nil {
		return nil, err
	}
	return s.documentOf(ctx, c, v, ver)
}

// documentOf completes a verification with the issuer's name and successor.
func (s *Server) documentOf(ctx context.Context, c *registry.Client, v upstream.View, ver *registry.Verification) (*Document, error) {
	d := &Document{Block: refOf(v), Verification: ver}
	if ver.Issuer != "" {
		name, err := s.departmentName(ctx, c, v, ver.Issuer)
		if err != nil {
			return nil, err
		}
		d.IssuerName = name
	}
	if ver.SupersededBy != nil {
		next, err := c.Verify(ctx, *ver.SupersededBy)
		if err != nil {
			return nil, err
		}
		d.Successor = &Successor{DocHash: next.DocHash, Status: next.Status}
	}
	return d, nil
}

func (s *Server) getDocumentProof(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	h, err := hashParam(r, "hash")
	if err != nil {
		return nil, err
	}
	p, err := registry.ProveDocument(ctx, c.RPC(), h, v.Block.Number)
	if err != nil {
		return nil, err
	}
	data, err := p.Encode()
	return rawBody(data), err
}

// BatchVerification is the body of a batch document check: either the
// document, its proof and the batch root (one entry of a batch file), or
// the document's hash and the whole batch file.
type BatchVerification struct {
	Root     *common.Hash       `json:"root,omitempty"`
	Document *registry.Document `json:"document,omitempty"`
	Proof    []common.Hash      `json:"proof,omitempty"`
	DocHash  *common.Hash       `json:"docHash,omitempty"`
	Batch    json.RawMessage    `json:"batch,omitempty"`
}

// entry returns the root, document and proof the body names, the proof
// checked offline.
func (b *BatchVerification) entry() (common.Hash, registry.Document, []common.Hash, error) {
	switch {
	case b.Batch != nil && b.DocHash != nil && b.Root == nil && b.Document == nil:
		f, err := registry.DecodeBatchFile(b.Batch)
		if err != nil {
			return common.Hash{}, registry.Document{}, nil, badInput("batch: %v", err)
		}
		e, err := f.Find(*b.DocHash)
		if err != nil {
			return common.Hash{}, registry.Document{}, nil, problemf(kindNotFound, "%v", err)
		}
		if err := f.CheckProof(e); err != nil {
			return common.Hash{}, registry.Document{}, nil, badInput("%v", err)
		}
		return f.Root, e.Document, e.Proof, nil
	case b.Root != nil && b.Document != nil && b.Batch == nil && b.DocHash == nil:
		leaf, err := b.Document.Leaf()
		if err != nil {
			return common.Hash{}, registry.Document{}, nil, badInput("document: %v", err)
		}
		if !merkle.Verify(b.Proof, *b.Root, leaf) {
			return common.Hash{}, registry.Document{}, nil, badInput("the proof does not lead from document %s to root %s (altered, or of another batch)", b.Document.Hash, b.Root)
		}
		return *b.Root, *b.Document, b.Proof, nil
	}
	return common.Hash{}, registry.Document{}, nil, badInput("give either root, document and proof (one entry of a batch file), or docHash and batch (the whole batch file)")
}

func (s *Server) verifyBatch(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	var body BatchVerification
	if err := decodeJSON(r, &body); err != nil {
		return nil, err
	}
	root, doc, proof, err := body.entry()
	if err != nil {
		return nil, err
	}
	ver, err := c.VerifyInBatch(ctx, root, doc, proof)
	if err != nil {
		return nil, err
	}
	return s.documentOf(ctx, c, v, ver)
}

// departmentName returns a department's name at the view's block, read once
// per block: many documents share an issuer.
func (s *Server) departmentName(ctx context.Context, c *registry.Client, v upstream.View, code string) (string, error) {
	key := "department " + code + "@" + v.Block.Hash.Hex()
	if name, ok := s.cache.lru.Get(key); ok {
		return string(name), nil
	}
	res, err, _ := s.cache.flight.Do(key, func() (any, error) {
		name, err := c.DepartmentName(ctx, code)
		if err == nil {
			s.cache.lru.Add(key, []byte(name))
		}
		return name, err
	})
	if err != nil {
		return "", err
	}
	return res.(string), nil
}
