package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/audit"
	"github.com/citychain/citychain/internal/registry"
)

var proveDocumentCommand = &cli.Command{
	Name:      "document",
	Usage:     "prove a document issued on its own: its record and revocation/supersession, decoded",
	ArgsUsage: "HASH",
	Flags:     []cli.Flag{auditRPCFlag, auditBlockFlag, auditOutFlag},
	Action: func(ctx *cli.Context) error {
		h, err := hashArg(ctx, "cityctl audit prove document --rpc URL --block N [--out FILE] HASH")
		if err != nil {
			return err
		}
		return proveRecord(ctx, "document "+h.Hex(), func(cctx context.Context, c *rpc.Client, block uint64) (*audit.Proof, error) {
			return registry.ProveDocument(cctx, c, h, block)
		})
	},
}

var proveTitleCommand = &cli.Command{
	Name:      "title",
	Usage:     "prove a parcel: owners and shares, pending transfer, liens in force and full history, decoded",
	ArgsUsage: "PARCEL",
	Flags:     []cli.Flag{auditRPCFlag, auditBlockFlag, auditOutFlag},
	Action: func(ctx *cli.Context) error {
		if ctx.NArg() != 1 {
			return cli.Exit("usage: cityctl audit prove title --rpc URL --block N [--out FILE] PARCEL", 2)
		}
		parcel := ctx.Args().First()
		return proveRecord(ctx, "parcel "+parcel, func(cctx context.Context, c *rpc.Client, block uint64) (*audit.Proof, error) {
			return registry.ProveTitle(cctx, c, parcel, block)
		})
	},
}

// proveRecord proves a registry record at --block and writes the file.
func proveRecord(ctx *cli.Context, what string, prove func(context.Context, *rpc.Client, uint64) (*audit.Proof, error)) error {
	block, err := parseBlock(ctx.String(auditBlockFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	cctx, cancel := context.WithTimeout(ctx.Context, 2*time.Minute)
	defer cancel()
	client, err := rpc.DialContext(cctx, ctx.String(auditRPCFlag.Name))
	if err != nil {
		return cli.Exit(fmt.Sprintf("cannot reach %s: %v", ctx.String(auditRPCFlag.Name), err), 1)
	}
	defer client.Close()
	p, err := prove(cctx, client, block)
	if err != nil {
		return fail(err)
	}
	data, err := p.Encode()
	if err != nil {
		return err
	}
	if out := ctx.String(auditOutFlag.Name); out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return cli.Exit(fmt.Sprintf("write proof file: %v", err), 1)
		}
		fmt.Fprintf(ctx.App.ErrWriter, "Wrote proof of %s at block %d (%s) to %s\n", what, block, p.Header.Hash.Hex(), out)
		return nil
	}
	_, err = ctx.App.Writer.Write(data)
	return err
}
