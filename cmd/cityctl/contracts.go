package main

import (
	"errors"
	"fmt"
	"slices"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/registry"
)

var contractsCommand = &cli.Command{
	Name:  "contracts",
	Usage: "the registry's contracts at their fixed addresses",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "list the registry contracts, their addresses, sources and code on the node",
			Flags:  readFlags(),
			Action: func(ctx *cli.Context) error { return contractsCheck(ctx, false) },
		},
		{
			Name:  "verify",
			Usage: "check that the code at each fixed address is exactly what the committed sources compile to",
			Description: `Fetches eth_getCode at each fixed address and compares it with the runtime
code of the committed artifact (contracts/artifacts, compiled from contracts/src by the
pinned solc; make contracts-check proves the artifacts match the sources). Immutables,
if a contract has any, are the only bytes allowed to differ; their values are printed.
Exits with status 1 if any contract differs.`,
			Flags:  readFlags(),
			Action: func(ctx *cli.Context) error { return contractsCheck(ctx, true) },
		},
	},
}

func contractsCheck(ctx *cli.Context, verify bool) error {
	c, cctx, done, err := openClient(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	checks, err := c.CheckCode(cctx)
	if err != nil && !errors.Is(err, registry.ErrCodeMismatch) {
		return fail(err)
	}
	if ctx.Bool(jsonOutFlag.Name) {
		if perr := outJSON(ctx, checks); perr != nil {
			return perr
		}
	} else {
		w := ctx.App.Writer
		for _, r := range checks {
			state := "matches " + r.Source
			if !r.Match {
				state = "MISMATCH: " + r.Problem
			}
			if verify {
				fmt.Fprintf(w, "%-15s %s  %5d bytes  code hash %s  %s\n", r.Name, r.Address.Hex(), r.Size, r.CodeHash.Hex(), state)
				ids := make([]string, 0, len(r.Immutables))
				for id := range r.Immutables {
					ids = append(ids, id)
				}
				slices.Sort(ids)
				for _, id := range ids {
					fmt.Fprintf(w, "  immutable %s = %s\n", id, r.Immutables[id])
				}
			} else {
				fmt.Fprintf(w, "%-15s %s  %s (%s)  %d bytes on chain\n", r.Name, r.Address.Hex(), r.Source, r.Compiler, r.Size)
			}
		}
	}
	if err != nil && verify {
		return cli.Exit(fmt.Sprintf("%v: the code on this chain is not what the committed sources compile to; do not trust it (check --rpc names the network you meant)", err), 1)
	}
	if verify && !ctx.Bool(jsonOutFlag.Name) {
		fmt.Fprintf(ctx.App.Writer, "All %d contracts match the committed artifacts.\n", len(checks))
	}
	return nil
}
