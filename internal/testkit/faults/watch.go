package faults

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/testkit/testnet"
)

const (
	watchInterval = 250 * time.Millisecond
	reorgWalk     = 256 // blocks a reorg is followed down
)

// Watcher polls every node's head and finalized block. It measures the
// deepest reorg a node went through, the longest time the best head of the
// network did not move, and every finality violation: a node's finalized
// block lower than one it reported before (restarts included), a block it
// reported finalized replaced, or two nodes with different finalized blocks
// at one height.
type Watcher struct {
	cancel context.CancelFunc
	done   sync.WaitGroup

	mu          sync.Mutex
	nodes       map[string]*nodeView
	final       map[uint64]common.Hash // finalized blocks, any node
	violations  []string
	best        uint64
	bestAt      time.Time
	stall       time.Duration // longest, since the last reset
	reorg       uint64        // deepest, since the last reset
	reorgedNode string
	advances    []advance // every move of the network's best head
}

// advance is the best head reaching a height.
type advance struct {
	height uint64
	at     time.Time
}

type nodeView struct {
	hashes   map[uint64]common.Hash // the node's canonical chain as last seen
	head     *types.Header
	final    *types.Header // highest finalized block the node reported
	polledAt time.Time
}

func newWatcher(c *Cluster) *Watcher {
	ctx, cancel := context.WithCancel(context.Background())
	w := &Watcher{cancel: cancel, nodes: map[string]*nodeView{}, final: map[uint64]common.Hash{}, bestAt: time.Now()}
	for _, n := range c.Net.Nodes {
		w.nodes[n.Name] = &nodeView{hashes: map[uint64]common.Hash{}}
		w.done.Add(1)
		go w.poll(ctx, n)
	}
	return w
}

func (w *Watcher) stop() {
	w.cancel()
	w.done.Wait()
}

func (w *Watcher) poll(ctx context.Context, n *testnet.Node) {
	defer w.done.Done()
	cl, err := ethclient.Dial(n.RPC) // HTTP: each call connects anew, across restarts
	if err != nil {
		w.violate(fmt.Sprintf("watcher of %s: %v", n.Name, err))
		return
	}
	defer cl.Close()
	t := time.NewTicker(watchInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		cctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		w.observe(cctx, n.Name, cl)
		cancel()
	}
}

// observe takes one look at a node; an unreachable node is skipped.
func (w *Watcher) observe(ctx context.Context, name string, cl *ethclient.Client) {
	head, err := cl.HeaderByNumber(ctx, nil)
	if err != nil {
		return
	}
	depth := w.follow(ctx, name, cl, head)
	final, err := cl.HeaderByNumber(ctx, big.NewInt(int64(rpc.FinalizedBlockNumber)))
	w.mu.Lock()
	defer w.mu.Unlock()
	v := w.nodes[name]
	v.head, v.polledAt = head, time.Now()
	if depth > w.reorg {
		w.reorg, w.reorgedNode = depth, name
	}
	if n := head.Number.Uint64(); n > w.best {
		now := time.Now()
		w.stall = max(w.stall, now.Sub(w.bestAt))
		w.advances = append(w.advances, advance{n, now})
		w.best, w.bestAt = n, now
	}
	if err == nil && final != nil {
		w.checkFinal(name, v, final)
	}
}

// follow records the node's chain up to head and returns how many blocks it
// had reported canonical were replaced (0: no reorg). A node that comes back
// lower after a kill has not reorganised unless its blocks change.
func (w *Watcher) follow(ctx context.Context, name string, cl *ethclient.Client, head *types.Header) uint64 {
	w.mu.Lock()
	v := w.nodes[name]
	var last uint64
	if v.head != nil {
		last = v.head.Number.Uint64()
	}
	w.mu.Unlock()
	top := head.Number.Uint64()
	hashes := map[uint64]common.Hash{}
	var replaced uint64
	for n := top; ; n-- {
		hash := head.Hash()
		if n != top {
			h, err := cl.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
			if err != nil {
				return 0 // the node went away: look again next time
			}
			hash = h.Hash()
		}
		w.mu.Lock()
		had, ok := v.hashes[n]
		w.mu.Unlock()
		hashes[n] = hash
		if ok && had == hash {
			break
		}
		if ok {
			replaced++
		}
		if (!ok && n <= last) || n == 0 || top-n >= reorgWalk {
			break
		}
	}
	w.mu.Lock()
	for k, h := range hashes {
		v.hashes[k] = h
	}
	w.mu.Unlock()
	return replaced
}

// checkFinal records a node's finalized block and any violation. w.mu held.
func (w *Watcher) checkFinal(name string, v *nodeView, final *types.Header) {
	n := final.Number.Uint64()
	if v.final != nil && n < v.final.Number.Uint64() {
		w.violations = append(w.violations, fmt.Sprintf("%s: finalized block went back from %d to %d", name, v.final.Number, n))
	}
	if had, ok := w.final[n]; ok && had != final.Hash() {
		w.violations = append(w.violations, fmt.Sprintf("%s: finalized block %d is %s, another node finalized %s", name, n, final.Hash(), had))
	}
	if v.final != nil && v.final.Number.Uint64() == n && v.final.Hash() != final.Hash() {
		w.violations = append(w.violations, fmt.Sprintf("%s: finalized block %d replaced", name, n))
	}
	w.final[n] = final.Hash()
	if v.final == nil || n >= v.final.Number.Uint64() {
		v.final = final
	}
}

func (w *Watcher) violate(msg string) {
	w.mu.Lock()
	w.violations = append(w.violations, msg)
	w.mu.Unlock()
}

// window is what the watcher measured since the last reset.
type window struct {
	reorg      uint64
	reorgNode  string
	stall      time.Duration
	violations []string
}

// reset starts a new measuring window.
func (w *Watcher) reset() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.reorg, w.reorgedNode, w.stall, w.bestAt = 0, "", 0, time.Now()
}

func (w *Watcher) read() window {
	w.mu.Lock()
	defer w.mu.Unlock()
	return window{
		reorg: w.reorg, reorgNode: w.reorgedNode,
		stall:      max(w.stall, time.Since(w.bestAt)),
		violations: append([]string(nil), w.violations...),
	}
}

// heads returns each node's last seen head and when it was seen.
func (w *Watcher) heads() map[string]*types.Header {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := map[string]*types.Header{}
	for name, v := range w.nodes {
		out[name] = v.head
	}
	return out
}

// blockP95 returns the 95th percentile of the time between blocks of the
// network's best head, over its moves in [from, to]: a move of k heights
// after a gap g counts as k blocks of g/k each. Its resolution is the
// watcher's (watchInterval).
func (w *Watcher) blockP95(from, to time.Time) time.Duration {
	w.mu.Lock()
	defer w.mu.Unlock()
	var gaps []time.Duration
	for i := 1; i < len(w.advances); i++ {
		a, prev := w.advances[i], w.advances[i-1]
		if a.at.Before(from) || a.at.After(to) {
			continue
		}
		k := a.height - prev.height
		for range k {
			gaps = append(gaps, a.at.Sub(prev.at)/time.Duration(k))
		}
	}
	if len(gaps) == 0 {
		return 0
	}
	slices.Sort(gaps)
	return gaps[(len(gaps)*95+99)/100-1]
}
