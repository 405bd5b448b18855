package node

import (
	"crypto/tls"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/log"
	gethnode "github.com/ethereum/go-ethereum/node"
)

// tlsFront serves the public listener over TLS (--http.tls.cert,
// --http.tls.key; ADR 068): it terminates TLS on --http.addr:--http.port and
// passes every request, WebSocket upgrades included, to geth's HTTP server,
// which then listens on a free loopback port. Everything behind it (the
// front, its fast paths and method lists, vhosts, CORS) is unchanged.
type tlsFront struct {
	addr    string
	cert    tls.Certificate
	backend func() string // geth's HTTP endpoint, known once it listens
	ln      net.Listener
	srv     *http.Server
}

// loadTLS reads the certificate and key files of the public listener.
func (h *HTTPConfig) loadTLS() (tls.Certificate, error) {
	if (h.TLSCert == "") != (h.TLSKey == "") {
		return tls.Certificate{}, errors.New("TLS on the public listener needs both --http.tls.cert and --http.tls.key")
	}
	cert, err := tls.LoadX509KeyPair(h.TLSCert, h.TLSKey)
	if err != nil {
		return tls.Certificate{}, fmt.Errorf("--http.tls.cert %s, --http.tls.key %s: %v: give a PEM certificate (chain) file and the PEM file of its private key", h.TLSCert, h.TLSKey, err)
	}
	return cert, nil
}

// newTLSFront moves geth's HTTP server to a free loopback port, to sit
// behind a tlsFront on the public address, when TLS is asked for; nil without.
func newTLSFront(cfg Config, stackCfg *gethnode.Config) (*tlsFront, error) {
	if !cfg.HTTP.Enabled || cfg.HTTP.TLSCert == "" && cfg.HTTP.TLSKey == "" {
		return nil, nil
	}
	cert, err := cfg.HTTP.loadTLS()
	if err != nil {
		return nil, err
	}
	stackCfg.HTTPHost, stackCfg.HTTPPort = "127.0.0.1", 0
	if stackCfg.WSHost != "" {
		stackCfg.WSHost, stackCfg.WSPort = "127.0.0.1", 0
	}
	return &tlsFront{addr: net.JoinHostPort(cfg.HTTP.Addr, strconv.Itoa(cfg.HTTP.Port)), cert: cert}, nil
}

// Start listens; geth's endpoints are open before lifecycles start.
func (f *tlsFront) Start() error {
	target, err := url.Parse(f.backend())
	if err != nil {
		return fmt.Errorf("TLS front: geth's HTTP endpoint %q: %v", f.backend(), err)
	}
	ln, err := tls.Listen("tcp", f.addr, &tls.Config{Certificates: []tls.Certificate{f.cert}, MinVersion: tls.VersionTLS12})
	if err != nil {
		return fmt.Errorf("cannot listen on %s for JSON-RPC over TLS (%v): choose another --http.port", f.addr, err)
	}
	f.ln = ln
	proxy := httputil.NewSingleHostReverseProxy(target) // keeps the client's Host: vhosts still apply
	// No read or write timeout here: geth's server has its own, and one on
	// this side would cut WebSocket connections.
	f.srv = &http.Server{Handler: proxy, ReadHeaderTimeout: 10 * time.Second, IdleTimeout: 2 * time.Minute}
	go func() {
		if err := f.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("JSON-RPC over TLS stopped", "addr", f.addr, "err", err)
		}
	}()
	log.Info("JSON-RPC over TLS", "url", f.url(), "backend", target.Host)
	return nil
}

// Stop closes the listener and every connection.
func (f *tlsFront) Stop() error {
	if f.srv == nil {
		return nil
	}
	return f.srv.Close()
}

// url is the public https URL, once listening.
func (f *tlsFront) url() string {
	if f.ln == nil {
		return ""
	}
	return "https://" + f.ln.Addr().String()
}
