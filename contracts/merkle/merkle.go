// Package merkle builds Merkle trees and proofs that OpenZeppelin's
// MerkleProof.verify accepts: inner nodes are keccak256 of the sorted pair of
// children, so a proof is just the list of siblings from leaf to root.
//
// Leaves must be double hashed (Leaf): keccak256(keccak256(data)) is 32
// bytes, while an inner node is keccak256 of 64 bytes, so an inner node can
// never be presented as a leaf (second-preimage attack). The Documents
// contract's batches and the polls' eligibility lists use this package.
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

// Tree is a Merkle tree over leaves in the order given: each level pairs
// neighbours (0,1), (2,3), ...; an odd last node moves up unchanged.
type Tree struct {
	levels [][]common.Hash // levels[0]: the leaves; last level: the root
}

// New builds the tree of the given leaves (already hashed with Leaf).
func New(leaves []common.Hash) (*Tree, error) {
	if len(leaves) == 0 {
		return nil, ErrEmpty
	}
	level := append([]common.Hash(nil), leaves...)
	t := &Tree{levels: [][]common.Hash{level}}
	for len(level) > 1 {
		next := make([]common.Hash, 0, (len(level)+1)/2)
		for i := 0; i < len(level); i += 2 {
			if i+1 == len(level) {
				next = append(next, level[i])
			} else {
				next = append(next, hashPair(level[i], level[i+1]))
			}
		}
		t.levels = append(t.levels, next)
		level = next
	}
	return t, nil
}

// Root returns the root of the tree.
func (t *Tree) Root() common.Hash {
	return t.levels[len(t.levels)-1][0]
}

// Len returns the number of leaves.
func (t *Tree) Len() int {
	return len(t.levels[0])
}

// Proof returns the siblings from leaf i up to the root.
func (t *Tree) Proof(i int) ([]common.Hash, error) {
	if i < 0 || i >= t.Len() {
		return nil, fmt.Errorf("%w: have %d, want 0 to %d", ErrIndex, i, t.Len()-1)
	}
	var proof []common.Hash
	for _, level := range t.levels[:len(t.levels)-1] {
		if sibling := i ^ 1; sibling < len(level) {
			proof = append(proof, level[sibling])
		}
		i /= 2
	}
	return proof, nil
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
