package merkle

import (
	"errors"
	"fmt"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

func leaves(n int) []common.Hash {
	out := make([]common.Hash, n)
	for i := range out {
		out[i] = Leaf([]byte(fmt.Sprintf("leaf %d", i)))
	}
	return out
}

func TestProofs(t *testing.T) {
	for _, n := range []int{1, 2, 3, 4, 5, 7, 8, 9, 100, 1023, 1025} {
		t.Run(fmt.Sprint(n), func(t *testing.T) {
			ls := leaves(n)
			tree, err := New(ls)
			if err != nil {
				t.Fatal(err)
			}
			if n == 1 && tree.Root() != ls[0] {
				t.Errorf("root of one leaf: have %x, want the leaf", tree.Root())
			}
			// A complete tree: proofs of n leaves have floor(log2 n) or
			// ceil(log2 n) siblings.
			lo, hi := 0, 0
			for 1<<hi < n {
				hi++
			}
			for 1<<(lo+1) <= n {
				lo++
			}
			for i, l := range ls {
				proof, err := tree.Proof(i)
				if err != nil {
					t.Fatal(err)
				}
				if len(proof) < lo || len(proof) > hi {
					t.Fatalf("leaf %d: proof of %d nodes, want %d to %d", i, len(proof), lo, hi)
				}
				if !Verify(proof, tree.Root(), l) {
					t.Fatalf("leaf %d: proof does not verify", i)
				}
				// The same proof must not place another leaf there.
				if other := ls[(i+1)%n]; n > 1 && Verify(proof, tree.Root(), other) {
					t.Fatalf("leaf %d: proof also verifies leaf %d", i, (i+1)%n)
				}
			}
		})
	}
}

// TestLayout pins the array layout of @openzeppelin/merkle-tree's
// makeMerkleTree for three leaves: [root, h(l1,l0), l2, l1, l0].
func TestLayout(t *testing.T) {
	ls := leaves(3)
	tree, _ := New(ls)
	inner := hashPair(ls[1], ls[0])
	want := []common.Hash{hashPair(inner, ls[2]), inner, ls[2], ls[1], ls[0]}
	if fmt.Sprint(tree.Nodes()) != fmt.Sprint(want) {
		t.Fatalf("nodes: have %x, want %x", tree.Nodes(), want)
	}
	proof, _ := tree.Proof(0)
	if fmt.Sprint(proof) != fmt.Sprint([]common.Hash{ls[1], ls[2]}) {
		t.Errorf("proof of leaf 0: have %x, want [leaf 1, leaf 2]", proof)
	}
}

// TestInnerNodeIsNoLeaf checks the reason for double hashing: an inner node
// with its proof verifies as a node, but no data hashes to it as a leaf.
func TestInnerNodeIsNoLeaf(t *testing.T) {
	ls := leaves(4)
	tree, _ := New(ls)
	inner := tree.Nodes()[1]
	if !Verify([]common.Hash{tree.Nodes()[2]}, tree.Root(), inner) {
		t.Fatal("inner node does not verify as a node")
	}
	// Presenting the children's concatenation as leaf data gives another hash.
	kids := tree.Nodes()[3:5]
	if Leaf(append(kids[0].Bytes(), kids[1].Bytes()...)) == inner || Leaf(append(kids[1].Bytes(), kids[0].Bytes()...)) == inner {
		t.Fatal("an inner node passes as a leaf")
	}
}

func TestErrors(t *testing.T) {
	if _, err := New(nil); !errors.Is(err, ErrEmpty) {
		t.Errorf("New(nil): have %v, want %v", err, ErrEmpty)
	}
	tree, _ := New(leaves(3))
	for _, i := range []int{-1, 3} {
		if _, err := tree.Proof(i); !errors.Is(err, ErrIndex) {
			t.Errorf("Proof(%d): have %v, want %v", i, err, ErrIndex)
		}
	}
}
