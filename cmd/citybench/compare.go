package main

import (
	"encoding/json"
	"os"

	"github.com/citychain/citychain/internal/loadgen"
	"github.com/urfave/cli/v2"
)

var compareOutFlag = &cli.StringFlag{
	Name:     "out",
	Usage:    "also write both reports and the ratios as JSON to this file",
	Category: catOutput,
}

var compareCommand = &cli.Command{
	Name:      "compare",
	Usage:     "print two reports side by side with the ratio candidate/base",
	ArgsUsage: "BASE.json CANDIDATE.json",
	Flags:     []cli.Flag{compareOutFlag},
	Action: func(c *cli.Context) error {
		if c.NArg() != 2 {
			return cli.Exit("usage: citybench compare BASE.json CANDIDATE.json (reports written with --report)", 2)
		}
		base, err := loadgen.LoadReport(c.Args().Get(0))
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		cand, err := loadgen.LoadReport(c.Args().Get(1))
		if err != nil {
			return cli.Exit(err.Error(), 1)
		}
		cmp := loadgen.Compare(base, cand)
		if path := c.String(compareOutFlag.Name); path != "" {
			out, err := json.MarshalIndent(cmp, "", "  ")
			if err != nil {
				return err
			}
			if err := os.WriteFile(path, append(out, '\n'), 0o644); err != nil {
				return err
			}
		}
		return cmp.WriteText(os.Stdout)
	},
}
