package main

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/urfave/cli/v2"
)

var (
	seedFlag = &cli.StringFlag{
		Name:     "seed",
		Usage:    "seed the test accounts are derived from; use the same one for genesis and load",
		Value:    loadgen.Defaults.Seed,
		Category: catAccounts,
	}
	countFlag = &cli.IntFlag{
		Name:     "count",
		Usage:    "number of accounts to derive",
		Value:    loadgen.Defaults.Accounts,
		Category: catAccounts,
	}
	formatFlag = &cli.StringFlag{
		Name:     "format",
		Usage:    "output: text (index address key), json, address or key (one per line)",
		Value:    "text",
		Category: catOutput,
	}
)

var keysCommand = &cli.Command{
	Name:  "keys",
	Usage: "print the deterministic test accounts derived from a seed",
	Description: `Account i has the private key keccak256("citybench/account/v1" || seed || i).
The keys are public test keys: never fund them on a network that matters.
--format key prints bare hex keys, the file format "geth account import" reads.`,
	Flags:  []cli.Flag{countFlag, seedFlag, formatFlag},
	Action: runKeys,
}

func runKeys(c *cli.Context) error {
	accounts, err := loadgen.DeriveAccounts(c.String(seedFlag.Name), c.Int(countFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	switch c.String(formatFlag.Name) {
	case "text":
		for _, a := range accounts {
			fmt.Printf("%d %s %s\n", a.Index, a.Address.Hex(), a.KeyHex())
		}
	case "address":
		for _, a := range accounts {
			fmt.Println(a.Address.Hex())
		}
	case "key":
		for _, a := range accounts {
			fmt.Println(a.KeyHex())
		}
	case "json":
		type entry struct {
			Index   int    `json:"index"`
			Address string `json:"address"`
			Key     string `json:"key"`
		}
		out := make([]entry, len(accounts))
		for i, a := range accounts {
			out[i] = entry{a.Index, a.Address.Hex(), a.KeyHex()}
		}
		enc := json.NewEncoder(os.Stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(out)
	default:
		return cli.Exit(fmt.Sprintf("unknown --format %q: use text, json, address or key", c.String(formatFlag.Name)), 2)
	}
	return nil
}
