// Package health answers the liveness and readiness probes of load
// balancers, orchestrators and monitoring: GET /health/live (the process
// serves HTTP) and GET /health/ready (the node is connected and current),
// with Besu's query parameters, each answering 200 or 503 with a JSON body
// that says why.
//
// A node is ready when it has at least minPeers peers, its head is at most
// maxBlocksBehind blocks below the best head a peer has shown, and (on a
// chain with a block period) its head is younger than maxHeadAge, by default
// DefaultAgePeriods periods: a node cut off from the network, or on a network
// that stalled, stops being ready.
package health

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
)

// Paths served by Handler.
const (
	LivePath  = "/health/live"
	ReadyPath = "/health/ready"
)

// Defaults of the readiness query parameters (Besu's for minPeers and
// maxBlocksBehind).
const (
	DefaultMinPeers        = 1
	DefaultMaxBlocksBehind = 2
	DefaultAgePeriods      = 3 // periods the head may age before the node is not ready
)

// Chain is the node's chain as the probe sees it.
type Chain interface {
	CurrentHeader() *types.Header
}

// Peers reports the connected peers' heads (block numbers).
type Peers interface {
	PeerHeads() []uint64
}

// Checker answers the probes for one node.
type Checker struct {
	chain  Chain
	peers  Peers // nil: a node without p2p, which has no peers
	period time.Duration
	now    func() time.Time
}

// New returns a checker; period is the chain's block period (0 for a chain
// that seals only on demand, whose head age is not checked).
func New(chain Chain, peers Peers, period time.Duration) *Checker {
	return &Checker{chain: chain, peers: peers, period: period, now: time.Now}
}

// Query holds the readiness thresholds.
type Query struct {
	MinPeers        int
	MaxBlocksBehind uint64
	MaxHeadAge      time.Duration // 0: DefaultAgePeriods periods; unchecked without a period
}

// Status is the body of a readiness answer.
type Status struct {
	Status          string   `json:"status"` // "UP" or "DOWN"
	Head            uint64   `json:"head"`
	HeadAge         string   `json:"headAge"`
	Peers           int      `json:"peers"`
	BestPeerHead    uint64   `json:"bestPeerHead"`
	MinPeers        int      `json:"minPeers"`
	MaxBlocksBehind uint64   `json:"maxBlocksBehind"`
	MaxHeadAge      string   `json:"maxHeadAge,omitempty"`
	Reasons         []string `json:"reasons,omitempty"` // why the node is not ready
}

// Up reports whether the status is ready.
func (s Status) Up() bool { return s.Status == "UP" }

// Ready checks the node against q.
func (c *Checker) Ready(q Query) Status {
	head := c.chain.CurrentHeader()
	age := c.now().Sub(time.Unix(int64(head.Time), 0)).Truncate(time.Second)
	s := Status{Head: head.Number.Uint64(), HeadAge: age.String(), MinPeers: q.MinPeers, MaxBlocksBehind: q.MaxBlocksBehind}
	var heads []uint64
	if c.peers != nil {
		heads = c.peers.PeerHeads()
	}
	s.Peers = len(heads)
	for _, h := range heads {
		s.BestPeerHead = max(s.BestPeerHead, h)
	}
	if s.Peers < q.MinPeers {
		s.Reasons = append(s.Reasons, fmt.Sprintf("peers: have %d, want at least %d", s.Peers, q.MinPeers))
	}
	if s.BestPeerHead > s.Head+q.MaxBlocksBehind {
		s.Reasons = append(s.Reasons, fmt.Sprintf("head %d is %d blocks behind the best peer's %d, want at most %d", s.Head, s.BestPeerHead-s.Head, s.BestPeerHead, q.MaxBlocksBehind))
	}
	if maxAge := c.maxAge(q); maxAge > 0 {
		s.MaxHeadAge = maxAge.String()
		if age > maxAge {
			s.Reasons = append(s.Reasons, fmt.Sprintf("head %d is %s old, want at most %s: no new block arrives (cut off, or the network stalled)", s.Head, age, maxAge))
		}
	}
	s.Status = "UP"
	if len(s.Reasons) > 0 {
		s.Status = "DOWN"
	}
	return s
}

// maxAge is the head age limit of q, 0 for none.
func (c *Checker) maxAge(q Query) time.Duration {
	switch {
	case q.MaxHeadAge > 0:
		return q.MaxHeadAge
	case c.period > 0:
		return DefaultAgePeriods * c.period
	}
	return 0
}

// Handler serves LivePath and ReadyPath. Readiness takes the query
// parameters minPeers, maxBlocksBehind (Besu's) and maxHeadAge (seconds); a
// malformed one is a 400 naming it.
func (c *Checker) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(LivePath, func(w http.ResponseWriter, r *http.Request) {
		reply(w, http.StatusOK, map[string]string{"status": "UP"})
	})
	mux.HandleFunc(ReadyPath, func(w http.ResponseWriter, r *http.Request) {
		q, err := ParseQuery(r)
		if err != nil {
			reply(w, http.StatusBadRequest, map[string]string{"status": "DOWN", "error": err.Error()})
			return
		}
		s := c.Ready(q)
		code := http.StatusOK
		if !s.Up() {
			code = http.StatusServiceUnavailable
		}
		reply(w, code, s)
	})
	return mux
}

// ParseQuery reads the readiness thresholds of a request, with defaults.
func ParseQuery(r *http.Request) (Query, error) {
	q := Query{MinPeers: DefaultMinPeers, MaxBlocksBehind: DefaultMaxBlocksBehind}
	v := r.URL.Query()
	if s := v.Get("minPeers"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			return q, fmt.Errorf("minPeers: have %q, want a whole number >= 0", s)
		}
		q.MinPeers = n
	}
	if s := v.Get("maxBlocksBehind"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return q, fmt.Errorf("maxBlocksBehind: have %q, want a whole number >= 0", s)
		}
		q.MaxBlocksBehind = n
	}
	if s := v.Get("maxHeadAge"); s != "" {
		n, err := strconv.ParseUint(s, 10, 32)
		if err != nil || n == 0 {
			return q, fmt.Errorf("maxHeadAge: have %q, want seconds > 0", s)
		}
		q.MaxHeadAge = time.Duration(n) * time.Second
	}
	return q, nil
}

func reply(w http.ResponseWriter, code int, body any) {
	data, _ := json.Marshal(body)
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	w.Write(append(data, '\n'))
}
