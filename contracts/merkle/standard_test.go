package merkle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// mixedEncoding holds every leaf type the package reads and writes.
var mixedEncoding = []string{"address", "bool", "string", "bytes", "bytes4", "uint8", "uint64", "uint256", "int32", "int256"}

func mixedValues(n int) [][]any {
	out := make([][]any, n)
	for i := range out {
		h := crypto.Keccak256([]byte(fmt.Sprint("value ", i)))
		out[i] = []any{
			common.BytesToAddress(h[:20]), i%2 == 0, fmt.Sprintf("résident %d", i), h[:i%5],
			[4]byte(h[:4]), uint8(i), uint64(i) << 40, new(big.Int).SetBytes(h), int32(-i), new(big.Int).Neg(new(big.Int).SetBytes(h[:31])),
		}
	}
	return out
}

func TestStandardTreeRoundTrip(t *testing.T) {
	tree, err := NewStandardTree(mixedEncoding, mixedValues(9))
	if err != nil {
		t.Fatal(err)
	}
	d, _ := tree.Dump()
	data, _ := json.Marshal(d)
	again, err := DecodeStandardTree(data)
	if err != nil {
		t.Fatal(err)
	}
	d2, _ := again.Dump()
	data2, _ := json.Marshal(d2)
	if !bytes.Equal(data, data2) {
		t.Fatalf("dump does not round-trip:\n%s\n%s", data, data2)
	}
	for i := range again.Len() {
		proof, _ := again.Proof(i)
		leaf, _ := standardLeaf(again.args, again.Value(i))
		if !Verify(proof, again.Root(), leaf) {
			t.Fatalf("value %d: proof does not verify", i)
		}
	}
}

// TestLoadStandardTreeRejects changes one thing at a time in a valid dump.
func TestLoadStandardTreeRejects(t *testing.T) {
	tree, _ := NewStandardTree([]string{"uint256", "address"}, [][]any{
		{big.NewInt(0), common.Address{1}}, {big.NewInt(1), common.Address{2}}, {big.NewInt(2), common.Address{3}},
	})
	tests := []struct {
		name   string
		change func(d *Dump)
		want   string
	}{
		{"format", func(d *Dump) { d.Format = "simple-v1" }, `format "simple-v1"`},
		{"no encoding", func(d *Dump) { d.LeafEncoding = nil }, "empty leaf encoding"},
		{"array type", func(d *Dump) { d.LeafEncoding[0] = "uint256[]" }, "unsupported leaf type"},
		{"unknown type", func(d *Dump) { d.LeafEncoding[0] = "uint257" }, "leaf type"},
		{"node", func(d *Dump) { d.Tree[1][0] ^= 1 }, "hash of its children"},
		{"root", func(d *Dump) { d.Tree[0][0] ^= 1 }, "tree node 0"},
		{"leaf", func(d *Dump) { d.Tree[4][0] ^= 1 }, "hashes to leaf"},
		{"value", func(d *Dump) { d.Values[0].Value[0] = json.RawMessage(`"7"`) }, "hashes to leaf"},
		{"swapped indexes", func(d *Dump) {
			d.Values[0].TreeIndex, d.Values[1].TreeIndex = d.Values[1].TreeIndex, d.Values[0].TreeIndex
		}, "hashes to leaf"},
		{"inner index", func(d *Dump) { d.Values[0].TreeIndex = 1 }, "not a leaf"},
		{"shared index", func(d *Dump) { d.Values[1] = d.Values[0] }, "holds another value"},
		{"missing value", func(d *Dump) { d.Values = d.Values[:2] }, "2 values and 5 tree nodes"},
		{"extra field", func(d *Dump) { d.Values[0].Value = append(d.Values[0].Value, json.RawMessage(`"1"`)) }, "have 3 fields"},
		{"negative uint", func(d *Dump) { d.Values[0].Value[0] = json.RawMessage(`"-1"`) }, "out of range"},
		{"float", func(d *Dump) { d.Values[0].Value[0] = json.RawMessage(`1.5`) }, "no integer"},
		{"short address", func(d *Dump) { d.Values[0].Value[1] = json.RawMessage(`"0x01"`) }, "no address"},
		{"empty", func(d *Dump) { d.Values, d.Tree = nil, nil }, "0 values"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := tree.Dump()
			d.Tree = slices.Clone(d.Tree)
			for i := range d.Values {
				d.Values[i].Value = slices.Clone(d.Values[i].Value)
			}
			d.LeafEncoding = slices.Clone(d.LeafEncoding)
			tt.change(d)
			_, err := LoadStandardTree(d)
			if !errors.Is(err, ErrDump) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("have %v, want %v containing %q", err, ErrDump, tt.want)
			}
		})
	}
	// Integers written as hex strings or JSON numbers load as
	// StandardMerkleTree.load takes them.
	d, _ := tree.Dump()
	d.Values[1].Value[0] = json.RawMessage(`"0x1"`)
	d.Values[2].Value[0] = json.RawMessage(`2`)
	if again, err := LoadStandardTree(d); err != nil || again.Root() != tree.Root() {
		t.Errorf("hex and number integers: have %v, want root %s", err, tree.Root())
	}
}

// FuzzDecodeStandardTree checks that no input crashes the dump reader and
// that a dump it accepts proves every value and round-trips.
func FuzzDecodeStandardTree(f *testing.F) {
	for _, n := range []int{1, 2, 5} {
		tree, _ := NewStandardTree(mixedEncoding, mixedValues(n))
		d, _ := tree.Dump()
		data, _ := json.Marshal(d)
		f.Add(data)
	}
	f.Add([]byte(`{"format":"standard-v1","leafEncoding":["uint256"],"tree":[],"values":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tree, err := DecodeStandardTree(data)
		if err != nil {
			return
		}
		for i := range tree.Len() {
			proof, err := tree.Proof(i)
			if err != nil {
				t.Fatal(err)
			}
			leaf, err := standardLeaf(tree.args, tree.Value(i))
			if err != nil || !Verify(proof, tree.Root(), leaf) {
				t.Fatalf("value %d of an accepted dump does not prove: %v", i, err)
			}
		}
		d, err := tree.Dump()
		if err != nil {
			t.Fatal(err)
		}
		again, err := LoadStandardTree(d)
		if err != nil || again.Root() != tree.Root() {
			t.Fatalf("re-dumped tree: %v", err)
		}
	})
}
