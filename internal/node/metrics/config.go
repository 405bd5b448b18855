package metrics

import (
	"errors"
	"fmt"
	"net"
)

// DefaultPort is the default port of the metrics server: next to the Go
// profiling port (6060), clear of JSON-RPC (8545, 8546) and devp2p (30303).
const DefaultPort = 6061

// Config is the metrics server.
type Config struct {
	Enabled bool   `toml:"enabled"`
	Addr    string `toml:"addr"` // listen address; loopback unless the operator means it
	Port    int    `toml:"port"`
	// Geth also serves go-ethereum's own metrics on /debug/metrics/geth. It
	// switches on geth's metrics system for the whole process, which costs
	// some CPU on every block and request.
	Geth bool `toml:"geth"`
}

// Defaults returns the default configuration: off, loopback, DefaultPort.
func Defaults() Config {
	return Config{Addr: "127.0.0.1", Port: DefaultPort}
}

// Validate checks the configuration of an enabled server.
func (c *Config) Validate() error {
	if !c.Enabled {
		if c.Geth {
			return errors.New("--metrics.geth needs --metrics: enable the metrics server too")
		}
		return nil
	}
	var errs []error
	if net.ParseIP(c.Addr) == nil && c.Addr != "localhost" {
		errs = append(errs, fmt.Errorf("invalid --metrics.addr %q: want an IP address such as 127.0.0.1", c.Addr))
	}
	if c.Port < 0 || c.Port > 65535 {
		errs = append(errs, fmt.Errorf("invalid --metrics.port: have %d, want 0..65535", c.Port))
	}
	return errors.Join(errs...)
}

// ListenAddr returns host:port of the server.
func (c *Config) ListenAddr() string {
	return net.JoinHostPort(c.Addr, fmt.Sprint(c.Port))
}
