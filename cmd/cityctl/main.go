// Command cityctl is the tool of citychain's operators and departments: local
// test networks, the signer set (health, votes, onboarding and removal of
// departments); municipal services and audits as they land.
package main

import (
	"errors"
	"fmt"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/node"
)

func main() {
	if err := newApp().Run(os.Args); err != nil {
		fmt.Fprintln(os.Stderr, "Error:", err)
		os.Exit(1)
	}
}

func newApp() *cli.App {
	return &cli.App{
		Name:     "cityctl",
		Usage:    "operate citychain networks and municipal services",
		Version:  node.Version,
		Commands: []*cli.Command{testnetCommand, signerCommand, deptCommand, docCommand, titleCommand, contractsCommand, stallCommand, pollCommand, auditCommand},
		ExitErrHandler: func(ctx *cli.Context, err error) {
			var coder cli.ExitCoder
			if errors.As(err, &coder) {
				if msg := err.Error(); msg != "" {
					fmt.Fprintln(os.Stderr, "Error:", msg)
				}
				os.Exit(coder.ExitCode())
			}
		},
	}
}
