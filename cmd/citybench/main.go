// Command citybench is citychain's load generator. It derives deterministic test
// accounts, writes a Clique genesis that funds them (accepted by citynode and by geth
// 1.13), and runs workloads against a node's JSON-RPC endpoint, reporting mined
// throughput, inclusion latency, lost transactions and the node's memory.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// Flag categories.
const (
	catAccounts = "ACCOUNTS"
	catTarget   = "TARGET"
	catLoad     = "LOAD"
	catOutput   = "OUTPUT"
)

var verbosityFlag = &cli.IntFlag{
	Name:  "verbosity",
	Usage: "log level: 0=crit, 1=error, 2=warn, 3=info, 4=debug, 5=trace",
	Value: 3,
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cliutil.Run(ctx, newApp(), os.Args)
	stop()
	os.Exit(code)
}

func newApp() *cli.App {
	return &cli.App{
		Name:    "citybench",
		Usage:   "load generator for citynode (and any Ethereum JSON-RPC node)",
		Version: buildinfo.Get().Short(),
		Flags:   []cli.Flag{verbosityFlag},
		Before: func(c *cli.Context) error {
			setupLog(c.Int(verbosityFlag.Name))
			return nil
		},
		Commands: append([]*cli.Command{keysCommand, genesisCommand, waitCommand, compareCommand, ballotsCommand, receiptsCommand, verifyCommand, gatewayReadsCommand, gatewayBallotsCommand, gatewayDrainCommand}, workloadCommands()...),
	}
}

// setupLog routes go-ethereum's logger (ours too) to stderr at the given legacy level.
func setupLog(verbosity int) {
	log.SetDefault(log.NewLogger(log.NewTerminalHandlerWithLevel(os.Stderr, log.FromLegacyLevel(verbosity), false)))
}
