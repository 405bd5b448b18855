package api

import (
	"fmt"
	"net/netip"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Config is the API's configuration.
type Config struct {
	CORS           []string      `toml:"cors"`           // origins allowed to call the API from a browser ("*" for any); none: same origin only
	MaxBody        int64         `toml:"maxbody"`        // largest request body, bytes (a ballot is about 2 KiB)
	MaxBatchBody   int64         `toml:"maxbatchbody"`   // largest body of a batch verification (it may carry a whole batch file)
	Timeout        time.Duration `toml:"timeout"`        // longest time to answer a request (not the event stream)
	RateLimit      float64       `toml:"ratelimit"`      // requests per second per client; 0: no limit
	RateBurst      int           `toml:"rateburst"`      // requests a client may send at once above the rate
	TrustedProxies []string      `toml:"trustedproxies"` // addresses or CIDRs of balancers whose X-Forwarded-For names the client
	CacheBytes     uint64        `toml:"cachebytes"`     // bytes of answers kept, per request and block hash
	MaxAge         time.Duration `toml:"maxage"`         // Cache-Control max-age of answers at the finalized block
	Stale          time.Duration `toml:"stale"`          // at the finalized block, an answer of a final block at most this older is given while a fresh one is read; 0: never
	Outage         time.Duration `toml:"outage"`         // when no rpc node answers, a read at the finalized block gets the newest cached answer of a final block at most this old (by its block's time); 0: never, 503
	ChainRPC       []string      `toml:"chainrpc"`       // CHAINID=URL: a node of an external chain registered in Anchors, whose receipts the API proves
}

// Defaults of the API.
var Defaults = Config{
	MaxBody:      64 << 10,
	MaxBatchBody: 8 << 20,
	Timeout:      30 * time.Second,
	RateLimit:    50,
	RateBurst:    100,
	CacheBytes:   128 << 20,
	MaxAge:       time.Second,
	Stale:        3 * time.Second,
	Outage:       5 * time.Minute,
}

// Validate checks the configuration.
func (c *Config) Validate() error {
	switch {
	case c.MaxBody < 1024:
		return fmt.Errorf("invalid body limit: have %d bytes, want >= 1024", c.MaxBody)
	case c.MaxBatchBody < c.MaxBody:
		return fmt.Errorf("invalid batch body limit: have %d bytes, want >= the body limit %d", c.MaxBatchBody, c.MaxBody)
	case c.Timeout < 100*time.Millisecond:
		return fmt.Errorf("invalid request timeout: have %v, want >= 100ms", c.Timeout)
	case c.RateLimit < 0 || (c.RateLimit > 0 && c.RateBurst < 1):
		return fmt.Errorf("invalid rate limit: have %v/s with burst %d, want >= 0 (0: none) with burst >= 1", c.RateLimit, c.RateBurst)
	case c.MaxAge < 0 || c.Stale < 0 || c.Outage < 0:
		return fmt.Errorf("invalid max-age %v, stale %v or outage %v: want >= 0", c.MaxAge, c.Stale, c.Outage)
	}
	if _, err := chainNodes(c.ChainRPC); err != nil {
		return err
	}
	_, err := parsePrefixes(c.TrustedProxies)
	return err
}

// chainNodes reads the CHAINID=URL entries of external chains' nodes.
func chainNodes(list []string) (map[uint64]string, error) {
	out := map[uint64]string{}
	for _, s := range list {
		id, raw, ok := strings.Cut(s, "=")
		n, err := strconv.ParseUint(strings.TrimSpace(id), 10, 64)
		u, uerr := url.Parse(strings.TrimSpace(raw))
		if !ok || err != nil || uerr != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https" && u.Scheme != "ws" && u.Scheme != "wss") {
			return nil, fmt.Errorf("external chain node %q: want CHAINID=URL, e.g. 4343=http://10.20.0.5:8545 (--anchor.rpc)", s)
		}
		if _, dup := out[n]; dup {
			return nil, fmt.Errorf("external chain %d has two nodes in --anchor.rpc: give one", n)
		}
		out[n] = u.String()
	}
	return out, nil
}

// parsePrefixes reads addresses and CIDRs.
func parsePrefixes(list []string) ([]netip.Prefix, error) {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p)
			continue
		}
		a, err := netip.ParseAddr(s)
		if err != nil {
			return nil, fmt.Errorf("trusted proxy %q: want an IP address or a CIDR (10.0.0.0/8)", s)
		}
		out = append(out, netip.PrefixFrom(a, a.BitLen()))
	}
	return out, nil
}
