package main

import (
	"encoding/json"
	"os"

	"github.com/citychain/citychain/internal/bench/loadgen"
	"github.com/urfave/cli/v2"
)

var compareOutFlag = &cli.StringFlag{
	Name:     "out",
	Usage:    "also write both reports and the ratios as JSON to this file",
	Category: catOutput,
}

var compareCommand = &cli.Command{
	Name:      "compare",
	Usage:     "print runs of two nodes side by side with the ratio candidate/base",
	ArgsUsage: "BASE.json CANDIDATE.json [BASE.json CANDIDATE.json ...]",
	Description: `Each pair of reports (written by a workload command's --report) is one round: the
base node's run and the candidate's run right after it. With several rounds the table
shows medians and the median of the per-round ratios.`,
	Flags: []cli.Flag{compareOutFlag},
	Action: func(c *cli.Context) error {
		args := c.Args().Slice()
		if len(args) == 0 || len(args)%2 != 0 {
			return cli.Exit("usage: citybench compare BASE.json CANDIDATE.json [BASE.json CANDIDATE.json ...] (reports written with --report)", 2)
		}
		var rounds []loadgen.Round
		for i := 0; i < len(args); i += 2 {
			base, err := loadgen.LoadReport(args[i])
			if err != nil {
				return cli.Exit(err.Error(), 1)
			}
			cand, err := loadgen.LoadReport(args[i+1])
			if err != nil {
				return cli.Exit(err.Error(), 1)
			}
			rounds = append(rounds, loadgen.Round{Base: base, Candidate: cand})
		}
		cmp := loadgen.CompareRounds(rounds)
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
