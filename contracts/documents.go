package contracts

import (
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/merkle"
)

// Document statuses returned by Documents.verify and verifyInBatch
// (Documents.Status in Documents.sol).
const (
	StatusUnknown     uint8 = 0
	StatusValid       uint8 = 1
	StatusNotYetValid uint8 = 2
	StatusExpired     uint8 = 3
	StatusRevoked     uint8 = 4
	StatusSuperseded  uint8 = 5
)

// StatusName returns the name of a document status ("valid", "revoked", ...).
func StatusName(s uint8) string {
	names := []string{"unknown", "valid", "not yet valid", "expired", "revoked", "superseded"}
	if int(s) < len(names) {
		return names[s]
	}
	return "invalid status"
}

// documentLeafArgs is abi.encode(bytes32, bytes32, bytes32, uint64, uint64),
// the encoding Documents.leaf hashes.
var documentLeafArgs = func() abi.Arguments {
	b32, _ := abi.NewType("bytes32", "", nil)
	u64, _ := abi.NewType("uint64", "", nil)
	return abi.Arguments{{Type: b32}, {Type: b32}, {Type: b32}, {Type: u64}, {Type: u64}}
}()

// DocumentLeaf returns the Merkle leaf of a document in a Documents batch:
// keccak256(bytes.concat(keccak256(abi.encode(docHash, docType, holderRef,
// validFrom, validUntil)))), the same as Documents.leaf. Build a batch with
// merkle.New over the leaves of its documents and issue the tree's root.
func DocumentLeaf(d documents.DocumentsDocumentData) common.Hash {
	enc, err := documentLeafArgs.Pack(d.DocHash, d.DocType, d.HolderRef, d.ValidFrom, d.ValidUntil)
	if err != nil {
		panic(err) // fixed types, cannot fail
	}
	return merkle.Leaf(enc)
}
