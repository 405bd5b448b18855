package node

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestNoPeersWarning: a node that dials no one says so at start, naming the
// flags and TOML keys that give it peers, unless it needs none (a dev chain,
// the one signer of a one-signer chain). It is never a refusal.
func TestNoPeersWarning(t *testing.T) {
	const (
		a      = "0x00000000000000000000000000000000000000aa"
		b      = "0x00000000000000000000000000000000000000bb"
		static = "enode://a979fb575495b8d6db44f750317d0f4622bf4c2aa3365d6af7c284339968eef29b69ad0dce72a4d8db5ebb4968de0e3bec910127f134779fbcb0cb6d3331163c@10.0.0.2:30303"
	)
	one := map[common.Address]struct{}{common.HexToAddress(a): {}}
	two := map[common.Address]struct{}{common.HexToAddress(a): {}, common.HexToAddress(b): {}}
	with := func(mode, signer string, change func(*P2PConfig)) Config {
		cfg := Defaults()
		cfg.Mode, cfg.Signer = mode, signer
		if change != nil {
			change(&cfg.P2P)
		}
		return cfg
	}
	staticPeer := func(p *P2PConfig) { p.StaticNodes = []string{static} }
	bootnode := func(p *P2PConfig) { p.Bootnodes = []string{static} }
	for _, c := range []struct {
		name    string
		cfg     Config
		signers map[common.Address]struct{}
		want    []string // "" : no warning
	}{
		{"rpc, no peers", with(ModeRPC, "", nil), two, []string{"No peers to dial", "--staticnodes", "p2p.staticnodes", "--bootnodes", "p2p.bootnodes"}},
		{"auditor, no peers", with(ModeAuditor, "", nil), one, []string{"No peers to dial", "--staticnodes", "p2p.staticnodes"}},
		{"rpc, static peer", with(ModeRPC, "", staticPeer), two, nil},
		{"rpc, bootnode", with(ModeRPC, "", bootnode), two, nil},
		{"rpc, bootnode but no discovery", with(ModeRPC, "", func(p *P2PConfig) { bootnode(p); p.NoDiscover = true }), two, []string{"--nodiscover", "--staticnodes"}},
		{"rpc, no devp2p listener", with(ModeRPC, "", func(p *P2PConfig) { p.Addr = "" }), two, []string{"--p2p.addr", "p2p.addr"}},
		{"rpc, no listener but a static peer", with(ModeRPC, "", func(p *P2PConfig) { p.Addr = ""; staticPeer(p) }), two, []string{"--p2p.addr"}},
		{"signer of two, no peers", with(ModeSigner, a, nil), two, []string{"a signer of a chain with other signers", "--staticnodes", "p2p.staticnodes"}},
		{"signer of two, static peer", with(ModeSigner, a, staticPeer), two, nil},
		{"the one signer", with(ModeSigner, a, nil), one, nil},
		{"the one signer, no listener", with(ModeSigner, a, func(p *P2PConfig) { p.Addr = "" }), one, nil},
		{"a signer not yet voted in", with(ModeSigner, b, nil), one, []string{"a signer of a chain with other signers"}},
		{"signers not known", with(ModeSigner, a, nil), nil, []string{"No peers to dial"}},
		{"signer mode without a signer follows", with(ModeSigner, "", nil), one, []string{"follows the chain only from peers that dial it"}},
		{"dev", with(ModeDev, a, func(p *P2PConfig) { p.Addr = "" }), one, nil},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := noPeersWarning(c.cfg, c.signers)
			if (got == "") != (c.want == nil) {
				t.Fatalf("have %q, want a warning: %v", got, c.want != nil)
			}
			for _, w := range c.want {
				if !strings.Contains(got, w) {
					t.Errorf("have %q, want it to contain %q", got, w)
				}
			}
		})
	}
}
