package audit

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// A record kind for the tests: the sum of slots 0 and 1, as a document or
// title wrapper would decode its struct from the slots it proves.
var testRecords = func() *Records {
	var r Records
	r.Add("test-sum", func(_ common.Address, slots map[common.Hash]common.Hash) (json.RawMessage, error) {
		a, ok0 := slots[common.BigToHash(big.NewInt(0))]
		b, ok1 := slots[common.BigToHash(big.NewInt(1))]
		if !ok0 || !ok1 {
			return nil, fmt.Errorf("slots 0 and 1 are needed")
		}
		sum := new(big.Int).Add(a.Big(), b.Big())
		return json.Marshal(map[string]string{"sum": sum.String()})
	})
	return &r
}()

func TestProveRecord(t *testing.T) {
	n, client := startDevNode(t)
	trusted := n.Eth().BlockChain().Genesis().Hash()
	slots := []common.Hash{common.BigToHash(big.NewInt(0)), common.BigToHash(big.NewInt(1))}
	p, err := Prove(context.Background(), client, ProveRequest{Address: recordAddr, Slots: slots, RecordKind: "test-sum", Records: testRecords})
	if err != nil {
		t.Fatal(err)
	}
	if want := fmt.Sprintf(`{"sum":"%d"}`, 42+0xdeadbeef); !jsonEqual(p.Record.Value, []byte(want)) {
		t.Fatalf("record: have %s, want %s", p.Record.Value, want)
	}
	if err := p.Verify(trusted, testRecords); err != nil {
		t.Fatal(err)
	}
	// A record whose value does not follow from the slots, re-encoded
	// canonically so that only the claim is wrong.
	p.Record.Value = json.RawMessage(`{"sum":"43"}`)
	data, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(data, trusted, testRecords); !errors.Is(err, ErrClaimMismatch) {
		t.Errorf("forged record: have %v, want %v", err, ErrClaimMismatch)
	}
	p.Record.Kind = "no-such-kind"
	if err := p.Verify(trusted, testRecords); !errors.Is(err, ErrUnknownRecord) {
		t.Errorf("unknown kind: have %v, want %v", err, ErrUnknownRecord)
	}
	if _, err := Prove(context.Background(), client, ProveRequest{Address: recordAddr, Slots: slots[:1], RecordKind: "test-sum", Records: testRecords}); err == nil {
		t.Error("record over too few slots: no error")
	}
}

// TestProofClaims changes one claimed value at a time, re-encoding the file
// canonically, and expects the matching error.
func TestProofClaims(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "proof.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		change func(p *Proof)
		want   error
	}{
		{"number", func(p *Proof) { p.Header.Number++ }, ErrHeaderFields},
		{"state root", func(p *Proof) { p.Header.StateRoot[0] ^= 1 }, ErrHeaderFields},
		{"sealer", func(p *Proof) { p.Header.Sealer[0] ^= 1 }, ErrHeaderFields},
		{"nonce", func(p *Proof) { p.Account.Nonce++ }, ErrClaimMismatch},
		{"balance", func(p *Proof) { p.Account.Balance.ToInt().SetInt64(8) }, ErrClaimMismatch},
		{"no balance", func(p *Proof) { p.Account.Balance = nil }, ErrClaimMismatch},
		{"code hash", func(p *Proof) { p.Account.CodeHash[0] ^= 1 }, ErrClaimMismatch},
		{"absent", func(p *Proof) { p.Account.CodeHash = common.Hash{} }, ErrClaimMismatch},
		{"storage hash", func(p *Proof) { p.Account.StorageHash[0] ^= 1 }, ErrClaimMismatch},
		{"storage value", func(p *Proof) { p.Account.StorageProof[0].Value.ToInt().SetInt64(43) }, ErrClaimMismatch},
		{"no storage value", func(p *Proof) { p.Account.StorageProof[0].Value = nil }, ErrClaimMismatch},
		{"storage key", func(p *Proof) { p.Account.StorageProof[0].Key[31]++ }, ErrBadProof},
		{"padded proof", func(p *Proof) {
			p.Account.AccountProof = append(p.Account.AccountProof, p.Account.StorageProof[0].Proof[0])
		}, ErrBadProof},
		{"repeated node", func(p *Proof) { p.Account.AccountProof = append(p.Account.AccountProof, p.Account.AccountProof[0]) }, ErrBadProof},
		{"dropped node", func(p *Proof) { p.Account.StorageProof[0].Proof = p.Account.StorageProof[0].Proof[1:] }, ErrBadProof},
		{"repeated key", func(p *Proof) {
			p.Account.StorageProof = append(p.Account.StorageProof, p.Account.StorageProof[0])
		}, ErrNotCanonical},
		{"version", func(p *Proof) { p.Version = 3 }, ErrUnsupportedVersion},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := DecodeProof(data)
			if err != nil {
				t.Fatal(err)
			}
			trusted := p.Header.Hash
			tt.change(p)
			enc, err := p.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifyFile(enc, trusted, testRecords); !errors.Is(err, tt.want) {
				t.Errorf("have %v, want %v", err, tt.want)
			}
		})
	}
}

// FuzzDecodeProof checks that no input crashes the decoder or the verifier
// and that whatever decodes re-encodes to the same bytes.
func FuzzDecodeProof(f *testing.F) {
	for _, name := range []string{"proof.golden.json", "proof-v1.golden.json"} {
		if data, err := os.ReadFile(filepath.Join("testdata", name)); err == nil {
			f.Add(data)
		}
	}
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":2}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := DecodeProof(data)
		if err != nil {
			return
		}
		again, err := p.Encode()
		if err != nil || string(again) != string(data) {
			t.Fatalf("decoded file re-encodes differently: %v", err)
		}
		_ = p.Verify(p.Header.Hash, testRecords)
	})
}
