package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/testkit/proctest"
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
			if p.Account.Exists() != tt.exists {
				t.Errorf("exists: have %v, want %v", p.Account.Exists(), tt.exists)
			}
			if want := len(sortedSlots(tt.req.Slots)); len(p.Account.StorageProof) != want {
				t.Fatalf("storage proofs: have %d, want %d (sorted, without duplicates)", len(p.Account.StorageProof), want)
			}
			for _, s := range p.Account.StorageProof {
				if want := tt.values[s.Key]; common.BigToHash(s.Value.ToInt()) != want {
					t.Errorf("slot %s: have %s, want %s", s.Key, s.Value, want)
				}
			}
			data, err := p.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if _, err := VerifyFile(data, genesisHash, nil); err != nil {
				t.Fatalf("verify: %v", err)
			}
			if _, err := VerifyFile(data, crypto.Keccak256Hash([]byte("another block")), nil); !errors.Is(err, ErrUntrustedHeader) {
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
	if _, err := VerifyFile(data, trusted, nil); err != nil {
		t.Fatalf("unchanged file: %v", err)
	}
	mutated := make([]byte, len(data))
	for i := range data {
		for _, flip := range []byte{0x01, 0x20, 0x0f} {
			copy(mutated, data)
			mutated[i] ^= flip
			if _, err := VerifyFile(mutated, trusted, nil); err == nil {
				t.Fatalf("byte %d changed from %q to %q: file still verifies", i, data[i], mutated[i])
			}
		}
	}
	// Removing a byte or appending one fails too.
	if _, err := VerifyFile(data[:len(data)-1], trusted, nil); err == nil {
		t.Error("truncated file verifies")
	}
	if _, err := VerifyFile(append(bytes.Clone(data), ' '), trusted, nil); err == nil {
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
	if err := p.Verify(p.Header.Hash, nil); err != nil {
		t.Fatal(err)
	}
	if sp := p.Account.StorageProof; len(sp) != 1 || sp[0].Key != (common.Hash{}) || sp[0].Value.ToInt().Int64() != 42 {
		t.Fatalf("storage: have %+v, want slot 0 = 42", sp)
	}
}

// TestProofIsGetProofResult checks that the eth_getProof member of a proof
// file is the node's eth_getProof result as it answered, member for member:
// any EIP-1186 verifier reads it.
func TestProofIsGetProofResult(t *testing.T) {
	_, client := startDevNode(t)
	slots := []common.Hash{common.BigToHash(big.NewInt(0)), common.BigToHash(big.NewInt(1)), common.BigToHash(big.NewInt(99))}
	for _, addr := range []common.Address{recordAddr, common.HexToAddress("0x000000000000000000000000000000000000abcd")} {
		p, err := Prove(context.Background(), client, ProveRequest{Address: addr, Slots: slots})
		if err != nil {
			t.Fatal(err)
		}
		keys := make([]string, len(slots))
		for i, s := range slots {
			keys[i] = s.Hex()
		}
		var raw json.RawMessage
		if err := client.CallContext(context.Background(), &raw, "eth_getProof", addr, keys, "0x0"); err != nil {
			t.Fatal(err)
		}
		data, _ := p.Encode()
		var file struct {
			GetProof json.RawMessage `json:"eth_getProof"`
		}
		if err := json.Unmarshal(data, &file); err != nil {
			t.Fatal(err)
		}
		var have, want bytes.Buffer
		json.Compact(&have, file.GetProof)
		json.Compact(&want, raw)
		if have.String() != want.String() {
			t.Errorf("account %s: file's eth_getProof member differs from the node's answer:\nhave %s\nwant %s", addr, have.Bytes(), want.Bytes())
		}
	}
}

// TestProofV1 reads a version 1 proof file (the golden file of the format
// before eth_getProof results, written at commit 1ae54ba): it still
// verifies, with a deprecation notice, re-encodes to its own bytes, and
// every byte of it is still covered.
func TestProofV1(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "proof-v1.golden.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodeProof(data)
	if err != nil {
		t.Fatal(err)
	}
	trusted := p.Header.Hash
	if err := p.Verify(trusted, nil); err != nil {
		t.Fatal(err)
	}
	if p.Version != 1 || !strings.Contains(p.Deprecated(), "deprecated") {
		t.Errorf("version %d, deprecation %q; want 1 and a warning", p.Version, p.Deprecated())
	}
	if sp := p.Account.StorageProof; len(sp) != 1 || sp[0].Value.ToInt().Int64() != 42 || !p.Account.Exists() {
		t.Errorf("storage: have %+v, want slot 0 = 42 of an existing account", sp)
	}
	mutated := make([]byte, len(data))
	for i := range data {
		for _, flip := range []byte{0x01, 0x20, 0x0f} {
			copy(mutated, data)
			mutated[i] ^= flip
			if _, err := VerifyFile(mutated, trusted, nil); err == nil {
				t.Fatalf("byte %d changed from %q to %q: file still verifies", i, data[i], mutated[i])
			}
		}
	}
	// The exists claim of version 1 is checked against the proof.
	notExists := bytes.Replace(data, []byte(`"exists": true`), []byte(`"exists": false`), 1)
	if _, err := VerifyFile(notExists, trusted, nil); !errors.Is(err, ErrClaimMismatch) {
		t.Errorf("exists false: have %v, want %v", err, ErrClaimMismatch)
	}
}

// TestProofOtherVerifier checks proof files with tools that are not
// citychain's (contracts/scripts/verify-getproof.js: ethers' keccak256 and
// RLP for the header, @ethereumjs/trie's verifyProof for the eth_getProof
// member): an existing account with storage and an absent account verify,
// and a file whose claimed value was changed does not.
func TestProofOtherVerifier(t *testing.T) {
	n, client := startDevNode(t)
	trusted := n.Eth().BlockChain().Genesis().Hash()
	slots := []common.Hash{common.BigToHash(big.NewInt(0)), common.BigToHash(big.NewInt(1)), crypto.Keccak256Hash([]byte("mapping slot")), common.BigToHash(big.NewInt(99))}
	for _, addr := range []common.Address{recordAddr, common.HexToAddress("0x000000000000000000000000000000000000abcd")} {
		p, err := Prove(context.Background(), client, ProveRequest{Address: addr, Slots: slots})
		if err != nil {
			t.Fatal(err)
		}
		data, _ := p.Encode()
		out := proctest.NodeScript(t, "../../../contracts", "verify-getproof.js", data, trusted.Hex())
		var res struct {
			StateRoot common.Hash            `json:"stateRoot"`
			Exists    bool                   `json:"exists"`
			Storage   map[common.Hash]string `json:"storage"`
		}
		if err := json.Unmarshal(out, &res); err != nil {
			t.Fatalf("%v: %s", err, out)
		}
		if res.StateRoot != p.Header.StateRoot || res.Exists != p.Account.Exists() || len(res.Storage) != len(slots) {
			t.Errorf("account %s: the other verifier says %+v", addr, res)
		}
		if addr == recordAddr && res.Storage[common.BigToHash(big.NewInt(0))] != "0x2a" {
			t.Errorf("slot 0: the other verifier says %s, want 0x2a", res.Storage[common.BigToHash(big.NewInt(0))])
		}
		// A changed claim fails there too.
		p.Account.StorageProof[0].Value = (*hexutil.Big)(big.NewInt(43))
		forged, _ := p.Encode()
		if out, err := proctest.RunNodeScript(t, "../../../contracts", "verify-getproof.js", forged, trusted.Hex()); err == nil {
			t.Errorf("account %s: a forged storage value verifies with the other verifier: %s", addr, out)
		}
	}
}
