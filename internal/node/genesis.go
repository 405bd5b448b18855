package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/ethereum/go-ethereum/triedb/hashdb"
	"github.com/ethereum/go-ethereum/triedb/pathdb"

	"github.com/citychain/citychain/genesis"
)

// Init writes genesis g into a new data dir; archive selects the hash state
// scheme an auditor (archive) node needs, otherwise the path scheme. Initialising a data dir again with
// the same genesis is a no-op; with another genesis it is an error that changes
// nothing. Unlike geth, a genesis that differs only in its chain configuration
// (same genesis block, say another chain id or period) counts as another genesis:
// geth would silently rewrite the stored configuration.
//
// ext is the genesis file's config.citychain section (ADR 048), stored beside
// go-ethereum's chain configuration. On a data dir that holds the chain
// already, a new ext replaces the stored one if go-ethereum's fork rule
// allows it (genesis.Extension.CheckCompatible): that is how an existing
// chain schedules the permissions rule.
func Init(dataDir, dbEngine string, g *core.Genesis, ext genesis.Extension, archive bool) (common.Hash, error) {
	stack, err := gethnode.New(&gethnode.Config{Name: "citynode", DataDir: dataDir, DBEngine: dbEngine})
	if err != nil {
		return common.Hash{}, explainNodeError(err, Config{DataDir: dataDir})
	}
	defer stack.Close()
	db, err := stack.OpenDatabaseWithOptions("chaindata", gethnode.DatabaseOptions{})
	if err != nil {
		return common.Hash{}, fmt.Errorf("open chain database: %w", err)
	}
	defer db.Close()
	hash, err := checkStoredGenesis(db, dataDir, g, true)
	if err != nil {
		return common.Hash{}, err
	}
	if hash != (common.Hash{}) {
		// The chain is there: only its transition schedule (ADR 063) and
		// its citychain rules may change.
		if _, err := scheduleTransition(db, dataDir, stack.ResolvePath("triedb"), hash, g.Config, time.Now()); err != nil {
			return common.Hash{}, err
		}
		if _, err := applyExtension(db, hash, ext); err != nil {
			return common.Hash{}, fmt.Errorf("data dir %s: %w", dataDir, err)
		}
		return hash, db.SyncKeyValue()
	}
	tcfg := &triedb.Config{PathDB: pathdb.Defaults}
	if archive {
		tcfg = &triedb.Config{HashDB: hashdb.Defaults}
	}
	tdb := triedb.NewDatabase(db, tcfg)
	defer tdb.Close()
	block, err := g.Commit(db, tdb, nil)
	if err != nil {
		return common.Hash{}, fmt.Errorf("write genesis: %w", err)
	}
	if err := writeExtension(db, block.Hash(), ext); err != nil {
		return common.Hash{}, err
	}
	return block.Hash(), db.SyncKeyValue()
}

// DataDirs initialises and reads data dirs as citynode init makes them
// (pebble databases): the genesis/rehearsal.DataDirs that citynode's
// ceremony and the rehearsal's tests give it, since genesis/ does not link
// the node (docs/architecture.md, Imports).
type DataDirs struct{}

// Init implements rehearsal.DataDirs: Init with the pebble engine.
func (DataDirs) Init(dataDir string, g *core.Genesis, ext genesis.Extension, archive bool) (common.Hash, error) {
	return Init(dataDir, "pebble", g, ext, archive)
}

// ReadGenesis implements rehearsal.DataDirs: ReadGenesis without the
// config.citychain section.
func (DataDirs) ReadGenesis(dataDir string) (*core.Genesis, common.Hash, error) {
	g, _, hash, err := ReadGenesis(dataDir)
	return g, hash, err
}

// ReadGenesis returns the genesis a data dir holds: the stored allocation,
// chain configuration, config.citychain section and genesis header fields,
// checked to reproduce the stored genesis block hash (which it returns too),
// so that `citynode init` with it makes the same chain. The node must be
// stopped.
func ReadGenesis(dataDir string) (*core.Genesis, genesis.Extension, common.Hash, error) {
	var none genesis.Extension
	if !initialised(dataDir) {
		return nil, none, common.Hash{}, fmt.Errorf("%w: %s has no chain (give the data dir of a node that ran, with --datadir)", ErrNotInitialised, dataDir)
	}
	// No DBEngine: geth opens the engine the database was made with.
	stack, err := gethnode.New(&gethnode.Config{Name: "citynode", DataDir: dataDir})
	if err != nil {
		return nil, none, common.Hash{}, explainNodeError(err, Config{DataDir: dataDir})
	}
	defer stack.Close()
	db, err := stack.OpenDatabaseWithOptions("chaindata", gethnode.DatabaseOptions{ReadOnly: true})
	if err != nil {
		return nil, none, common.Hash{}, fmt.Errorf("open chain database: %w", err)
	}
	defer db.Close()
	g, err := core.ReadGenesis(db)
	if err != nil {
		return nil, none, common.Hash{}, fmt.Errorf("read the genesis of %s: %w", dataDir, err)
	}
	// Under Cancun go-ethereum stores the genesis's blob gas fields as 0; a
	// genesis without them makes the same block (ToBlock fills in 0), and is
	// the one `citynode dev` and `cityctl genesis` write.
	if g.ExcessBlobGas != nil && *g.ExcessBlobGas == 0 {
		g.ExcessBlobGas = nil
	}
	if g.BlobGasUsed != nil && *g.BlobGasUsed == 0 {
		g.BlobGasUsed = nil
	}
	stored := rawdb.ReadCanonicalHash(db, 0)
	if have := g.ToBlock().Hash(); have != stored {
		return nil, none, common.Hash{}, fmt.Errorf("the genesis read back from %s hashes to %s, but the stored genesis block is %s: the data dir is damaged or was written by another client", dataDir, have.Hex(), stored.Hex())
	}
	ext, err := readExtension(db, stored)
	if err != nil {
		return nil, none, common.Hash{}, err
	}
	return g, ext, stored, nil
}

// checkStoredGenesis compares g with the genesis a database holds. It returns
// the stored hash if they are the same, the zero hash if the database is
// empty, and an error naming the difference otherwise. With upgrade set, a
// chain configuration that differs only in the transition's fork times counts
// as the same (scheduleTransition checks the change).
func checkStoredGenesis(db ethdb.Database, dataDir string, g *core.Genesis, upgrade bool) (common.Hash, error) {
	stored := rawdb.ReadCanonicalHash(db, 0)
	if stored == (common.Hash{}) {
		return common.Hash{}, nil
	}
	if want := g.ToBlock().Hash(); want != stored {
		return common.Hash{}, fmt.Errorf("data dir %s holds another chain (genesis %s, this genesis is %s): use a fresh --datadir", dataDir, stored.Hex(), want.Hex())
	}
	if cfg := rawdb.ReadChainConfig(db, stored); cfg != nil {
		have, _ := json.Marshal(cfg)
		want, _ := json.Marshal(g.Config)
		if !bytes.Equal(have, want) {
			if sameBesidesTransition(cfg, g.Config) {
				if upgrade {
					return stored, nil
				}
				return common.Hash{}, fmt.Errorf("data dir %s holds this chain, and the given genesis adds or changes the transition to Shanghai, Cancun and Prague (stored %s, given %s): a running chain schedules it with `citynode init` on the stopped node (docs/modern-evm.md, \"Upgrading a running chain\")", dataDir, have, want)
			}
			return common.Hash{}, fmt.Errorf("data dir %s holds another chain: same genesis block but another chain configuration (stored %s, given %s): use a fresh --datadir", dataDir, have, want)
		}
	}
	return stored, nil
}

// ErrWrongMode is returned if a data dir was made for another mode: an
// archive (auditor) data dir opened as a full node, or the reverse.
var ErrWrongMode = errors.New("data dir made for another mode")

// checkDataDir refuses to open an initialised data dir whose configured
// genesis (dev mode) differs from the one it holds, or whose stored state
// scheme does not match the mode: an auditor's archive keeps the hash scheme
// (Init with archive), every other mode the path scheme. Geth would open an
// archive as a pruning node, or refuse a full node's dir only deep inside its
// start-up, so the mismatch is named here, before anything runs.
func checkDataDir(cfg Config) error {
	if !initialised(cfg.DataDir) {
		return nil
	}
	stack, err := gethnode.New(&gethnode.Config{Name: "citynode", DataDir: cfg.DataDir, DBEngine: cfg.DBEngine})
	if err != nil {
		return explainNodeError(err, cfg)
	}
	defer stack.Close()
	db, err := stack.OpenDatabaseWithOptions("chaindata", gethnode.DatabaseOptions{})
	if err != nil {
		return fmt.Errorf("open chain database: %w", err)
	}
	defer db.Close()
	if cfg.Genesis != nil {
		if _, err := checkStoredGenesis(db, cfg.DataDir, cfg.Genesis, false); err != nil {
			return err
		}
	}
	return checkScheme(cfg, rawdb.ReadStateScheme(db))
}

// checkScheme compares the state scheme a data dir holds ("" if it holds no
// state yet) with the one cfg's mode needs.
func checkScheme(cfg Config, stored string) error {
	archive := cfg.Mode == ModeAuditor
	switch {
	case stored == rawdb.HashScheme && !archive:
		return fmt.Errorf("%w: %s is an archive data dir (hash state scheme, made by `citynode init --mode auditor`) and mode %s would open it as a pruning node: pass --mode auditor, or use a data dir made by `citynode init` without --mode auditor", ErrWrongMode, cfg.DataDir, cfg.Mode)
	case stored == rawdb.PathScheme && archive:
		return fmt.Errorf("%w: %s was initialised for a full node (path state scheme); an auditor keeps every state and needs an archive data dir: `citynode init --mode auditor --datadir NEWDIR genesis.json`, then sync or `citynode import` into it; or open this one without --mode auditor", ErrWrongMode, cfg.DataDir)
	}
	return nil
}

// extensionPrefix, followed by the genesis hash, is the database key of a
// chain's config.citychain section (ADR 048), as JSON. go-ethereum stores
// its own chain configuration and would drop the section.
var extensionPrefix = []byte("citychain-chain-extension-")

func extensionKey(hash common.Hash) []byte { return append(slices.Clone(extensionPrefix), hash[:]...) }

// readExtension returns the config.citychain section stored for the chain
// with genesis hash; the zero Extension if none is.
func readExtension(db ethdb.KeyValueReader, hash common.Hash) (genesis.Extension, error) {
	var ext genesis.Extension
	data, err := db.Get(extensionKey(hash))
	if err != nil || len(data) == 0 {
		return ext, nil // not stored: the chain has none
	}
	if err := json.Unmarshal(data, &ext); err != nil {
		return ext, fmt.Errorf("stored config.%s of chain %s: %w (the data dir is damaged: run `citynode init` with the network's genesis file)", genesis.ExtensionKey, hash.Hex(), err)
	}
	return ext, nil
}

// writeExtension stores ext as the chain's config.citychain section.
func writeExtension(db ethdb.KeyValueWriter, hash common.Hash, ext genesis.Extension) error {
	data, err := json.Marshal(ext)
	if err != nil {
		return err
	}
	if err := db.Put(extensionKey(hash), data); err != nil {
		return fmt.Errorf("store config.%s: %w", genesis.ExtensionKey, err)
	}
	return nil
}

// applyExtension makes ext the stored config.citychain section of the chain
// with genesis hash, if it differs from the stored one and go-ethereum's fork
// rule allows the change at the current head. It reports whether it changed
// anything.
func applyExtension(db ethdb.Database, hash common.Hash, ext genesis.Extension) (bool, error) {
	stored, err := readExtension(db, hash)
	if err != nil {
		return false, err
	}
	if stored.Equal(ext) {
		return false, nil
	}
	var head uint64
	if n, ok := rawdb.ReadHeaderNumber(db, rawdb.ReadHeadBlockHash(db)); ok {
		head = n
	}
	if err := stored.CheckCompatible(ext, head); err != nil {
		return false, err
	}
	if err := writeExtension(db, hash, ext); err != nil {
		return false, err
	}
	log.Info("Changed the chain's citychain rules", "old", stored, "new", ext, "head", head)
	return true, nil
}

// sameBesidesTransition reports whether two chain configurations differ only
// in the transition's fork times and blob schedule (ADR 044).
func sameBesidesTransition(a, b *params.ChainConfig) bool {
	if a == nil || b == nil {
		return false
	}
	ca, cb := *a, *b
	for _, c := range []*params.ChainConfig{&ca, &cb} {
		c.ShanghaiTime, c.CancunTime, c.PragueTime, c.BlobScheduleConfig = nil, nil, nil, nil
	}
	ja, _ := json.Marshal(&ca)
	jb, _ := json.Marshal(&cb)
	return bytes.Equal(ja, jb)
}
