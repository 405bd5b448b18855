package aura

import (
	"context"
	"errors"
	"math/big"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// realBlocks are Aura blocks sealed by Parity on POA networks (testdata/README.md).
var realBlocks = []struct {
	file       string
	hash       common.Hash
	author     common.Address
	stepsAfter uint64 // steps since the parent, from the difficulty
}{
	{"testdata/poa-sokol-34.json", common.HexToHash("0xe52d77084cab13a4e724162bcd8c6028e5ecfaa04d091ee476e96b9958ed6b47"), common.HexToAddress("0xe8ddc5c7a2d2f0d7a9798459c0104fdf5e987aca"), 1},
	{"testdata/poa-netstats-243673.json", common.HexToHash("0xf974c07ac165f8490ef225d47f24b81161e2f2bd8ffd5b926a1a37bb22a02462"), common.HexToAddress("0xdf9c9701e434c5c9f755ef8af18d6a4336550206"), 2},
}

func readReal(t testing.TB, file string) *Header {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h, err := DecodeJSON(data) // checks the hash the node stated
	if err != nil {
		t.Fatal(err)
	}
	return h
}

// TestRealHeaders checks our encoding, seal hash and signature recovery
// against blocks Parity sealed, and runs the rules a single header can be
// held to: its parent's step is taken from its difficulty, its set is the
// author alone (the real sets are not in the fixtures).
func TestRealHeaders(t *testing.T) {
	for _, b := range realBlocks {
		t.Run(b.file, func(t *testing.T) {
			h := readReal(t, b.file)
			if h.Hash() != b.hash {
				t.Fatalf("hash %s, want %s", h.Hash(), b.hash)
			}
			if h.Step != h.Time/5 {
				t.Fatalf("step %d, timestamp %d: the producer did not take the step from the clock", h.Step, h.Time)
			}
			signer, err := h.Signer()
			if err != nil || signer != b.author {
				t.Fatalf("sealer %s (%v), want the author %s", signer, err, b.author)
			}
			enc, err := h.Encode()
			if err != nil {
				t.Fatal(err)
			}
			dec, err := DecodeHeader(enc)
			if err != nil || dec.Hash() != b.hash {
				t.Fatalf("RLP round trip: %v", err)
			}
			spec := &Spec{StepDuration: 5, Sets: []SetConfig{{List: []common.Address{b.author}}}}
			v := &Verifier{Spec: spec}
			parent := &State{Number: h.Number - 1, Hash: h.ParentHash, Step: h.Step - b.stepsAfter, Set: spec.Sets[0].List}
			if _, err := v.Verify(context.Background(), parent, h); err != nil {
				t.Fatalf("the rules of one header: %v", err)
			}
			// Any change to a signed field moves the recovered key.
			h.Extra = append(h.Extra, 0)
			if _, err := v.Verify(context.Background(), parent, h); !errors.Is(err, errWrongProposer) {
				t.Fatalf("extra-data changed: have %v, want %v", err, errWrongProposer)
			}
		})
	}
}

// TestRealHeaderAlteredJSON: a node that serves other fields than those
// of the block it names is caught by the hash.
func TestRealHeaderAlteredJSON(t *testing.T) {
	data, err := os.ReadFile("testdata/poa-sokol-34.json")
	if err != nil {
		t.Fatal(err)
	}
	altered := []byte(string(data))
	i := len("{\n \"author\": \"0xe8ddc5c7a2d2f0d7a9798459c0104fdf5e987aca\",\n \"difficulty\": \"0x")
	if altered[i] != 'f' {
		t.Fatalf("byte %d is %q, not the difficulty's first digit", i, altered[i])
	}
	altered[i] = 'e'
	if _, err := DecodeJSON(altered); err == nil {
		t.Fatal("a header with another difficulty than the stated hash's was accepted")
	}
}

func TestRealSpec(t *testing.T) {
	data, err := os.ReadFile("testdata/poacore-engine.json")
	if err != nil {
		t.Fatal(err)
	}
	s, err := ParseSpec(data)
	if err != nil {
		t.Fatal(err)
	}
	want := []SetConfig{
		{From: 0, Contract: common.HexToAddress("0x8bf38d4764929064f2d4d3a56520a76ab3df415b")},
		{From: 772000, Contract: common.HexToAddress("0x83451c8bc04d4ee9745ccc58edfab88037bc48cc")},
		{From: 5329160, Contract: common.HexToAddress("0xa105Db0e6671C7B5f4f350ff1Af6460E6C696e71")},
	}
	if s.Name != "Core" || s.StepDuration != 5 || len(s.Sets) != 3 {
		t.Fatalf("spec %+v", s)
	}
	for i, w := range want {
		if s.Sets[i].From != w.From || s.Sets[i].Contract != w.Contract || !s.Sets[i].IsContract() {
			t.Fatalf("set %d: %+v, want %+v", i, s.Sets[i], w)
		}
	}
	for n, i := range map[uint64]int{0: 0, 771999: 0, 772000: 1, 5329159: 1, 5329160: 2, 30_000_000: 2} {
		if got := s.SetAt(n); got != i {
			t.Errorf("SetAt(%d) = %d, want %d", n, got, i)
		}
	}
}

// TestInitiateChangeTopic pins the event topic the follower filters on to
// the one in POA Core's deployed validator-set contract.
func TestInitiateChangeTopic(t *testing.T) {
	want := common.HexToHash("0x55252fa6eee4741b4e24a74a70e9c11fd2c2281df8d6ea13126ff845f7825c89")
	if InitiateChangeTopic != want || crypto.Keccak256Hash([]byte("InitiateChange(bytes32,address[])")) != want {
		t.Fatalf("InitiateChange topic %s, want %s", InitiateChangeTopic, want)
	}
}

func TestScoreOfRealDifficulty(t *testing.T) {
	h := readReal(t, "testdata/poa-netstats-243673.json")
	if want, _ := new(big.Int).SetString("fffffffffffffffffffffffffffffffd", 16); score(h.Step-2, h.Step).Cmp(want) != 0 || h.Difficulty.Cmp(want) != 0 {
		t.Fatalf("score %x, difficulty %x", score(h.Step-2, h.Step), h.Difficulty)
	}
}
