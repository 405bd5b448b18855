package gateway

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/api"
	"github.com/citychain/citychain/internal/gateway/front"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/relayer"
	"github.com/citychain/citychain/internal/gateway/upstream"
	"github.com/citychain/citychain/internal/node/metrics"
)

// Timings of the gateway's life.
const (
	shutdownGrace = 10 * time.Second // requests in flight may finish within this after a stop
	pruneEvery    = time.Minute      // how often old ballot events are pruned
)

// Options are what a gateway is built from besides its configuration.
type Options struct {
	Signer  *registry.Signer     // the relayer's key; nil: no ballot intake
	Assets  fs.FS                // the web page; nil: none built in
	Version string               // shown in /api/v1/status
	Metrics *prometheus.Registry // the metrics registry; nil: a new one
}

// Gateway is a running citygate.
type Gateway struct {
	cfg     Config
	reg     *prometheus.Registry
	pool    *upstream.Pool
	store   *intake.Store
	intake  *intake.Intake
	relayer *relayer.Relayer
	api     *api.Server
	metrics *metrics.Server

	srv   *http.Server
	front *front.Server // nil with TLS: net/http serves every request
	cert  *certificate  // the TLS certificate served; nil without TLS
	l     net.Listener
	quit  chan struct{}
	wg    sync.WaitGroup
}

// New builds a gateway; nothing runs until Start.
func New(cfg Config, opts Options) (*Gateway, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if cfg.Relayer.HasKey() && opts.Signer == nil {
		return nil, errors.New("a relayer key is configured but was not loaded")
	}
	if opts.Signer != nil && cfg.Intake.Dir == "" {
		return nil, errors.New("the ballot intake needs --datadir: the directory of its ballot store")
	}
	g := &Gateway{cfg: cfg, reg: opts.Metrics, quit: make(chan struct{})}
	if cfg.HTTP.TLSCert != "" {
		cert, err := loadCertificate(cfg.HTTP.TLSCert, cfg.HTTP.TLSKey)
		if err != nil {
			return nil, err
		}
		g.cert = cert
	}
	if g.reg == nil {
		g.reg = metrics.NewRegistry(buildInfo())
	}
	pool, err := upstream.New(cfg.Upstream, g.reg)
	if err != nil {
		return nil, err
	}
	g.pool = pool
	relayerAddr := ""
	if opts.Signer != nil {
		if err := g.openIntake(opts.Signer); err != nil {
			pool.Stop()
			return nil, err
		}
		relayerAddr = opts.Signer.Address.Hex()
	}
	g.api, err = api.New(cfg.API, api.Options{Pool: pool, Intake: g.intake, Relayer: relayerAddr, Assets: opts.Assets, Registry: g.reg, Version: opts.Version})
	if err != nil {
		g.closeStore()
		pool.Stop()
		return nil, err
	}
	if cfg.Metrics.Enabled {
		g.metrics = metrics.NewServer(cfg.Metrics, g.reg)
	}
	return g, nil
}

// openIntake opens the ballot store, the intake and the relayer.
func (g *Gateway) openIntake(signer *registry.Signer) error {
	store, err := intake.OpenStore(g.cfg.Intake.Dir)
	if err != nil {
		return err
	}
	g.store = store
	domain := func() ballots.Domain {
		return ballots.Domain{ChainID: g.pool.ChainID(), Contract: contracts.PollsAddress}
	}
	g.intake = intake.New(g.cfg.Intake, store, newChain(g.pool), domain, g.reg)
	g.relayer = relayer.New(g.cfg.Relayer.Config, store, g.pool, signer, g.reg)
	return nil
}

func (g *Gateway) closeStore() {
	if g.store != nil {
		g.store.Close()
	}
}

// Start probes the nodes, starts the relayer and the metrics server, and
// listens.
func (g *Gateway) Start() error {
	if err := g.pool.Start(); err != nil {
		return err
	}
	if ready := g.pool.Ready(); ready == 0 {
		for _, st := range g.pool.Nodes() {
			log.Warn("Rpc node not ready at start", "url", st.URL, "reason", st.Reason)
		}
	}
	if g.relayer != nil {
		if err := g.relayer.Start(); err != nil {
			return err
		}
		g.wg.Add(1)
		go g.prune()
	}
	if g.metrics != nil {
		if err := g.metrics.Start(); err != nil {
			return err
		}
	}
	return g.listen()
}

// listen opens the API's listener and serves it.
func (g *Gateway) listen() error {
	tls := g.cert != nil
	l, err := net.Listen("tcp", g.cfg.HTTP.ListenAddr())
	if err != nil {
		return fmt.Errorf("cannot listen on %s (%v): another process holds it; stop it or choose another --http.port", g.cfg.HTTP.ListenAddr(), err)
	}
	g.l = l
	g.srv = &http.Server{
		Handler:           g.api.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    16 << 10,
		ErrorLog:          nil,
	}
	if tls {
		g.srv.TLSConfig = g.cert.config()
	} else {
		// Plain HTTP (behind the balancer, or on a city intranet): cache
		// hits are answered by the front, the rest by g.srv (ADR 096).
		g.front = &front.Server{Hits: g.api, HTTP: g.srv}
	}
	go func() {
		var err error
		switch {
		case tls:
			err = g.srv.ServeTLS(l, "", "") // the certificate: g.cert
		default:
			err = g.front.Serve(l)
		}
		if err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("API server failed", "err", err)
		}
	}()
	log.Info("Serving the citygate API", "url", g.URL()+api.Prefix, "tls", tls, "intake", g.intake != nil)
	return nil
}

// Reload re-reads the TLS certificate and key files (on SIGHUP), so that a
// renewed certificate is served from the next connection on. It returns
// the new certificate's expiry, or false if citygate serves plain HTTP; on
// an error the certificate served stays.
func (g *Gateway) Reload() (expires time.Time, tls bool, err error) {
	if g.cert == nil {
		return time.Time{}, false, nil
	}
	expires, err = g.cert.reload()
	return expires, true, err
}

// URL returns the API's base URL (scheme, host and port), "" before Start.
func (g *Gateway) URL() string {
	if g.l == nil {
		return ""
	}
	scheme := "http"
	if g.cfg.HTTP.TLSCert != "" {
		scheme = "https"
	}
	return scheme + "://" + g.l.Addr().String()
}

// Stop stops listening, lets requests in flight finish (shutdownGrace at
// most), stops the relayer (what is in flight stays recorded) and closes
// the store and the nodes' connections.
func (g *Gateway) Stop() error {
	close(g.quit)
	var errs []error
	if g.srv != nil {
		ctx, cancel := context.WithTimeout(context.Background(), shutdownGrace)
		if err := g.shutdownAPI(ctx); err != nil {
			errs = append(errs, fmt.Errorf("API server: %w", err))
			g.closeAPI()
		}
		cancel()
	}
	if g.relayer != nil {
		errs = append(errs, g.relayer.Stop())
	}
	g.wg.Wait()
	if g.metrics != nil {
		errs = append(errs, g.metrics.Stop())
	}
	if g.store != nil {
		errs = append(errs, g.store.Close())
	}
	errs = append(errs, g.pool.Stop())
	return errors.Join(errs...)
}

// shutdownAPI stops the API's listener and lets its requests in flight finish.
func (g *Gateway) shutdownAPI(ctx context.Context) error {
	if g.front != nil {
		return g.front.Shutdown(ctx)
	}
	return g.srv.Shutdown(ctx)
}

// closeAPI closes the API's listener and connections at once.
func (g *Gateway) closeAPI() {
	if g.front != nil {
		g.front.Close()
		return
	}
	g.srv.Close()
}

// prune keeps the ballot event log to its configured length.
func (g *Gateway) prune() {
	defer g.wg.Done()
	t := time.NewTicker(pruneEvery)
	defer t.Stop()
	for {
		select {
		case <-g.quit:
			return
		case <-t.C:
			if n, err := g.store.Prune(g.cfg.Intake.Events); err != nil {
				log.Warn("Failed to prune ballot events", "err", err)
			} else if n > 0 {
				log.Info("Pruned old ballot events", "deleted", n, "kept", g.cfg.Intake.Events)
			}
		}
	}
}

// Pool returns the rpc node pool.
func (g *Gateway) Pool() *upstream.Pool { return g.pool }

// MetricsURL returns the metrics server's URL, "" if it is off.
func (g *Gateway) MetricsURL() string {
	if g.metrics == nil {
		return ""
	}
	return g.metrics.URL()
}
