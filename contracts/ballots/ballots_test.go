package ballots

import (
	"errors"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/common/math"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"

	"github.com/citychain/citychain/contracts/merkle"
)

func testKey(i int) common.Address {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("ballots test ", i))))
	return crypto.PubkeyToAddress(k.PublicKey)
}

// TestDigestTypedData checks Domain.Digest against go-ethereum's own EIP-712
// implementation (the one behind eth_signTypedData).
func TestDigestTypedData(t *testing.T) {
	d := Domain{ChainID: 1337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	for _, tt := range []struct {
		poll   uint64
		option uint32
	}{{1, 0}, {2, 1}, {1<<64 - 1, 1<<32 - 1}} {
		td := apitypes.TypedData{
			Types: apitypes.Types{
				"EIP712Domain": {{Name: "name", Type: "string"}, {Name: "version", Type: "string"}, {Name: "chainId", Type: "uint256"}, {Name: "verifyingContract", Type: "address"}},
				"Ballot":       {{Name: "poll", Type: "uint64"}, {Name: "option", Type: "uint32"}},
			},
			PrimaryType: "Ballot",
			Domain: apitypes.TypedDataDomain{
				Name: DomainName, Version: DomainVersion,
				ChainId: (*math.HexOrDecimal256)(big.NewInt(int64(d.ChainID))), VerifyingContract: d.Contract.Hex(),
			},
			Message: apitypes.TypedDataMessage{"poll": new(big.Int).SetUint64(tt.poll), "option": big.NewInt(int64(tt.option))},
		}
		want, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			t.Fatal(err)
		}
		if have := d.Digest(tt.poll, tt.option); have != common.BytesToHash(want) {
			t.Errorf("digest(%d, %d): have %x, go-ethereum's EIP-712 %x", tt.poll, tt.option, have, want)
		}
	}
}

func TestSignVerify(t *testing.T) {
	d := Domain{ChainID: 1337, Contract: common.Address{1}}
	k, _ := crypto.GenerateKey()
	b, err := Sign(k, d, 3, 1)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Verify(d); err != nil {
		t.Fatalf("own ballot: %v", err)
	}
	tests := []struct {
		name string
		mod  func(*Ballot, *Domain)
	}{
		{"other poll", func(b *Ballot, _ *Domain) { b.Poll = 4 }},
		{"other option", func(b *Ballot, _ *Domain) { b.Option = 0 }},
		{"other chain", func(_ *Ballot, d *Domain) { d.ChainID = 1 }},
		{"other voter", func(b *Ballot, _ *Domain) { b.Voter = common.Address{2} }},
		{"short signature", func(b *Ballot, _ *Domain) { b.Signature = b.Signature[:64] }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bb, dd := b, d
			bb.Signature = append([]byte(nil), b.Signature...)
			tt.mod(&bb, &dd)
			if err := bb.Verify(dd); !errors.Is(err, ErrSignature) {
				t.Errorf("have %v, want %v", err, ErrSignature)
			}
		})
	}
	// The compact form carries the parity in the top bit of vs.
	s := b.Signed()
	if parity := s.Vs[0] >> 7; parity != b.Signature[64] {
		t.Errorf("vs parity: have %d, want %d", parity, b.Signature[64])
	}
}

func TestEligibility(t *testing.T) {
	voters := []common.Address{testKey(0), testKey(1), testKey(2), testKey(3), testKey(4)}
	e, err := NewEligibility(voters)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range voters {
		idx, proof, err := e.Proof(v)
		if err != nil || int(idx) != i {
			t.Fatalf("proof of voter %d: have index %d, %v", i, idx, err)
		}
		if !merkle.Verify(proof, e.Root(), Leaf(idx, v)) {
			t.Errorf("proof of voter %d does not verify", i)
		}
		if merkle.Verify(proof, e.Root(), Leaf(idx+1, v)) {
			t.Errorf("proof of voter %d verifies at another index", i)
		}
	}
	if _, _, err := e.Proof(testKey(9)); !errors.Is(err, ErrNotListed) {
		t.Errorf("unlisted: have %v, want %v", err, ErrNotListed)
	}
	if _, err := NewEligibility(nil); !errors.Is(err, ErrNoVoters) {
		t.Errorf("empty: have %v, want %v", err, ErrNoVoters)
	}
	if _, err := NewEligibility([]common.Address{voters[0], voters[1], voters[0]}); !errors.Is(err, ErrDuplicateVoter) {
		t.Errorf("duplicate: have %v, want %v", err, ErrDuplicateVoter)
	}
	// The leaf is abi.encode(uint256 index, address voter), double hashed.
	enc := hexutil.MustDecode("0x0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000" + voters[2].Hex()[2:])
	if have, want := Leaf(2, voters[2]), crypto.Keccak256Hash(crypto.Keccak256(enc)); have != want {
		t.Errorf("leaf: have %x, want %x", have, want)
	}
}

func TestReason(t *testing.T) {
	sel := [4]byte(crypto.Keccak256([]byte("AlreadyVoted(uint256,uint256)"))[:4])
	if have := Reason(sel); have != "AlreadyVoted" {
		t.Errorf("have %q, want AlreadyVoted", have)
	}
	if have := Reason([4]byte{1, 2, 3, 4}); have != "unknown reason 0x01020304" {
		t.Errorf("have %q", have)
	}
}
