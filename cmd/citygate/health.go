package main

import (
	"fmt"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/cmdkit/healthprobe"
	"github.com/citychain/citychain/internal/gateway"
)

var (
	healthURLFlag     = &cli.StringFlag{Name: "url", Usage: "probe URL: the gateway's readiness endpoint (200 while at least one rpc node is ready) or /health/live", Value: fmt.Sprintf("http://127.0.0.1:%d/health/ready", gateway.DefaultPort), EnvVars: []string{"CITYGATE_HEALTH_URL"}}
	healthTimeoutFlag = &cli.DurationFlag{Name: "timeout", Usage: "longest wait for the answer", Value: 5 * time.Second, EnvVars: []string{"CITYGATE_HEALTH_TIMEOUT"}}
)

// healthCommand probes a gateway's health endpoint: the container's health
// check (the image is built from scratch: no curl) and a scriptable check.
var healthCommand = &cli.Command{
	Name:      "health",
	Usage:     "probe a gateway's /health/ready (or /health/live): exit 0 if it answers 200, 1 otherwise",
	UsageText: "citygate health [--url URL] [--timeout DURATION]",
	Flags:     []cli.Flag{healthURLFlag, healthTimeoutFlag},
	Action: func(ctx *cli.Context) error {
		if ctx.Args().Present() {
			return cliutil.Usagef("citygate health takes no arguments, have %q: give the URL with --url", ctx.Args().First())
		}
		return healthprobe.Run(os.Stdout, ctx.String(healthURLFlag.Name), ctx.Duration(healthTimeoutFlag.Name),
			"is citygate running and listening there (--http.addr, --http.port)?")
	},
}
