package node_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	"github.com/ethereum/go-ethereum/core"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// TestChainEngineInstalled: on a chain that schedules the transition, every
// holder of go-ethereum's engine (the backend, the block chain, the header
// chain) has the post-transition engine, wrapping go-ethereum's own for
// pre-transition headers (ADR 044); on a London chain they keep the beacon
// wrapper untouched. The swap sets unexported fields of the pinned
// go-ethereum: this test fails first if an upgrade renames them.
func TestChainEngineInstalled(t *testing.T) {
	for _, tt := range []struct {
		name   string
		forks  genesis.Forks
		modern bool
	}{
		{"london", genesis.Forks{}, false},
		{"prague at genesis", genesis.ForksAt(0), true},
		{"prague later", genesis.ForksAt(4_000_000_000), true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			s := genesis.DefaultSpec()
			s.ChainID, s.Signers, s.Forks = 4351, []common.Address{recipient}, tt.forks
			g, err := genesis.Build(s)
			if err != nil {
				t.Fatal(err)
			}
			cfg := node.Defaults()
			cfg.Mode, cfg.DataDir, cfg.Genesis, cfg.P2P.Addr = node.ModeDev, t.TempDir(), g, ""
			cfg.HTTP.Enabled = false
			n, err := node.New(cfg)
			if err != nil {
				t.Fatal(err)
			}
			defer n.Close()
			chain := n.Eth().BlockChain()
			for name, engine := range map[string]consensus.Engine{
				"eth.Ethereum": n.Eth().Engine(), "core.BlockChain": chain.Engine(), "core.HeaderChain": chain.HeaderChain().Engine(),
			} {
				ce, isChainEngine := engine.(*clique.ChainEngine)
				if isChainEngine != tt.modern {
					t.Errorf("%s engine: have %T, want the post-transition engine: %v", name, engine, tt.modern)
				}
				if _, isBeacon := engine.(*beacon.Beacon); !tt.modern && !isBeacon {
					t.Errorf("%s engine on a London chain: have %T, want go-ethereum's beacon wrapper", name, engine)
				}
				if isChainEngine {
					if _, ok := ce.Inner().(*beacon.Beacon); !ok {
						t.Errorf("%s: pre-transition headers go to %T, want go-ethereum's beacon wrapper", name, ce.Inner())
					}
				}
			}
		})
	}
}

// TestInitSchedulesTransition: `citynode init` of a stopped node's data dir
// with the chain's genesis plus fork times schedules them (ADR 063), with
// go-ethereum's compatibility check at the head; a fork time in the past is
// refused, and so are Cancun and Prague while the system contracts have no
// code at the head; with the code there (here from the genesis allocation,
// as their keyless deployments leave it) they are accepted.
func TestInitSchedulesTransition(t *testing.T) {
	now := uint64(time.Now().Unix())
	schedule := func(g *core.Genesis, f genesis.Forks) *core.Genesis {
		later := *g
		cfg := *g.Config
		later.Config = &cfg
		if err := genesis.ScheduleForks(&later, f); err != nil {
			t.Fatal(err)
		}
		if later.ToBlock().Hash() != g.ToBlock().Hash() {
			t.Fatal("fork times in the future changed the genesis hash")
		}
		return &later
	}
	london := func(chainID uint64, withContracts bool) (*core.Genesis, string) {
		s := genesis.DefaultSpec()
		s.ChainID, s.Signers, s.Timestamp = chainID, []common.Address{recipient}, 1_700_000_000
		if withContracts {
			s.Alloc = genesis.SystemContracts(genesis.ForksAt(0))
		}
		g, err := genesis.Build(s)
		if err != nil {
			t.Fatal(err)
		}
		dir := t.TempDir()
		if _, err := node.Init(dir, "pebble", g, genesis.Extension{}, false); err != nil {
			t.Fatal(err)
		}
		return g, dir
	}
	at := func(t uint64) *uint64 { return &t }

	g, dir := london(4353, false)
	for _, tt := range []struct {
		name  string
		forks genesis.Forks
		want  []string
	}{
		{"shanghai in the past", genesis.Forks{Shanghai: at(now - 60)}, []string{"config.shanghaiTime", "not in the future"}},
		{"cancun before the contracts", genesis.ForksAt(now + 3600), []string{"EIP-4788 beacon roots", "has not its code at the head", "deploy-system-contracts"}},
	} {
		_, err := node.Init(dir, "pebble", schedule(g, tt.forks), genesis.Extension{}, false)
		if !errors.Is(err, node.ErrUpgradeRefused) {
			t.Fatalf("%s: have %v, want %v", tt.name, err, node.ErrUpgradeRefused)
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: %q does not say %q", tt.name, err, w)
			}
		}
	}
	if _, err := node.Init(dir, "pebble", schedule(g, genesis.Forks{Shanghai: at(now + 3600)}), genesis.Extension{}, false); err != nil {
		t.Fatalf("shanghai in an hour: %v", err)
	}
	stored, _, _, err := node.ReadGenesis(dir)
	if err != nil || stored.Config.ShanghaiTime == nil || *stored.Config.ShanghaiTime != now+3600 || stored.Config.CancunTime != nil {
		t.Fatalf("stored schedule after init: %+v (%v), want shanghaiTime %d only", stored.Config, err, now+3600)
	}

	g, dir = london(4354, true)
	if _, err := node.Init(dir, "pebble", schedule(g, genesis.ForksAt(now+3600)), genesis.Extension{}, false); err != nil {
		t.Fatalf("cancun and prague with the contracts at the head: %v", err)
	}
}
