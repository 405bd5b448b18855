package node

import (
	"time"

	"github.com/ethereum/go-ethereum/common/fdlimit"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/node/gossip"
	"github.com/citychain/citychain/internal/node/health"
)

// p2pConfig returns geth's devp2p configuration: static peers, the NAT
// mechanism (none by default: consortium members list each other's
// addresses), and discovery only when bootnodes are given.
func p2pConfig(cfg Config) p2p.Config {
	natm, _ := parseNAT(cfg.P2P.NAT) // validated
	c := p2p.Config{
		MaxPeers:    cfg.P2P.MaxPeers,
		NoDiscovery: !discovery(cfg),
		DiscoveryV4: discovery(cfg),
		NAT:         natm,
	}
	for _, url := range cfg.P2P.StaticNodes {
		c.StaticNodes = append(c.StaticNodes, enode.MustParse(url)) // validated
	}
	for _, url := range cfg.P2P.Bootnodes {
		c.BootstrapNodes = append(c.BootstrapNodes, enode.MustParse(url)) // validated
	}
	return c
}

// discovery reports whether the node runs peer discovery: only with
// bootnodes, and not with --nodiscover. A consortium's members know each
// other (static peers); discovery would only add strangers the allowlist
// turns away.
func discovery(cfg Config) bool {
	return len(cfg.P2P.Bootnodes) > 0 && !cfg.P2P.NoDiscover
}

// warnLoopbackPeers warns when devp2p listens on loopback while a static
// peer or bootnode is elsewhere: those peers can never connect back.
func warnLoopbackPeers(cfg Config) {
	for _, url := range append(append([]string{}, cfg.P2P.StaticNodes...), cfg.P2P.Bootnodes...) {
		n, err := enode.ParseV4(url)
		if err != nil {
			continue
		}
		if n.Hostname() != "" || (n.IP() != nil && !n.IP().IsLoopback()) {
			host := n.Hostname()
			if host == "" {
				host = n.IP().String()
			}
			log.Warn("devp2p listens on loopback but a peer is remote: it cannot connect to this node; set --p2p.addr to the interface peers reach", "p2p.addr", cfg.P2P.Addr, "peer", host)
			return
		}
	}
}

// databaseHandles returns the file handles the chain database may keep
// open: half of what the process may open, after raising its soft limit to
// the hard one (the rest is for peers, RPC clients and the freezer). On
// failure pebble's minimum applies.
func databaseHandles() int {
	limit, err := fdlimit.Maximum()
	if err != nil {
		log.Warn("Failed to read the file descriptor limit, the database gets few handles", "err", err)
		return 0
	}
	raised, err := fdlimit.Raise(uint64(limit))
	if err != nil {
		log.Warn("Failed to raise the file descriptor limit, the database gets few handles", "err", err)
		return 0
	}
	return int(raised / 2)
}

// peerHeads adapts block gossip to health.Peers.
type peerHeads struct{ svc *gossip.Service }

// PeerHeads implements health.Peers.
func (p peerHeads) PeerHeads() []uint64 {
	peers := p.svc.Peers()
	heads := make([]uint64, len(peers))
	for i, peer := range peers {
		heads[i] = peer.Number
	}
	return heads
}

// setupHealth serves the health probes on the metrics listener and on the
// JSON-RPC one (under /health/, beside JSON-RPC at /).
func (n *Node) setupHealth() {
	var peers health.Peers
	if n.gossip != nil {
		peers = peerHeads{n.gossip}
	}
	period := time.Duration(n.eth.BlockChain().Config().Clique.Period) * time.Second
	n.health = health.New(n.eth.BlockChain(), peers, period)
	h := n.health.Handler()
	if n.metrics != nil {
		n.metrics.Handle("/health/", h)
	}
	if n.cfg.HTTP.Enabled {
		n.stack.RegisterHandler("health probes", "/health/", h)
	}
}

// Health returns the node's health checker.
func (n *Node) Health() *health.Checker { return n.health }
