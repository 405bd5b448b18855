package metrics

import (
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promauto"

	"github.com/citychain/citychain/consensus/clique"
)

const (
	ringSize      = 256 // canonical blocks remembered for the window gauges and reorg handling
	windowPerTurn = 4   // the window is this many turns of every signer: 4 x SIGNER_COUNT blocks
	eventBuffer   = 1024
)

// Chain is the chain the clique collector reads. *core.BlockChain satisfies it.
type Chain interface {
	consensus.ChainHeaderReader
	CurrentBlock() *types.Header
	SubscribeChainEvent(ch chan<- core.ChainEvent) event.Subscription
}

// Engine is the Clique engine as the collector reads it. *clique.Engine
// satisfies it.
type Engine interface {
	Author(header *types.Header) (common.Address, error)
	Snapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*clique.Snapshot, error)
	Proposals() map[common.Address]bool
}

// Finality reports the finalized block. *forkchoice.ForkChoice satisfies it.
type Finality interface {
	Finalized() *types.Header
}

// block is what the collector remembers of one canonical block.
type block struct {
	number uint64
	hash   common.Hash
	signer common.Address // who sealed it
	inturn common.Address // whose turn it was
}

// Clique counts blocks by signer and turn as they become canonical, and
// reports the signer set, votes, head age and finality at scrape time. It is
// a node.Lifecycle (the chain subscription) and a prometheus.Collector (the
// scrape-time gauges).
//
// A missed turn of signer S is a canonical block at a height where S was in
// turn that another signer sealed out of turn. Counters count the blocks this
// node saw become canonical since it started, including blocks it caught up
// on, and a block replaced by a reorganisation stays counted; the window
// gauges look at the current canonical chain only, so they survive restarts
// and reorganisations.
type Clique struct {
	chain    Chain
	engine   Engine
	finality Finality // nil: no finalized block reported
	period   uint64   // seconds between blocks

	blocks *prometheus.CounterVec // signer, turn
	missed *prometheus.CounterVec // signer

	signers, active, quorum, votes, proposals, headAge, head, final, lag, periodDesc, missedWindow *prometheus.Desc

	mu   sync.Mutex
	ring [ringSize]block // canonical blocks by number % ringSize

	sub  event.Subscription
	quit chan struct{}
	wg   sync.WaitGroup
}

// NewClique returns the clique collector of chain and registers it, with its
// counters, in reg. period is the chain's block period in seconds.
func NewClique(reg prometheus.Registerer, chain Chain, engine Engine, finality Finality, period uint64) *Clique {
	f := promauto.With(reg)
	c := &Clique{
		chain: chain, engine: engine, finality: finality, period: period,
		blocks: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citychain_clique_blocks_sealed_total",
			Help: "Canonical blocks seen, by signer and turn (in: sealed in turn, difficulty 2; out: out of turn).",
		}, []string{"signer", "turn"}),
		missed: f.NewCounterVec(prometheus.CounterOpts{
			Name: "citychain_clique_missed_turns_total",
			Help: "Canonical blocks seen at a height where the signer was in turn but another signer sealed out of turn.",
		}, []string{"signer"}),
		signers:      prometheus.NewDesc("citychain_clique_signers", "Authorized signers at the head.", nil, nil),
		active:       prometheus.NewDesc("citychain_clique_signers_active", "Authorized signers that sealed a canonical block in the window (the last 4 x signers blocks).", nil, nil),
		quorum:       prometheus.NewDesc("citychain_clique_signers_quorum", "Signers that must be online for sealing to go on: floor(signers/2)+1 (EIP-225 SIGNER_LIMIT).", nil, nil),
		votes:        prometheus.NewDesc("citychain_clique_votes_pending", "Votes cast in blocks since the last epoch checkpoint on proposals not yet passed.", nil, nil),
		proposals:    prometheus.NewDesc("citychain_clique_proposals", "This node's own proposals (clique_propose) that its sealed blocks vote on.", nil, nil),
		headAge:      prometheus.NewDesc("citychain_clique_head_age_seconds", "Seconds since the time of the head block.", nil, nil),
		head:         prometheus.NewDesc("citychain_chain_head_block", "Number of the head block.", nil, nil),
		final:        prometheus.NewDesc("citychain_chain_finalized_block", "Number of the finalized block.", nil, nil),
		lag:          prometheus.NewDesc("citychain_clique_finalized_lag_blocks", "Blocks between the head and the finalized block.", nil, nil),
		periodDesc:   prometheus.NewDesc("citychain_clique_period_seconds", "Block period of the chain (0: blocks only when transactions are pending).", nil, nil),
		missedWindow: prometheus.NewDesc("citychain_clique_missed_turns_window", "Missed turns of each authorized signer in the window (the last 4 x signers canonical blocks).", []string{"signer"}, nil),
		quit:         make(chan struct{}),
	}
	reg.MustRegister(c)
	return c
}

// Start implements node.Lifecycle: it reads the recent canonical blocks into
// the window and follows new ones.
func (c *Clique) Start() error {
	head := c.chain.CurrentBlock()
	c.mu.Lock()
	from := uint64(1)
	if n := head.Number.Uint64(); n > ringSize {
		from = n - ringSize + 1
	}
	for n := from; n <= head.Number.Uint64(); n++ {
		if h := c.chain.GetHeaderByNumber(n); h != nil {
			if b, ok := c.describe(h); ok {
				c.ring[n%ringSize] = b
			}
		}
	}
	c.mu.Unlock()

	events := make(chan core.ChainEvent, eventBuffer)
	c.sub = c.chain.SubscribeChainEvent(events)
	c.wg.Add(1)
	go c.loop(events)
	return nil
}

// Stop implements node.Lifecycle.
func (c *Clique) Stop() error {
	close(c.quit)
	c.wg.Wait()
	return nil
}

func (c *Clique) loop(events chan core.ChainEvent) {
	defer c.wg.Done()
	defer c.sub.Unsubscribe()
	for {
		select {
		case ev := <-events:
			c.observe(ev.Header)
		case <-c.sub.Err():
			return
		case <-c.quit:
			return
		}
	}
}

// observe counts a new canonical head and any canonical blocks below it that
// were not counted yet (a reorganisation sends one event for its new head).
func (c *Clique) observe(head *types.Header) {
	c.mu.Lock()
	defer c.mu.Unlock()
	var fresh []*types.Header
	for h := head; h != nil && h.Number.Sign() > 0 && len(fresh) < ringSize; {
		n := h.Number.Uint64()
		if c.ring[n%ringSize].number == n && c.ring[n%ringSize].hash == h.Hash() {
			break // counted already
		}
		fresh = append(fresh, h)
		h = c.chain.GetHeader(h.ParentHash, n-1)
	}
	for i := len(fresh) - 1; i >= 0; i-- {
		b, ok := c.describe(fresh[i])
		if !ok {
			continue
		}
		c.ring[b.number%ringSize] = b
		if b.signer == b.inturn {
			c.blocks.WithLabelValues(b.signer.Hex(), "in").Inc()
		} else {
			c.blocks.WithLabelValues(b.signer.Hex(), "out").Inc()
			c.missed.WithLabelValues(b.inturn.Hex()).Inc()
		}
	}
}

// describe returns who sealed a block and whose turn it was.
func (c *Clique) describe(h *types.Header) (block, bool) {
	n := h.Number.Uint64()
	signer, err := c.engine.Author(h)
	if err != nil {
		log.Debug("Metrics skip a block without a valid seal", "number", n, "err", err)
		return block{}, false
	}
	snap, err := c.engine.Snapshot(c.chain, n-1, h.ParentHash, nil)
	if err != nil {
		log.Debug("Metrics skip a block without a snapshot", "number", n, "err", err)
		return block{}, false
	}
	inturn, ok := snap.InTurnSigner(n)
	if !ok {
		return block{}, false
	}
	return block{number: n, hash: h.Hash(), signer: signer, inturn: inturn}, true
}

// Describe implements prometheus.Collector.
func (c *Clique) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{c.signers, c.active, c.quorum, c.votes, c.proposals, c.headAge, c.head, c.final, c.lag, c.periodDesc, c.missedWindow} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Clique) Collect(ch chan<- prometheus.Metric) {
	gauge := func(d *prometheus.Desc, v float64, labels ...string) {
		ch <- prometheus.MustNewConstMetric(d, prometheus.GaugeValue, v, labels...)
	}
	head := c.chain.CurrentBlock()
	number := head.Number.Uint64()
	gauge(c.head, float64(number))
	gauge(c.periodDesc, float64(c.period))
	gauge(c.headAge, time.Since(time.Unix(int64(head.Time), 0)).Seconds())
	gauge(c.proposals, float64(len(c.engine.Proposals())))
	if c.finality != nil {
		final := c.finality.Finalized().Number.Uint64()
		gauge(c.final, float64(final))
		gauge(c.lag, float64(number-min(final, number)))
	}
	snap, err := c.engine.Snapshot(c.chain, number, head.Hash(), nil)
	if err != nil {
		log.Warn("Metrics cannot read the voting snapshot at the head", "number", number, "err", err)
		return
	}
	gauge(c.signers, float64(len(snap.Signers)))
	gauge(c.quorum, float64(snap.Limit()))
	gauge(c.votes, float64(len(snap.Votes)))

	missed, active := c.window(head, snap)
	gauge(c.active, float64(len(active)))
	for signer := range snap.Signers {
		gauge(c.missedWindow, float64(missed[signer]), signer.Hex())
	}
}

// window returns, over the last windowPerTurn x SIGNER_COUNT canonical
// blocks up to head, the missed turns per signer and the authorized signers
// that sealed.
func (c *Clique) window(head *types.Header, snap *clique.Snapshot) (map[common.Address]int, map[common.Address]bool) {
	size := min(uint64(windowPerTurn*len(snap.Signers)), ringSize)
	missed := make(map[common.Address]int)
	active := make(map[common.Address]bool)
	c.mu.Lock()
	defer c.mu.Unlock()
	for n := head.Number.Uint64(); n > 0 && size > 0; n, size = n-1, size-1 {
		b := c.ring[n%ringSize]
		if b.number != n {
			continue // not seen (yet)
		}
		if _, ok := snap.Signers[b.signer]; ok {
			active[b.signer] = true
		}
		if b.signer != b.inturn {
			missed[b.inturn]++
		}
	}
	return missed, active
}
