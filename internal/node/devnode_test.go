package node_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// devConfig is the configuration of a one-signer dev node on a new genesis of
// chainID: period 0 (a block as soon as a transaction waits), the signer (dev
// account 0) funded with 2^80 wei beside alloc, HTTP on a free port, no p2p
// listener, data in a temporary directory. Tests change what they test.
func devConfig(t *testing.T, chainID uint64, alloc types.GenesisAlloc) (node.Config, genesis.DevAccount) {
	t.Helper()
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = chainID, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}}
	for addr, a := range alloc {
		spec.Alloc[addr] = a
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.Defaults()
	cfg.DataDir, cfg.Genesis, cfg.Mode = t.TempDir(), g, node.ModeDev
	cfg.Signer, cfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
	cfg.HTTP.Enabled, cfg.HTTP.Port = true, 0
	cfg.P2P.Addr = ""
	return cfg, acct
}

// startNode starts a node with cfg and closes it when the test ends.
func startNode(t *testing.T, cfg node.Config) *node.Node {
	t.Helper()
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}
