package main

import (
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/gateway"
)

// startPprof serves Go's profiling endpoints on c.Addr when c is enabled,
// on a listener and mux of their own (internal/cmdkit/pprofserve, as
// citynode's): nothing else of the gateway is reachable there, and the
// profiles are on no port of the API. The configuration is validated.
func startPprof(c gateway.PprofConfig) (stop func(), err error) {
	stop, err = c.Start()
	if err != nil {
		return nil, cli.Exit(err.Error(), 1)
	}
	return stop, nil
}
