package main

import (
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/healthprobe"
	"github.com/citychain/citychain/internal/node/health"
	"github.com/citychain/citychain/internal/node/metrics"
)

var (
	healthURLFlag     = &cli.StringFlag{Name: "url", Usage: "probe URL (the readiness endpoint of the metrics listener by default; Besu's query parameters minPeers and maxBlocksBehind)", Value: fmt.Sprintf("http://127.0.0.1:%d%s", metrics.DefaultPort, health.ReadyPath), EnvVars: env("health.url")}
	healthTimeoutFlag = &cli.DurationFlag{Name: "timeout", Usage: "longest wait for the answer", Value: 5 * time.Second, EnvVars: env("health.timeout")}
)

// healthCommand probes a node's health endpoint: the container image's
// HEALTHCHECK (a scratch image has no curl) and a scriptable check.
var healthCommand = &cli.Command{
	Name:  "health",
	Usage: "probe a node's /health/ready (or /health/live): exit 0 if it answers 200, 1 otherwise",
	Flags: []cli.Flag{healthURLFlag, healthTimeoutFlag},
	Action: func(ctx *cli.Context) error {
		return healthprobe.Run(os.Stdout, ctx.String(healthURLFlag.Name), ctx.Duration(healthTimeoutFlag.Name),
			"is the node running, with --metrics? A starting node opens this listener last, once its chain is open and its other listeners are up")
	},
}
