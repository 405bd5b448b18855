package loadgen

import (
	"errors"
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/params"
)

// Transaction types a run can send.
const (
	TxTypeAuto    = "auto"    // dynamic-fee when the head has a base fee, else legacy
	TxTypeDynamic = "dynamic" // EIP-1559
	TxTypeLegacy  = "legacy"  // EIP-155 protected legacy
)

// Config is the configuration of one load run.
type Config struct {
	RPC         string        // JSON-RPC HTTP endpoint
	AllowRemote bool          // allow a non-loopback RPC target
	Label       string        // name of the node in reports
	Seed        string        // account derivation seed, as used for the genesis
	Accounts    int           // funded accounts to send from
	Txs         int           // transactions to send
	Batch       int           // transactions per JSON-RPC batch
	Workers     int           // concurrent batch senders
	MaxPending  int           // sent but not yet mined transactions allowed; 0 means no limit
	Rate        int           // transactions sent per second at most, a steady load for soaks; 0 means no limit
	Timeout     time.Duration // whole run, set-up included
	RPCTimeout  time.Duration // one JSON-RPC request
	Poll        time.Duration // head polling interval, the latency resolution
	Stall       time.Duration // stop waiting once nothing was mined for this long after the last send
	Progress    time.Duration // interval between progress lines
	PID         int           // node process to sample for memory and CPU; 0 for none
	Sample      time.Duration // process sampling interval
	TxType      string        // TxTypeAuto, TxTypeDynamic or TxTypeLegacy
	Tip         *big.Int      // priority fee, wei
	FeeCap      *big.Int      // max fee per gas or legacy gas price, wei; nil picks 2*baseFee+tip
	// Resend posts a batch whose request failed again until the node answers,
	// and checks that every accepted transaction is in a block of the node's
	// chain at the end: the crash
	// benchmark, which kills and restarts the node under load.
	Resend bool
}

// Defaults is the default run: the benchmark's 120,000 transfers from 300 accounts.
var Defaults = Config{
	RPC:        "http://127.0.0.1:8545",
	Seed:       "citybench",
	Accounts:   300,
	Txs:        120_000,
	Batch:      500,
	Workers:    4,
	Timeout:    10 * time.Minute,
	RPCTimeout: 60 * time.Second,
	Poll:       50 * time.Millisecond,
	Stall:      60 * time.Second,
	Progress:   5 * time.Second,
	Sample:     200 * time.Millisecond,
	TxType:     TxTypeAuto,
	Tip:        big.NewInt(params.GWei),
}

// errNoTip is returned if the configuration has no priority fee.
var errNoTip = errors.New("missing priority fee")

// Validate checks the fields against each other.
func (c *Config) Validate() error {
	if err := CheckTarget(c.RPC, c.AllowRemote); err != nil {
		return err
	}
	switch {
	case c.Seed == "":
		return errNoSeed
	case c.Accounts < 2:
		return fmt.Errorf("invalid account count: have %d, want >= 2", c.Accounts)
	case c.Txs < 1:
		return fmt.Errorf("invalid transaction count: have %d, want >= 1", c.Txs)
	case c.Batch < 1 || c.Batch > 10_000:
		return fmt.Errorf("invalid batch size: have %d, want 1..10000", c.Batch)
	case c.Workers < 1 || c.Workers > 256:
		return fmt.Errorf("invalid worker count: have %d, want 1..256", c.Workers)
	case c.Rate < 0:
		return fmt.Errorf("invalid rate: have %d transactions/s, want >= 0 (0: no limit)", c.Rate)
	case c.MaxPending < 0:
		return fmt.Errorf("invalid pending limit: have %d, want >= 0", c.MaxPending)
	case c.MaxPending > 0 && c.MaxPending < c.Batch:
		return fmt.Errorf("pending limit below batch size: have %d, want >= %d", c.MaxPending, c.Batch)
	case c.Timeout <= 0 || c.RPCTimeout <= 0 || c.Stall <= 0:
		return fmt.Errorf("timeouts must be positive: have timeout %v, rpc %v, stall %v", c.Timeout, c.RPCTimeout, c.Stall)
	case c.Poll < time.Millisecond || c.Poll > 10*time.Second:
		return fmt.Errorf("invalid poll interval: have %v, want 1ms..10s", c.Poll)
	case c.Progress <= 0 || c.Sample <= 0:
		return fmt.Errorf("intervals must be positive: have progress %v, sample %v", c.Progress, c.Sample)
	case c.PID < 0:
		return fmt.Errorf("invalid pid: have %d", c.PID)
	case c.Tip == nil || c.Tip.Sign() < 0:
		return errNoTip
	case c.FeeCap != nil && c.FeeCap.Sign() > 0 && c.FeeCap.Cmp(c.Tip) < 0:
		return fmt.Errorf("fee cap below tip: have %v, want >= %v", c.FeeCap, c.Tip)
	}
	switch c.TxType {
	case TxTypeAuto, TxTypeDynamic, TxTypeLegacy:
	default:
		return fmt.Errorf("invalid transaction type %q: want auto, dynamic or legacy", c.TxType)
	}
	return nil
}
