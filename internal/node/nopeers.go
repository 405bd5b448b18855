package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"
)

// warnNoPeers warns at start when the node dials no one (noPeersWarning);
// signers are those of the head block, as the engine reads them.
func (n *Node) warnNoPeers() {
	chain := n.eth.BlockChain()
	head := chain.CurrentBlock()
	var signers map[common.Address]struct{}
	if snap, err := n.engine.Snapshot(chain, head.Number.Uint64(), head.Hash(), nil); err == nil {
		signers = snap.Signers
	}
	if msg := noPeersWarning(n.cfg, signers); msg != "" {
		log.Warn(msg, "mode", n.cfg.Mode, "signers", len(signers), "staticnodes", len(n.cfg.P2P.StaticNodes), "bootnodes", len(n.cfg.P2P.Bootnodes), "nodiscover", n.cfg.P2P.NoDiscover)
	}
}

// noPeersWarning returns the warning a node started with cfg logs when it
// dials no one, signers being the head's (nil: not known), or "" when it
// has peers to dial or needs none. It is not a refusal: a node that dials no
// one still takes the peers that dial it (a signer in the others'
// --staticnodes, a node joined by admin_addPeer), and a dev chain or the one
// signer of a one-signer chain needs no peers. Otherwise such a node started
// without a word and followed or sealed nothing.
func noPeersWarning(cfg Config, signers map[common.Address]struct{}) string {
	sealing := cfg.Mode == ModeSigner && cfg.Signer != ""
	_, signs := signers[common.HexToAddress(cfg.Signer)]
	switch {
	case cfg.Mode == ModeDev, sealing && signs && len(signers) == 1:
		return ""
	case cfg.P2P.Addr == "":
		return "No devp2p listener (--p2p.addr empty): this node has no peers, so it receives no blocks and sends none; set --p2p.addr (TOML p2p.addr) to the interface peers reach"
	case len(cfg.P2P.StaticNodes) > 0 || discovery(cfg):
		return ""
	case len(cfg.P2P.Bootnodes) > 0:
		return "No peers to dial: --nodiscover turns discovery off, so the bootnodes are not used; list peers with --staticnodes (TOML p2p.staticnodes), or drop --nodiscover (p2p.nodiscover)"
	case sealing:
		return "No peers to dial: a signer of a chain with other signers seals at most one block before it needs their blocks, and only peers that dial this node reach it; list them with --staticnodes (TOML p2p.staticnodes) or give --bootnodes (p2p.bootnodes)"
	}
	return "No peers to dial: this node follows the chain only from peers that dial it; list them with --staticnodes (TOML p2p.staticnodes) or give --bootnodes (p2p.bootnodes) for discovery"
}
