// Package genesis builds, decodes and validates citychain genesis specifications.
//
// A citychain genesis is a standard go-ethereum core.Genesis for a Clique (EIP-225)
// chain, shaped so that both go-ethereum v1.17 (which citychain runs on) and geth
// 1.13 (`geth init`, used for side-by-side benchmarks) accept it and compute the
// same genesis hash:
//
//   - every block-number fork from Homestead to Gray Glacier is active at block 0,
//     so blocks run with London rules and carry a base fee;
//   - no timestamp-scheduled fork (Shanghai and later) and no mergeNetsplitBlock is
//     set: upstream Clique rejects headers of those forks; except, on request, a
//     transition to Shanghai, Cancun and Prague (shanghaiTime, cancunTime,
//     pragueTime) in citychain's post-transition Clique format (ADR 044), with the
//     blob schedule go-ethereum needs and the system contracts those forks call;
//   - terminalTotalDifficulty is set to a sentinel the chain never reaches, because
//     go-ethereum v1.17 refuses to build a consensus engine without one;
//   - the extra-data is 32 bytes of vanity, the signer addresses (20 bytes each,
//     ascending) and 65 zero bytes where later blocks carry their seal;
//   - the genesis difficulty is 1.
//
// Build turns a Spec into such a genesis; Decode and Load read one from JSON
// strictly and Validate checks one against these rules, reporting every problem
// with the field, the value found and the value wanted.
package genesis

import (
	"bytes"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

const (
	ExtraVanity = 32                     // bytes of free-form vanity at the start of the extra-data
	ExtraSeal   = crypto.SignatureLength // bytes reserved for the signer's seal at the end of the extra-data

	MaxPeriod = 3600      // seconds; longest block period accepted (0 seals only when transactions are pending)
	MaxEpoch  = 1_000_000 // blocks; longest epoch (vote reset and checkpoint interval) accepted

	DefaultPeriod   = 5          // seconds between blocks
	DefaultEpoch    = 30_000     // blocks between checkpoints, as in go-ethereum's Clique
	DefaultGasLimit = 30_000_000 // gas per block at genesis
)

var (
	// ttdSentinel is 2^256-1, the largest value a 256-bit total difficulty can
	// hold: the terminal total difficulty every citychain genesis carries.
	ttdSentinel = new(big.Int).Sub(new(big.Int).Lsh(common.Big1, 256), common.Big1)

	// minTTD is 2^128, the smallest terminal total difficulty Validate accepts.
	// Clique blocks have difficulty 1 or 2 and block numbers fit in 64 bits, so
	// the total difficulty of any chain with a genesis difficulty below 2^64 stays
	// below 2^66: any value from 2^128 up can never be reached.
	minTTD = new(big.Int).Lsh(common.Big1, 128)

	// maxDifficulty is 2^64-1, the largest genesis difficulty Validate accepts
	// (see minTTD).
	maxDifficulty = new(big.Int).SetUint64(^uint64(0))
)

// TerminalTotalDifficulty returns the sentinel terminal total difficulty,
// 2^256-1, that citychain sets in every genesis. go-ethereum v1.17's
// ethconfig.CreateConsensusEngine refuses a chain configuration without
// terminalTotalDifficulty; a value the chain can never reach keeps every block a
// Clique block. The result is a fresh copy the caller may modify.
func TerminalTotalDifficulty() *big.Int {
	return new(big.Int).Set(ttdSentinel)
}

// Spec describes a citychain network from which Build makes a genesis.
type Spec struct {
	ChainID   uint64             // EIP-155 chain id; pick one no public chain uses
	Period    uint64             // seconds between blocks; 0 seals only when transactions are pending
	Epoch     uint64             // blocks between checkpoints (and vote resets)
	GasLimit  uint64             // gas limit of the genesis block
	Signers   []common.Address   // initial signers, in any order (Build sorts them)
	Alloc     types.GenesisAlloc // pre-funded accounts and pre-deployed contracts
	Timestamp uint64             // genesis time, seconds since the Unix epoch
	BaseFee   *big.Int           // genesis base fee in wei; nil for go-ethereum's initial 1 gwei
	Forks     Forks              // the transition to Shanghai, Cancun and Prague (ADR 044); none: London rules
}

// DefaultSpec returns a Spec with the defaults: a 5 s period, the usual 30000
// block epoch and a 30M gas limit. ChainID and Signers have no sensible default
// and must still be set.
func DefaultSpec() Spec {
	return Spec{
		Period:   DefaultPeriod,
		Epoch:    DefaultEpoch,
		GasLimit: DefaultGasLimit,
		Alloc:    types.GenesisAlloc{},
	}
}

// Validate checks the spec, reporting every problem with the Spec field at
// fault.
func (s Spec) Validate() error {
	var errs []error
	if s.ChainID == 0 {
		errs = append(errs, fmt.Errorf("Spec.ChainID: %w: have 0, want a positive id that no public chain uses", ErrChainID))
	}
	errs = append(errs, checkPeriod("Spec.Period", s.Period)...)
	errs = append(errs, checkEpoch("Spec.Epoch", s.Epoch)...)
	errs = append(errs, checkGasLimit("Spec.GasLimit", s.GasLimit)...)
	errs = append(errs, checkSigners("Spec.Signers", s.Signers)...)
	errs = append(errs, checkAlloc("Spec.Alloc", s.Alloc, true)...)
	if s.BaseFee != nil {
		errs = append(errs, checkBaseFee("Spec.BaseFee", s.BaseFee)...)
	}
	errs = append(errs, checkForkSet(s.Forks)...)
	return join("", errs)
}

// Build returns the genesis described by the spec: all forks up to Gray Glacier
// at block 0, the terminal total difficulty sentinel, the clique section, the
// signers sorted into the extra-data and a copy of the allocation.
func Build(s Spec) (*core.Genesis, error) {
	if err := s.Validate(); err != nil {
		return nil, err
	}
	signers := slices.Clone(s.Signers)
	slices.SortFunc(signers, func(a, b common.Address) int { return bytes.Compare(a[:], b[:]) })

	g := &core.Genesis{
		Config:     ChainConfig(s.ChainID, s.Period, s.Epoch),
		Timestamp:  s.Timestamp,
		ExtraData:  encodeExtra(signers),
		GasLimit:   s.GasLimit,
		Difficulty: big.NewInt(1),
		Alloc:      copyAlloc(s.Alloc),
	}
	if s.BaseFee != nil {
		g.BaseFee = new(big.Int).Set(s.BaseFee)
	}
	if s.Forks.Any() {
		if err := EnableForks(g, s.Forks); err != nil {
			return nil, err
		}
	}
	// A spec that validates must build a genesis that validates; anything else
	// is a bug in this package.
	if err := Validate(g); err != nil {
		panic(fmt.Sprintf("genesis: built an invalid genesis from a valid spec: %v", err))
	}
	return g, nil
}

// ChainConfig returns a Clique chain configuration with every block-number
// fork up to Gray Glacier at block 0, no timestamp fork and the TTD sentinel:
// the rules every citychain block runs under.
func ChainConfig(chainID, period, epoch uint64) *params.ChainConfig {
	return &params.ChainConfig{
		ChainID:                 new(big.Int).SetUint64(chainID),
		HomesteadBlock:          new(big.Int),
		EIP150Block:             new(big.Int),
		EIP155Block:             new(big.Int),
		EIP158Block:             new(big.Int),
		ByzantiumBlock:          new(big.Int),
		ConstantinopleBlock:     new(big.Int),
		PetersburgBlock:         new(big.Int),
		IstanbulBlock:           new(big.Int),
		MuirGlacierBlock:        new(big.Int),
		BerlinBlock:             new(big.Int),
		LondonBlock:             new(big.Int),
		ArrowGlacierBlock:       new(big.Int),
		GrayGlacierBlock:        new(big.Int),
		TerminalTotalDifficulty: TerminalTotalDifficulty(),
		Clique:                  &params.CliqueConfig{Period: period, Epoch: epoch},
	}
}

// AddAlloc adds the accounts of extra to the allocation of g, for callers that
// compose a preset with their own accounts (such as pre-deployed contracts). It
// refuses an address g already allocates and changes nothing in that case.
func AddAlloc(g *core.Genesis, extra types.GenesisAlloc) error {
	for _, addr := range slices.SortedFunc(maps.Keys(extra), common.Address.Cmp) {
		if _, ok := g.Alloc[addr]; ok {
			return fmt.Errorf("alloc[%s]: %w: address already allocated; pick another address or drop one of the two entries", addr.Hex(), ErrAlloc)
		}
	}
	if errs := checkAlloc("alloc", extra, true); len(errs) > 0 {
		return join("", errs)
	}
	if g.Alloc == nil {
		g.Alloc = make(types.GenesisAlloc, len(extra))
	}
	maps.Copy(g.Alloc, copyAlloc(extra))
	return nil
}

// copyAlloc returns a deep copy of an allocation, never nil.
func copyAlloc(alloc types.GenesisAlloc) types.GenesisAlloc {
	cpy := make(types.GenesisAlloc, len(alloc))
	for addr, acc := range alloc {
		c := types.Account{
			Code:    slices.Clone(acc.Code),
			Storage: maps.Clone(acc.Storage),
			Nonce:   acc.Nonce,
		}
		if acc.Balance != nil {
			c.Balance = new(big.Int).Set(acc.Balance)
		}
		cpy[addr] = c
	}
	return cpy
}
