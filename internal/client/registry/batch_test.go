package registry

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/testkit/merkletest"
)

func hashOf(s string) common.Hash { return crypto.Keccak256Hash([]byte(s)) }

func TestParseDocuments(t *testing.T) {
	h1, h2, ref := hashOf("a"), hashOf("b"), hashOf("ref")
	tests := []struct {
		name  string
		input string
		want  []Document
		err   string
	}{
		{"csv", "docHash,docType,holderRef,validFrom,validUntil\n" + h1.Hex() + ",ID," + ref.Hex() + ",10,20\n" + h2.Hex() + ",ID," + ref.Hex() + ",,\n",
			[]Document{{h1, "ID", ref, 10, 20}, {h2, "ID", ref, 0, 0}}, ""},
		{"csv columns reordered, no times", "holderRef, docType, docHash\n" + ref.Hex() + ",ID," + h1.Hex() + "\n",
			[]Document{{h1, "ID", ref, 0, 0}}, ""},
		{"json", `[{"docHash":"` + h1.Hex() + `","docType":"ID","holderRef":"` + ref.Hex() + `","validFrom":5,"validUntil":0}]`,
			[]Document{{h1, "ID", ref, 5, 0}}, ""},
		{"empty", "  \n", nil, "empty"},
		{"csv header only", "docHash,docType,holderRef\n", nil, "no documents"},
		{"json empty array", "[]", nil, "no documents"},
		{"unknown column", "docHash,docType,holderRef,name\n", nil, `unknown column "name"`},
		{"missing column", "docHash,docType\n", nil, `missing column "holderRef"`},
		{"bad hash", "docHash,docType,holderRef\n0x12,ID," + ref.Hex() + "\n", nil, "line 2: docHash"},
		{"zero hash", "docHash,docType,holderRef\n" + common.Hash{}.Hex() + ",ID," + ref.Hex() + "\n", nil, "hash is zero"},
		{"long type", "docHash,docType,holderRef\n" + h1.Hex() + "," + strings.Repeat("X", 33) + "," + ref.Hex() + "\n", nil, "document type"},
		{"bad validity", "docHash,docType,holderRef,validFrom,validUntil\n" + h1.Hex() + ",ID," + ref.Hex() + ",20,10\n", nil, "not after valid from"},
		{"bad time", "docHash,docType,holderRef,validFrom\n" + h1.Hex() + ",ID," + ref.Hex() + ",yesterday\n", nil, "validFrom"},
		{"json unknown field", `[{"docHash":"` + h1.Hex() + `","name":"x"}]`, nil, "unknown field"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have, err := ParseDocuments([]byte(tt.input))
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) || !errors.Is(err, ErrInput) {
					t.Fatalf("have %v, want an ErrInput containing %q", err, tt.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if fmt.Sprint(have) != fmt.Sprint(tt.want) {
				t.Fatalf("have %v, want %v", have, tt.want)
			}
		})
	}
}

func TestBuildBatch(t *testing.T) {
	var docs []Document
	for i := range 37 {
		docs = append(docs, Document{Hash: hashOf(fmt.Sprint(i)), Type: "PERMIT", HolderRef: hashOf("h")})
	}
	var calls, last int
	b, err := BuildBatch(docs, func(done, total int) { calls++; last = done })
	if err != nil {
		t.Fatal(err)
	}
	if last != 2*len(docs) || calls < 2 {
		t.Errorf("progress: have %d calls ending at %d, want several ending at %d", calls, last, 2*len(docs))
	}
	for i := range b.Documents {
		if err := b.CheckProof(&b.Documents[i]); err != nil {
			t.Fatalf("document %d: %v", i, err)
		}
	}
	// The file round-trips, and an altered entry no longer proves.
	enc, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	again, err := DecodeBatchFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	e, err := again.Find(docs[5].Hash)
	if err != nil {
		t.Fatal(err)
	}
	e.ValidUntil = 99
	if err := again.CheckProof(e); !errors.Is(err, ErrInput) {
		t.Errorf("altered entry: have %v, want %v", err, ErrInput)
	}
	if _, err := again.Find(hashOf("absent")); !errors.Is(err, ErrInput) {
		t.Errorf("absent document: have %v, want %v", err, ErrInput)
	}
	leaf, _ := docs[0].Leaf()
	if !merkle.Verify(b.Documents[0].Proof, b.Root, leaf) {
		t.Error("proof does not verify with contracts/merkle")
	}
	// Duplicates are refused.
	if _, err := BuildBatch(append(docs, docs[3]), nil); !errors.Is(err, ErrInput) {
		t.Errorf("duplicate: have %v, want %v", err, ErrInput)
	}
	if _, err := BuildBatch(nil, nil); !errors.Is(err, ErrInput) {
		t.Errorf("empty: have %v, want %v", err, ErrInput)
	}
}

// batchDocs returns n documents of several types and validities.
func batchDocs(n int) []Document {
	docs := make([]Document, n)
	types := []string{"PERMIT", "BIRTH-CERT", "RESIDENCE"}
	for i := range docs {
		docs[i] = Document{Hash: hashOf(fmt.Sprint("batch ", i)), Type: types[i%3], HolderRef: hashOf(fmt.Sprint("holder ", i%5)), ValidFrom: uint64(i), ValidUntil: uint64(i%2) * 4_000_000_000}
	}
	return docs
}

// TestBatchOpenZeppelin checks batches of 1, 2, 3, 7 and 1,000 documents
// against @openzeppelin/merkle-tree: StandardMerkleTree.of over the same
// values has the same root, proofs and dump, and loads the batch file.
func TestBatchOpenZeppelin(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			b, err := BuildBatch(batchDocs(n), nil)
			if err != nil {
				t.Fatal(err)
			}
			merkletest.CompareOpenZeppelin(t, "../../../contracts", b.tree)
		})
	}
	// The StandardMerkleTree leaf of a document is Documents.leaf.
	docs := batchDocs(1)
	b, _ := BuildBatch(docs, nil)
	data, _ := docs[0].Data()
	if have, want := b.Root, contracts.DocumentLeaf(data); have != want {
		t.Errorf("leaf of one document: have %s, Documents.leaf %s", have, want)
	}
}

func TestBatchFile(t *testing.T) {
	b, err := BuildBatch(batchDocs(9), nil)
	if err != nil {
		t.Fatal(err)
	}
	b.ChainID, b.Block = 1337, 12
	tx := hashOf("tx")
	b.Tx = &tx
	enc, err := b.Encode()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"format": "standard-v1"`, `"contract": "0x0cdfb9255825860a972e668d326d54b59338c655"`, `"chainId": 1337`, `"block": 12`} {
		if !strings.Contains(string(enc), want) {
			t.Errorf("batch file lacks %s:\n%s", want, enc)
		}
	}
	again, err := DecodeBatchFile(enc)
	if err != nil {
		t.Fatal(err)
	}
	if again.Root != b.Root || again.Count != 9 || *again.Tx != tx || again.ChainID != 1337 || again.Deprecated() != "" {
		t.Fatalf("decoded: %+v", again)
	}
	if reenc, _ := again.Encode(); !bytes.Equal(reenc, enc) {
		t.Errorf("batch file does not round-trip")
	}
	// A plain dump, as a JavaScript tool writes it, reads too.
	d, _ := b.tree.Dump()
	plain, _ := json.Marshal(d)
	if p, err := DecodeBatchFile(plain); err != nil || p.Root != b.Root {
		t.Errorf("plain dump: %v", err)
	}
	bad := []struct {
		name string
		tree func() (*merkle.StandardTree, error)
		want string
	}{
		{"other encoding", func() (*merkle.StandardTree, error) {
			return merkle.NewStandardTree([]string{"bytes32"}, [][]any{{[32]byte{1}}})
		}, "leaf encoding"},
		{"zero hash", func() (*merkle.StandardTree, error) {
			return merkle.NewStandardTree(DocumentEncoding, [][]any{{[32]byte{}, [32]byte{'I', 'D'}, [32]byte{}, uint64(0), uint64(0)}})
		}, "hash is zero"},
		{"listed twice", func() (*merkle.StandardTree, error) {
			v := []any{[32]byte{1}, [32]byte{'I', 'D'}, [32]byte{}, uint64(0), uint64(0)}
			return merkle.NewStandardTree(DocumentEncoding, [][]any{v, v})
		}, "appears once"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			tree, err := tt.tree()
			if err != nil {
				t.Fatal(err)
			}
			d, _ := tree.Dump()
			data, _ := json.Marshal(d)
			if _, err := DecodeBatchFile(data); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("have %v, want %v containing %q", err, ErrInput, tt.want)
			}
		})
	}
}

// TestDeprecatedBatchFile reads a version 1 batch file written by cityctl
// before standard-v1 dumps (commit 1ae54ba, `doc issue-batch` of three
// documents on citynode dev): its issued root and proofs are kept, with a
// warning; it is written back unchanged; an altered proof is refused.
func TestDeprecatedBatchFile(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "batch-deprecated.json"))
	if err != nil {
		t.Fatal(err)
	}
	b, err := DecodeBatchFile(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := common.HexToHash("0xac75c7e58d4839bf3ab96206a86cc9581e3e7c014311041410e60265d0d14aef"); b.Root != want || b.Count != 3 || b.Block != 6 {
		t.Fatalf("root %s, %d documents, block %d; want %s, 3, 6", b.Root, b.Count, b.Block, want)
	}
	if !strings.Contains(b.Deprecated(), "deprecated") {
		t.Errorf("deprecation: have %q, want a warning", b.Deprecated())
	}
	e, err := b.Find(common.HexToHash("0x03"))
	if err != nil || e.Type != "BIRTH-CERT" || b.CheckProof(e) != nil {
		t.Fatalf("document 3: %+v, %v", e, err)
	}
	if enc, err := b.Encode(); err != nil || !bytes.Equal(bytes.TrimSpace(enc), bytes.TrimSpace(data)) {
		t.Errorf("written back: %v\n%s", err, enc)
	}
	altered := strings.Replace(string(data), "0x8f14662bf1fc8e9928fe6f46a389a5d1a196f813fef7555c44518f8180c2d1e7", "0x8f14662bf1fc8e9928fe6f46a389a5d1a196f813fef7555c44518f8180c2d1e8", 1)
	if _, err := DecodeBatchFile([]byte(altered)); !errors.Is(err, ErrInput) || !strings.Contains(err.Error(), "altered") {
		t.Errorf("altered proof: have %v, want %v", err, ErrInput)
	}
}

// FuzzDecodeBatchFile checks that no input crashes the batch file reader and
// that every document of a file it accepts proves to its root.
func FuzzDecodeBatchFile(f *testing.F) {
	b, _ := BuildBatch(batchDocs(3), nil)
	enc, _ := b.Encode()
	f.Add(enc)
	if old, err := os.ReadFile(filepath.Join("testdata", "batch-deprecated.json")); err == nil {
		f.Add(old)
	}
	f.Add([]byte(`{"version":1,"documents":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBatchFile(data)
		if err != nil {
			return
		}
		for i := range b.Documents {
			if err := b.CheckProof(&b.Documents[i]); err != nil {
				t.Fatalf("document %d of an accepted file: %v", i, err)
			}
		}
		if _, err := b.Encode(); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzParseDocuments checks that no input crashes the parser and that what
// it accepts is a valid batch.
func FuzzParseDocuments(f *testing.F) {
	h, ref := hashOf("a").Hex(), hashOf("r").Hex()
	f.Add([]byte("docHash,docType,holderRef,validFrom,validUntil\n" + h + ",ID," + ref + ",1,2\n"))
	f.Add([]byte(`[{"docHash":"` + h + `","docType":"ID","holderRef":"` + ref + `"}]`))
	f.Add([]byte("docHash\n\"unterminated"))
	f.Fuzz(func(t *testing.T, data []byte) {
		docs, err := ParseDocuments(data)
		if err != nil {
			return
		}
		for _, d := range docs {
			if _, err := d.Data(); err != nil {
				t.Fatalf("accepted an invalid document: %v", err)
			}
		}
	})
}

// BenchmarkBuildBatch measures the issuer's side of a batch: hashing 10,000
// documents into leaves, building the tree and every proof (report: docs/s).
func BenchmarkBuildBatch(b *testing.B) {
	const n = 10_000
	docs := make([]Document, n)
	for i := range docs {
		docs[i] = Document{Hash: hashOf(fmt.Sprint(i)), Type: "PERMIT", HolderRef: hashOf("h")}
	}
	b.ResetTimer()
	for b.Loop() {
		if _, err := BuildBatch(docs, nil); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "docs/s")
}
