package genesis

import (
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
)

// Signers returns the signer addresses listed in the extra-data of g, in the
// order they appear (Build writes them ascending). It only checks the layout of
// the extra-data: use Validate to also reject duplicate or zero signers.
func Signers(g *core.Genesis) ([]common.Address, error) {
	extra := g.ExtraData
	if len(extra) < ExtraVanity+ExtraSeal {
		return nil, fmt.Errorf("extraData: %w: have %d bytes, want at least %d (%d bytes of vanity and %d bytes of seal)", ErrExtraData, len(extra), ExtraVanity+ExtraSeal, ExtraVanity, ExtraSeal)
	}
	list := extra[ExtraVanity : len(extra)-ExtraSeal]
	if len(list)%common.AddressLength != 0 {
		return nil, fmt.Errorf("extraData: %w: have %d bytes of signers, want a multiple of %d", ErrExtraData, len(list), common.AddressLength)
	}
	signers := make([]common.Address, len(list)/common.AddressLength)
	for i := range signers {
		copy(signers[i][:], list[i*common.AddressLength:])
	}
	return signers, nil
}

// encodeExtra returns the genesis extra-data for the signers, in the given
// order: zero vanity, the addresses, a zero seal.
func encodeExtra(signers []common.Address) []byte {
	extra := make([]byte, ExtraVanity, ExtraVanity+len(signers)*common.AddressLength+ExtraSeal)
	for _, s := range signers {
		extra = append(extra, s[:]...)
	}
	return append(extra, make([]byte, ExtraSeal)...)
}
