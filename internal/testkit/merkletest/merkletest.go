// Package merkletest checks trees of package merkle against the npm package
// @openzeppelin/merkle-tree, for the tests of the packages that build them
// (contracts/merkle, contracts/ballots, internal/client/registry).
package merkletest

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// answer is what contracts/scripts/oz-merkle.js prints.
type answer struct {
	Of struct {
		Dump   merkle.Dump     `json:"dump"`
		Proofs [][]common.Hash `json:"proofs"`
	} `json:"of"`
	Loaded struct {
		Root     common.Hash     `json:"root"`
		Proofs   [][]common.Hash `json:"proofs"`
		Verified []bool          `json:"verified"`
	} `json:"loaded"`
}

// CompareOpenZeppelin runs contracts/scripts/oz-merkle.js (contractsDir is
// the path of contracts/ from the test's directory) over the values of tree
// and fails t unless StandardMerkleTree.of(values, leafEncoding) has the same
// dump (tree, values, tree indexes) and proofs as tree, StandardMerkleTree.load
// reads tree's dump with the same root and proofs and verifies every value,
// and OpenZeppelin's dump loads here with the same root.
func CompareOpenZeppelin(t *testing.T, contractsDir string, tree *merkle.StandardTree) {
	t.Helper()
	d, err := tree.Dump()
	if err != nil {
		t.Fatal(err)
	}
	values := make([][]json.RawMessage, len(d.Values))
	for i, v := range d.Values {
		values[i] = v.Value
	}
	in, err := json.Marshal(map[string]any{"leafEncoding": d.LeafEncoding, "values": values, "dump": d})
	if err != nil {
		t.Fatal(err)
	}
	var oz answer
	if err := json.Unmarshal(proctest.NodeScript(t, contractsDir, "oz-merkle.js", in), &oz); err != nil {
		t.Fatal(err)
	}
	have, _ := json.Marshal(d)
	want, _ := json.Marshal(&oz.Of.Dump)
	if !bytes.Equal(have, want) {
		t.Fatalf("dump differs from StandardMerkleTree.of's:\nhave %s\nwant %s", have, want)
	}
	if oz.Loaded.Root != tree.Root() {
		t.Errorf("root of our dump loaded by StandardMerkleTree.load: %s, ours %s", oz.Loaded.Root, tree.Root())
	}
	for i := range tree.Len() {
		proof, err := tree.Proof(i)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(proof, oz.Of.Proofs[i]) || !slices.Equal(proof, oz.Loaded.Proofs[i]) || !oz.Loaded.Verified[i] {
			t.Fatalf("value %d: proof %x, OpenZeppelin's %x (of) %x (load), verified %v", i, proof, oz.Of.Proofs[i], oz.Loaded.Proofs[i], oz.Loaded.Verified[i])
		}
	}
	again, err := merkle.LoadStandardTree(&oz.Of.Dump)
	if err != nil {
		t.Fatalf("OpenZeppelin's dump does not load here: %v", err)
	}
	if again.Root() != tree.Root() {
		t.Errorf("OpenZeppelin's dump loaded here: root %s, want %s", again.Root(), tree.Root())
	}
}
