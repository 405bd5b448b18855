package registry

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/merkle"
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
