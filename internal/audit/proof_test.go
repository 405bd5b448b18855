package audit

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func TestProveVerify(t *testing.T) {
	n, client := startDevNode(t)
	genesisHash := n.Eth().BlockChain().Genesis().Hash()
	absent := common.HexToAddress("0x000000000000000000000000000000000000abcd")
	missingSlot := common.BigToHash(big.NewInt(99))

	tests := []struct {
		name   string
		req    ProveRequest
		exists bool
		values map[common.Hash]common.Hash // want, zero if not listed
	}{
		{"storage slots", ProveRequest{Address: recordAddr, Slots: []common.Hash{missingSlot, common.BigToHash(big.NewInt(1)), common.BigToHash(big.NewInt(0)), common.BigToHash(big.NewInt(1))}}, true, recordSlots},
		{"account only", ProveRequest{Address: recordAddr}, true, nil},
		{"absent account", ProveRequest{Address: absent, Slots: []common.Hash{missingSlot}}, false, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := Prove(context.Background(), client, tt.req)
			if err != nil {
				t.Fatal(err)
			}
			if p.Header.Hash != genesisHash {
				t.Errorf("header: have %s, want %s", p.Header.Hash, genesisHash)
			}
			if p.Account.Exists != tt.exists {
				t.Errorf("exists: have %v, want %v", p.Account.Exists, tt.exists)
			}
			if want := len(sortedSlots(tt.req.Slots)); len(p.Storage) != want {
				t.Fatalf("storage claims: have %d, want %d (sorted, without duplicates)", len(p.Storage), want)
			}
			for _, s := range p.Storage {
				if want := tt.values[s.Slot]; s.Value != want {
					t.Errorf("slot %s: have %s, want %s", s.Slot, s.Value, want)
				}
			}
			data, err := p.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifyFile(data, genesisHash); err != nil {
				t.Fatalf("verify: %v", err)
			}
			if _, err := VerifyFile(data, crypto.Keccak256Hash([]byte("another block"))); !errors.Is(err, ErrUntrustedHeader) {
				t.Errorf("verify against another hash: have %v, want %v", err, ErrUntrustedHeader)
			}
		})
	}
}

// TestProofEveryByte changes each byte of a proof file in several ways and
// expects every changed file to fail verification. "Any byte" includes
// whitespace and the letter case of hex digits: only the canonical encoding is
// accepted, and everything it encodes is checked against the proofs.
func TestProofEveryByte(t *testing.T) {
	n, client := startDevNode(t)
	trusted := n.Eth().BlockChain().Genesis().Hash()
	p, err := Prove(context.Background(), client, ProveRequest{Address: recordAddr, Slots: []common.Hash{common.BigToHash(big.NewInt(1))}})
	if err != nil {
		t.Fatal(err)
	}
	data, err := p.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(data, trusted); err != nil {
		t.Fatalf("unchanged file: %v", err)
	}
	mutated := make([]byte, len(data))
	for i := range data {
		for _, flip := range []byte{0x01, 0x20, 0x0f} {
			copy(mutated, data)
			mutated[i] ^= flip
			if _, err := VerifyFile(mutated, trusted); err == nil {
				t.Fatalf("byte %d changed from %q to %q: file still verifies", i, data[i], mutated[i])
			}
		}
	}
	// Removing a byte or appending one fails too.
	if _, err := VerifyFile(data[:len(data)-1], trusted); err == nil {
		t.Error("truncated file verifies")
	}
	if _, err := VerifyFile(append(bytes.Clone(data), ' '), trusted); err == nil {
		t.Error("file with a trailing space verifies")
	}
	t.Logf("%d bytes, each changed 3 ways", len(data))
}

// TestProofGolden pins the file format: a proof of the genesis state decodes
// and verifies, and re-encodes to the same bytes. Regenerate with
// CITYCHAIN_UPDATE_GOLDEN=1 after a deliberate format change.
func TestProofGolden(t *testing.T) {
	path := filepath.Join("testdata", "proof.golden.json")
	if os.Getenv("CITYCHAIN_UPDATE_GOLDEN") != "" {
		_, client := startDevNode(t)
		p, err := Prove(context.Background(), client, ProveRequest{Address: recordAddr, Slots: []common.Hash{common.BigToHash(big.NewInt(0))}})
		if err != nil {
			t.Fatal(err)
		}
		data, err := p.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (create it with CITYCHAIN_UPDATE_GOLDEN=1)", err)
	}
	p, err := DecodeProof(data)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Verify(p.Header.Hash); err != nil {
		t.Fatal(err)
	}
	if want := common.BigToHash(big.NewInt(42)); len(p.Storage) != 1 || p.Storage[0].Value != want {
		t.Fatalf("storage: have %+v, want slot 0 = %s", p.Storage, want)
	}
}
