// Command citynode runs a citychain node: a Clique (EIP-225) proof-of-authority
// chain on go-ethereum, as a signer, an RPC node, or a one-command dev chain.
package main

import (
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	_ "net/http/pprof" // --pprof
	"os"
	"os/signal"
	"syscall"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/node"
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "Fatal:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:    "citynode",
		Usage:   "the citychain Clique proof-of-authority node",
		Version: node.Version,
		Flags:   append(append([]cli.Flag{}, nodeFlags...), logFlags...),
		Before:  setupLogging,
		Action:  runNode,
		Commands: []*cli.Command{
			initCommand,
			exportCommand,
			importCommand,
			devCommand,
			accountCommand,
			{
				Name:   "dumpconfig",
				Usage:  "print the effective configuration as TOML (defaults, file, environment, flags)",
				Flags:  nodeFlags,
				Action: dumpConfig,
			},
		},
		ExitErrHandler: func(ctx *cli.Context, err error) {
			var coder cli.ExitCoder
			if errors.As(err, &coder) {
				if msg := err.Error(); msg != "" {
					fmt.Fprintln(os.Stderr, "Fatal:", msg)
				}
				os.Exit(coder.ExitCode())
			}
		},
	}
}

// setupLogging configures go-ethereum's logger once, for our lines and geth's.
func setupLogging(ctx *cli.Context) error {
	var w io.Writer = os.Stderr
	level := log.FromLegacyLevel(ctx.Int(verbosityFlag.Name))
	// The output handlers pass everything; the glog handler in front filters
	// by level and, per source file, by --log.vmodule.
	var h slog.Handler
	if ctx.Bool(logJSONFlag.Name) {
		h = log.JSONHandlerWithLevel(w, log.LevelTrace)
	} else {
		h = log.NewTerminalHandlerWithLevel(w, log.LevelTrace, false)
	}
	glog := log.NewGlogHandler(h)
	glog.Verbosity(level)
	if spec := ctx.String(vmoduleFlag.Name); spec != "" {
		if err := glog.Vmodule(spec); err != nil {
			return cli.Exit(fmt.Sprintf("invalid --log.vmodule %q (%v): give comma-separated pattern=level pairs, e.g. gossip/*=4,sealer.go=5", spec, err), 2)
		}
	}
	log.SetDefault(log.NewLogger(glog))
	if ctx.Bool(pprofFlag.Name) {
		addr := ctx.String(pprofAddrFlag.Name)
		l, err := net.Listen("tcp", addr)
		if err != nil {
			return cli.Exit(fmt.Sprintf("cannot serve profiling on %s (%v): choose another --pprof.addr", addr, err), 1)
		}
		log.Info("Serving Go profiling", "url", "http://"+l.Addr().String()+"/debug/pprof/")
		go http.Serve(l, nil) // net/http/pprof registers on the default mux
	}
	return nil
}

// runNode is the default action: run a node on an initialised data dir.
func runNode(ctx *cli.Context) error {
	if ctx.Args().Present() {
		return cli.Exit(fmt.Sprintf("unknown command %q: see `citynode --help`", ctx.Args().First()), 2)
	}
	cfg, err := loadConfig(ctx)
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	return serve(cfg, nil)
}

// serve starts a node, runs until SIGINT or SIGTERM, then shuts it down.
func serve(cfg node.Config, started func(*node.Node)) error {
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
		started(n)
	}
	hup := make(chan os.Signal, 1)
	signal.Notify(hup, syscall.SIGHUP)
	go func() {
		for range hup {
			if err := n.ReloadAllowlist(); err != nil {
				log.Error("Failed to reload peer allowlist, keeping the old one", "err", err)
			}
		}
	}()
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	go func() {
		<-sigs
		log.Info("Got interrupt, shutting down")
		go n.Close()
		for i := 3; i > 0; i-- {
			<-sigs
			log.Warn("Already shutting down, interrupt more to panic", "times", i-1)
		}
		panic("forced exit after repeated interrupts during shutdown")
	}()
	n.Wait()
	return nil
}
