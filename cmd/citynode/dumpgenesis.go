package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// devGenesisFile is the file in a dev chain's --datadir that holds its genesis.
const devGenesisFile = "genesis.json"

var dumpGenesisCommand = &cli.Command{
	Name:  "dumpgenesis",
	Usage: "print the genesis a data dir holds as JSON: `citynode init` with it makes the same genesis block; stop the node first",
	Flags: []cli.Flag{dataDirFlag},
	Action: func(ctx *cli.Context) error {
		if ctx.Args().Present() {
			return cli.Exit("usage: citynode dumpgenesis --datadir DIR (it takes no arguments)", 2)
		}
		dataDir := ctx.String(dataDirFlag.Name)
		g, ext, hash, err := node.ReadGenesis(dataDir)
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		data, err := genesis.Encode(g, ext)
		if err != nil {
			return err
		}
		log.Info("Read the stored genesis", "datadir", dataDir, "hash", hash)
		_, err = ctx.App.Writer.Write(data)
		return err
	},
}

// writeDevGenesis writes g to DATADIR/genesis.json for the tools that need a
// dev chain's genesis (`cityctl audit signers --genesis`), and returns the
// path. The dev banner is printed after it, so a reader that waits for the
// banner never sees half a file.
func writeDevGenesis(dataDir string, g *core.Genesis) (string, error) {
	data, err := genesis.Encode(g, genesis.Extension{})
	if err != nil {
		return "", err
	}
	path := filepath.Join(dataDir, devGenesisFile)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		return "", fmt.Errorf("write the dev genesis: %w", err)
	}
	return path, nil
}
