package node

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/ethdb"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/ethereum/go-ethereum/triedb/hashdb"
	"github.com/ethereum/go-ethereum/triedb/pathdb"
)

// Init writes genesis g into a new data dir; archive selects the hash state
// scheme an auditor (archive) node needs, otherwise the path scheme. Initialising a data dir again with
// the same genesis is a no-op; with another genesis it is an error that changes
// nothing. Unlike geth, a genesis that differs only in its chain configuration
// (same genesis block, say another chain id or period) counts as another genesis:
// geth would silently rewrite the stored configuration.
func Init(dataDir, dbEngine string, g *core.Genesis, archive bool) (common.Hash, error) {
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
	if hash, err := checkStoredGenesis(db, dataDir, g); err != nil || hash != (common.Hash{}) {
		return hash, err
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
	return block.Hash(), db.SyncKeyValue()
}

// checkStoredGenesis compares g with the genesis a database holds. It returns
// the stored hash if they are the same, the zero hash if the database is
// empty, and an error naming the difference otherwise.
func checkStoredGenesis(db ethdb.Database, dataDir string, g *core.Genesis) (common.Hash, error) {
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
		if _, err := checkStoredGenesis(db, cfg.DataDir, cfg.Genesis); err != nil {
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
