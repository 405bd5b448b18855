// Command citygate is citychain's public gateway: a stateless HTTP service in
// front of citynode rpc nodes that answers residents', banks', notaries' and
// journalists' reads of the municipal registry (/api/v1, OpenAPI at
// /api/v1/openapi.json) and takes the Active Citizen app's signed ballots
// into a durable queue relayed to the Polls contract (docs/gateway.md).
package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/gateway"
	"github.com/citychain/citychain/internal/gateway/web"
)

func main() {
	os.Exit(cliutil.Run(context.Background(), newApp(), os.Args))
}

func newApp() *cli.App {
	app := &cli.App{
		Name:      "citygate",
		Usage:     "the citychain public gateway: registry reads and Active Citizen ballots over HTTP",
		UsageText: "citygate [flags] | citygate dumpconfig [flags] | citygate health [--url URL] | citygate version",
		Version:   buildinfo.Get().Short(),
		Flags:     allFlags(),
		Before:    setupLogging,
		Action:    run,
		Commands: []*cli.Command{
			{
				Name:   "dumpconfig",
				Usage:  "print the effective configuration as TOML (defaults, file, environment, flags)",
				Flags:  allFlags(),
				Action: dumpConfig,
			},
			healthCommand,
			{
				Name:  "version",
				Usage: "print the version, the VCS commit and the Go and go-ethereum versions",
				Action: func(ctx *cli.Context) error {
					b := buildinfo.Get()
					fmt.Fprint(ctx.App.Writer, "citygate\n"+b.String())
					return nil
				},
			},
		},
	}
	cliutil.DeriveEnv(app, "CITYGATE")
	return app
}

// run starts the gateway and runs it until SIGINT or SIGTERM.
func run(ctx *cli.Context) error {
	if ctx.Args().Present() {
		return cliutil.Usagef("unknown command %q: see `citygate --help`", ctx.Args().First())
	}
	cfg, err := loadConfig(ctx)
	if err != nil {
		return err
	}
	if err := cfg.Validate(); err != nil {
		return cliutil.Usagef("%v", err)
	}
	signer, err := loadRelayerKey(cfg.Relayer)
	if err != nil {
		return err
	}
	stopPprof, err := startPprof(cfg.Pprof)
	if err != nil {
		return err
	}
	defer stopPprof()
	g, err := gateway.New(cfg, gateway.Options{Signer: signer, Assets: web.FS(), Version: buildinfo.Get().Short()})
	switch {
	case errors.Is(err, gateway.ErrCertificate):
		return cliutil.Usagef("%v", err)
	case err != nil:
		return cli.Exit(err.Error(), 1)
	}
	if err := g.Start(); err != nil {
		g.Stop()
		return cli.Exit(err.Error(), 1)
	}
	return stopOnInterrupt(g)
}

// stopOnInterrupt waits for SIGINT or SIGTERM, then stops the gateway,
// letting requests in flight finish; a second signal exits at once. SIGHUP
// meanwhile re-reads the TLS certificate.
func stopOnInterrupt(g *gateway.Gateway) error {
	go reloadOnHangup(g)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	<-sigs
	log.Info("Got interrupt, shutting down")
	go func() {
		<-sigs
		log.Warn("Interrupted again: exiting without waiting for requests in flight")
		os.Exit(1)
	}()
	if err := g.Stop(); err != nil {
		return cli.Exit(fmt.Sprintf("shutdown: %v", err), 1)
	}
	log.Info("Stopped")
	return nil
}

// reloadOnHangup re-reads the TLS certificate and key at each SIGHUP (a
// renewed certificate, systemctl reload); without TLS there is nothing to
// re-read, and the signal no longer stops citygate.
func reloadOnHangup(g *gateway.Gateway) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	for range hup {
		expires, tls, err := g.Reload()
		switch {
		case err != nil:
			log.Error("SIGHUP: TLS certificate not reloaded, the one served stays", "err", err)
		case !tls:
			log.Info("SIGHUP: nothing to reload (citygate serves plain HTTP)")
		default:
			log.Info("SIGHUP: reloaded the TLS certificate", "expires", expires.UTC().Format(time.RFC3339))
		}
	}
}
