package faults

import (
	"context"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Scenario is one fault: Inject applies it and lifts it again, returning
// when the network is whole (partitions healed, killed nodes restarted).
type Scenario struct {
	Name   string
	Inject func(ctx context.Context, c *Cluster) error
	// MaxBlockP95, if set, is the most the block time p95 during the
	// fault may be (an rpc flood must not slow sealing).
	MaxBlockP95 time.Duration
}

// Result is the verdict on one scenario.
type Result struct {
	Scenario    string
	Fault       time.Duration // from injection to the network made whole
	RateBefore  float64       // transfers included per second before the fault
	RateDuring  float64       // and while it lasted
	Acked       int           // transfers the rpc node acknowledged
	Lost        []common.Hash // acknowledged but never included
	Reorg       uint64        // deepest reorg any node went through (blocks)
	ReorgNode   string
	Stall       time.Duration // longest time the network's best head did not move
	BlockP95    time.Duration // 95th percentile of the time between blocks during the fault
	MaxBlockP95 time.Duration // the scenario's bound on it, if any
	Recover     time.Duration // from the network made whole to all nodes agreeing on a new block
	Agree       bool          // all nodes on one chain at the end
	Violations  []string      // finality reverted or in conflict
	Notes       []string      // what the scenario observed (requests answered, errors logged)
	Err         error         // the scenario could not run to its end
}

// Timings of a run.
const (
	defaultBefore = 10 * time.Second // load alone, measured
	recoverMax    = 120 * time.Second
	includedMax   = 90 * time.Second
)

// Run measures the load before the fault, injects it, waits for the network
// to recover and every acknowledged transfer to be included, and judges.
func (c *Cluster) Run(ctx context.Context, s Scenario) Result {
	r := Result{Scenario: s.Name, MaxBlockP95: s.MaxBlockP95}
	load, err := c.StartLoad()
	if err != nil {
		r.Err = err
		return r
	}
	t0 := time.Now()
	time.Sleep(c.before()) // a measuring window: the load runs, nothing to await
	c.watch.reset()
	t1 := time.Now()
	if err := s.Inject(ctx, c); err != nil {
		r.Err = fmt.Errorf("inject: %w", err)
	}
	t2 := time.Now()
	r.Fault = t2.Sub(t1)
	r.BlockP95 = c.watch.blockP95(t1, t2)
	r.Notes = c.takeNotes()
	r.Recover, err = c.awaitAgreement(ctx, t2)
	if err != nil && r.Err == nil {
		r.Err = err
	}
	w := c.watch.read()
	r.Reorg, r.ReorgNode, r.Stall, r.Violations = w.reorg, w.reorgNode, w.stall, w.violations
	acked := load.Stop()
	r.Acked = len(acked)
	r.Lost = c.awaitIncluded(ctx, acked)
	if _, err := c.awaitAgreement(ctx, time.Now()); err == nil {
		r.Agree = true
	}
	r.RateBefore, r.RateDuring = c.rates(ctx, t0, t1, t2)
	return r
}

// awaitAgreement waits until every node's head is one block, above the best
// head at since, and returns how long after since that came.
func (c *Cluster) awaitAgreement(ctx context.Context, since time.Time) (time.Duration, error) {
	var mark uint64
	for _, h := range c.watch.heads() {
		if h != nil {
			mark = max(mark, h.Number.Uint64())
		}
	}
	deadline := time.Now().Add(recoverMax)
	for time.Now().Before(deadline) && ctx.Err() == nil {
		if ok, _ := c.agree(ctx, mark+1); ok {
			return time.Since(since), nil
		}
		time.Sleep(watchInterval)
	}
	_, why := c.agree(ctx, mark+1)
	return time.Since(since), fmt.Errorf("no agreement above block %d within %v: %s", mark, recoverMax, why)
}

// agree reports whether every node has the same block at the lowest of
// their heads, and that block is at least min.
func (c *Cluster) agree(ctx context.Context, min uint64) (bool, string) {
	low := ^uint64(0)
	clients := map[string]*ethclient.Client{}
	defer func() {
		for _, cl := range clients {
			cl.Close()
		}
	}()
	for _, n := range c.Net.Nodes {
		h, err := c.head(ctx, n)
		if err != nil {
			return false, fmt.Sprintf("%s: %v", n.Name, err)
		}
		low = minU(low, h.Number.Uint64())
		cl, err := ethclient.Dial(n.RPC)
		if err != nil {
			return false, err.Error()
		}
		clients[n.Name] = cl
	}
	if low < min {
		return false, fmt.Sprintf("lowest head %d", low)
	}
	var want common.Hash
	var differ []string
	for name, cl := range clients {
		h, err := cl.HeaderByNumber(ctx, new(big.Int).SetUint64(low))
		if err != nil {
			return false, fmt.Sprintf("%s: %v", name, err)
		}
		if want == (common.Hash{}) {
			want = h.Hash()
		} else if h.Hash() != want {
			differ = append(differ, name)
		}
	}
	if len(differ) > 0 {
		return false, fmt.Sprintf("block %d differs on %s", low, strings.Join(differ, ", "))
	}
	return true, ""
}

func minU(a, b uint64) uint64 {
	if a < b {
		return a
	}
	return b
}

// awaitIncluded waits (bounded) until every acknowledged transfer has a
// receipt on the rpc node, and returns those that never got one.
func (c *Cluster) awaitIncluded(ctx context.Context, acked []common.Hash) []common.Hash {
	n, _ := c.Net.Node("rpc1")
	cl, err := ethclient.Dial(n.RPC)
	if err != nil {
		return acked
	}
	defer cl.Close()
	pending := acked
	deadline := time.Now().Add(includedMax)
	for {
		var still []common.Hash
		for _, h := range pending {
			if r, err := cl.TransactionReceipt(ctx, h); err != nil || r == nil {
				still = append(still, h)
			}
		}
		pending = still
		if len(pending) == 0 || time.Now().After(deadline) || ctx.Err() != nil {
			return pending
		}
		time.Sleep(time.Second)
	}
}

// rates counts the transfers in the blocks of the final chain stamped
// in [t0, t1) and [t1, t2), per second.
func (c *Cluster) rates(ctx context.Context, t0, t1, t2 time.Time) (before, during float64) {
	n, _ := c.Net.Node("rpc1")
	cl, err := ethclient.Dial(n.RPC)
	if err != nil {
		return 0, 0
	}
	defer cl.Close()
	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		return 0, 0
	}
	var inBefore, inDuring int
	for num := head.Number.Uint64(); num > 0; num-- {
		b, err := cl.BlockByNumber(ctx, new(big.Int).SetUint64(num))
		if err != nil {
			break
		}
		at := time.Unix(int64(b.Time()), 0)
		switch {
		case at.Before(t0.Truncate(time.Second)):
			return perSecond(inBefore, t1.Sub(t0)), perSecond(inDuring, t2.Sub(t1))
		case at.Before(t1):
			inBefore += len(b.Transactions())
		case at.Before(t2):
			inDuring += len(b.Transactions())
		}
	}
	return perSecond(inBefore, t1.Sub(t0)), perSecond(inDuring, t2.Sub(t1))
}

func perSecond(n int, d time.Duration) float64 {
	if d <= 0 {
		return 0
	}
	return float64(n) / d.Seconds()
}

func (c *Cluster) before() time.Duration {
	if c.Before > 0 {
		return c.Before
	}
	return defaultBefore
}
