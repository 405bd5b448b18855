package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/ethereum/go-ethereum/triedb/hashdb"
	"github.com/ethereum/go-ethereum/triedb/pathdb"

	"github.com/citychain/citychain/genesis"
)

// ErrUpgradeRefused is returned when a running chain's new fork schedule
// (ADR 063) cannot be applied.
var ErrUpgradeRefused = errors.New("fork schedule refused")

// scheduleTransition makes given the stored chain configuration of the chain
// with genesis hash, where it differs from the stored one (only the
// transition's fork times and blob schedule can, checkStoredGenesis saw to
// that). It reports whether it changed anything. The change is refused if
// go-ethereum's compatibility check fails at the head (a fork at or before
// the head added, moved or removed), if a fork it adds or moves is not in the
// future of now, or if it schedules Cancun or Prague while a system contract
// those blocks call has not its code at the head (ADR 063: they are deployed
// by their keyless transactions after Shanghai).
func scheduleTransition(db ethdb.Database, dataDir, journalDir string, hash common.Hash, given *params.ChainConfig, now time.Time) (bool, error) {
	stored := rawdb.ReadChainConfig(db, hash)
	if stored == nil || sameJSON(stored, given) {
		return false, nil
	}
	head := rawdb.ReadHeadHeader(db)
	if head == nil {
		return false, fmt.Errorf("data dir %s: %w: the chain has no head header (the data dir is damaged)", dataDir, ErrUpgradeRefused)
	}
	if cerr := stored.CheckCompatible(given, head.Number.Uint64(), head.Time); cerr != nil {
		return false, fmt.Errorf("data dir %s: %w: %v: the head (block %d, time %d) is already past a fork the new genesis adds, moves or removes; a fork can only be scheduled after the head and after now", dataDir, ErrUpgradeRefused, cerr, head.Number, head.Time)
	}
	if err := checkFutureForks(genesis.ForksOf(stored), genesis.ForksOf(given), uint64(now.Unix())); err != nil {
		return false, fmt.Errorf("data dir %s: %w: %v", dataDir, ErrUpgradeRefused, err)
	}
	if err := checkSystemCode(db, journalDir, head, genesis.ForksOf(given)); err != nil {
		return false, fmt.Errorf("data dir %s: %w: %v", dataDir, ErrUpgradeRefused, err)
	}
	rawdb.WriteChainConfig(db, hash, given)
	log.Info("Scheduled the transition forks", "shanghai", timeString(given.ShanghaiTime), "cancun", timeString(given.CancunTime), "prague", timeString(given.PragueTime), "head", head.Number)
	return true, nil
}

func sameJSON(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return bytes.Equal(ja, jb)
}

func timeString(t *uint64) string {
	if t == nil {
		return "unscheduled"
	}
	return fmt.Sprint(*t)
}

// checkFutureForks refuses a fork of given that is new or moved against
// stored and not after now: the nodes that already run the chain would cross
// it at another block than this one, or already have.
func checkFutureForks(stored, given genesis.Forks, now uint64) error {
	forks := []struct {
		name      string
		old, want *uint64
	}{{"shanghaiTime", stored.Shanghai, given.Shanghai}, {"cancunTime", stored.Cancun, given.Cancun}, {"pragueTime", stored.Prague, given.Prague}}
	for _, f := range forks {
		if f.want == nil || (f.old != nil && *f.old == *f.want) {
			continue
		}
		if *f.want <= now {
			return fmt.Errorf("config.%s %d is not in the future (now %d, %s ago): the network's nodes must all have the schedule before the fork; choose a time that leaves every node the time to restart with it, e.g. `cityctl upgrade schedule --%s-time +1h`", f.name, *f.want, now, time.Duration(now-*f.want)*time.Second, f.name[:len(f.name)-len("Time")])
		}
	}
	return nil
}

// checkSystemCode checks that every system contract the forks f schedule
// calls holds go-ethereum's code in the state of head. journalDir is where
// go-ethereum keeps the path scheme's journal of recent states (the head's
// among them).
func checkSystemCode(db ethdb.Database, journalDir string, head *types.Header, f genesis.Forks) error {
	want := genesis.SystemContracts(f)
	if len(want) == 0 {
		return nil
	}
	tdb := triedb.NewDatabase(db, stateConfig(rawdb.ReadStateScheme(db), journalDir))
	defer tdb.Close()
	statedb, err := state.New(head.Root, state.NewDatabase(tdb, nil))
	if err != nil {
		return fmt.Errorf("read the state of the head (block %d) to find the system contracts: %v: start the node once, stop it cleanly and run init again", head.Number, err)
	}
	for _, d := range genesis.SystemDeployments() {
		acc, needed := want[d.Address]
		if needed && !bytes.Equal(statedb.GetCode(d.Address), acc.Code) {
			return fmt.Errorf("config.%sTime: the %s contract (%s) has not its code at the head (block %d): %s blocks call it and would be invalid; after Shanghai, deploy it with `cityctl upgrade deploy-system-contracts`, then schedule cancunTime and pragueTime", d.Fork, d.Name, d.Address.Hex(), head.Number, d.Fork)
		}
	}
	return nil
}

// stateConfig opens the stored state read-only in its scheme, with the path
// scheme's journal in journalDir (as eth.New has it).
func stateConfig(scheme, journalDir string) *triedb.Config {
	if scheme == rawdb.HashScheme {
		return &triedb.Config{HashDB: hashdb.Defaults}
	}
	cfg := *pathdb.ReadOnly
	cfg.JournalDirectory = journalDir
	return &triedb.Config{PathDB: &cfg}
}
