package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	genesisConfigFlag = &cli.StringFlag{Name: "config", Usage: "the network's description (network.toml; see docs/deployment.md)", Value: "network.toml"}
	genesisOutFlag    = &cli.StringFlag{Name: "out", Usage: "genesis file to write", Value: "genesis.json"}
	genesisForceFlag  = &cli.BoolFlag{Name: "force", Usage: "overwrite an existing output file"}
)

var genesisCommand = &cli.Command{
	Name:  "genesis",
	Usage: "the genesis ceremony: make, verify and convert genesis files",
	Subcommands: []*cli.Command{
		{
			Name:  "new",
			Usage: "make the genesis a network.toml describes",
			Description: `Reads the network's description (chain id, period, epoch, gas limit, the
departments with their signers, the registry admin and role holders, funded accounts),
pre-deploys the municipal registry, writes the genesis and prints a summary and the
genesis hash. The same network.toml always gives the same file, byte for byte.`,
			Flags:  offlineFlags(genesisConfigFlag, genesisOutFlag, genesisForceFlag),
			Action: genesisNew,
		},
		{
			Name:      "verify",
			Usage:     "recompute the genesis from network.toml and compare it with a file (and, with --rpc, a node's block 0)",
			ArgsUsage: "GENESIS.json",
			Flags:     nodeFlags(genesisConfigFlag),
			Action:    genesisVerify,
		},
		{
			Name:      "convert",
			Usage:     "turn a geth 1.13 Clique genesis into a citychain one (same genesis hash)",
			ArgsUsage: "GETH-GENESIS.json",
			Flags:     offlineFlags(genesisOutFlag, genesisForceFlag),
			Action:    genesisConvert,
		},
	},
}

func genesisNew(ctx *cli.Context) error {
	if ctx.Args().Present() {
		return cliutil.Usagef("unexpected argument %q: cityctl genesis new --config network.toml --out genesis.json", ctx.Args().First())
	}
	cfg, err := ceremony.Load(ctx.String(genesisConfigFlag.Name))
	if err != nil {
		return err
	}
	res, err := ceremony.Build(cfg)
	if err != nil {
		return err
	}
	out := ctx.String(genesisOutFlag.Name)
	if err := writeNew(out, res.JSON, ctx.Bool(genesisForceFlag.Name)); err != nil {
		return err
	}
	return emit(ctx, map[string]any{"out": out, "hash": res.Hash, "signers": res.Signers}, func(w io.Writer) error {
		res.Summary(w)
		_, err := fmt.Fprintf(w, "Wrote %s: publish it with %s; every department checks it with `cityctl genesis verify --config %s %s`\n",
			out, ctx.String(genesisConfigFlag.Name), ctx.String(genesisConfigFlag.Name), out)
		return err
	})
}

// writeNew writes a file that must not exist unless force is set.
func writeNew(path string, data []byte, force bool) error {
	if _, err := os.Stat(path); err == nil && !force {
		return fmt.Errorf("%s exists: pass --force to overwrite it, or choose another --out", path)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

func genesisVerify(ctx *cli.Context) error {
	path, err := oneArg(ctx, "GENESIS.json")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cliutil.Usagef("read genesis: %v", err)
	}
	cfg, err := ceremony.Load(ctx.String(genesisConfigFlag.Name))
	if err != nil {
		return err
	}
	v, err := ceremony.Verify(cfg, data)
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	result := map[string]any{"file": path, "hash": v.Hash, "identical": v.Identical}
	// The node is asked only when --rpc (or CITYCTL_RPC) is given.
	url := ""
	if ctx.IsSet(rpcFlag.Name) {
		url = ctx.String(rpcFlag.Name)
		rctx, cancel := context.WithTimeout(ctx.Context, 30*time.Second)
		defer cancel()
		if err := ceremony.VerifyNode(rctx, url, v.Hash, cfg.ChainID); err != nil {
			return err
		}
		result["node"] = url
	}
	return emit(ctx, result, func(w io.Writer) error {
		how := "exactly"
		if !v.Identical {
			how = "(formatted differently)"
		}
		fmt.Fprintf(w, "%s is %s the genesis %s gives: %s\n", path, how, ctx.String(genesisConfigFlag.Name), v.Hash.Hex())
		if url != "" {
			fmt.Fprintf(w, "The node at %s runs this genesis (block 0 %s, chain id %d)\n", url, v.Hash.Hex(), cfg.ChainID)
		}
		return nil
	})
}

func genesisConvert(ctx *cli.Context) error {
	in, err := oneArg(ctx, "GETH-GENESIS.json")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(in)
	if err != nil {
		return cliutil.Usagef("read genesis: %v", err)
	}
	conv, err := ceremony.Convert(data)
	if err != nil {
		return err
	}
	out := ctx.String(genesisOutFlag.Name)
	if err := writeNew(out, conv.JSON, ctx.Bool(genesisForceFlag.Name)); err != nil {
		return err
	}
	return emit(ctx, map[string]any{"out": out, "hash": conv.Hash, "dropped": conv.Dropped}, func(w io.Writer) error {
		for _, k := range conv.Dropped {
			fmt.Fprintf(w, "Dropped %s (go-ethereum v1.17 no longer has it; it is not part of the genesis hash)\n", k)
		}
		_, err := fmt.Fprintf(w, "Wrote %s: terminalTotalDifficulty sentinel added, genesis hash unchanged: %s\n", out, conv.Hash.Hex())
		return err
	})
}
