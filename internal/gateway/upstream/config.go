package upstream

import (
	"errors"
	"fmt"
	"net/url"
	"time"
)

// Config is the pool's configuration.
type Config struct {
	URLs          []string      `toml:"rpc"`           // JSON-RPC URLs of the rpc nodes (http or https)
	MaxLag        uint64        `toml:"maxlag"`        // blocks a node may be behind the best node before it is taken out
	ProbeInterval time.Duration `toml:"probeinterval"` // time between probes of each node
	CallTimeout   time.Duration `toml:"calltimeout"`   // bound of one attempt of a call on one node
	HealthQuery   string        `toml:"healthquery"`   // query string of the nodes' /health/ready probe ("minPeers=1&maxBlocksBehind=2"); empty: the node's defaults
	MaxConns      int           `toml:"maxconns"`      // connections to each node at most: calls beyond wait for one (the node's load stays bounded)
}

// Defaults of the pool.
var Defaults = Config{
	URLs:          []string{"http://127.0.0.1:8545"},
	MaxLag:        4,
	ProbeInterval: 500 * time.Millisecond,
	CallTimeout:   5 * time.Second,
	MaxConns:      128,
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if len(c.URLs) == 0 {
		return errors.New("no rpc node: give at least one --rpc URL")
	}
	seen := map[string]bool{}
	for _, u := range c.URLs {
		p, err := url.Parse(u)
		if err != nil || (p.Scheme != "http" && p.Scheme != "https") || p.Host == "" {
			return fmt.Errorf("rpc node %q: want an http:// or https:// URL of a node's JSON-RPC endpoint", u)
		}
		if seen[u] {
			return fmt.Errorf("rpc node %q given twice", u)
		}
		seen[u] = true
	}
	if c.ProbeInterval < 10*time.Millisecond {
		return fmt.Errorf("invalid probe interval: have %v, want >= 10ms", c.ProbeInterval)
	}
	if c.CallTimeout < 10*time.Millisecond {
		return fmt.Errorf("invalid call timeout: have %v, want >= 10ms", c.CallTimeout)
	}
	if c.MaxConns < 1 {
		return fmt.Errorf("invalid connections per node: have %d, want >= 1", c.MaxConns)
	}
	if _, err := url.ParseQuery(c.HealthQuery); err != nil {
		return fmt.Errorf("invalid health query %q: %v (want minPeers=N&maxBlocksBehind=M)", c.HealthQuery, err)
	}
	return nil
}
