package txintake

import (
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// Config configures an Intake.
type Config struct {
	// Journal is the path of the journal file, normally inside the node's
	// data dir. Empty keeps tracked transactions in memory only: they are
	// still resubmitted while the process lives but lost on restart.
	Journal string

	SyncInterval  time.Duration // how often the journal is fsynced; bounds what a power failure loses
	Recheck       time.Duration // how often the pool is asked about the unsettled tracked transactions (a sweep; ADR 103)
	MaxResubmits  int           // resubmissions of one transaction before it is reported dropped (at most one per sweep)
	ResubmitBatch int           // most transactions resubmitted to the pool per sweep or check
	FinalityDepth uint64        // blocks a mined or replaced transaction stays tracked, to survive reorgs
	Outcomes      int           // settled outcomes (replaced, dropped) remembered for Status, about 150 bytes each; mined ones are read from the chain's transaction index
	CompactMin    int           // journal records before compaction is considered
	CompactBytes  int64         // journal bytes before compaction is considered, whatever the records (large transactions)
	MaxBatch      int           // most transactions in one city_sendRawTransactions call

	// RPCTxFeeCap is the largest fee (gas price times gas, in ether) a
	// transaction submitted over RPC may pay, as geth's --rpc.txfeecap;
	// 0 means no cap.
	RPCTxFeeCap float64

	// Gate, if set, decides which senders may submit transactions (ADR
	// 051); nil lets every sender in.
	Gate Gate `toml:"-"`
}

// Gate decides which senders may submit transactions. permissions.Gate
// satisfies it.
type Gate interface {
	// View returns a check valid for one batch, at the current head: nil if
	// from may send the transaction (a contract creation if create is set),
	// or an error saying why not.
	View() (func(from common.Address, create bool) error, error)
}

// Defaults are the settings a node uses unless configured otherwise.
var Defaults = Config{
	SyncInterval:  time.Second,
	Recheck:       2 * time.Second,
	MaxResubmits:  100,
	ResubmitBatch: 4096,
	FinalityDepth: 8,
	Outcomes:      1 << 20,
	CompactMin:    10_000,
	CompactBytes:  64 << 20, // 10,000 relayed ballot batches of ~116 KB would be 1.1 GB
	MaxBatch:      10_000,
	RPCTxFeeCap:   1, // ether, geth's default
}

// Validate checks the settings.
func (c Config) Validate() error {
	var errs []error
	if c.SyncInterval <= 0 {
		errs = append(errs, fmt.Errorf("txintake: invalid SyncInterval: have %v, want > 0", c.SyncInterval))
	}
	if c.Recheck <= 0 {
		errs = append(errs, fmt.Errorf("txintake: invalid Recheck: have %v, want > 0", c.Recheck))
	}
	if c.MaxResubmits < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid MaxResubmits: have %d, want >= 1", c.MaxResubmits))
	}
	if c.ResubmitBatch < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid ResubmitBatch: have %d, want >= 1", c.ResubmitBatch))
	}
	if c.Outcomes < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid Outcomes: have %d, want >= 1", c.Outcomes))
	}
	if c.CompactBytes < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid CompactBytes: have %d, want >= 1", c.CompactBytes))
	}
	if c.CompactMin < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid CompactMin: have %d, want >= 1", c.CompactMin))
	}
	if c.MaxBatch < 1 {
		errs = append(errs, fmt.Errorf("txintake: invalid MaxBatch: have %d, want >= 1", c.MaxBatch))
	}
	if c.RPCTxFeeCap < 0 {
		errs = append(errs, fmt.Errorf("txintake: invalid RPCTxFeeCap: have %v, want >= 0 (0 disables the cap)", c.RPCTxFeeCap))
	}
	return errors.Join(errs...)
}
