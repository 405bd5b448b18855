package anchor

import (
	"bytes"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/consensus/aura"
)

// extHeader is what a proof needs of an external chain's header, whichever
// its consensus: the fields both encodings hold in the same places (the
// first thirteen of the RLP list) and its hash, keccak256 of the RLP.
type extHeader struct {
	Number      uint64
	Hash        common.Hash
	ParentHash  common.Hash
	Root        common.Hash
	TxHash      common.Hash
	ReceiptHash common.Hash
}

// decodeExtHeader decodes the RLP of an external header: an Ethereum header
// (Clique seals in the extra-data, mixDigest and nonce after it) or an Aura
// header (step and signature in their place, ADR 070). The two shapes do not
// overlap: a mixDigest is 32 bytes, an Aura step at most 8. Either way the
// RLP must be canonical (re-encoded to the same bytes) and the hash is
// keccak256 of those bytes, so the roots read are the ones the hash commits
// to.
func decodeExtHeader(raw []byte) (extHeader, error) {
	var h types.Header
	ethErr := rlp.DecodeBytes(raw, &h)
	if ethErr == nil {
		if enc, _ := rlp.EncodeToBytes(&h); !bytes.Equal(enc, raw) {
			return extHeader{}, errors.New("not canonical RLP")
		}
		return extHeader{Number: h.Number.Uint64(), Hash: h.Hash(), ParentHash: h.ParentHash, Root: h.Root, TxHash: h.TxHash, ReceiptHash: h.ReceiptHash}, nil
	}
	a, auraErr := aura.DecodeHeader(raw)
	if auraErr != nil {
		return extHeader{}, fmt.Errorf("neither an Ethereum header (%v) nor an Aura header (%v)", ethErr, auraErr)
	}
	if enc, _ := a.Encode(); !bytes.Equal(enc, raw) {
		return extHeader{}, errors.New("not canonical RLP")
	}
	return extHeader{Number: a.Number, Hash: crypto.Keccak256Hash(raw), ParentHash: a.ParentHash, Root: a.Root, TxHash: a.TxHash, ReceiptHash: a.ReceiptHash}, nil
}

// fromEthHeader is the extHeader of a go-ethereum header.
func fromEthHeader(h *types.Header) extHeader {
	return extHeader{Number: h.Number.Uint64(), Hash: h.Hash(), ParentHash: h.ParentHash, Root: h.Root, TxHash: h.TxHash, ReceiptHash: h.ReceiptHash}
}

// fromAuraHeader is the extHeader of an Aura header.
func fromAuraHeader(h *aura.Header) extHeader {
	return extHeader{Number: h.Number, Hash: h.Hash(), ParentHash: h.ParentHash, Root: h.Root, TxHash: h.TxHash, ReceiptHash: h.ReceiptHash}
}
