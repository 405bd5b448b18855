package node_test

import (
	"net"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// TestNoPeersWarnedAtStart: an rpc node, or a signer of a chain with other
// signers, started with no peers to dial logs a warning naming the flags
// that give it peers, and starts; with a static peer it logs none.
func TestNoPeersWarnedAtStart(t *testing.T) {
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID = 4351
	spec.Signers = []common.Address{acct.Address, common.HexToAddress("0x00000000000000000000000000000000000000bb")}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := crypto.GenerateKey()
	static := enode.NewV4(&key.PublicKey, net.IPv4(127, 0, 0, 1), 1, 0).URLv4()
	for _, c := range []struct {
		name   string
		mode   string
		static []string
		want   string // "": no warning
	}{
		{"rpc without peers", node.ModeRPC, nil, "No peers to dial: this node follows the chain only from peers that dial it"},
		{"rpc with a static peer", node.ModeRPC, []string{static}, ""},
		{"signer of two without peers", node.ModeSigner, nil, "No peers to dial: a signer of a chain with other signers"},
	} {
		t.Run(c.name, func(t *testing.T) {
			warnings := captureWarnings(t)
			cfg := node.Defaults()
			cfg.Mode, cfg.DataDir, cfg.Genesis = c.mode, t.TempDir(), g
			cfg.P2P.Port, cfg.P2P.NoDiscover, cfg.P2P.StaticNodes = 0, true, c.static
			if c.mode == node.ModeSigner {
				cfg.Signer, cfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
			}
			startNode(t, cfg)
			if got := warnings.has("No peers to dial"); got != (c.want != "") {
				t.Fatalf("warned of no peers: have %v, want %v (warnings: %q)", got, c.want != "", warnings.all())
			}
			if c.want != "" && !warnings.has(c.want) || c.want != "" && !warnings.has("--staticnodes (TOML p2p.staticnodes)") {
				t.Errorf("warnings %q: want one containing %q and naming --staticnodes (TOML p2p.staticnodes)", warnings.all(), c.want)
			}
		})
	}
}
