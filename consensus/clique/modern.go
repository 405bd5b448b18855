package clique

import (
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// Post-transition ("modern") Clique headers (ADR 044): blocks at or after the
// genesis's shanghaiTime carry difficulty 0, so that go-ethereum runs the
// configured forks' rules, PREVRANDAO in the mix digest, the post-London fields
// of their forks, and the EIP-225 extra-data, votes and seal as before.

// IsModern reports whether header has the post-transition format: difficulty
// 0. A London Clique header never has it (its difficulty is 1 or 2).
func IsModern(header *types.Header) bool {
	return header.Difficulty != nil && header.Difficulty.Sign() == 0
}

// ModernAt reports whether a block at (number, time) must have the
// post-transition format under config: Shanghai is active.
func ModernAt(config *params.ChainConfig, number *big.Int, time uint64) bool {
	return config.IsShanghai(number, time)
}

// SealHash returns the hash a signer signs for header: upstream Clique's seal
// hash for a London header, and for a post-transition header the keccak256 of
// the RLP of the whole header with the 65-byte seal cut off the extra-data
// (London's seal hash extended to every field).
func SealHash(header *types.Header) (common.Hash, error) {
	if len(header.Extra) < ExtraSeal {
		return common.Hash{}, fmt.Errorf("%w: have %d bytes, want >= %d", errMissingSignature, len(header.Extra), ExtraSeal)
	}
	if !IsModern(header) {
		// Upstream's SealHash panics on these fields: reject them first.
		if err := checkPostLondonFields(header); err != nil {
			return common.Hash{}, err
		}
		return upstream.SealHash(header), nil
	}
	cpy := types.CopyHeader(header)
	cpy.Extra = cpy.Extra[:len(cpy.Extra)-ExtraSeal]
	return cpy.Hash(), nil
}

// Random returns the PREVRANDAO (mix digest) of a post-transition child of
// parent: keccak256(parent mix digest || parent seal). It is known once the
// parent is published and its signer can bias it (ADR 044): never use it as a
// fair random source.
func Random(parent *types.Header) common.Hash {
	var seal [ExtraSeal]byte
	if len(parent.Extra) >= ExtraSeal {
		copy(seal[:], parent.Extra[len(parent.Extra)-ExtraSeal:])
	}
	return crypto.Keccak256Hash(parent.MixDigest[:], seal[:])
}

// prepareModern fills the post-transition fields of a header about to be
// built on parent: difficulty 0, PREVRANDAO, the empty withdrawals root and,
// from Cancun, zero blob gas and the zero beacon root. The requests hash of a
// Prague block is the builder's: it depends on execution.
func prepareModern(config *params.ChainConfig, parent, header *types.Header) {
	header.Difficulty = new(big.Int)
	header.MixDigest = Random(parent)
	header.WithdrawalsHash = &types.EmptyWithdrawalsHash
	header.BlobGasUsed, header.ExcessBlobGas, header.ParentBeaconRoot = nil, nil, nil
	if config.IsCancun(header.Number, header.Time) {
		header.BlobGasUsed, header.ExcessBlobGas = new(uint64), new(uint64)
		header.ParentBeaconRoot = new(common.Hash)
	}
	header.RequestsHash = nil
	if config.IsPrague(header.Number, header.Time) {
		header.RequestsHash = &types.EmptyRequestsHash
	}
}

// verifyModernFields checks the fields that differ in a post-transition
// header: difficulty 0, PREVRANDAO, the empty withdrawals root, no blob gas,
// the zero beacon root, a requests hash from Prague (its value is checked by
// execution), and nothing of later forks.
func verifyModernFields(config *params.ChainConfig, parent, header *types.Header) error {
	if !IsModern(header) {
		return fmt.Errorf("%w: have %v, want 0 from shanghaiTime on", errInvalidDifficulty, header.Difficulty)
	}
	if want := Random(parent); header.MixDigest != want {
		return fmt.Errorf("%w: have %x, want %x (keccak256 of the parent's mix digest and seal)", errWrongRandom, header.MixDigest, want)
	}
	if header.WithdrawalsHash == nil || *header.WithdrawalsHash != types.EmptyWithdrawalsHash {
		return fmt.Errorf("%w: have withdrawalsHash %v, want the empty root %x: a Clique chain has no withdrawals", errModernField, hashString(header.WithdrawalsHash), types.EmptyWithdrawalsHash)
	}
	if config.IsCancun(header.Number, header.Time) {
		switch {
		case header.BlobGasUsed == nil || *header.BlobGasUsed != 0:
			return fmt.Errorf("%w: have blobGasUsed %s, want 0: blob transactions are not valid on a Clique chain", errModernField, uintString(header.BlobGasUsed))
		case header.ExcessBlobGas == nil || *header.ExcessBlobGas != 0:
			return fmt.Errorf("%w: have excessBlobGas %s, want 0", errModernField, uintString(header.ExcessBlobGas))
		case header.ParentBeaconRoot == nil || *header.ParentBeaconRoot != (common.Hash{}):
			return fmt.Errorf("%w: have parentBeaconBlockRoot %s, want the zero hash", errModernField, hashString(header.ParentBeaconRoot))
		}
	} else {
		switch {
		case header.BlobGasUsed != nil:
			return fmt.Errorf("%w: have blobGasUsed %d before cancunTime, want none", errModernField, *header.BlobGasUsed)
		case header.ExcessBlobGas != nil:
			return fmt.Errorf("%w: have excessBlobGas %d before cancunTime, want none", errModernField, *header.ExcessBlobGas)
		case header.ParentBeaconRoot != nil:
			return fmt.Errorf("%w: have parentBeaconBlockRoot %x before cancunTime, want none", errModernField, *header.ParentBeaconRoot)
		}
	}
	prague := config.IsPrague(header.Number, header.Time)
	switch {
	case prague && header.RequestsHash == nil:
		return fmt.Errorf("%w: have no requestsHash from pragueTime on, want one", errModernField)
	case !prague && header.RequestsHash != nil:
		return fmt.Errorf("%w: have requestsHash %x before pragueTime, want none", errModernField, *header.RequestsHash)
	case header.BlockAccessListHash != nil:
		return fmt.Errorf("%w: have blockAccessListHash %x, want none", errModernField, *header.BlockAccessListHash)
	case header.SlotNumber != nil:
		return fmt.Errorf("%w: have slotNumber %d, want none", errModernField, *header.SlotNumber)
	}
	return nil
}

func hashString(h *common.Hash) string {
	if h == nil {
		return "none"
	}
	return h.Hex()
}

func uintString(v *uint64) string {
	if v == nil {
		return "none"
	}
	return fmt.Sprint(*v)
}

// unsupportedModernFork returns the name of a fork active at (number, time)
// that the post-transition format does not cover, or "".
func unsupportedModernFork(config *params.ChainConfig, number *big.Int, time uint64) string {
	switch {
	case config.MergeNetsplitBlock != nil && number.Cmp(config.MergeNetsplitBlock) >= 0:
		return "the merge netsplit block"
	case config.TerminalTotalDifficulty != nil && config.TerminalTotalDifficulty.Sign() == 0:
		return "the merge at genesis"
	}
	return unsupportedLaterFork(config, number, time)
}

// Weight returns the fork-choice weight of header (EIP-225's scores, summed by
// fork choice as total difficulty): a London header's difficulty, and for a
// post-transition header 2 if its signer was in turn on the parent's snapshot,
// 1 otherwise. parents is as for VerifyHeader. The header must have passed
// VerifyHeader.
func (e *Engine) Weight(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header) (*big.Int, error) {
	if !IsModern(header) {
		if header.Difficulty == nil {
			return nil, fmt.Errorf("%w: block %v has no difficulty", errInvalidDifficulty, header.Number)
		}
		return new(big.Int).Set(header.Difficulty), nil
	}
	number := header.Number.Uint64()
	signer, err := ecrecover(header, e.signatures)
	if err != nil {
		return nil, err
	}
	snap, err := e.snapshot(chain, number-1, header.ParentHash, parents)
	if err != nil {
		return nil, err
	}
	return difficulty(snap, number, signer), nil
}
