package aura

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// Header is an Aura block header as Parity/OpenEthereum and Nethermind
// encode it: the thirteen fields of an Ethereum header before mixHash, then
// the two seal fields (the step and the validator's 65-byte signature
// r || s || v, v in {0, 1}), then the base fee once EIP-1559 is on.
type Header struct {
	ParentHash  common.Hash
	UncleHash   common.Hash
	Coinbase    common.Address
	Root        common.Hash
	TxHash      common.Hash
	ReceiptHash common.Hash
	Bloom       types.Bloom
	Difficulty  *big.Int
	Number      uint64
	GasLimit    uint64
	GasUsed     uint64
	Time        uint64
	Extra       []byte
	Step        uint64
	Signature   [crypto.SignatureLength]byte
	BaseFee     *big.Int `rlp:"optional"`
}

// maxExtra is the most extra-data bytes Aura accepts (Parity's
// maximumExtraDataSize default).
const maxExtra = 32

// DecodeHeader decodes the RLP of an Aura header. A seal of another arity
// than two fields (empty steps add a third) is refused.
func DecodeHeader(b []byte) (*Header, error) {
	var h Header
	if err := rlp.DecodeBytes(b, &h); err != nil {
		if hasEmptySteps(b) {
			return nil, fmt.Errorf("aura header whose seal holds empty steps (emptyStepsTransition): not supported: %w", err)
		}
		return nil, fmt.Errorf("not an aura header (13 fields, step, signature[, base fee]): %w", err)
	}
	if err := h.sanity(); err != nil {
		return nil, err
	}
	return &h, nil
}

// hasEmptySteps tells whether b is a list whose 16th item is a list: the
// empty steps OpenEthereum adds as a third seal field.
func hasEmptySteps(b []byte) bool {
	rest, _, err := rlp.SplitList(b)
	for i := 0; err == nil && i < 15; i++ {
		_, _, rest, err = rlp.Split(rest)
	}
	if err != nil {
		return false
	}
	kind, _, _, err := rlp.Split(rest)
	return err == nil && kind == rlp.List
}

// sanity checks what the RLP types do not.
func (h *Header) sanity() error {
	if h.Difficulty == nil {
		return errors.New("aura header without difficulty")
	}
	if len(h.Extra) > maxExtra {
		return fmt.Errorf("block %d: extra-data of %d bytes, the most is %d", h.Number, len(h.Extra), maxExtra)
	}
	if h.GasUsed > h.GasLimit {
		return fmt.Errorf("block %d: gas used %d above the gas limit %d", h.Number, h.GasUsed, h.GasLimit)
	}
	return nil
}

// Encode returns the header's RLP, seal included.
func (h *Header) Encode() ([]byte, error) { return rlp.EncodeToBytes(h) }

// Hash returns the block hash: keccak256 of the RLP with the seal.
func (h *Header) Hash() common.Hash {
	b, err := h.Encode()
	if err != nil {
		panic(fmt.Sprintf("aura: encode header %d: %v", h.Number, err)) // only a nil difficulty fails, refused by sanity
	}
	return crypto.Keccak256Hash(b)
}

// BareHash returns keccak256 of the RLP without the seal: the message the
// validator signs.
func (h *Header) BareHash() common.Hash {
	b, err := rlp.EncodeToBytes(h.bare())
	if err != nil {
		panic(fmt.Sprintf("aura: encode bare header %d: %v", h.Number, err))
	}
	return crypto.Keccak256Hash(b)
}

// bare is the header's list without the seal: the thirteen fields before
// it, then the base fee if there is one (Header's optional last field).
func (h *Header) bare() []any {
	fields := []any{h.ParentHash, h.UncleHash, h.Coinbase, h.Root, h.TxHash, h.ReceiptHash,
		h.Bloom, h.Difficulty, h.Number, h.GasLimit, h.GasUsed, h.Time, h.Extra}
	if h.BaseFee != nil {
		fields = append(fields, h.BaseFee)
	}
	return fields
}

// Signer returns the validator whose key made the seal's signature. A
// signature with a high s value (which no honest signer produces and which
// would give a second hash to one block) is refused.
func (h *Header) Signer() (common.Address, error) {
	sig := h.Signature
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:64])
	if !crypto.ValidateSignatureValues(sig[64], r, s, true) {
		return common.Address{}, fmt.Errorf("%w: block %d: r, s or v out of range", errBadSeal, h.Number)
	}
	pub, err := crypto.SigToPub(h.BareHash().Bytes(), sig[:])
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: block %d: %v", errBadSeal, h.Number, err)
	}
	return crypto.PubkeyToAddress(*pub), nil
}

// Sign seals h with key for step: the step is set, then the bare hash
// signed. It is how a validator seals; tests use it to build chains.
func (h *Header) Sign(step uint64, sign func(hash []byte) ([]byte, error)) error {
	h.Step = step
	sig, err := sign(h.BareHash().Bytes())
	if err != nil {
		return err
	}
	if len(sig) != crypto.SignatureLength {
		return fmt.Errorf("signature of %d bytes, want %d", len(sig), crypto.SignatureLength)
	}
	copy(h.Signature[:], sig)
	return nil
}
