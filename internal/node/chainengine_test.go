package node_test

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	"github.com/ethereum/go-ethereum/params"

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

// TestInitRefusesTransitionOnRunningChain: `citynode init` of a data dir that
// holds a London chain with the same genesis plus fork times is refused with
// a message saying the upgrade is not supported yet, not "another chain".
func TestInitRefusesTransitionOnRunningChain(t *testing.T) {
	s := genesis.DefaultSpec()
	s.ChainID, s.Signers, s.Timestamp = 4353, []common.Address{recipient}, 1_700_000_000
	g, err := genesis.Build(s)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := node.Init(dir, "pebble", g, genesis.Extension{}, false); err != nil {
		t.Fatal(err)
	}
	later := *g
	cfg := *g.Config
	later.Config = &cfg
	at := uint64(4_000_000_000)
	cfg.ShanghaiTime, cfg.CancunTime, cfg.PragueTime = &at, &at, &at
	cfg.BlobScheduleConfig = &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig, Prague: params.DefaultPragueBlobConfig}
	if later.ToBlock().Hash() != g.ToBlock().Hash() {
		t.Fatal("fork times in the future changed the genesis hash")
	}
	_, err = node.Init(dir, "pebble", &later, genesis.Extension{}, false)
	if err == nil || !strings.Contains(err.Error(), "not supported yet") || strings.Contains(err.Error(), "another chain") {
		t.Fatalf("init with fork times on a running chain: have %v, want the upgrade named as not supported yet", err)
	}
}
