package sealer

import (
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
)

const (
	maxVanity = 32 // bytes of free-form extra-data before the Clique fields

	defaultGasCeil  = 30_000_000             // gas; target block gas limit
	defaultRecommit = 50 * time.Millisecond  // shortest pause between two pulls of new transactions
	minFinalize     = 10 * time.Millisecond  // lower bound of the time kept for root hashing
	maxFinalize     = 600 * time.Millisecond // upper bound of the time kept for root hashing
)

// Config is the sealer's configuration.
type Config struct {
	Signer   common.Address // account whose key seals blocks
	GasCeil  uint64         // gas limit the sealer steers the block gas limit towards
	MinTip   *big.Int       // lowest priority fee per gas (wei) a transaction must pay to be included
	Extra    []byte         // vanity written into the first extra-data bytes, at most 32
	Recommit time.Duration  // shortest pause between two pulls of new transactions into a block
	Pause    func() bool    // reports whether to hold off sealing (the node is catching up with its peers); nil: never
	// SignHeader, if set, signs instead of the SignerFn given to New: for an
	// external signer that is handed the header (ADR 050). An error wrapping
	// ErrSignerUnavailable leaves the sealer waiting for it, not failing.
	SignHeader clique.HeaderSignerFn
}

// DefaultConfig returns the defaults; Signer must still be set.
func DefaultConfig() Config {
	return Config{
		GasCeil:  defaultGasCeil,
		MinTip:   new(big.Int),
		Recommit: defaultRecommit,
	}
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.Signer == (common.Address{}) {
		return fmt.Errorf("sealer: no signer account: set --signer to an account of the keystore")
	}
	if c.GasCeil < params.MinGasLimit || c.GasCeil > params.MaxGasLimit {
		return fmt.Errorf("sealer: invalid gas ceiling: have %d, want %d..%d", c.GasCeil, params.MinGasLimit, params.MaxGasLimit)
	}
	if len(c.Extra) > maxVanity {
		return fmt.Errorf("sealer: extra-data too long: have %d bytes, want <= %d", len(c.Extra), maxVanity)
	}
	if c.MinTip == nil || c.MinTip.Sign() < 0 {
		return fmt.Errorf("sealer: invalid minimum tip: have %v, want >= 0", c.MinTip)
	}
	if c.Recommit <= 0 {
		return fmt.Errorf("sealer: invalid recommit interval: have %v, want > 0", c.Recommit)
	}
	return nil
}
