package node

import (
	"context"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/internal/node/historygap"
	"github.com/citychain/citychain/internal/node/join"
	"github.com/citychain/citychain/internal/node/peertap"
)

// joiner is the join driver (ADR 084) with the taps it sends over; nil on a
// node that joins with go-ethereum's downloader.
type joiner struct {
	driver    *join.Driver
	eth, snap *peertap.Tap
	stop      context.CancelFunc
	done      chan struct{}
}

// Start implements node.Lifecycle: once the node has joined (now, or in an
// earlier run), the history below the pivot is backfilled in the
// background (ADR 084 point 3).
func (j *joiner) Start() error {
	ctx, cancel := context.WithCancel(context.Background())
	j.stop, j.done = cancel, make(chan struct{})
	go func() {
		defer close(j.done)
		tick := time.NewTicker(time.Second)
		defer tick.Stop()
		for j.driver.Fresh() {
			select {
			case <-ctx.Done():
				return
			case <-tick.C:
			}
		}
		if err := j.driver.Backfill(ctx); err != nil && ctx.Err() == nil {
			log.Warn("History backfill stopped", "err", err)
		}
	}()
	return nil
}

// Stop implements node.Lifecycle.
func (j *joiner) Stop() error {
	j.stop()
	<-j.done
	return nil
}

// backfillGauges registers citychain_backfill_lowest_block and
// citychain_backfill_remaining_blocks.
func (j *joiner) backfillGauges(reg prometheus.Registerer) {
	lowest := func() float64 {
		n, _ := j.driver.Backfilled()
		return float64(n)
	}
	reg.MustRegister(
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "citychain_backfill_lowest_block", Help: "Lowest block whose body and receipts a node that joined by the join driver stores (every block above it has them; 1 once backfilled; 0 before the join)"}, lowest),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{Name: "citychain_backfill_remaining_blocks", Help: "Blocks below the join pivot whose bodies and receipts are not backfilled yet"}, func() float64 { return max(lowest()-1, 0) }),
	)
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
	j := &joiner{eth: peertap.NewEth(), snap: peertap.NewSnap()}
	j.driver = join.New(join.Config{Chain: chain, DB: n.eth.ChainDb(), Engine: n.engine, ForkChoice: n.fc, Eth: j.eth, Snap: j.snap})
	n.join = j
	n.stack.RegisterLifecycle(j)
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

// history is what the history guard (internal/node/historygap) reads: the
// backfill's lowest block and stored headers' numbers. Calls over HTTP and
// WebSocket pass the guard (ADR 084, amendments 3 and 4).
func (j *joiner) history(db ethdb.KeyValueReader) historygap.Source {
	return joinHistory{j.driver, db}
}

type joinHistory struct {
	driver *join.Driver
	db     ethdb.KeyValueReader
}

func (h joinHistory) Lowest() (uint64, bool) { return h.driver.Backfilled() }

func (h joinHistory) NumberOf(hash common.Hash) (uint64, bool) {
	return rawdb.ReadHeaderNumber(h.db, hash)
}
