package gateway

import (
	"errors"
	"fmt"
	"net"

	"github.com/citychain/citychain/internal/cmdkit/pprofserve"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/relayer"
	"github.com/citychain/citychain/internal/gateway/upstream"
	"github.com/citychain/citychain/internal/node/metrics"
)

// Default ports of citygate.
const (
	DefaultPort        = 8700             // the API and the web page
	DefaultMetricsPort = 6062             // Prometheus metrics, next to citynode's 6061
	DefaultPprofAddr   = "127.0.0.1:6063" // Go profiling, when on: next to citynode's 6060
)

// Config is citygate's whole configuration: each subsystem's own, composed.
type Config struct {
	HTTP     HTTPConfig      `toml:"http"`
	API      api.Config      `toml:"api"`
	Upstream upstream.Config `toml:"upstream"`
	Intake   intake.Config   `toml:"intake"`
	Relayer  RelayerConfig   `toml:"relayer"`
	Metrics  metrics.Config  `toml:"metrics"`
	Pprof    PprofConfig     `toml:"pprof"`
}

// PprofConfig is Go's profiling endpoint (net/http/pprof), for diagnosis:
// off unless asked for, on loopback by default, served as citynode's
// (internal/cmdkit/pprofserve), block and mutex profiles included.
type PprofConfig = pprofserve.Config

// validatePprof checks the profiling address, when on, and the rates.
func validatePprof(c PprofConfig) error {
	if !c.Enabled {
		return c.CheckRates()
	}
	if _, _, err := net.SplitHostPort(c.Addr); err != nil {
		return fmt.Errorf("invalid --pprof.addr %q (%v): want host:port, e.g. %s", c.Addr, err, DefaultPprofAddr)
	}
	return c.CheckRates()
}

// HTTPConfig is the listener of the API.
type HTTPConfig struct {
	Addr    string `toml:"addr"` // listen address; loopback unless the operator means it
	Port    int    `toml:"port"`
	TLSCert string `toml:"tlscert"` // PEM certificate chain file; with TLSKey, serve HTTPS
	TLSKey  string `toml:"tlskey"`  // PEM private key file
}

// ListenAddr returns host:port.
func (c HTTPConfig) ListenAddr() string { return net.JoinHostPort(c.Addr, fmt.Sprint(c.Port)) }

// RelayerConfig is the relayer's key and tuning. Without a key the gateway
// takes no ballots.
type RelayerConfig struct {
	relayer.Config
	Keystore string `toml:"keystore"` // encrypted key file (Web3 Secret Storage) of an account with the RELAYER role
	Password string `toml:"password"` // file holding its password
	KeyFile  string `toml:"keyfile"`  // file holding a hex private key: test and dev keys only
}

// HasKey reports whether a relayer key is configured.
func (c RelayerConfig) HasKey() bool { return c.Keystore != "" || c.KeyFile != "" }

// Defaults returns the default configuration.
func Defaults() Config {
	m := metrics.Defaults()
	m.Port = DefaultMetricsPort
	return Config{
		HTTP:     HTTPConfig{Addr: "127.0.0.1", Port: DefaultPort},
		API:      api.Defaults,
		Upstream: upstream.Defaults,
		Intake:   intake.Defaults,
		Relayer:  RelayerConfig{Config: relayer.Defaults},
		Metrics:  m,
		Pprof:    PprofConfig{Addr: DefaultPprofAddr},
	}
}

// Validate checks every part and how they fit together.
func (c *Config) Validate() error {
	var errs []error
	if net.ParseIP(c.HTTP.Addr) == nil && c.HTTP.Addr != "localhost" {
		errs = append(errs, fmt.Errorf("invalid --http.addr %q: want an IP address such as 127.0.0.1 (0.0.0.0 for every interface)", c.HTTP.Addr))
	}
	if c.HTTP.Port < 0 || c.HTTP.Port > 65535 {
		errs = append(errs, fmt.Errorf("invalid --http.port %d: want 0..65535", c.HTTP.Port))
	}
	if (c.HTTP.TLSCert == "") != (c.HTTP.TLSKey == "") {
		errs = append(errs, errors.New("TLS needs both --tls.cert and --tls.key"))
	}
	for _, v := range []interface{ Validate() error }{&c.API, &c.Upstream, &c.Metrics} {
		if err := v.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	if err := validatePprof(c.Pprof); err != nil {
		errs = append(errs, err)
	}
	switch {
	case c.Relayer.Keystore != "" && c.Relayer.KeyFile != "":
		errs = append(errs, errors.New("give either --relayer.keystore (with --relayer.password) or --relayer.keyfile, not both"))
	case c.Relayer.Keystore != "" && c.Relayer.Password == "":
		errs = append(errs, errors.New("--relayer.keystore needs --relayer.password FILE"))
	}
	if c.Relayer.HasKey() {
		if c.Intake.Dir == "" {
			errs = append(errs, errors.New("the ballot intake needs --datadir: the directory of its ballot store"))
		}
		if err := c.Intake.Validate(); err != nil {
			errs = append(errs, err)
		}
		if err := c.Relayer.Validate(); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
