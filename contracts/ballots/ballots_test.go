package ballots

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/signer/core/apitypes"
)

func testKey(i int) common.Address {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("ballots test ", i))))
	return crypto.PubkeyToAddress(k.PublicKey)
}

// TestTypedData checks the typed data a wallet is given: go-ethereum's own
// EIP-712 implementation (the one behind eth_signTypedData) reads its JSON
// and hashes it to Domain.Digest.
func TestTypedData(t *testing.T) {
	d := Domain{ChainID: 1337, Contract: common.HexToAddress("0x5FbDB2315678afecb367f032d93F642f64180aa3")}
	for _, tt := range []struct {
		poll   uint64
		option uint32
	}{{1, 0}, {2, 1}, {1<<64 - 1, 1<<32 - 1}} {
		data, err := json.Marshal(d.TypedData(tt.poll, tt.option))
		if err != nil {
			t.Fatal(err)
		}
		var td apitypes.TypedData
		if err := json.Unmarshal(data, &td); err != nil {
			t.Fatalf("eth_signTypedData_v4 JSON: %v\n%s", err, data)
		}
		want, _, err := apitypes.TypedDataAndHash(td)
		if err != nil {
			t.Fatal(err)
		}
		if have := d.Digest(tt.poll, tt.option); have != common.BytesToHash(want) {
			t.Errorf("digest(%d, %d): have %x, go-ethereum's EIP-712 of the typed data %x", tt.poll, tt.option, have, want)
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
	if v := b.Signature[64]; v != 27 && v != 28 {
		t.Fatalf("v: have %d, want 27 or 28 as eth_signTypedData_v4 returns", v)
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
		{"v 29", func(b *Ballot, _ *Domain) { b.Signature[64] = 29 }},
		{"v 2", func(b *Ballot, _ *Domain) { b.Signature[64] = 2 }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bb, dd := b, d
			bb.Signature = bytes.Clone(b.Signature)
			tt.mod(&bb, &dd)
			if err := bb.Verify(dd); !errors.Is(err, ErrSignature) {
				t.Errorf("have %v, want %v", err, ErrSignature)
			}
		})
	}
	// v 0 or 1 (go-ethereum's crypto.Sign) is the same signature.
	b01 := b
	b01.Signature = bytes.Clone(b.Signature)
	b01.Signature[64] -= 27
	if err := b01.Verify(d); err != nil {
		t.Errorf("v %d: %v", b01.Signature[64], err)
	}
	// The compact form carries the parity in the top bit of vs.
	s := b.Signed()
	if parity := s.Vs[0] >> 7; parity != b01.Signature[64] {
		t.Errorf("vs parity: have %d, want %d", parity, b01.Signature[64])
	}
	if s01 := b01.Signed(); s01.R != s.R || s01.Vs != s.Vs {
		t.Error("v 0/1 and v 27/28 give different compact signatures")
	}
	bad := b
	bad.Signature = bytes.Clone(b.Signature)
	bad.Signature[64] = 30
	if s := bad.Signed(); s.R != ([32]byte{}) || s.Vs != ([32]byte{}) {
		t.Error("a signature with v 30 is passed on to the contract")
	}
}

// TestBallotJSON checks the ballot line: written with a 0x-hex signature,
// read with v in either form without warning, and read from the base64 form
// cityctl wrote before with a deprecation warning.
func TestBallotJSON(t *testing.T) {
	d := Domain{ChainID: 1337, Contract: common.Address{1}}
	k, _ := crypto.GenerateKey()
	b, _ := Sign(k, d, 3, 1)
	line, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`"signature":"0x%x"`, []byte(b.Signature))
	if !strings.Contains(string(line), want) || len(b.Signature) != 65 {
		t.Fatalf("line %s lacks %s", line, want)
	}
	zeroOne := strings.Replace(string(line), want, fmt.Sprintf(`"signature":"0x%x%02x"`, []byte(b.Signature[:64]), b.Signature[64]-27), 1)
	for name, l := range map[string]string{"v 27/28": string(line), "v 0/1": zeroOne} {
		got, err := DecodeBallot([]byte(l))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if err := got.Verify(d); err != nil || got.Deprecated() != "" {
			t.Errorf("%s: verify %v, deprecation %q; want nil and none", name, err, got.Deprecated())
		}
	}
	for _, bad := range []string{`{"poll":3}`, `{"signature":"0xzz"}`, `{"signature":"not base64!"}`, `{"signature":7}`} {
		if _, err := DecodeBallot([]byte(bad)); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

// TestDeprecatedBallots reads ballots written by cityctl before 0x-hex
// signatures (commit 1ae54ba, `poll sign-ballot --chainid 1337` for poll 1
// of testdata/eligibility-deprecated.json, dev accounts 6 and 7).
func TestDeprecatedBallots(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "ballots-base64.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	d := DevDomain(1337)
	for i, line := range bytes.Split(bytes.TrimSpace(data), []byte("\n")) {
		b, err := DecodeBallot(line)
		if err != nil {
			t.Fatalf("line %d: %v", i+1, err)
		}
		if !strings.Contains(b.Deprecated(), "base64") {
			t.Errorf("line %d: deprecation %q, want a warning about base64", i+1, b.Deprecated())
		}
		if err := b.Verify(d); err != nil {
			t.Errorf("line %d: %v", i+1, err)
		}
		// Written again, it is a current ballot.
		again, _ := json.Marshal(b)
		if nb, err := DecodeBallot(again); err != nil || nb.Deprecated() != "" || nb.Verify(d) != nil {
			t.Errorf("line %d rewritten: %v, deprecation %q", i+1, err, nb.Deprecated())
		}
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

// castLog returns a BallotCast log of the Polls contract.
func castLog(t *testing.T, poll uint64, voter common.Address, index, option uint32, block uint64) types.Log {
	t.Helper()
	ev := pollsABI.GetABI().Events["BallotCast"]
	data, err := ev.Inputs.NonIndexed().Pack(index, option)
	if err != nil {
		t.Fatal(err)
	}
	return types.Log{
		Topics:      []common.Hash{ev.ID, common.BigToHash(new(big.Int).SetUint64(poll)), common.BytesToHash(voter.Bytes())},
		Data:        data,
		BlockNumber: block,
		TxHash:      common.BigToHash(new(big.Int).SetUint64(block)),
	}
}

// TestTallyRanges counts events range by range, as a gateway does block after
// block: the sum is the recount of all of them, and a voter counted in two
// ranges is reported as in one.
func TestTallyRanges(t *testing.T) {
	logs := []types.Log{
		castLog(t, 1, testKey(0), 0, 1, 10),
		castLog(t, 2, testKey(1), 0, 0, 10), // another poll
		castLog(t, 1, testKey(1), 1, 0, 11),
		castLog(t, 1, testKey(2), 2, 1, 12),
		castLog(t, 1, testKey(1), 1, 1, 13), // voter 1 again
	}
	all, err := Recount(1, 2, logs)
	if err != nil {
		t.Fatal(err)
	}
	tally := NewTally(1, 2)
	for _, r := range [][]types.Log{logs[:2], logs[2:3], logs[3:]} {
		if err := tally.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	if fmt.Sprint(tally.Counts) != fmt.Sprint(all.Counts) || tally.Cast != all.Cast || len(tally.Errors) != len(all.Errors) {
		t.Errorf("by ranges: have counts %v, %d cast, %d errors; recount %v, %d, %d", tally.Counts, tally.Cast, len(tally.Errors), all.Counts, all.Cast, len(all.Errors))
	}
	if fmt.Sprint(all.Counts) != "[1 2]" || all.Cast != 4 || len(all.Errors) != 1 {
		t.Errorf("recount: have %v, %d cast, errors %v; want [1 2], 4 cast, voter 1 counted twice", all.Counts, all.Cast, all.Errors)
	}
}

// TestSeparatorCache: alternating domains (the kept separator replaced each
// time) each get their own separator, the EIP-712 formula's.
func TestSeparatorCache(t *testing.T) {
	want := func(d Domain) common.Hash {
		return crypto.Keccak256Hash(domainTypeHash[:], crypto.Keccak256([]byte(DomainName)), crypto.Keccak256([]byte(DomainVersion)),
			common.BigToHash(new(big.Int).SetUint64(d.ChainID)).Bytes(), common.LeftPadBytes(d.Contract.Bytes(), 32))
	}
	domains := []Domain{DevDomain(1337), DevDomain(7), {ChainID: 1337, Contract: common.Address{1}}}
	for i := range 9 {
		d := domains[i%len(domains)]
		if have := d.Separator(); have != want(d) {
			t.Fatalf("round %d, domain %+v: separator %x, want %x", i, d, have, want(d))
		}
	}
}
