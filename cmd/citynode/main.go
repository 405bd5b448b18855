// Command citynode runs a citychain node: a Clique (EIP-225) proof-of-authority
// chain on go-ethereum, as a signer, an RPC node, or a one-command dev chain.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/node"
)

// main runs citynode with the grammar of internal/cmdkit/cliutil: flags before or
// after arguments, exit status 1 for a failure and 2 for bad usage, errors
// printed as "citynode: error: ...".
func main() {
	os.Exit(cliutil.Run(context.Background(), newApp(), os.Args))
}

func newApp() *cli.App {
	app := &cli.App{
		Name:    "citynode",
		Usage:   "the citychain Clique proof-of-authority node",
		Version: buildinfo.Get().Short(),
		Flags:   append(append(append([]cli.Flag{}, nodeFlags...), logFlags...), gethFlags...),
		Action:  runNode,
		Commands: []*cli.Command{
			initCommand,
			exportCommand,
			importCommand,
			devCommand,
			accountCommand,
			enodeCommand,
			healthCommand,
			ceremonyCommand,
			versionCommand,
			dumpGenesisCommand,
			{
				Name:   "dumpconfig",
				Usage:  "print the effective configuration as TOML (defaults, file, environment, flags)",
				Flags:  nodeFlags,
				Action: dumpConfig,
			},
		},
	}
	withLogFlags(app.Commands)
	return app
}

// runNode is the default action: run a node on an initialised data dir.
func runNode(ctx *cli.Context) error {
	if ctx.Args().Present() {
		return cli.Exit(fmt.Sprintf("unknown command %q: see `citynode --help`", ctx.Args().First()), 2)
	}
	if err := setupLogging(ctx); err != nil {
		return err
	}
	cfg, err := loadConfig(ctx)
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	if err := checkFirstRun(cfg); err != nil {
		return err
	}
	return serve(cfg, nil)
}

// serve starts a node, runs until SIGINT or SIGTERM, then shuts it down.
// started, if set, runs once the node has started; its error stops the node.
func serve(cfg node.Config, started func(*node.Node) error) error {
	// Listen first, before anything slow and before the first log line: a
	// signal that comes while the node opens its databases or replays its
	// journal waits in the channel instead of being lost (a shell starts
	// background jobs with SIGINT ignored, and Go keeps it ignored until
	// Notify), and whoever waits for the node's first line before signalling
	// it (TestInterruptDuringStartup) is not raced: that line was once
	// limitMemory's, logged before Notify, and a SIGINT sent after it was lost
	// at load 35.
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	defer signal.Stop(sigs)
	limitMemory(cfg.Cache)
	n, err := node.New(cfg)
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	if err := n.Start(); err != nil {
		n.Close()
		return cli.Exit(err.Error(), 1)
	}
	if ep := n.HTTPEndpoint(); ep != "" {
		log.Info("JSON-RPC endpoint opened", "url", ep)
	}
	if started != nil {
		if err := started(n); err != nil {
			n.Close()
			return cli.Exit(err.Error(), 1)
		}
	}
	go reloadOnHangup(n)
	go shutdownOnInterrupt(n, sigs)
	n.Wait()
	if err := n.Err(); err != nil {
		// A non-zero exit: a service manager restarts the node (ADR 074).
		return cli.Exit(err.Error(), 1)
	}
	return nil
}

// reloadOnHangup re-reads the peer allowlist at each SIGHUP.
func reloadOnHangup(n *node.Node) {
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	for range hup {
		if err := n.ReloadAllowlist(); err != nil {
			log.Error("Failed to reload peer allowlist, keeping the old one", "err", err)
		}
	}
}

// shutdownOnInterrupt closes the node at the first signal (one received
// during start-up included) and panics after three more.
func shutdownOnInterrupt(n *node.Node, sigs <-chan os.Signal) {
	<-sigs
	log.Info("Got interrupt, shutting down")
	go n.Close()
	for i := 3; i > 0; i-- {
		<-sigs
		log.Warn("Already shutting down, interrupt more to panic", "times", i-1)
	}
	panic("forced exit after repeated interrupts during shutdown")
}
