package registry

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/merkle"
)

// DocumentEncoding is the leaf encoding of a batch: a document is the value
// (docHash, docType, holderRef, validFrom, validUntil), the fields
// Documents.leaf ABI-encodes.
var DocumentEncoding = []string{"bytes32", "bytes32", "bytes32", "uint64", "uint64"}

// maxBatch is the most documents one batch may hold (Documents.issueBatch
// takes the count as uint32; a tree this large would not fit in memory anyway).
const maxBatch = 1 << 24

// csvHeader is the header line of a CSV file of documents.
var csvHeader = []string{"docHash", "docType", "holderRef", "validFrom", "validUntil"}

// BatchFile is what `cityctl doc issue-batch` writes: the batch's Merkle tree
// as an @openzeppelin/merkle-tree standard-v1 dump of its documents (any tool
// that reads such dumps checks a document and computes its proof), with the
// contract, chain, transaction and block of the issuance beside it. A holder
// checks offline that a document is in the batch and asks any node for its
// status. A file in the format cityctl wrote before is still read, with its
// own proofs (Deprecated says so).
type BatchFile struct {
	Contract  common.Address
	ChainID   uint64
	Tx        *common.Hash
	Block     uint64
	Root      common.Hash
	Count     int
	Documents []BatchEntry // in the order given to BuildBatch

	tree       *merkle.StandardTree // nil for a deprecated file
	deprecated *batchFileV1
}

// BatchEntry is one document of a batch and its proof.
type BatchEntry struct {
	Document
	Proof []common.Hash `json:"proof"`
}

// batchJSON is the file form of a batch: the dump's members, then the
// issuance's (omitted before the batch is issued).
type batchJSON struct {
	merkle.Dump
	Contract *common.Address `json:"contract,omitempty"`
	ChainID  uint64          `json:"chainId,omitempty"`
	Tx       *common.Hash    `json:"tx,omitempty"`
	Block    uint64          `json:"block,omitempty"`
}

// value returns the document as a value of DocumentEncoding.
func (d Document) value() ([]any, error) {
	data, err := d.Data()
	if err != nil {
		return nil, err
	}
	return []any{[32]byte(data.DocHash), data.DocType, [32]byte(data.HolderRef), data.ValidFrom, data.ValidUntil}, nil
}

// documentOf returns the document of a value of DocumentEncoding.
func documentOf(v []any) Document {
	return Document{
		Hash: common.Hash(v[0].([32]byte)), Type: contracts.String32(v[1].([32]byte)), HolderRef: common.Hash(v[2].([32]byte)),
		ValidFrom: v[3].(uint64), ValidUntil: v[4].(uint64),
	}
}

// BuildBatch builds the StandardMerkleTree of docs (the tree
// Documents.issueBatch takes the root of) and returns the batch file, not
// yet issued. progress, if not nil, is called as documents are checked, then
// proven.
func BuildBatch(docs []Document, progress func(done, total int)) (*BatchFile, error) {
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents in the batch", ErrInput)
	}
	if len(docs) > maxBatch {
		return nil, fmt.Errorf("%w: batch of %d documents: want at most %d; split it", ErrInput, len(docs), maxBatch)
	}
	if progress == nil {
		progress = func(int, int) {}
	}
	total := 2 * len(docs) // checking, then proving
	step := max(1, len(docs)/100)
	values := make([][]any, len(docs))
	seen := make(map[common.Hash]int, len(docs))
	for i, d := range docs {
		if j, ok := seen[d.Hash]; ok {
			return nil, fmt.Errorf("%w: document %d has the hash of document %d (%s); each document appears once", ErrInput, i+1, j+1, d.Hash)
		}
		seen[d.Hash] = i
		v, err := d.value()
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		values[i] = v
		if i%step == 0 {
			progress(i, total)
		}
	}
	tree, err := merkle.NewStandardTree(DocumentEncoding, values)
	if err != nil {
		return nil, err
	}
	b := &BatchFile{Contract: contracts.DocumentsAddress, tree: tree}
	if err := b.fromTree(func(i int) { progress(len(docs)+i, total) }, step); err != nil {
		return nil, err
	}
	progress(total, total)
	return b, nil
}

// fromTree fills the root, count and documents with their proofs from b.tree.
func (b *BatchFile) fromTree(progress func(i int), step int) error {
	b.Root, b.Count = b.tree.Root(), b.tree.Len()
	b.Documents = make([]BatchEntry, b.Count)
	for i := range b.Documents {
		proof, err := b.tree.Proof(i)
		if err != nil {
			return err
		}
		b.Documents[i] = BatchEntry{Document: documentOf(b.tree.Value(i)), Proof: proof}
		if i%step == 0 {
			progress(i)
		}
	}
	return nil
}

// Deprecated returns why the file the batch was read from is deprecated, or
// "" for a standard-v1 file or a batch built here.
func (b *BatchFile) Deprecated() string {
	if b.deprecated != nil {
		return "batch files with version 1 (what cityctl wrote before) are deprecated: this one is read with its own proofs and keeps working; batches issued from now on are written as @openzeppelin/merkle-tree standard-v1 dumps"
	}
	return ""
}

// Find returns the entry of the document with hash h.
func (b *BatchFile) Find(h common.Hash) (*BatchEntry, error) {
	for i := range b.Documents {
		if b.Documents[i].Hash == h {
			return &b.Documents[i], nil
		}
	}
	return nil, fmt.Errorf("%w: document %s is not in the batch file (root %s)", ErrInput, h, b.Root)
}

// CheckProof checks offline that the entry's proof places it under the root.
func (b *BatchFile) CheckProof(e *BatchEntry) error {
	leaf, err := e.Leaf()
	if err != nil {
		return err
	}
	if !merkle.Verify(e.Proof, b.Root, leaf) {
		return fmt.Errorf("%w: the proof of document %s does not lead to root %s (the file was altered)", ErrInput, e.Hash, b.Root)
	}
	return nil
}

// Encode returns the batch file as indented JSON: the standard-v1 dump and
// the issuance. A batch read from a deprecated file is written back in its
// own format (its tree, hence its issued root, cannot change).
func (b *BatchFile) Encode() ([]byte, error) {
	var v any
	if b.deprecated != nil {
		v = b.deprecated
	} else {
		d, err := b.tree.Dump()
		if err != nil {
			return nil, err
		}
		f := batchJSON{Dump: *d, ChainID: b.ChainID, Tx: b.Tx, Block: b.Block}
		if b.Contract != (common.Address{}) {
			f.Contract = &b.Contract
		}
		v = f
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// DecodeBatchFile reads a batch file: a standard-v1 dump of documents (from
// `cityctl doc issue-batch`, or any tool writing StandardMerkleTree dumps
// with DocumentEncoding), or the deprecated version 1 format, whose proofs
// are all checked against its root.
func DecodeBatchFile(data []byte) (*BatchFile, error) {
	var probe struct {
		Format  *string `json:"format"`
		Version *uint64 `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v (write it with cityctl doc issue-batch)", ErrInput, err)
	}
	switch {
	case probe.Format != nil:
		return decodeBatchDump(data)
	case probe.Version != nil:
		return decodeBatchV1(data)
	}
	return nil, fmt.Errorf("%w: batch file: neither a standard-v1 dump (format) nor a version 1 file (version); write it with cityctl doc issue-batch", ErrInput)
}

// decodeBatchDump reads a standard-v1 batch file.
func decodeBatchDump(data []byte) (*BatchFile, error) {
	var f batchJSON
	if err := json.Unmarshal(data, &f); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v", ErrInput, err)
	}
	tree, err := merkle.LoadStandardTree(&f.Dump)
	if err != nil {
		return nil, fmt.Errorf("%w: batch file: %v", ErrInput, err)
	}
	if enc := tree.LeafEncoding(); !slices.Equal(enc, DocumentEncoding) {
		return nil, fmt.Errorf("%w: batch file: leaf encoding %v, want %v (docHash, docType, holderRef, validFrom, validUntil)", ErrInput, enc, DocumentEncoding)
	}
	if tree.Len() > maxBatch {
		return nil, fmt.Errorf("%w: batch file of %d documents: want at most %d", ErrInput, tree.Len(), maxBatch)
	}
	b := &BatchFile{ChainID: f.ChainID, Tx: f.Tx, Block: f.Block, tree: tree}
	if f.Contract != nil {
		b.Contract = *f.Contract
	}
	if err := b.fromTree(func(int) {}, tree.Len()); err != nil {
		return nil, err
	}
	if err := checkEntries(b); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v", ErrInput, err)
	}
	return b, nil
}

// checkEntries refuses a batch whose documents are invalid or listed twice.
func checkEntries(b *BatchFile) error {
	seen := make(map[common.Hash]int, len(b.Documents))
	for i, e := range b.Documents {
		if _, err := e.Data(); err != nil {
			return fmt.Errorf("document %d: %v", i+1, err)
		}
		if j, ok := seen[e.Hash]; ok {
			return fmt.Errorf("documents %d and %d have hash %s; each document appears once", j+1, i+1, e.Hash)
		}
		seen[e.Hash] = i
	}
	return nil
}

// batchFileV1 is the batch file cityctl wrote before standard-v1 dumps: the
// root and, per document, its fields and proof in a tree that paired
// neighbours in file order.
type batchFileV1 struct {
	Version   uint64         `json:"version"`
	Contract  common.Address `json:"contract"`
	ChainID   uint64         `json:"chainId,omitempty"`
	Root      common.Hash    `json:"root"`
	Count     int            `json:"count"`
	Tx        *common.Hash   `json:"tx,omitempty"`
	Block     uint64         `json:"block,omitempty"`
	Documents []BatchEntry   `json:"documents"`
}

// decodeBatchV1 reads a deprecated version 1 batch file and checks every
// document's proof against its root (the root issued on chain).
func decodeBatchV1(data []byte) (*BatchFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	f := new(batchFileV1)
	if err := dec.Decode(f); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v (write it with cityctl doc issue-batch)", ErrInput, err)
	}
	if f.Version != 1 {
		return nil, fmt.Errorf("%w: batch file version: have %d, want 1 (or a standard-v1 dump)", ErrInput, f.Version)
	}
	if f.Count != len(f.Documents) || f.Count == 0 {
		return nil, fmt.Errorf("%w: batch file: count %d, but %d documents", ErrInput, f.Count, len(f.Documents))
	}
	b := &BatchFile{Contract: f.Contract, ChainID: f.ChainID, Tx: f.Tx, Block: f.Block, Root: f.Root, Count: f.Count, Documents: f.Documents, deprecated: f}
	if err := checkEntries(b); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v", ErrInput, err)
	}
	for i := range b.Documents {
		if err := b.CheckProof(&b.Documents[i]); err != nil {
			return nil, err
		}
	}
	return b, nil
}

// ParseDocuments reads documents from JSON (an array of objects with the
// fields docHash, docType, holderRef, validFrom, validUntil) or CSV (a header
// line with those names, in any order, then one document per line). Times are
// seconds since the Unix epoch; validUntil 0 or empty means no expiry.
func ParseDocuments(data []byte) ([]Document, error) {
	trimmed := bytes.TrimSpace(data)
	if len(trimmed) == 0 {
		return nil, fmt.Errorf("%w: no documents: the file is empty", ErrInput)
	}
	var docs []Document
	var err error
	if trimmed[0] == '[' {
		docs, err = parseJSONDocuments(trimmed)
	} else {
		docs, err = parseCSVDocuments(data)
	}
	if err != nil {
		return nil, err
	}
	if len(docs) == 0 {
		return nil, fmt.Errorf("%w: no documents in the file", ErrInput)
	}
	for i, d := range docs {
		if _, err := d.Data(); err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
	}
	return docs, nil
}

func parseJSONDocuments(data []byte) ([]Document, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var docs []Document
	if err := dec.Decode(&docs); err != nil {
		return nil, fmt.Errorf("%w: JSON documents: %v (want an array of {docHash, docType, holderRef, validFrom, validUntil})", ErrInput, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: JSON documents: data after the array", ErrInput)
	}
	return docs, nil
}

func parseCSVDocuments(data []byte) ([]Document, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.TrimLeadingSpace = true
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("%w: CSV header: %v", ErrInput, err)
	}
	col := make(map[string]int, len(header))
	for i, h := range header {
		h = strings.TrimSpace(h)
		if !slices.Contains(csvHeader, h) {
			return nil, fmt.Errorf("%w: CSV header: unknown column %q; want %s", ErrInput, h, strings.Join(csvHeader, ","))
		}
		if _, dup := col[h]; dup {
			return nil, fmt.Errorf("%w: CSV header: column %q twice", ErrInput, h)
		}
		col[h] = i
	}
	for _, need := range csvHeader[:3] {
		if _, ok := col[need]; !ok {
			return nil, fmt.Errorf("%w: CSV header: missing column %q; want %s", ErrInput, need, strings.Join(csvHeader, ","))
		}
	}
	var docs []Document
	for line := 2; ; line++ {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%w: CSV: %v", ErrInput, err)
		}
		field := func(name string) string {
			if i, ok := col[name]; ok {
				return strings.TrimSpace(rec[i])
			}
			return ""
		}
		var d Document
		if d.Hash, err = ParseHash(field("docHash")); err != nil {
			return nil, fmt.Errorf("CSV line %d: docHash: %w", line, err)
		}
		d.Type = field("docType")
		if d.HolderRef, err = ParseHash(field("holderRef")); err != nil {
			return nil, fmt.Errorf("CSV line %d: holderRef: %w", line, err)
		}
		if d.ValidFrom, err = parseUnix(field("validFrom")); err != nil {
			return nil, fmt.Errorf("CSV line %d: validFrom: %w", line, err)
		}
		if d.ValidUntil, err = parseUnix(field("validUntil")); err != nil {
			return nil, fmt.Errorf("CSV line %d: validUntil: %w", line, err)
		}
		docs = append(docs, d)
	}
}

// ParseHash reads a 0x-prefixed 32-byte hex value.
func ParseHash(s string) (common.Hash, error) {
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("%w: %q is no 32-byte hash; want 0x and 64 hex digits", ErrInput, s)
	}
	return common.BytesToHash(b), nil
}

// parseUnix reads seconds since the Unix epoch; empty is 0.
func parseUnix(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil || n > math.MaxInt64 {
		return 0, fmt.Errorf("%w: %q is no time; want seconds since the Unix epoch", ErrInput, s)
	}
	return n, nil
}
