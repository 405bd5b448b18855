package upstream

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"
)

var (
	// ErrNoReady is returned if no node of the pool is ready.
	ErrNoReady = errors.New("no rpc node is ready")
	// ErrNoFinalized is returned for a read at the finalized block of a node
	// that has none yet.
	ErrNoFinalized = errors.New("the chain has no finalized block yet")
	// ErrBlockNotFound is returned for a read at a block the node does not have.
	ErrBlockNotFound = errors.New("block not found")
)

// Pool is the set of rpc nodes citygate reads from and sends to.
type Pool struct {
	cfg     Config
	nodes   []*Node
	next    atomic.Uint64 // round robin
	metrics *metrics
	final   *heads // headers of final blocks by number

	mu      sync.RWMutex
	best    uint64 // highest head among answering nodes
	chainID uint64 // the chain id all nodes must have

	changed chan struct{} // closed and replaced when a probe round ends
	quit    chan struct{}
	wg      sync.WaitGroup
}

// New returns a pool of the configured nodes; reg, if not nil, gets its metrics.
func New(cfg Config, reg prometheus.Registerer) (*Pool, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	p := &Pool{cfg: cfg, final: newHeads(), changed: make(chan struct{}), quit: make(chan struct{})}
	for _, u := range cfg.URLs {
		n, err := newNode(u, cfg.MaxConns)
		if err != nil {
			p.closeNodes()
			return nil, err
		}
		p.nodes = append(p.nodes, n)
	}
	p.metrics = newMetrics(reg, p)
	return p, nil
}

// Start probes every node once, then keeps probing in the background.
func (p *Pool) Start() error {
	p.probeAll()
	p.wg.Add(1)
	go p.loop()
	return nil
}

// Stop ends the probes and closes the connections.
func (p *Pool) Stop() error {
	close(p.quit)
	p.wg.Wait()
	p.closeNodes()
	return nil
}

func (p *Pool) closeNodes() {
	for _, n := range p.nodes {
		n.rpc.Close()
		n.prober.Close()
	}
}

func (p *Pool) loop() {
	defer p.wg.Done()
	t := time.NewTicker(p.cfg.ProbeInterval)
	defer t.Stop()
	for {
		select {
		case <-p.quit:
			return
		case <-t.C:
			p.probeAll()
		}
	}
}

// Nodes returns the nodes' states.
func (p *Pool) Nodes() []Status {
	out := make([]Status, len(p.nodes))
	for i, n := range p.nodes {
		out[i] = n.Status()
	}
	return out
}

// ChainID returns the chain id of the nodes, 0 until a node answered.
func (p *Pool) ChainID() uint64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.chainID
}

// Changed returns a channel closed at the end of the next probe round.
func (p *Pool) Changed() <-chan struct{} {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.changed
}

// Ready returns the number of ready nodes.
func (p *Pool) Ready() int {
	ready := 0
	for _, n := range p.nodes {
		if n.Ready() {
			ready++
		}
	}
	return ready
}

// Head returns the best head among the ready nodes, nil if none is ready.
func (p *Pool) Head() *Head {
	var best *Head
	for _, n := range p.nodes {
		st := n.Status()
		if st.Ready && st.Head != nil && (best == nil || st.Head.Number > best.Number) {
			best = st.Head
		}
	}
	return best
}

// probeAll probes every node at once, then decides which are ready.
func (p *Pool) probeAll() {
	timeout := min(4*p.cfg.ProbeInterval, 2*time.Second)
	timeout = max(timeout, p.cfg.CallTimeout/2)
	results := make([]probeResult, len(p.nodes))
	var wg sync.WaitGroup
	for i, n := range p.nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx, cancel := context.WithTimeout(context.Background(), timeout)
			defer cancel()
			results[i] = n.probe(ctx)
			if results[i].err == nil {
				n.probeHealth(ctx, p.cfg.HealthQuery)
			}
		}()
	}
	wg.Wait()
	p.decide(results)
	p.mu.Lock()
	close(p.changed)
	p.changed = make(chan struct{})
	p.mu.Unlock()
}

// decide applies a probe round: the chain id is the first one seen; a node
// is ready if it answered, is on that chain, reports itself ready (when it
// serves /health/ready) and is at most MaxLag blocks behind the best node.
func (p *Pool) decide(results []probeResult) {
	p.mu.Lock()
	var best uint64
	for _, r := range results {
		if r.err != nil {
			continue
		}
		if p.chainID == 0 {
			p.chainID = r.chainID
		}
		if r.chainID == p.chainID {
			best = max(best, r.head.Number)
		}
	}
	p.best = best
	chainID := p.chainID
	p.mu.Unlock()
	for i, n := range p.nodes {
		n.apply(results[i], chainID, best, p.cfg.MaxLag)
	}
	p.metrics.observe(p)
}

// probeMisses is how many probes in a row a ready node may leave without an
// answer in time before it is taken out; a probe that fails otherwise (the
// connection refused or reset, an error answer) takes it out at once.
const probeMisses = 3

// apply records a probe's result on the node and decides its readiness.
func (n *Node) apply(r probeResult, chainID, best, maxLag uint64) {
	n.mu.Lock()
	defer n.mu.Unlock()
	wasReady := n.st.Ready
	if r.err != nil {
		n.missed++
		if wasReady && !n.st.down && errors.Is(r.err, context.DeadlineExceeded) && n.missed < probeMisses {
			// Slow, not gone: an overloaded gateway (10,000 connections in
			// W5) or node misses a probe now and then; one miss took the
			// only node out and the gateway answered 503. A node that stays
			// silent for probeMisses rounds in a row is taken out.
			log.Debug("Rpc node missed a probe, kept", "url", n.url, "missed", n.missed, "err", r.err)
			return
		}
		n.st.Ready, n.st.Reason = false, fmt.Sprintf("probe failed: %v", r.err)
		if n.missed > 1 {
			n.st.Reason = fmt.Sprintf("%d probes in a row failed, the last: %v", n.missed, r.err)
		}
		if wasReady {
			log.Warn("Rpc node taken out", "url", n.url, "reason", n.st.Reason)
		}
		return
	}
	n.missed = 0
	n.st.down = false
	n.st.ChainID, n.st.Head, n.st.Finalized = r.chainID, r.head, r.finalized
	n.st.Probed = time.Now().UnixMilli()
	n.st.Lag = best - r.head.Number
	switch {
	case r.chainID != chainID:
		n.st.Ready, n.st.Reason = false, fmt.Sprintf("chain id %d, the other nodes have %d", r.chainID, chainID)
	case n.st.healthSt == healthServed && !n.st.healthOK:
		n.st.Ready, n.st.Reason = false, n.st.healthWhy
	case n.st.Lag > maxLag:
		n.st.Ready, n.st.Reason = false, fmt.Sprintf("head %d is %d blocks behind the best node's %d, want at most %d", r.head.Number, n.st.Lag, best, maxLag)
	default:
		n.st.Ready, n.st.Reason = true, ""
	}
	switch {
	case wasReady && !n.st.Ready:
		log.Warn("Rpc node taken out", "url", n.url, "reason", n.st.Reason)
	case !wasReady && n.st.Ready:
		log.Info("Rpc node ready", "url", n.url, "head", r.head.Number)
	}
}

// pick returns a ready node other than skip, round robin; nil if none.
func (p *Pool) pick(skip *Node) *Node {
	start := p.next.Add(1)
	for i := range uint64(len(p.nodes)) {
		n := p.nodes[(start+i)%uint64(len(p.nodes))]
		if n != skip && n.Ready() {
			return n
		}
	}
	return nil
}

// Do runs fn on a ready node, and once more on another ready node if the
// first attempt failed for a reason of the node (Failover). Each attempt is
// bounded by the configured call timeout.
func (p *Pool) Do(ctx context.Context, fn func(ctx context.Context, n *Node) error) error {
	return p.DoTimeout(ctx, p.cfg.CallTimeout, fn)
}

// DoTimeout is Do with each attempt bounded by timeout.
func (p *Pool) DoTimeout(ctx context.Context, timeout time.Duration, fn func(ctx context.Context, n *Node) error) error {
	first := p.pick(nil)
	if first == nil {
		return ErrNoReady
	}
	err := p.attempt(ctx, timeout, first, fn)
	if err == nil || ctx.Err() != nil || !Failover(err) {
		return err
	}
	p.failed(first, err)
	log.Debug("Rpc node failed a call, retrying on another", "url", first.url, "err", err)
	second := p.pick(first)
	if second == nil {
		if errors.Is(err, context.DeadlineExceeded) {
			return err // slow, not gone: the caller says it timed out
		}
		return fmt.Errorf("%w (%s failed: %v)", ErrNoReady, first.label, err)
	}
	p.metrics.retries.Inc()
	err = p.attempt(ctx, timeout, second, fn)
	if err != nil && ctx.Err() == nil && Failover(err) {
		p.failed(second, err)
	}
	return err
}

// failed records a call failed by node n. A connection that failed takes
// the node out until its next answered probe; a call that only ran out of
// time does not (an overloaded node is slow, not gone: the probes decide).
func (p *Pool) failed(n *Node, err error) {
	p.metrics.failures.WithLabelValues(n.label).Inc()
	if errors.Is(err, context.DeadlineExceeded) {
		return
	}
	n.markDown(err)
	p.metrics.ready.WithLabelValues(n.label).Set(0)
}

func (p *Pool) attempt(ctx context.Context, timeout time.Duration, n *Node, fn func(context.Context, *Node) error) error {
	actx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	return fn(actx, n)
}

// Failover reports whether err is a failure of the node rather than an
// answer: the connection failed or timed out, or the node answered HTTP 5xx
// or 429. A JSON-RPC error or a revert is an answer.
func Failover(err error) bool {
	if err == nil {
		return false
	}
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		return false
	}
	var herr rpc.HTTPError
	if errors.As(err, &herr) {
		return herr.StatusCode >= 500 || herr.StatusCode == 429
	}
	var nerr net.Error
	var uerr *url.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF),
		errors.Is(err, syscall.ECONNREFUSED), errors.Is(err, syscall.ECONNRESET), errors.Is(err, syscall.EPIPE),
		errors.As(err, &nerr), errors.As(err, &uerr), errors.Is(err, rpc.ErrClientQuit):
		return true
	}
	return false
}

// NodeByURL returns the node with the given URL, nil if none.
func (p *Pool) NodeByURL(u string) *Node {
	i := slices.IndexFunc(p.nodes, func(n *Node) bool { return n.url == u })
	if i < 0 {
		return nil
	}
	return p.nodes[i]
}
