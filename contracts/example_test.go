package contracts_test

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/merkle"
)

// A batch of documents: build the tree of their leaves, issue its root with
// Documents.issueBatch, hand each holder its document and proof; anyone then
// checks it with Documents.verifyInBatch (or off chain with merkle.Verify).
func ExampleDocumentLeaf() {
	docs := []documents.DocumentsDocumentData{
		{DocHash: common.HexToHash("0x01"), DocType: [32]byte{'I', 'D'}},
		{DocHash: common.HexToHash("0x02"), DocType: [32]byte{'I', 'D'}},
		{DocHash: common.HexToHash("0x03"), DocType: [32]byte{'I', 'D'}},
	}
	leaves := make([]common.Hash, len(docs))
	for i, d := range docs {
		leaves[i] = contracts.DocumentLeaf(d)
	}
	tree, _ := merkle.New(leaves)
	proof, _ := tree.Proof(2)
	fmt.Println(len(proof), merkle.Verify(proof, tree.Root(), leaves[2]), merkle.Verify(proof, tree.Root(), leaves[1]))
	// Output: 1 true false
}

// Turning a revert into the name of the rule it broke, as cityctl prints it:
// contracts.RevertReason(err) does the same for an error returned by
// ethclient or a binding.
func ExampleDecodeRevert() {
	parsed, _ := contracts.MustLoad(contracts.PropertyTitlesName).ParseABI()
	e := parsed.Errors["ParcelEncumbered"]
	parcel, _ := contracts.Bytes32("77:01:0004012:1234")
	args, _ := e.Inputs.Pack(parcel, uint32(1))
	reason, _ := contracts.DecodeRevert(append(e.ID[:4:4], args...))
	fmt.Println(reason)
	// Output: ParcelEncumbered("77:01:0004012:1234", 1)
}
