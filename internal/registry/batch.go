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

// BatchFileVersion is the version of the batch file format.
const BatchFileVersion = 1

// maxBatch is the most documents one batch may hold (Documents.issueBatch
// takes the count as uint32; a tree this large would not fit in memory anyway).
const maxBatch = 1 << 24

// csvHeader is the header line of a CSV file of documents.
var csvHeader = []string{"docHash", "docType", "holderRef", "validFrom", "validUntil"}

// BatchFile is what `cityctl doc issue-batch` writes: the batch's root and,
// for each document, its fields and Merkle proof, so a holder can check
// offline that the document is in the batch and ask any node for its status.
type BatchFile struct {
	Version   uint64         `json:"version"`
	Contract  common.Address `json:"contract"`
	ChainID   uint64         `json:"chainId,omitempty"`
	Root      common.Hash    `json:"root"`
	Count     int            `json:"count"`
	Tx        *common.Hash   `json:"tx,omitempty"`
	Block     uint64         `json:"block,omitempty"`
	Documents []BatchEntry   `json:"documents"`
}

// BatchEntry is one document of a batch and its proof.
type BatchEntry struct {
	Document
	Proof []common.Hash `json:"proof"`
}

// BuildBatch hashes docs into a Merkle tree (the tree Documents.issueBatch
// takes the root of) and returns the batch file, not yet issued.
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
	total := 2 * len(docs) // hashing, then proving
	step := max(1, len(docs)/100)
	leaves := make([]common.Hash, len(docs))
	seen := make(map[common.Hash]int, len(docs))
	for i, d := range docs {
		if j, ok := seen[d.Hash]; ok {
			return nil, fmt.Errorf("%w: document %d has the hash of document %d (%s); each document appears once", ErrInput, i+1, j+1, d.Hash)
		}
		seen[d.Hash] = i
		leaf, err := d.Leaf()
		if err != nil {
			return nil, fmt.Errorf("document %d: %w", i+1, err)
		}
		leaves[i] = leaf
		if i%step == 0 {
			progress(i, total)
		}
	}
	tree, err := merkle.New(leaves)
	if err != nil {
		return nil, err
	}
	b := &BatchFile{
		Version: BatchFileVersion, Contract: contracts.DocumentsAddress,
		Root: tree.Root(), Count: len(docs), Documents: make([]BatchEntry, len(docs)),
	}
	for i, d := range docs {
		proof, err := tree.Proof(i)
		if err != nil {
			return nil, err
		}
		b.Documents[i] = BatchEntry{Document: d, Proof: nonNilHashes(proof)}
		if i%step == 0 {
			progress(len(docs)+i, total)
		}
	}
	progress(total, total)
	return b, nil
}

func nonNilHashes(h []common.Hash) []common.Hash {
	if h == nil {
		return []common.Hash{}
	}
	return h
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

// Encode returns the batch file as indented JSON.
func (b *BatchFile) Encode() ([]byte, error) {
	out, err := json.MarshalIndent(b, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// DecodeBatchFile reads a batch file.
func DecodeBatchFile(data []byte) (*BatchFile, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	b := new(BatchFile)
	if err := dec.Decode(b); err != nil {
		return nil, fmt.Errorf("%w: batch file: %v (write it with cityctl doc issue-batch)", ErrInput, err)
	}
	if b.Version != BatchFileVersion {
		return nil, fmt.Errorf("%w: batch file version: have %d, want %d", ErrInput, b.Version, BatchFileVersion)
	}
	if b.Count != len(b.Documents) {
		return nil, fmt.Errorf("%w: batch file: count %d, but %d documents", ErrInput, b.Count, len(b.Documents))
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
