package node

import (
	"context"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/internal/node/join"
	"github.com/citychain/citychain/internal/node/peertap"
)

// joiner is the join driver (ADR 084) with the taps it sends over; nil on a
// node that joins with go-ethereum's downloader.
type joiner struct {
	driver    *join.Driver
	eth, snap *peertap.Tap
}

// setupJoin builds the join driver for --sync.pivot finalized. On a chain
// that schedules Amsterdam the driver is not used: it speaks snap/1, whose
// healing asks for trie nodes that snap/2 peers do not serve.
func (n *Node) setupJoin() {
	if !n.cfg.joinDriver() || n.cfg.P2P.Addr == "" {
		return
	}
	chain := n.eth.BlockChain()
	if chain.Config().AmsterdamTime != nil {
		log.Warn("--sync.pivot finalized ignored: this chain schedules Amsterdam, and the join driver speaks snap/1 only; joining with go-ethereum's downloader (pivot at head-64)")
		return
	}
	j := &joiner{eth: peertap.New(peertap.EthAnswers...), snap: peertap.New(peertap.SnapAnswers...)}
	j.driver = join.New(join.Config{Chain: chain, DB: n.eth.ChainDb(), Engine: n.engine, ForkChoice: n.fc, Eth: j.eth, Snap: j.snap})
	n.join = j
	log.Info("Joining by the join driver: state at the finalized block (--sync.pivot finalized, ADR 084)")
}

// hook is the follower's Join hook: the driver, for a node without state
// above genesis; nil without a driver.
func (j *joiner) hook() func(ctx context.Context, peer enode.ID, hash common.Hash, number uint64) (bool, error) {
	if j == nil {
		return nil
	}
	return func(ctx context.Context, peer enode.ID, hash common.Hash, number uint64) (bool, error) {
		if !j.driver.Fresh() {
			return false, nil
		}
		return true, j.driver.Join(ctx, peer, hash, number)
	}
}

// wrap taps the eth and snap/1 protocols and leaves snap/2 out, so that
// every snap connection runs the version the driver's syncer speaks (a
// citynode serves both; devp2p would pick snap/2).
func (j *joiner) wrap(protos []p2p.Protocol) []p2p.Protocol {
	if j == nil {
		return protos
	}
	out := make([]p2p.Protocol, 0, len(protos))
	for _, p := range protos {
		switch {
		case p.Name == eth.ProtocolName:
			p = j.eth.Wrap(p)
		case p.Name == snap.ProtocolName && p.Version != snap.SNAP1:
			continue
		case p.Name == snap.ProtocolName:
			p = j.snap.Wrap(p)
		}
		out = append(out, p)
	}
	return out
}
