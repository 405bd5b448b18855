package main

import (
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"slices"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/configfile"
	"github.com/citychain/citychain/internal/cmdkit/pprofserve"
)

// logConfig is the [log] section of the TOML file: the process's logging,
// which is the command's, not the node's.
type logConfig struct {
	Verbosity int    `toml:"verbosity"` // 0 silent .. 5 trace
	JSON      bool   `toml:"json"`      // JSON lines instead of terminal text
	VModule   string `toml:"vmodule"`   // per file or package levels, "gossip/*=4,sealer.go=5"
}

// pprofConfig is the [pprof] section: Go's profiling endpoint, served as
// citygate's (internal/cmdkit/pprofserve).
type pprofConfig = pprofserve.Config

// Defaults of the [log] and [pprof] sections.
var (
	logDefaults   = logConfig{Verbosity: 3}
	pprofDefaults = pprofConfig{Addr: "127.0.0.1:6060"}
)

// withLogFlags gives every command the log and profiling flags, so that
// they are taken after a subcommand (`citynode dev --verbosity 2`) as well
// as before it, and makes each command that runs an action configure
// logging first.
func withLogFlags(cmds []*cli.Command) {
	for _, c := range cmds {
		if !slices.Contains(c.Flags, logFlags[0]) { // newApp may run more than once
			c.Flags = slices.Concat(c.Flags, logFlags)
		}
		if c.Action != nil && c.Before == nil {
			c.Before = setupLogging
		}
		withLogFlags(c.Subcommands)
	}
}

// setupLogging configures go-ethereum's logger once, for our lines and
// geth's, from the [log] and [pprof] sections of --config and the flags,
// then warns about CITYNODE_* variables that no flag reads.
func setupLogging(ctx *cli.Context) error {
	fc := fileConfig{Log: logDefaults, Pprof: pprofDefaults}
	if path := lookupString(ctx, configFlag.Name); path != "" {
		if err := configfile.Load(path, &fc, "citynode"); err != nil {
			return cli.Exit(err.Error(), 1)
		}
	}
	applyLogFlags(ctx, &fc.Log, &fc.Pprof)
	if err := startLogging(os.Stderr, fc.Log); err != nil {
		return err
	}
	warnUnknownEnv(ctx.App, os.Environ())
	return startPprof(fc.Pprof)
}

// applyLogFlags copies the log and profiling flags (and their environment
// variables) that were set, wherever on the command line they were given.
func applyLogFlags(ctx *cli.Context, lc *logConfig, pc *pprofConfig) {
	if c := setIn(ctx, verbosityFlag.Name); c != nil {
		lc.Verbosity = c.Int(verbosityFlag.Name)
	}
	if c := setIn(ctx, logJSONFlag.Name); c != nil {
		lc.JSON = c.Bool(logJSONFlag.Name)
	}
	if c := setIn(ctx, vmoduleFlag.Name); c != nil {
		lc.VModule = c.String(vmoduleFlag.Name)
	}
	if c := setIn(ctx, pprofFlag.Name); c != nil {
		pc.Enabled = c.Bool(pprofFlag.Name)
	}
	if c := setIn(ctx, pprofAddrFlag.Name); c != nil {
		pc.Addr = c.String(pprofAddrFlag.Name)
	}
	if c := setIn(ctx, pprofBlockFlag.Name); c != nil {
		pc.BlockProfileRate = c.Int(pprofBlockFlag.Name)
	}
	if c := setIn(ctx, pprofMutexFlag.Name); c != nil {
		pc.MutexProfileFraction = c.Int(pprofMutexFlag.Name)
	}
}

// setIn returns the context, from the command being run up to the app, in
// which the flag was set on the command line or in the environment; nil if
// it was set nowhere.
func setIn(ctx *cli.Context, name string) *cli.Context {
	for _, c := range ctx.Lineage() {
		if c.IsSet(name) {
			return c
		}
	}
	return nil
}

// lookupString is the value of a string flag wherever it was set, "" if
// nowhere.
func lookupString(ctx *cli.Context, name string) string {
	if c := setIn(ctx, name); c != nil {
		return c.String(name)
	}
	return ""
}

// startLogging installs the logger: terminal text or JSON lines on w,
// filtered by level and, per source file, by vmodule.
func startLogging(w io.Writer, lc logConfig) error {
	// The output handlers pass everything; the glog handler in front filters.
	var h slog.Handler
	if lc.JSON {
		h = log.JSONHandlerWithLevel(w, log.LevelTrace)
	} else {
		h = log.NewTerminalHandlerWithLevel(w, log.LevelTrace, false)
	}
	glog := log.NewGlogHandler(h)
	glog.Verbosity(log.FromLegacyLevel(lc.Verbosity))
	if lc.VModule != "" {
		if err := glog.Vmodule(lc.VModule); err != nil {
			return cli.Exit(fmt.Sprintf("invalid --log.vmodule ([log] vmodule) %q (%v): give comma-separated pattern=level pairs, e.g. gossip/*=4,sealer.go=5", lc.VModule, err), 2)
		}
	}
	log.SetDefault(log.NewLogger(glog))
	return nil
}

// startPprof serves Go's profiling on pc.Addr when --pprof is on, after
// checking the address and the rates (bad usage, exit status 2).
func startPprof(pc pprofConfig) error {
	if pc.Enabled {
		if _, _, err := net.SplitHostPort(pc.Addr); err != nil {
			return cli.Exit(fmt.Sprintf("invalid --pprof.addr ([pprof] addr) %q: give host:port, e.g. 127.0.0.1:6060 (citynode has no --pprof.port)", pc.Addr), 2)
		}
		if err := pc.CheckRates(); err != nil {
			return cli.Exit(err.Error(), 2)
		}
	}
	if _, err := pc.Start(); err != nil { // served until the process exits
		return cli.Exit(err.Error(), 1)
	}
	return nil
}
