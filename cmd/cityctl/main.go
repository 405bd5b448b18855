// Command cityctl is the tool of citychain's operators and departments: local
// test networks, the signer set (health, votes, onboarding and removal of
// departments), the municipal registry (departments, documents, titles,
// market stalls, polls) and audits.
//
// Its grammar is internal/cmdkit/cliutil's (ADR 032): flags before or after the
// arguments, every flag also read from CITYCTL_<NAME>, exit status 0 on
// success, 1 for a failed operation or a negative verification, 2 for bad
// usage or input (docs/cityctl.md).
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// envPrefix is the prefix of cityctl's environment variables: CITYCTL_RPC, ...
const envPrefix = "CITYCTL"

// inputErrors are the errors of the packages cityctl calls that mean bad
// input (exit status 2).
var inputErrors = []error{registry.ErrInput, registry.ErrNoKey, ceremony.ErrConfig}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, newApp(), os.Args)
	stop()
	os.Exit(code)
}

// run runs cityctl on args and returns its exit status.
func run(ctx context.Context, app *cli.App, args []string) int {
	return cliutil.Run(ctx, app, args, inputErrors...)
}

func newApp() *cli.App {
	app := &cli.App{
		Name:  "cityctl",
		Usage: "operate citychain networks and municipal services",
		Description: `Flags go before or after a command's arguments; every flag is also read from
CITYCTL_<NAME> (CITYCTL_RPC, CITYCTL_KEYSTORE, ...). Exit status: 0 success, 1 a failed
operation or a negative verification, 2 bad usage or input (docs/cityctl.md).`,
		Version:  buildinfo.Get().Short(),
		Commands: []*cli.Command{testnetCommand, genesisCommand, signerCommand, deptCommand, docCommand, titleCommand, contractsCommand, stallCommand, pollCommand, anchorCommand, upgradeCommand, auditCommand},
	}
	cliutil.DeriveEnv(app, envPrefix)
	return app
}
