package merkle

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

// StandardFormat is the "format" member of a StandardMerkleTree dump.
const StandardFormat = "standard-v1"

// ErrDump is returned by LoadStandardTree for a dump that is not a valid
// standard-v1 tree: wrong format, a value that does not hash to its leaf, a
// node that is not the hash of its children, ...
var ErrDump = errors.New("invalid standard-v1 Merkle tree dump")

// StandardTree is @openzeppelin/merkle-tree's StandardMerkleTree with its
// default options: value i is ABI-encoded with the leaf encoding (a list of
// Solidity types) and hashed twice into a leaf,
// keccak256(bytes.concat(keccak256(abi.encode(value...)))); the leaves are
// sorted by hash and laid out by New. The same values in the same order give
// the same root, proofs and dump as StandardMerkleTree.of(values, encoding).
type StandardTree struct {
	encoding []string
	args     abi.Arguments
	values   [][]any // Go values as go-ethereum's abi packs them
	tree     *Tree
	node     []int // node index of value i (its "treeIndex")
}

// Dump is the JSON form of a StandardTree, StandardMerkleTree's dump():
// {"format": "standard-v1", "leafEncoding": [...], "tree": [...],
// "values": [{"value": [...], "treeIndex": n}, ...]}.
type Dump struct {
	Format       string        `json:"format"`
	LeafEncoding []string      `json:"leafEncoding"`
	Tree         []common.Hash `json:"tree"`
	Values       []DumpValue   `json:"values"`
}

// DumpValue is one value of a dump and the index of its leaf in the tree.
type DumpValue struct {
	Value     []json.RawMessage `json:"value"`
	TreeIndex int               `json:"treeIndex"`
}

// NewStandardTree builds the tree of values, each a list of Go values of the
// types go-ethereum's abi packs for leafEncoding (*big.Int for uint256,
// uint64 for uint64, common.Address, [32]byte for bytes32, bool, string,
// []byte). Supported types: address, bool, string, bytes, bytesN, uintN, intN.
func NewStandardTree(leafEncoding []string, values [][]any) (*StandardTree, error) {
	args, err := parseEncoding(leafEncoding)
	if err != nil {
		return nil, err
	}
	if len(values) == 0 {
		return nil, ErrEmpty
	}
	leaves := make([]common.Hash, len(values))
	for i, v := range values {
		if leaves[i], err = standardLeaf(args, v); err != nil {
			return nil, fmt.Errorf("value %d: %w", i, err)
		}
	}
	// Leaves sorted by hash, equal leaves in value order (JavaScript's
	// sort is stable), remembering which value each came from.
	order := make([]int, len(values))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := bytes.Compare(leaves[a][:], leaves[b][:]); c != 0 {
			return c
		}
		return a - b
	})
	sorted := make([]common.Hash, len(order))
	for i, v := range order {
		sorted[i] = leaves[v]
	}
	tree, err := New(sorted)
	if err != nil {
		return nil, err
	}
	t := &StandardTree{encoding: slices.Clone(leafEncoding), args: args, values: values, tree: tree, node: make([]int, len(values))}
	for leaf, v := range order {
		t.node[v] = tree.nodeOf(leaf)
	}
	return t, nil
}

// standardLeaf is StandardMerkleTree's leaf hash of one value.
func standardLeaf(args abi.Arguments, value []any) (common.Hash, error) {
	if len(value) != len(args) {
		return common.Hash{}, fmt.Errorf("have %d fields, leaf encoding has %d", len(value), len(args))
	}
	enc, err := args.Pack(value...)
	if err != nil {
		return common.Hash{}, err
	}
	return Leaf(enc), nil
}

// Root returns the root of the tree.
func (t *StandardTree) Root() common.Hash { return t.tree.Root() }

// Len returns the number of values.
func (t *StandardTree) Len() int { return len(t.values) }

// LeafEncoding returns the Solidity types of a value's fields.
func (t *StandardTree) LeafEncoding() []string { return slices.Clone(t.encoding) }

// Value returns value i as Go values (see NewStandardTree). The caller must
// not modify it.
func (t *StandardTree) Value(i int) []any { return t.values[i] }

// Proof returns the proof of value i, as getProof(i) does.
func (t *StandardTree) Proof(i int) ([]common.Hash, error) {
	if i < 0 || i >= len(t.values) {
		return nil, fmt.Errorf("%w: have value %d, want 0 to %d", ErrIndex, i, len(t.values)-1)
	}
	return t.tree.proofAt(t.node[i]), nil
}

// Dump returns the tree's dump. Integers are written as decimal strings,
// addresses with their checksum, bytes as 0x-prefixed lower-case hex.
func (t *StandardTree) Dump() (*Dump, error) {
	d := &Dump{Format: StandardFormat, LeafEncoding: t.LeafEncoding(), Tree: t.tree.Nodes(), Values: make([]DumpValue, len(t.values))}
	for i, v := range t.values {
		fields := make([]json.RawMessage, len(v))
		for j, f := range v {
			raw, err := encodeValue(t.args[j].Type, f)
			if err != nil {
				return nil, fmt.Errorf("value %d field %d: %w", i, j, err)
			}
			fields[j] = raw
		}
		d.Values[i] = DumpValue{Value: fields, TreeIndex: t.node[i]}
	}
	return d, nil
}

// LoadStandardTree checks a dump as StandardMerkleTree.load does, and more
// strictly: the format is standard-v1; every value decodes with the leaf
// encoding and hashes to the leaf at its treeIndex; every leaf holds exactly
// one value; every inner node is the hash of its children. Leaves need not be
// sorted (StandardMerkleTree.of with sortLeaves false writes them unsorted).
func LoadStandardTree(d *Dump) (*StandardTree, error) {
	if d.Format != StandardFormat {
		return nil, fmt.Errorf("%w: format %q, want %q", ErrDump, d.Format, StandardFormat)
	}
	args, err := parseEncoding(d.LeafEncoding)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDump, err)
	}
	n := len(d.Values)
	if n == 0 || len(d.Tree) != 2*n-1 {
		return nil, fmt.Errorf("%w: %d values and %d tree nodes, want n values and 2n-1 nodes, n >= 1", ErrDump, n, len(d.Tree))
	}
	t := &StandardTree{encoding: slices.Clone(d.LeafEncoding), args: args, values: make([][]any, n), tree: &Tree{nodes: slices.Clone(d.Tree)}, node: make([]int, n)}
	taken := make([]bool, len(d.Tree))
	for i, v := range d.Values {
		if err := t.loadValue(i, v, taken); err != nil {
			return nil, fmt.Errorf("%w: value %d: %v", ErrDump, i, err)
		}
	}
	for i := n - 2; i >= 0; i-- {
		if want := hashPair(d.Tree[2*i+1], d.Tree[2*i+2]); d.Tree[i] != want {
			return nil, fmt.Errorf("%w: tree node %d is %s, the hash of its children is %s", ErrDump, i, d.Tree[i], want)
		}
	}
	return t, nil
}

// loadValue decodes value i of a dump, checks its leaf and records it.
func (t *StandardTree) loadValue(i int, v DumpValue, taken []bool) error {
	n := len(t.values)
	if v.TreeIndex < n-1 || v.TreeIndex >= len(taken) {
		return fmt.Errorf("treeIndex %d is not a leaf, want %d to %d", v.TreeIndex, n-1, len(taken)-1)
	}
	if taken[v.TreeIndex] {
		return fmt.Errorf("treeIndex %d holds another value too", v.TreeIndex)
	}
	if len(v.Value) != len(t.args) {
		return fmt.Errorf("have %d fields, leaf encoding has %d", len(v.Value), len(t.args))
	}
	fields := make([]any, len(v.Value))
	for j, raw := range v.Value {
		f, err := decodeValue(t.args[j].Type, raw)
		if err != nil {
			return fmt.Errorf("field %d (%s): %v", j, t.encoding[j], err)
		}
		fields[j] = f
	}
	leaf, err := standardLeaf(t.args, fields)
	if err != nil {
		return err
	}
	if have := t.tree.nodes[v.TreeIndex]; have != leaf {
		return fmt.Errorf("hashes to leaf %s, tree node %d is %s", leaf, v.TreeIndex, have)
	}
	taken[v.TreeIndex] = true
	t.values[i], t.node[i] = fields, v.TreeIndex
	return nil
}

// DecodeStandardTree parses and loads the JSON of a dump. Members other than
// the dump's are ignored, as StandardMerkleTree.load ignores them.
func DecodeStandardTree(data []byte) (*StandardTree, error) {
	var d Dump
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrDump, err)
	}
	return LoadStandardTree(&d)
}
