package metrics

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/log"
	gethmetrics "github.com/ethereum/go-ethereum/metrics"
	gethprom "github.com/ethereum/go-ethereum/metrics/prometheus"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// Paths served by the metrics server.
const (
	Path     = "/metrics"            // our registry
	GethPath = "/debug/metrics/geth" // go-ethereum's own registry (Config.Geth)
)

const shutdownTimeout = 5 * time.Second // longest a scrape in flight holds up Stop

var enableGeth sync.Once

// Server is a node.Lifecycle serving a registry over HTTP.
type Server struct {
	cfg Config
	reg *prometheus.Registry

	mu    sync.Mutex
	srv   *http.Server
	url   string                  // http://host:port once started
	extra map[string]http.Handler // more handlers on the same listener, by pattern
}

// Handle adds a handler for pattern (http.ServeMux syntax) on the metrics
// listener, such as the health probes. Call it before Start.
func (s *Server) Handle(pattern string, h http.Handler) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.extra == nil {
		s.extra = map[string]http.Handler{}
	}
	s.extra[pattern] = h
}

// NewServer returns a server for reg. With cfg.Geth it switches on
// go-ethereum's metrics system at once: geth creates its meters as the node
// is built, and reads the switch only then.
func NewServer(cfg Config, reg *prometheus.Registry) *Server {
	if cfg.Geth {
		enableGeth.Do(gethmetrics.Enable)
	}
	return &Server{cfg: cfg, reg: reg}
}

// Start implements node.Lifecycle: it listens on the configured address.
func (s *Server) Start() error {
	l, err := net.Listen("tcp", s.cfg.ListenAddr())
	if err != nil {
		return fmt.Errorf("cannot serve metrics on %s (%v): another process holds it; stop it or choose another port with --metrics.port", s.cfg.ListenAddr(), err)
	}
	mux := http.NewServeMux()
	mux.Handle(Path, promhttp.HandlerFor(s.reg, promhttp.HandlerOpts{
		ErrorLog:            promLogger{},
		ErrorHandling:       promhttp.ContinueOnError,
		MaxRequestsInFlight: 4,
	}))
	if s.cfg.Geth {
		mux.Handle(GethPath, gethprom.Handler(gethmetrics.DefaultRegistry))
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	for pattern, h := range s.extra {
		mux.Handle(pattern, h)
	}
	s.srv, s.url = srv, "http://"+l.Addr().String()
	s.mu.Unlock()
	go func() {
		if err := srv.Serve(l); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("Metrics server failed", "err", err)
		}
	}()
	log.Info("Serving metrics", "url", s.url+Path)
	return nil
}

// Stop implements node.Lifecycle.
func (s *Server) Stop() error {
	s.mu.Lock()
	srv := s.srv
	s.mu.Unlock()
	if srv == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	return srv.Shutdown(ctx)
}

// URL returns the base URL of the running server (http://host:port), or ""
// before Start.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.url
}

// promLogger sends promhttp's errors to geth's log.
type promLogger struct{}

// Println implements promhttp.Logger.
func (promLogger) Println(v ...any) { log.Warn("Failed to gather metrics", "err", fmt.Sprint(v...)) }
