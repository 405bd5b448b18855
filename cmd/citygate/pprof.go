package main

import (
	"fmt"
	"net"
	"net/http"
	"net/http/pprof"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/gateway"
)

// startPprof serves Go's profiling endpoints on c.Addr when c is enabled,
// on a mux of its own: nothing else of the gateway is reachable there, and
// the profiles are on no port of the API.
func startPprof(c gateway.PprofConfig) (stop func(), err error) {
	if !c.Enabled {
		return func() {}, nil
	}
	l, err := net.Listen("tcp", c.Addr)
	if err != nil {
		return nil, cli.Exit(fmt.Sprintf("cannot serve profiling on %s (%v): choose another --pprof.addr", c.Addr, err), 1)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Handler: mux}
	log.Info("Serving Go profiling", "url", "http://"+l.Addr().String()+"/debug/pprof/")
	go srv.Serve(l)
	return func() { srv.Close() }, nil
}
