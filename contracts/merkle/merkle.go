// Package merkle builds the Merkle trees of OpenZeppelin's
// @openzeppelin/merkle-tree package, whose roots and proofs OpenZeppelin's
// MerkleProof.verify accepts: inner nodes are keccak256 of the sorted pair of
// children, so a proof is just the list of siblings from leaf to root.
//
// Tree is the package's core tree (makeMerkleTree): a complete binary tree
// stored as an array, root first, the leaves at the end in reverse order.
// StandardTree is its StandardMerkleTree: values ABI-encoded and hashed
// twice into leaves, leaves sorted, and the "standard-v1" JSON dump that
// other tools read and write (standard.go).
//
// Leaves are double hashed (Leaf): keccak256(keccak256(data)) is 32 bytes,
// while an inner node is keccak256 of 64 bytes, so an inner node can never be
// presented as a leaf (second-preimage attack). The Documents contract's
// batches and the polls' eligibility lists use this package.
package merkle

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

var (
	// ErrEmpty is returned by New for a tree without leaves.
	ErrEmpty = errors.New("merkle tree needs at least one leaf")
	// ErrIndex is returned by Proof for an index outside the leaves.
	ErrIndex = errors.New("leaf index out of range")
)

// Leaf returns keccak256(keccak256(data)), the leaf of an ABI-encoded record.
func Leaf(data []byte) common.Hash {
	return crypto.Keccak256Hash(crypto.Keccak256(data))
}

// hashPair is OpenZeppelin's commutative keccak256 of two nodes.
func hashPair(a, b common.Hash) common.Hash {
	if bytes.Compare(a[:], b[:]) > 0 {
		a, b = b, a
	}
	return crypto.Keccak256Hash(a[:], b[:])
}

// Tree is a Merkle tree laid out as @openzeppelin/merkle-tree's
// makeMerkleTree lays it out: nodes[0] is the root, the children of node i
// are nodes 2i+1 and 2i+2, and leaf i (in the order given to New) is node
// len(nodes)-1-i. Every level is full except the deepest, so proofs differ in
// length by at most one.
type Tree struct {
	nodes []common.Hash
}

// New builds the tree of the given leaves (already hashed with Leaf), in the
// order given; StandardTree sorts them first.
func New(leaves []common.Hash) (*Tree, error) {
	if len(leaves) == 0 {
		return nil, ErrEmpty
	}
	nodes := make([]common.Hash, 2*len(leaves)-1)
	for i, l := range leaves {
		nodes[len(nodes)-1-i] = l
	}
	for i := len(nodes) - 1 - len(leaves); i >= 0; i-- {
		nodes[i] = hashPair(nodes[2*i+1], nodes[2*i+2])
	}
	return &Tree{nodes: nodes}, nil
}

// Root returns the root of the tree.
func (t *Tree) Root() common.Hash {
	return t.nodes[0]
}

// Len returns the number of leaves.
func (t *Tree) Len() int {
	return (len(t.nodes) + 1) / 2
}

// Nodes returns the tree's nodes, root first (the "tree" of a dump). The
// caller must not modify them.
func (t *Tree) Nodes() []common.Hash {
	return t.nodes
}

// nodeOf returns the node index of leaf i.
func (t *Tree) nodeOf(i int) int {
	return len(t.nodes) - 1 - i
}

// Proof returns the siblings from leaf i (in the order given to New) up to
// the root.
func (t *Tree) Proof(i int) ([]common.Hash, error) {
	if i < 0 || i >= t.Len() {
		return nil, fmt.Errorf("%w: have %d, want 0 to %d", ErrIndex, i, t.Len()-1)
	}
	return t.proofAt(t.nodeOf(i)), nil
}

// proofAt returns the proof of the node at index n (getProof).
func (t *Tree) proofAt(n int) []common.Hash {
	proof := []common.Hash{}
	for n > 0 {
		sibling := n + 1
		if n%2 == 0 {
			sibling = n - 1
		}
		proof = append(proof, t.nodes[sibling])
		n = (n - 1) / 2
	}
	return proof
}

// Verify reports whether proof places leaf under root, as OpenZeppelin's
// MerkleProof.verify does.
func Verify(proof []common.Hash, root, leaf common.Hash) bool {
	h := leaf
	for _, p := range proof {
		h = hashPair(h, p)
	}
	return h == root
}
