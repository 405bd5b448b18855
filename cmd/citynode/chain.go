package main

import (
	"fmt"
	"os"
	"strconv"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/chainio"
)

var exportCommand = &cli.Command{
	Name:      "export",
	Usage:     "write the chain to FILE in geth's block-stream format (gzip if FILE ends in .gz); stop the node first",
	ArgsUsage: "FILE [FIRST LAST]",
	Flags:     []cli.Flag{dataDirFlag, dbEngineFlag, modeFlag},
	Action: func(ctx *cli.Context) error {
		if n := ctx.NArg(); n != 1 && n != 3 {
			return cli.Exit("usage: citynode export --datadir DIR FILE [FIRST LAST]", 2)
		}
		// The range is checked before the data dir is opened.
		first, last, ranged, err := exportRange(ctx)
		if err != nil {
			return err
		}
		// So is the file: a path that cannot be written opens nothing.
		path := ctx.Args().First()
		w, err := chainio.Create(path)
		if err != nil {
			return cli.Exit(fmt.Sprintf("cannot write %s (%v): give a file in an existing directory you can write to", path, err), 1)
		}
		n, err := openOffline(ctx)
		if err != nil {
			w.Close()
			os.Remove(path)
			return err
		}
		defer n.Close()
		chain := n.Eth().BlockChain()
		if !ranged {
			last = chain.CurrentBlock().Number.Uint64()
		}
		p, err := chainio.Export(w, chain, first, last, printProgress("Exported"))
		if cerr := w.Close(); err == nil && cerr != nil {
			err = fmt.Errorf("close %s: %w", path, cerr)
		}
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		fmt.Printf("Exported blocks %d..%d (%d transactions) to %s\n", first, p.Last, p.Txs, path)
		return nil
	},
}

// exportRange reads the FIRST and LAST arguments of export, if given.
func exportRange(ctx *cli.Context) (first, last uint64, ranged bool, err error) {
	if ctx.NArg() != 3 {
		return 0, 0, false, nil
	}
	if first, err = strconv.ParseUint(ctx.Args().Get(1), 10, 64); err != nil {
		return 0, 0, false, cli.Exit(fmt.Sprintf("invalid FIRST %q: want a block number", ctx.Args().Get(1)), 2)
	}
	if last, err = strconv.ParseUint(ctx.Args().Get(2), 10, 64); err != nil {
		return 0, 0, false, cli.Exit(fmt.Sprintf("invalid LAST %q: want a block number", ctx.Args().Get(2)), 2)
	}
	return first, last, true, nil
}

var importCommand = &cli.Command{
	Name:      "import",
	Usage:     "insert the blocks of FILEs (geth's block-stream format, .gz allowed) into an initialised data dir, verifying each; stop the node first",
	ArgsUsage: "FILE...",
	Flags:     []cli.Flag{dataDirFlag, dbEngineFlag, modeFlag},
	Action: func(ctx *cli.Context) error {
		if ctx.NArg() < 1 {
			return cli.Exit("usage: citynode import --datadir DIR [--mode auditor] FILE...", 2)
		}
		if err := checkImportFiles(ctx.Args().Slice()); err != nil {
			return err
		}
		n, err := openOffline(ctx)
		if err != nil {
			return err
		}
		defer n.Close()
		for _, path := range ctx.Args().Slice() {
			r, err := chainio.Open(path)
			if err != nil {
				return cli.Exit(importFileError(path, err), 1)
			}
			p, err := chainio.Import(r, n.ForkChoice(), printProgress("Imported"))
			r.Close()
			if err != nil {
				return cli.Exit(fmt.Sprintf("%s: %v", path, err), 1)
			}
			head := n.Eth().BlockChain().CurrentBlock()
			fmt.Printf("Imported %s: %d blocks (%d already known), %d transactions, %.0f blocks/s, %.0f tx/s; head %d %s\n",
				path, p.Blocks, p.Known, p.Txs, p.BlocksPerSecond(), p.TxsPerSecond(), head.Number, head.Hash().Hex())
		}
		return nil
	},
}

// checkImportFiles opens each file to import, before the data dir is
// opened: a file that cannot be read changes nothing.
func checkImportFiles(paths []string) error {
	for _, path := range paths {
		r, err := chainio.Open(path)
		if err != nil {
			return cli.Exit(importFileError(path, err), 1)
		}
		r.Close()
	}
	return nil
}

// importFileError says that path cannot be read, and what to give.
func importFileError(path string, err error) string {
	return fmt.Sprintf("cannot read %s (%v): give a block file written by `citynode export` (or geth export), .gz if gzip-compressed", path, err)
}

// openOffline opens the data dir's chain without RPC, peers or sealing, in the
// mode given (auditor for an archive data dir).
func openOffline(ctx *cli.Context) (*node.Node, error) {
	cfg := node.Defaults()
	cfg.DataDir = ctx.String(dataDirFlag.Name)
	cfg.DBEngine = ctx.String(dbEngineFlag.Name)
	cfg.Mode = ctx.String(modeFlag.Name)
	if cfg.Mode != node.ModeAuditor {
		cfg.Mode = node.ModeRPC
	}
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr = ""
	n, err := node.New(cfg)
	if err != nil {
		return nil, cli.Exit(err.Error(), 1)
	}
	if err := n.Start(); err != nil {
		n.Close()
		return nil, cli.Exit(err.Error(), 1)
	}
	return n, nil
}

func printProgress(verb string) func(chainio.Progress) {
	return func(p chainio.Progress) {
		if p.Done {
			return
		}
		log.Info(verb+" blocks", "blocks", p.Blocks, "txs", p.Txs, "number", p.Last, "blocks/s", fmt.Sprintf("%.0f", p.BlocksPerSecond()), "tx/s", fmt.Sprintf("%.0f", p.TxsPerSecond()))
	}
}
