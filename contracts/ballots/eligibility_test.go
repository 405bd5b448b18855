package ballots

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/testkit/merkletest"
)

func voters(n int) []common.Address {
	out := make([]common.Address, n)
	for i := range out {
		out[i] = testKey(i)
	}
	return out
}

func TestEligibility(t *testing.T) {
	vs := voters(5)
	e, err := NewEligibility(vs)
	if err != nil {
		t.Fatal(err)
	}
	for i, v := range vs {
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
	if _, err := NewEligibility([]common.Address{vs[0], vs[1], vs[0]}); !errors.Is(err, ErrDuplicateVoter) {
		t.Errorf("duplicate: have %v, want %v", err, ErrDuplicateVoter)
	}
	// The leaf is abi.encode(uint256 index, address voter), double hashed,
	// as Polls.relay computes it, and the StandardMerkleTree leaf of the
	// value (index, voter).
	enc := hexutil.MustDecode("0x0000000000000000000000000000000000000000000000000000000000000002000000000000000000000000" + vs[2].Hex()[2:])
	if have, want := Leaf(2, vs[2]), crypto.Keccak256Hash(crypto.Keccak256(enc)); have != want {
		t.Errorf("leaf: have %x, want %x", have, want)
	}
	one, _ := merkle.NewStandardTree(LeafEncoding, [][]any{{big.NewInt(2), vs[2]}})
	if have := Leaf(2, vs[2]); have != one.Root() {
		t.Errorf("leaf: have %x, StandardMerkleTree leaf %x", have, one.Root())
	}
}

// TestEligibilityOpenZeppelin checks eligibility trees of 1, 2, 3, 7 and
// 1,000 voters against @openzeppelin/merkle-tree: StandardMerkleTree.of over
// the same (index, voter) values has the same root, proofs and dump, and
// loads the eligibility file cityctl writes.
func TestEligibilityOpenZeppelin(t *testing.T) {
	for _, n := range []int{1, 2, 3, 7, 1000} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			e, err := NewEligibility(voters(n))
			if err != nil {
				t.Fatal(err)
			}
			merkletest.CompareOpenZeppelin(t, "..", e.tree)
		})
	}
}

func TestEligibilityFile(t *testing.T) {
	vs := voters(7)
	e, _ := NewEligibility(vs)
	data, err := e.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(data), `"format": "standard-v1"`) {
		t.Fatalf("file is no standard-v1 dump:\n%s", data)
	}
	again, err := DecodeEligibility(data)
	if err != nil {
		t.Fatal(err)
	}
	if again.Root() != e.Root() || again.Len() != 7 || again.Deprecated() != "" {
		t.Fatalf("decoded: root %s, %d voters, deprecation %q; want %s, 7, none", again.Root(), again.Len(), again.Deprecated(), e.Root())
	}
	for i, v := range vs {
		i1, p1, _ := e.Proof(v)
		i2, p2, err := again.Proof(v)
		if err != nil || i1 != i2 || !slices.Equal(p1, p2) || again.Voter(i) != v {
			t.Fatalf("voter %d: index %d/%d, proofs %x/%x, %v", i, i1, i2, p1, p2, err)
		}
	}
	// A dump whose values are listed in another order (the voter index is
	// in the value) reads the same.
	var d merkle.Dump
	json.Unmarshal(data, &d)
	slices.Reverse(d.Values)
	rev, _ := json.Marshal(&d)
	if r, err := DecodeEligibility(rev); err != nil || r.Voter(3) != vs[3] {
		t.Fatalf("reordered values: %v", err)
	}
	bad := []struct {
		name string
		dump func() any
		want string
	}{
		{"other encoding", func() any {
			tr, _ := merkle.NewStandardTree([]string{"address"}, [][]any{{vs[0]}})
			d, _ := tr.Dump()
			return d
		}, "leaf encoding"},
		{"index gap", func() any {
			tr, _ := merkle.NewStandardTree(LeafEncoding, [][]any{{big.NewInt(0), vs[0]}, {big.NewInt(2), vs[1]}})
			d, _ := tr.Dump()
			return d
		}, "0 to n-1"},
		{"voter twice", func() any {
			tr, _ := merkle.NewStandardTree(LeafEncoding, [][]any{{big.NewInt(0), vs[0]}, {big.NewInt(1), vs[0]}})
			d, _ := tr.Dump()
			return d
		}, "listed twice"},
		{"no format", func() any { return map[string]any{"tree": d.Tree} }, "neither"},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			data, _ := json.Marshal(tt.dump())
			if _, err := DecodeEligibility(data); !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("have %v, want %v containing %q", err, ErrFile, tt.want)
			}
		})
	}
}

// TestDeprecatedEligibility reads an eligibility file written by cityctl
// before standard-v1 dumps (commit 1ae54ba, `poll eligible` of dev accounts
// 6, 7, 8 and 0x...aa): its root and proofs are kept, with a warning, and an
// altered proof is refused.
func TestDeprecatedEligibility(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("testdata", "eligibility-deprecated.json"))
	if err != nil {
		t.Fatal(err)
	}
	e, err := DecodeEligibility(data)
	if err != nil {
		t.Fatal(err)
	}
	if want := common.HexToHash("0xa5f1a091eb6f26a1a94276fa5553ae7c1a260108c425cbe273663a04a2cf84dc"); e.Root() != want || e.Len() != 4 {
		t.Fatalf("root %s, %d voters; want %s, 4", e.Root(), e.Len(), want)
	}
	if !strings.Contains(e.Deprecated(), "deprecated") {
		t.Errorf("deprecation: have %q, want a warning", e.Deprecated())
	}
	for i := range e.Len() {
		idx, proof, err := e.Proof(e.Voter(i))
		if err != nil || int(idx) != i || !merkle.Verify(proof, e.Root(), Leaf(idx, e.Voter(i))) {
			t.Fatalf("voter %d: index %d, %v", i, idx, err)
		}
	}
	if _, err := e.Encode(); err == nil {
		t.Error("a deprecated list was rewritten in the new form (its root would change)")
	}
	altered := strings.Replace(string(data), "0xe74034dbf66a8621a013a43d600815d1d9893da4bcccbe1b37c95562fe9432c7", "0xe74034dbf66a8621a013a43d600815d1d9893da4bcccbe1b37c95562fe9432c8", 1)
	if _, err := DecodeEligibility([]byte(altered)); !errors.Is(err, ErrFile) || !strings.Contains(err.Error(), "altered") {
		t.Errorf("altered proof: have %v, want %v", err, ErrFile)
	}
}
