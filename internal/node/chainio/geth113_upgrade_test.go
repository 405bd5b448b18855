package chainio_test

import (
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/chainio"
)

// TestGeth113ChainSchedulesTransition: a chain migrated from geth 1.13.15
// (sealed by a geth network, imported into a citynode data dir) takes the
// first stage of docs/modern-evm.md's upgrade as a chain born on citynode
// does (ADR 063): `citynode init` with the same genesis plus a future
// shanghaiTime passes go-ethereum's compatibility check at the imported head
// and is stored; a time in the past, and Cancun before the system contracts
// are deployed, are refused with ErrUpgradeRefused.
func TestGeth113ChainSchedulesTransition(t *testing.T) {
	g, err := genesis.Load(geth113 + ".genesis.json")
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.Defaults()
	dir := t.TempDir()
	cfg.DataDir, cfg.Mode, cfg.Genesis = dir, node.ModeRPC, g
	cfg.HTTP.Enabled, cfg.P2P.Addr = false, ""
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	r, err := chainio.Open(filepath.FromSlash(geth113 + ".rlp.gz"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := chainio.Import(r, n.ForkChoice(), nil); err != nil {
		r.Close()
		n.Close()
		t.Fatal(err)
	}
	r.Close()
	head := n.Eth().BlockChain().CurrentBlock().Number.Uint64()
	if err := n.Close(); err != nil {
		t.Fatal(err)
	}

	now := uint64(time.Now().Unix())
	at := func(v uint64) *uint64 { return &v }
	schedule := func(f genesis.Forks) *core.Genesis {
		later := *g
		cfg := *g.Config
		later.Config = &cfg
		if err := genesis.ScheduleForks(&later, f); err != nil {
			t.Fatal(err)
		}
		return &later
	}
	for _, tt := range []struct {
		name  string
		forks genesis.Forks
		want  string
	}{
		{"shanghai in the past", genesis.Forks{Shanghai: at(now - 60)}, "config.shanghaiTime"},
		{"cancun before the system contracts", genesis.ForksAt(now + 3600), "deploy-system-contracts"},
	} {
		_, err := node.Init(dir, "pebble", schedule(tt.forks), genesis.Extension{}, false)
		if !errors.Is(err, node.ErrUpgradeRefused) || !strings.Contains(err.Error(), tt.want) {
			t.Fatalf("%s on the geth 1.13 chain: have %v, want %v naming %q", tt.name, err, node.ErrUpgradeRefused, tt.want)
		}
	}
	if _, err := node.Init(dir, "pebble", schedule(genesis.Forks{Shanghai: at(now + 3600)}), genesis.Extension{}, false); err != nil {
		t.Fatalf("shanghai in an hour on the geth 1.13 chain (head %d): %v", head, err)
	}
	stored, _, _, err := node.ReadGenesis(dir)
	if err != nil || stored.Config.ShanghaiTime == nil || *stored.Config.ShanghaiTime != now+3600 || stored.Config.CancunTime != nil {
		t.Fatalf("stored schedule: %+v (%v), want shanghaiTime %d only", stored.Config, err, now+3600)
	}
}
