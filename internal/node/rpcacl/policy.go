// Package rpcacl enforces per-method allow and deny lists on the public
// JSON-RPC listener (--http.rpc-allow, --http.rpc-deny; ADR 067).
//
// Every request, over HTTP or WebSocket, single or batch, is parsed with
// encoding/json and written again from what was parsed, so that go-ethereum's
// server (and citynode's fast paths in front of it) reads exactly the methods
// that were checked: no difference between two JSON parsers can smuggle a
// method past the lists. A refused call is replaced, in place, by a call to
// Method, which answers it with a -32601 error naming the flag; the other
// calls of a batch are answered as usual.
package rpcacl

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/prometheus/client_golang/prometheus"
)

// Flags named in refusals.
const (
	AllowFlag = "--http.rpc-allow"
	DenyFlag  = "--http.rpc-deny"
)

// pattern is a method name (eth_call) or a namespace (eth_*).
var pattern = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*_([a-zA-Z][a-zA-Z0-9]*|\*)$`)

// maxLabels bounds the method label of the refusal metric: with an allow
// list every unknown name is refused, and a client must not create series at will.
const maxLabels = 128

// otherLabel counts refusals beyond maxLabels distinct methods.
const otherLabel = "other"

// Policy is the allow and deny lists of one listener.
type Policy struct {
	allow, deny []string

	refused *prometheus.CounterVec
	mu      sync.Mutex
	labels  map[string]bool
}

// New checks the lists and returns their policy, or nil when both are empty
// (every method the namespaces of --http.api hold is served).
func New(allow, deny []string) (*Policy, error) {
	if len(allow) == 0 && len(deny) == 0 {
		return nil, nil
	}
	for _, l := range []struct {
		flag string
		list []string
	}{{AllowFlag, allow}, {DenyFlag, deny}} {
		for _, p := range l.list {
			if !pattern.MatchString(p) {
				return nil, fmt.Errorf("invalid %s entry %q: want a method name such as eth_sendRawTransaction or a namespace such as debug_*", l.flag, p)
			}
		}
	}
	return &Policy{
		allow: slices.Clone(allow),
		deny:  slices.Clone(deny),
		refused: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "citychain_rpc_refused_total",
			Help: "JSON-RPC calls refused by --http.rpc-allow or --http.rpc-deny, by method (after " + fmt.Sprint(maxLabels) + " distinct methods, \"other\").",
		}, []string{"method"}),
		labels: make(map[string]bool),
	}, nil
}

// Register adds the refusal counter to reg.
func (p *Policy) Register(reg prometheus.Registerer) { reg.MustRegister(p.refused) }

// Check returns the flag that refuses method, or "" if it is served. Deny
// wins over allow; with an allow list, a method it does not name is refused.
func (p *Policy) Check(method string) string {
	if matches(p.deny, method) {
		return DenyFlag
	}
	if len(p.allow) > 0 && !matches(p.allow, method) {
		return AllowFlag
	}
	return ""
}

func matches(list []string, method string) bool {
	for _, p := range list {
		if ns, ok := strings.CutSuffix(p, "_*"); ok {
			if strings.HasPrefix(method, ns+"_") {
				return true
			}
		} else if p == method {
			return true
		}
	}
	return false
}

// count records one refusal of method.
func (p *Policy) count(method string) {
	p.mu.Lock()
	label := method
	if !p.labels[method] {
		if len(p.labels) < maxLabels && pattern.MatchString(method) {
			p.labels[method] = true
		} else {
			label = otherLabel
		}
	}
	p.mu.Unlock()
	p.refused.WithLabelValues(label).Inc()
}
