package upstream

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
)

// healthRecheck is how often a node without /health/ready is asked again
// whether it has one (after an upgrade); a variable for the tests.
var healthRecheck = time.Minute

// maxHealthBody bounds the readiness answer read from a node.
const maxHealthBody = 64 << 10

// Head is a block as the pool tracks it.
type Head struct {
	Number uint64      `json:"number"`
	Hash   common.Hash `json:"hash"`
	Time   uint64      `json:"time"` // seconds since the Unix epoch
}

// health says whether a node serves /health/ready.
type health int

const (
	healthUnknown health = iota
	healthServed
	healthAbsent
)

// Status is a node's state as the last probe and calls left it.
type Status struct {
	URL       string `json:"url"`
	Ready     bool   `json:"ready"`
	Reason    string `json:"reason,omitempty"` // why the node is not ready
	Head      *Head  `json:"head,omitempty"`
	Finalized *Head  `json:"finalized,omitempty"`
	Lag       uint64 `json:"lag"`      // blocks behind the best node
	Health    string `json:"health"`   // "ready", "not ready", "absent" (no /health/ready), "unknown"
	ChainID   uint64 `json:"chainId"`  // 0 until known
	Probed    int64  `json:"probed"`   // unix ms of the last answered probe; 0 if none
	Failures  uint64 `json:"failures"` // failed attempts of calls since start
	Label     string `json:"-"`        // host:port, the metrics label
	down      bool   // taken out by a failed call until the next answered probe
	healthSt  health // whether /health/ready is served
	healthAt  time.Time
	healthOK  bool
	healthWhy string
}

// Node is one rpc node of the pool.
type Node struct {
	url    string
	label  string
	rpc    *rpc.Client  // calls, over at most MaxConns connections
	calls  *http.Client // rpc's HTTP client: for callers that post JSON-RPC themselves
	prober *rpc.Client  // probes, on a connection of their own: never queued behind calls
	http   *http.Client // for /health/ready

	mu     sync.RWMutex
	st     Status
	missed int // probes in a row without an answer
}

func newNode(rawURL string, maxConns int) (*Node, error) {
	t := newTransport()
	t.MaxConnsPerHost = maxConns
	calls := &http.Client{Transport: t}
	c, err := rpc.DialOptions(context.Background(), rawURL, rpc.WithHTTPClient(calls))
	if err != nil {
		return nil, fmt.Errorf("rpc node %s: %w", rawURL, err)
	}
	probe, err := rpc.DialOptions(context.Background(), rawURL, rpc.WithHTTPClient(&http.Client{Transport: newTransport()}))
	if err != nil {
		c.Close()
		return nil, fmt.Errorf("rpc node %s: %w", rawURL, err)
	}
	label := strings.TrimPrefix(strings.TrimPrefix(rawURL, "http://"), "https://")
	n := &Node{url: rawURL, label: label, rpc: c, calls: calls, prober: probe, http: &http.Client{Transport: newTransport()}}
	n.st = Status{URL: rawURL, Label: label, Reason: "not probed yet", Health: "unknown"}
	return n, nil
}

// newTransport is an HTTP transport that keeps enough idle connections for
// many concurrent calls to one node, and asks for answers uncompressed: the
// rpc nodes are on the gateway's network, and gzip cost the node about 5 %
// of its CPU in W6 (deflating receipts of a hundred logs and batches of
// calls) and the gateway the inflating (ADR 097).
func newTransport() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.DisableCompression = true
	t.MaxIdleConns = 1024
	t.MaxIdleConnsPerHost = 512
	t.IdleConnTimeout = 90 * time.Second
	return t
}

// URL returns the node's JSON-RPC URL.
func (n *Node) URL() string { return n.url }

// HTTPClient returns the HTTP client of the node's calls (its connections,
// at most MaxConns), for a caller that posts JSON-RPC to URL itself; nil if
// URL is not http or https.
func (n *Node) HTTPClient() *http.Client {
	if !strings.HasPrefix(n.url, "http://") && !strings.HasPrefix(n.url, "https://") {
		return nil
	}
	return n.calls
}

// RPC returns the node's JSON-RPC client.
func (n *Node) RPC() *rpc.Client { return n.rpc }

// Status returns a copy of the node's state.
func (n *Node) Status() Status {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.st
}

// Ready reports whether calls may go to the node.
func (n *Node) Ready() bool {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.st.Ready
}

// markDown takes the node out after a failed call until a probe answers.
func (n *Node) markDown(err error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.st.Failures++
	n.st.down = true
	n.st.Ready = false
	n.st.Reason = fmt.Sprintf("a call failed: %v", err)
}

// probeResult is what one probe of a node learned.
type probeResult struct {
	chainID   uint64
	head      *Head
	finalized *Head // nil if the node has no finalized block
	err       error
}

// rpcHeader is the part of a JSON-RPC block the pool reads.
type rpcHeader struct {
	Number hexutil.Uint64 `json:"number"`
	Hash   common.Hash    `json:"hash"`
	Time   hexutil.Uint64 `json:"timestamp"`
}

func (h *rpcHeader) head() *Head {
	if h == nil {
		return nil
	}
	return &Head{Number: uint64(h.Number), Hash: h.Hash, Time: uint64(h.Time)}
}

// probe asks the node for its chain id (until known), head and finalized block.
func (n *Node) probe(ctx context.Context) probeResult {
	var (
		id            hexutil.Uint64
		latest, final *rpcHeader
		batch         []rpc.BatchElem
		needID        = n.Status().ChainID == 0
	)
	if needID {
		batch = append(batch, rpc.BatchElem{Method: "eth_chainId", Result: &id})
	}
	batch = append(batch,
		rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &latest},
		rpc.BatchElem{Method: "eth_getBlockByNumber", Args: []any{"finalized", false}, Result: &final},
	)
	if err := n.prober.BatchCallContext(ctx, batch); err != nil {
		return probeResult{err: err}
	}
	for _, el := range batch {
		if el.Error != nil {
			return probeResult{err: fmt.Errorf("%s: %w", el.Method, el.Error)}
		}
	}
	if latest == nil {
		return probeResult{err: errors.New("the node has no latest block")}
	}
	res := probeResult{chainID: uint64(id), head: latest.head(), finalized: final.head()}
	if !needID {
		res.chainID = n.Status().ChainID
	}
	return res
}

// healthAnswer is the part of a citynode readiness answer the pool reads.
type healthAnswer struct {
	Status  string   `json:"status"`
	Reasons []string `json:"reasons"`
	Error   string   `json:"error"`
}

// probeHealth asks the node's /health/ready (on the JSON-RPC listener) with
// query, unless the node is known not to serve it; it records whether the
// node is ready by its own account.
func (n *Node) probeHealth(ctx context.Context, query string) {
	st := n.Status()
	if st.healthSt == healthAbsent && time.Since(st.healthAt) < healthRecheck {
		return
	}
	u := strings.TrimRight(n.url, "/") + "/health/ready"
	if query != "" {
		u += "?" + query
	}
	served, ok, why, slow := n.getHealth(ctx, u)
	n.mu.Lock()
	defer n.mu.Unlock()
	if slow {
		// No answer within the probe's time, after the JSON-RPC probe
		// answered: slow, not gone (as for calls, Pool.failed). The last
		// verdict stands; an overloaded gateway (10,000 connections in W5)
		// took its only node out this way and answered 503 to reads it
		// had cached.
		return
	}
	n.st.healthAt = time.Now()
	switch {
	case !served:
		n.st.healthSt, n.st.Health = healthAbsent, "absent"
	case ok:
		n.st.healthSt, n.st.Health, n.st.healthOK, n.st.healthWhy = healthServed, "ready", true, ""
	default:
		n.st.healthSt, n.st.Health, n.st.healthOK, n.st.healthWhy = healthServed, "not ready", false, why
	}
}

// getHealth fetches a readiness URL: served is false for a node without the
// endpoint (404, or an answer that is not citynode's JSON); slow is true when
// no answer came before ctx's deadline.
func (n *Node) getHealth(ctx context.Context, u string) (served, ok bool, why string, slow bool) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return false, false, "", false
	}
	resp, err := n.http.Do(req)
	if err != nil {
		return true, false, fmt.Sprintf("/health/ready: %v", err), errors.Is(err, context.DeadlineExceeded)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(io.LimitReader(resp.Body, maxHealthBody))
	var a healthAnswer
	if resp.StatusCode == http.StatusNotFound || json.Unmarshal(body, &a) != nil || a.Status == "" {
		return false, false, "", false
	}
	if resp.StatusCode == http.StatusOK && a.Status == "UP" {
		return true, true, "", false
	}
	why = fmt.Sprintf("/health/ready answers %d %s", resp.StatusCode, a.Status)
	if len(a.Reasons) > 0 {
		why += ": " + strings.Join(a.Reasons, "; ")
	}
	if a.Error != "" {
		why += ": " + a.Error
	}
	return true, false, why, false
}

// headerAt reads block number's header from the node.
func (n *Node) headerAt(ctx context.Context, number uint64) (*Head, error) {
	var h *rpcHeader
	if err := n.rpc.CallContext(ctx, &h, "eth_getBlockByNumber", hexutil.Uint64(number), false); err != nil {
		return nil, err
	}
	if h == nil {
		return nil, nil
	}
	return h.head(), nil
}
