package genesis

import (
	"bytes"
	"fmt"
	"maps"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// EVM rule sets a genesis can name (citynode dev --evm, network.toml's evm).
const (
	EVMLondon = "london" // every block under London rules: Clique as every other client runs it
	EVMPrague = "prague" // Shanghai, Cancun and Prague from genesis (ADR 044)
)

// Forks are the timestamp forks of the transition to the post-transition
// Clique format (ADR 044), in seconds since the Unix epoch; nil leaves a fork
// unscheduled. Shanghai <= Cancun <= Prague, each needing the one before.
type Forks struct {
	Shanghai *uint64
	Cancun   *uint64
	Prague   *uint64
}

// ForksAt returns Shanghai, Cancun and Prague all at time t: 0 (or the
// genesis time) for a chain that starts with the modern rules.
func ForksAt(t uint64) Forks {
	s, c, p := t, t, t
	return Forks{Shanghai: &s, Cancun: &c, Prague: &p}
}

// Any reports whether f schedules a fork.
func (f Forks) Any() bool { return f.Shanghai != nil || f.Cancun != nil || f.Prague != nil }

// ForksOf returns the transition forks scheduled by c.
func ForksOf(c *params.ChainConfig) Forks {
	return Forks{Shanghai: c.ShanghaiTime, Cancun: c.CancunTime, Prague: c.PragueTime}
}

// systemContracts are the accounts of the system contracts that blocks of
// each fork call (geth's dev genesis allocates them the same way).
var systemContracts = []struct {
	name    string
	fork    string // the fork from which blocks call it
	address common.Address
}{
	{"EIP-4788 beacon roots", "cancun", params.BeaconRootsAddress},
	{"EIP-2935 block hash history", "prague", params.HistoryStorageAddress},
	{"EIP-7002 withdrawal requests", "prague", params.WithdrawalQueueAddress},
	{"EIP-7251 consolidation requests", "prague", params.ConsolidationQueueAddress},
}

// SystemContracts returns the genesis accounts of the system contracts the
// scheduled forks of f call: EIP-4788 for Cancun, EIP-2935, EIP-7002 and
// EIP-7251 for Prague, as go-ethereum's core.SystemContractAllocs has them.
func SystemContracts(f Forks) types.GenesisAlloc {
	all := core.SystemContractAllocs()
	out := make(types.GenesisAlloc)
	for _, sc := range systemContracts {
		if (sc.fork == "cancun" && f.Cancun != nil) || (sc.fork == "prague" && f.Prague != nil) {
			out[sc.address] = all[sc.address]
		}
	}
	return copyAlloc(out)
}

// EnableForks schedules the transition forks f on g: the fork times, the blob
// schedule go-ethereum needs from Cancun on (no blob is ever accepted: it
// only has to exist) and the system contracts those forks call. It refuses a
// set of forks that is not coherent and an allocation that holds another
// account at a system contract's address.
func EnableForks(g *core.Genesis, f Forks) error {
	if errs := checkForkSet(f); len(errs) > 0 {
		return join("", errs)
	}
	g.Config.ShanghaiTime, g.Config.CancunTime, g.Config.PragueTime = cloneTime(f.Shanghai), cloneTime(f.Cancun), cloneTime(f.Prague)
	g.Config.BlobScheduleConfig = blobSchedule(f)
	contracts := SystemContracts(f)
	for addr, acc := range contracts {
		if have, ok := g.Alloc[addr]; ok {
			if !bytes.Equal(have.Code, acc.Code) {
				return fmt.Errorf("alloc[%s]: %w: the address of a system contract holds another account; remove it", addr.Hex(), ErrAlloc)
			}
			delete(contracts, addr)
		}
	}
	if g.Alloc == nil {
		g.Alloc = make(types.GenesisAlloc, len(contracts))
	}
	maps.Copy(g.Alloc, contracts)
	return nil
}

func cloneTime(t *uint64) *uint64 {
	if t == nil {
		return nil
	}
	v := *t
	return &v
}

// blobSchedule returns the blob schedule go-ethereum requires for the
// scheduled forks of f, nil before Cancun.
func blobSchedule(f Forks) *params.BlobScheduleConfig {
	if f.Cancun == nil {
		return nil
	}
	s := &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig}
	if f.Prague != nil {
		s.Prague = params.DefaultPragueBlobConfig
	}
	return s
}

// checkForkSet checks that f is a coherent transition: Cancun only after
// Shanghai, Prague only after Cancun, in time order.
func checkForkSet(f Forks) []error {
	var errs []error
	order := func(field, prevField string, t, prev *uint64) {
		switch {
		case t == nil:
		case prev == nil:
			errs = append(errs, fmt.Errorf("config.%s: %w: have %s %d without %s, want shanghaiTime <= cancunTime <= pragueTime, each fork needing the one before", field, ErrForkOrder, field, *t, prevField))
		case *t < *prev:
			errs = append(errs, fmt.Errorf("config.%s: %w: have %s %d before %s %d, want shanghaiTime <= cancunTime <= pragueTime", field, ErrForkOrder, field, *t, prevField, *prev))
		}
	}
	order("cancunTime", "shanghaiTime", f.Cancun, f.Shanghai)
	order("pragueTime", "cancunTime", f.Prague, f.Cancun)
	return errs
}

// validateTransition checks the configuration of a genesis that schedules
// the transition: London in place and the blob schedule. The order of the
// forks is checkForks's.
func validateTransition(c *params.ChainConfig) []error {
	f := ForksOf(c)
	s := c.BlobScheduleConfig
	if !f.Any() {
		if s != nil {
			return []error{fmt.Errorf("config.blobSchedule: %w: have a blob schedule, want none: it only serves cancunTime, which this genesis does not set; remove \"blobSchedule\"", ErrUnsupportedField)}
		}
		return nil
	}
	var errs []error
	if c.LondonBlock == nil {
		errs = append(errs, fmt.Errorf("config.shanghaiTime: %w: have the transition without londonBlock, want londonBlock (0 for a new chain): the post-transition rules build on London", ErrForkOrder))
	}
	switch {
	case f.Cancun == nil && s != nil:
		errs = append(errs, fmt.Errorf("config.blobSchedule: %w: have a blob schedule without cancunTime, want none; remove \"blobSchedule\"", ErrUnsupportedField))
	case f.Cancun != nil && (s == nil || s.Cancun == nil):
		errs = append(errs, fmt.Errorf("config.blobSchedule.cancun: %w: have none with cancunTime set, want go-ethereum's default {\"target\": 3, \"max\": 6, \"baseFeeUpdateFraction\": 3338477} (go-ethereum refuses Cancun without it; no blob is ever accepted)", ErrUnsupportedField))
	case f.Prague != nil && s != nil && s.Prague == nil:
		errs = append(errs, fmt.Errorf("config.blobSchedule.prague: %w: have none with pragueTime set, want go-ethereum's default {\"target\": 6, \"max\": 9, \"baseFeeUpdateFraction\": 5007716}", ErrUnsupportedField))
	case s != nil && (s.BPO1 != nil || s.BPO2 != nil || s.BPO3 != nil || s.BPO4 != nil || s.BPO5 != nil):
		errs = append(errs, fmt.Errorf("config.blobSchedule: %w: have entries for forks after Prague, want only \"cancun\" and \"prague\"", ErrUnsupportedField))
	}
	return errs
}

// checkSystemContracts checks that the allocation holds the system contracts
// the scheduled forks of g call.
func checkSystemContracts(g *core.Genesis) []error {
	want := SystemContracts(ForksOf(g.Config))
	var errs []error
	for _, sc := range systemContracts {
		acc, needed := want[sc.address]
		if !needed {
			continue
		}
		have, ok := g.Alloc[sc.address]
		if !ok && forkTime(g.Config, sc.fork) > g.Timestamp {
			// A fork after the genesis: the contract may come from its keyless
			// deployment instead (ADR 063); the node checks the head's state
			// when a running chain schedules the fork.
			continue
		}
		if !ok || !bytes.Equal(have.Code, acc.Code) {
			errs = append(errs, fmt.Errorf("alloc[%s]: %w: have no %s contract, want go-ethereum's (%d bytes of code, nonce 1): %s blocks call it and are invalid without it; `cityctl genesis` and genesis.EnableForks add it", sc.address.Hex(), ErrAlloc, sc.name, len(acc.Code), sc.fork))
		}
	}
	return errs
}

// forkTime returns the time of fork ("cancun" or "prague") in c, which
// schedules it.
func forkTime(c *params.ChainConfig, fork string) uint64 {
	if fork == "cancun" {
		return *c.CancunTime
	}
	return *c.PragueTime
}

// ScheduleForks schedules the transition forks f on the genesis of a running
// chain (ADR 063): the fork times and the blob schedule, but not the system
// contracts, which a running chain gets from their keyless deployments
// (SystemDeployments) since its genesis block cannot change. The forks
// already in g must stay as they are.
func ScheduleForks(g *core.Genesis, f Forks) error {
	if errs := checkForkSet(f); len(errs) > 0 {
		return join("", errs)
	}
	have := ForksOf(g.Config)
	for _, p := range []struct {
		name      string
		have, set *uint64
	}{{"shanghaiTime", have.Shanghai, f.Shanghai}, {"cancunTime", have.Cancun, f.Cancun}, {"pragueTime", have.Prague, f.Prague}} {
		if p.have != nil && (p.set == nil || *p.set != *p.have) && *p.have <= g.Timestamp {
			return fmt.Errorf("config.%s: %w: the genesis has it at %d, from the chain's start; it cannot change", p.name, ErrForkOrder, *p.have)
		}
	}
	g.Config.ShanghaiTime, g.Config.CancunTime, g.Config.PragueTime = cloneTime(f.Shanghai), cloneTime(f.Cancun), cloneTime(f.Prague)
	g.Config.BlobScheduleConfig = blobSchedule(f)
	return nil
}

// transitionFork reports whether name is the JSON name of one of the forks of
// the transition.
func transitionFork(name string) bool {
	return name == "shanghaiTime" || name == "cancunTime" || name == "pragueTime"
}
