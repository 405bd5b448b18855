package main

import (
	"fmt"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
)

// versionCommand prints the build: version, VCS commit and dirty flag, the
// go-ethereum and Go versions (`--version` prints the one-line form).
var versionCommand = &cli.Command{
	Name:  "version",
	Usage: "print the version, the VCS commit it was built from (and whether the tree had uncommitted changes), go-ethereum's and Go's versions",
	Action: func(ctx *cli.Context) error {
		if ctx.Args().Present() {
			return cli.Exit("usage: citynode version (it takes no arguments)", 2)
		}
		_, err := fmt.Fprint(ctx.App.Writer, "citynode\n"+buildinfo.Get().String())
		return err
	},
}
