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
			for i, l := range ls {
				proof, err := tree.Proof(i)
				if err != nil {
					t.Fatal(err)
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

// TestInnerNodeIsNoLeaf checks the reason for double hashing: an inner node
// with its proof verifies as a node, but no data hashes to it as a leaf.
func TestInnerNodeIsNoLeaf(t *testing.T) {
	ls := leaves(4)
	tree, _ := New(ls)
	inner := hashPair(ls[0], ls[1])
	if !Verify([]common.Hash{hashPair(ls[2], ls[3])}, tree.Root(), inner) {
		t.Fatal("inner node does not verify as a node")
	}
	// Presenting the children's concatenation as leaf data gives another hash.
	if Leaf(append(ls[0].Bytes(), ls[1].Bytes()...)) == inner {
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
