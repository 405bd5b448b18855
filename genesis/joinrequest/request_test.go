package joinrequest

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// goldenRequest pins the join request format, its canonical encoding and its
// signature: a change breaks requests that departments already sent.
//
//	UPDATE_GOLDEN=1 go test -run TestJoinRequestGolden ./genesis/joinrequest
const goldenRequest = "testdata/join-request.golden"

const testEnode = "enode://a979fb575495b8d6db44f750317d0f4622bf4c2aa3365d6af7c284339968eef29b69ad0dce72a4d8db5ebb4968de0e3bec910127f134779fbcb0cb6d3331163c@10.0.0.5:30303"

var (
	testKey, _  = crypto.HexToECDSA("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")
	testGenesis = common.HexToHash("0x6ab1b2d5f2e1d0a38f2f3c4b1dc9d3b0b3b5f4a7c3f2a1b0c9d8e7f6a5b4c3d2")
	testTime    = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	testDept    = Department{Code: "PARKS", Name: "Parks & Gardens <Nord>"}
)

func testRequest(t *testing.T) *Request {
	t.Helper()
	r, err := New(testKey, 4321, testGenesis, testDept, testEnode, testTime)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestJoinRequestGolden(t *testing.T) {
	r := testRequest(t)
	have := append(append([]byte("canonical: "), r.Canonical()...), '\n')
	have = append(have, r.Encode()...)
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.MkdirAll(filepath.Dir(goldenRequest), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenRequest, have, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenRequest)
	if err != nil {
		t.Fatalf("%v (regenerate with UPDATE_GOLDEN=1)", err)
	}
	if !bytes.Equal(have, want) {
		t.Errorf("join request changed:\nhave %s\nwant %s", have, want)
	}
}

// TestJoinRequestPersonalSign: the signature is EIP-191 personal_sign, so
// any wallet's ecrecover over the canonical bytes finds the signer.
func TestJoinRequestPersonalSign(t *testing.T) {
	r := testRequest(t)
	sig := bytes.Clone(r.Signature)
	if v := sig[64]; v != 27 && v != 28 {
		t.Fatalf("v: have %d, want 27 or 28", v)
	}
	sig[64] -= 27
	pub, err := crypto.SigToPub(accounts.TextHash(r.Canonical()), sig)
	if err != nil {
		t.Fatal(err)
	}
	if have := crypto.PubkeyToAddress(*pub); have != r.Signer {
		t.Errorf("recovered: have %s, want %s", have, r.Signer)
	}
}

func TestJoinRequestDecode(t *testing.T) {
	good := testRequest(t)
	other, _ := crypto.GenerateKey()
	tests := []struct {
		name   string
		edit   func(m map[string]any)
		raw    string // used instead of the edited request if set
		want   error
		reason string // part of the message
	}{
		{name: "valid", edit: func(map[string]any) {}},
		{name: "department renamed after signing", edit: func(m map[string]any) { m["department"].(map[string]any)["name"] = "Police" }, want: ErrInvalid, reason: "not by the stated signer"},
		{name: "signer swapped", edit: func(m map[string]any) { m["signer"] = crypto.PubkeyToAddress(other.PublicKey).Hex() }, want: ErrInvalid, reason: "altered"},
		{name: "enode swapped", edit: func(m map[string]any) { m["enode"] = strings.Replace(testEnode, "10.0.0.5", "10.6.6.6", 1) }, want: ErrInvalid, reason: "altered"},
		{name: "signature cut", edit: func(m map[string]any) { m["signature"] = "0x1234" }, want: ErrInvalid, reason: "want 65"},
		{name: "signature missing", edit: func(m map[string]any) { delete(m, "signature") }, want: ErrInvalid, reason: "want 65"},
		{name: "zero signer", edit: func(m map[string]any) { m["signer"] = common.Address{}.Hex() }, want: ErrInvalid, reason: "zero address"},
		{name: "unknown field", edit: func(m map[string]any) { m["admin"] = true }, want: ErrInvalid, reason: "unknown field"},
		{name: "other version", edit: func(m map[string]any) { m["version"] = 2 }, want: ErrInvalid, reason: "version"},
		{name: "bad enode", edit: func(m map[string]any) { m["enode"] = "enode://1234@1.2.3.4:5" }, want: ErrInvalid, reason: "enode"},
		{name: "lower-case code", edit: func(m map[string]any) { m["department"].(map[string]any)["code"] = "parks" }, want: ErrInvalid, reason: "department code"},
		{name: "local time", edit: func(m map[string]any) { m["created"] = "2026-11-25T10:30:00+01:00" }, want: ErrInvalid, reason: "created"},
		{name: "not json", raw: "enode://...", want: ErrInvalid},
		{name: "two objects", raw: string(good.Encode()) + "{}", want: ErrInvalid, reason: "data after"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := []byte(tt.raw)
			if tt.raw == "" {
				var m map[string]any
				if err := json.Unmarshal(good.Encode(), &m); err != nil {
					t.Fatal(err)
				}
				tt.edit(m)
				data, _ = json.Marshal(m)
			}
			r, err := Decode(bytes.NewReader(data))
			if !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
				t.Fatalf("error: have %v, want %v", err, tt.want)
			}
			if err != nil && !strings.Contains(err.Error(), tt.reason) {
				t.Errorf("error: have %q, want it to mention %q", err, tt.reason)
			}
			if err == nil && r.Signer != good.Signer {
				t.Errorf("signer: have %s, want %s", r.Signer, good.Signer)
			}
		})
	}
}

func TestJoinRequestNetwork(t *testing.T) {
	r := testRequest(t)
	if err := r.CheckNetwork(4321, testGenesis); err != nil {
		t.Errorf("same network: have %v, want nil", err)
	}
	for _, c := range []struct {
		id      uint64
		genesis common.Hash
	}{{4322, testGenesis}, {4321, common.Hash{1}}} {
		if err := r.CheckNetwork(c.id, c.genesis); !errors.Is(err, ErrWrongNetwork) {
			t.Errorf("chain %d genesis %x: have %v, want %v", c.id, c.genesis, err, ErrWrongNetwork)
		}
	}
}

func TestNewJoinRequestRefusesBadFields(t *testing.T) {
	if _, err := New(testKey, 4321, testGenesis, Department{Code: "PARKS"}, testEnode, testTime); !errors.Is(err, ErrInvalid) {
		t.Errorf("no department name: have %v, want %v", err, ErrInvalid)
	}
	if _, err := New(testKey, 0, testGenesis, testDept, testEnode, testTime); !errors.Is(err, ErrInvalid) {
		t.Errorf("chain id 0: have %v, want %v", err, ErrInvalid)
	}
}

// FuzzJoinRequest: the parser never panics, and what it accepts verifies and
// re-encodes to a request that decodes to the same canonical bytes.
func FuzzJoinRequest(f *testing.F) {
	r, err := New(testKey, 4321, testGenesis, testDept, testEnode, testTime)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(r.Encode())
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"chainId":1,"signature":"0x00"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := Decode(bytes.NewReader(data))
		if err != nil {
			return
		}
		again, err := Decode(bytes.NewReader(r.Encode()))
		if err != nil {
			t.Fatalf("accepted request does not decode again: %v", err)
		}
		if !bytes.Equal(again.Canonical(), r.Canonical()) {
			t.Fatalf("canonical bytes changed:\nhave %s\nwant %s", again.Canonical(), r.Canonical())
		}
	})
}
