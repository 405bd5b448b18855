package clique

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Layout of a Clique header's extra-data (EIP-225):
//
//	vanity (32 bytes) | signers (N*20 bytes, checkpoints only) | seal (65 bytes)
const (
	ExtraVanity = 32                     // bytes of free-form signer vanity at the start of extra-data
	ExtraSeal   = crypto.SignatureLength // bytes of secp256k1 seal [R || S || V] at the end of extra-data
)

// Magic nonces of a vote: the header's beneficiary is the account voted on.
var (
	nonceAuthVote = types.BlockNonce{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff} // vote to add the beneficiary to the signers
	nonceDropVote = types.BlockNonce{}                                               // vote to drop the beneficiary (also: no vote)
)

// Extra is the decoded extra-data field of a Clique header.
type Extra struct {
	Vanity  [ExtraVanity]byte // free-form signer vanity
	Signers []common.Address  // signer list of a checkpoint header, nil elsewhere
	Seal    [ExtraSeal]byte   // signature over the seal hash, zero before sealing
}

// DecodeExtra splits a header's extra-data into its parts. Checkpoint headers
// (number % epoch == 0, genesis included) must carry a signer list, other
// headers must not. DecodeExtra does not check that the list is sorted: that
// is part of comparing it with the snapshot.
func DecodeExtra(extra []byte, checkpoint bool) (*Extra, error) {
	if len(extra) < ExtraVanity {
		return nil, fmt.Errorf("%w: have %d bytes, want >= %d", errMissingVanity, len(extra), ExtraVanity)
	}
	if len(extra) < ExtraVanity+ExtraSeal {
		return nil, fmt.Errorf("%w: have %d bytes, want >= %d", errMissingSignature, len(extra), ExtraVanity+ExtraSeal)
	}
	list := extra[ExtraVanity : len(extra)-ExtraSeal]
	if !checkpoint && len(list) != 0 {
		return nil, fmt.Errorf("%w: have %d bytes, want 0", errExtraSigners, len(list))
	}
	if len(list)%common.AddressLength != 0 {
		return nil, fmt.Errorf("%w: have %d bytes, want a multiple of %d", errInvalidCheckpointSigners, len(list), common.AddressLength)
	}
	x := new(Extra)
	copy(x.Vanity[:], extra)
	copy(x.Seal[:], extra[len(extra)-ExtraSeal:])
	if n := len(list) / common.AddressLength; n > 0 {
		x.Signers = make([]common.Address, n)
		for i := range x.Signers {
			copy(x.Signers[i][:], list[i*common.AddressLength:])
		}
	}
	return x, nil
}

// Encode returns the extra-data bytes of x. Signers are written in the given
// order; a checkpoint needs them in ascending order.
func (x *Extra) Encode() []byte {
	out := make([]byte, 0, ExtraVanity+len(x.Signers)*common.AddressLength+ExtraSeal)
	out = append(out, x.Vanity[:]...)
	for _, s := range x.Signers {
		out = append(out, s[:]...)
	}
	return append(out, x.Seal[:]...)
}

// DecodeVote returns the vote cast by a header: the account voted on (the
// beneficiary) and whether the vote is to authorize it. A header that casts
// no vote decodes as a drop vote on the zero address, which never passes.
func DecodeVote(header *types.Header) (address common.Address, authorize bool, err error) {
	switch header.Nonce {
	case nonceAuthVote:
		return header.Coinbase, true, nil
	case nonceDropVote:
		return header.Coinbase, false, nil
	}
	return common.Address{}, false, fmt.Errorf("%w: have %#x", errInvalidVote, header.Nonce[:])
}

// encodeVote writes a vote on address into the beneficiary and nonce of header.
func encodeVote(header *types.Header, address common.Address, authorize bool) {
	header.Coinbase = address
	header.Nonce = nonceDropVote
	if authorize {
		header.Nonce = nonceAuthVote
	}
}

// checkPostLondonFields returns an error if the header carries any field
// introduced after London. Clique's seal hash panics on some of them and
// ignores others, so a header carrying one is never valid here.
func checkPostLondonFields(header *types.Header) error {
	switch {
	case header.WithdrawalsHash != nil:
		return fmt.Errorf("%w: have withdrawalsHash %x, want nil", errUnexpectedField, *header.WithdrawalsHash)
	case header.BlobGasUsed != nil:
		return fmt.Errorf("%w: have blobGasUsed %d, want nil", errUnexpectedField, *header.BlobGasUsed)
	case header.ExcessBlobGas != nil:
		return fmt.Errorf("%w: have excessBlobGas %d, want nil", errUnexpectedField, *header.ExcessBlobGas)
	case header.ParentBeaconRoot != nil:
		return fmt.Errorf("%w: have parentBeaconRoot %x, want nil", errUnexpectedField, *header.ParentBeaconRoot)
	case header.RequestsHash != nil:
		return fmt.Errorf("%w: have requestsHash %x, want nil", errUnexpectedField, *header.RequestsHash)
	case header.BlockAccessListHash != nil:
		return fmt.Errorf("%w: have blockAccessListHash %x, want nil", errUnexpectedField, *header.BlockAccessListHash)
	case header.SlotNumber != nil:
		return fmt.Errorf("%w: have slotNumber %d, want nil", errUnexpectedField, *header.SlotNumber)
	}
	return nil
}
