package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
)

var contractsCommand = &cli.Command{
	Name:  "contracts",
	Usage: "the registry's contracts at their fixed addresses",
	Subcommands: []*cli.Command{
		{
			Name:   "list",
			Usage:  "list the registry contracts, their addresses, sources and code on the node",
			Flags:  nodeFlags(),
			Action: func(ctx *cli.Context) error { return contractsCheck(ctx, false) },
		},
		{
			Name:  "verify",
			Usage: "check that the code at each fixed address is exactly what the committed sources compile to",
			Description: `Fetches eth_getCode at each fixed address, and at the address of Anchors the
Directory names (its service "anchors": fixed on new networks, the admin's deployment on
older ones; left out while there is none), and compares it with the runtime
code of the committed artifact (contracts/artifacts, compiled from contracts/src by the
pinned solc; make contracts-check proves the artifacts match the sources). Immutables,
if a contract has any, are the only bytes allowed to differ; their values are printed.
Exits with status 1 if any contract differs.`,
			Flags:  nodeFlags(),
			Action: func(ctx *cli.Context) error { return contractsCheck(ctx, true) },
		},
	},
}

func contractsCheck(ctx *cli.Context, verify bool) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	checks, err := c.CheckCode(c.ctx)
	if err != nil && !errors.Is(err, registry.ErrCodeMismatch) {
		return err
	}
	perr := emit(ctx, checks, func(w io.Writer) error {
		for _, r := range checks {
			if verify {
				printVerified(w, r)
			} else {
				fmt.Fprintf(w, "%-15s %s  %s (%s)  %d bytes on chain\n", r.Name, r.Address.Hex(), r.Source, r.Compiler, r.Size)
			}
		}
		if verify && err == nil {
			fmt.Fprintf(w, "All %d contracts match the committed artifacts.\n", len(checks))
		}
		return nil
	})
	if perr != nil {
		return perr
	}
	if err != nil && verify {
		return cli.Exit(fmt.Sprintf("%v: the code on this chain is not what the committed sources compile to; do not trust it (check --rpc names the network you meant)", err), 1)
	}
	return nil
}

func printVerified(w io.Writer, r registry.CodeCheck) {
	state := "matches " + r.Source
	if !r.Match {
		state = "MISMATCH: " + r.Problem
	}
	fmt.Fprintf(w, "%-15s %s  %5d bytes  code hash %s  %s\n", r.Name, r.Address.Hex(), r.Size, r.CodeHash.Hex(), state)
	offsets := make([]int, 0, len(r.Immutables))
	for k := range r.Immutables {
		if at, err := strconv.Atoi(k); err == nil {
			offsets = append(offsets, at)
		}
	}
	slices.Sort(offsets)
	for _, at := range offsets {
		fmt.Fprintf(w, "  immutable at byte %d = %s\n", at, r.Immutables[strconv.Itoa(at)])
	}
}
