package main

import (
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/upgrade"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	shanghaiFlag = &cli.StringFlag{Name: "shanghai-time", Usage: "Shanghai fork time: RFC 3339, or +DURATION from now (leave every node the time to restart with it)"}
	cancunFlag   = &cli.StringFlag{Name: "cancun-time", Usage: "Cancun fork time (RFC 3339 or +DURATION); after Shanghai and after the system contracts are deployed"}
	pragueFlag   = &cli.StringFlag{Name: "prague-time", Usage: "Prague fork time (RFC 3339 or +DURATION), at or after --cancun-time"}
	forceFlag    = &cli.BoolFlag{Name: "force", Usage: "overwrite --out if it exists"}
	nodeURLFlag  = &cli.StringSliceFlag{Name: "node", Usage: "JSON-RPC URL of a node of the network, once per node", Required: true}
)

var upgradeCommand = &cli.Command{
	Name:  "upgrade",
	Usage: "upgrade a running London chain to Shanghai, Cancun and Prague rules (docs/modern-evm.md)",
	Subcommands: []*cli.Command{
		{
			Name:   "schedule",
			Usage:  "write the network's genesis with the fork times added (same genesis hash); each stopped node takes it with `citynode init`",
			Flags:  offlineFlags(genesisFlag, shanghaiFlag, cancunFlag, pragueFlag, &cli.StringFlag{Name: outFlag.Name, Usage: "the upgraded genesis file to write", Required: true}, forceFlag),
			Action: upgradeSchedule,
		},
		{
			Name:   "status",
			Usage:  "show each node's fork schedule (eth_config); exit status 1 if they differ",
			Flags:  offlineFlags(nodeURLFlag),
			Action: upgradeStatus,
		},
		{
			Name:   "deploy-system-contracts",
			Usage:  "after Shanghai: fund the four keyless deployers from the sending account and send the EIP-4788, EIP-2935, EIP-7002 and EIP-7251 deployments",
			Flags:  signFlags(),
			Action: upgradeDeploy,
		},
	},
}

// upgradeSchedule writes --genesis with the fork times of the flags.
func upgradeSchedule(ctx *cli.Context) error {
	if ctx.Args().Present() {
		return cliutil.Usagef("unexpected argument %q: cityctl upgrade schedule --genesis genesis.json --shanghai-time TIME --out FILE", ctx.Args().First())
	}
	g, ext, err := genesis.LoadExtended(ctx.String(genesisFlag.Name))
	if err != nil {
		return err
	}
	f := genesis.ForksOf(g.Config)
	if err := forkTimeFlags(ctx, &f, time.Now()); err != nil {
		return err
	}
	if err := genesis.ScheduleForks(g, f); err != nil {
		return err
	}
	if err := genesis.Validate(g); err != nil {
		return err
	}
	data, err := genesis.Encode(g, ext)
	if err != nil {
		return err
	}
	out := ctx.String(outFlag.Name)
	if err := writeNew(out, data, ctx.Bool(forceFlag.Name)); err != nil {
		return err
	}
	return printSchedule(ctx, out, g.ToBlock().Hash(), f)
}

// forkTimeFlags sets in f the time of each fork whose flag was given: a time
// in the future (every node must have the schedule before the fork).
func forkTimeFlags(ctx *cli.Context, f *genesis.Forks, now time.Time) error {
	for _, p := range []struct {
		flag *cli.StringFlag
		to   **uint64
	}{{shanghaiFlag, &f.Shanghai}, {cancunFlag, &f.Cancun}, {pragueFlag, &f.Prague}} {
		if !ctx.IsSet(p.flag.Name) {
			continue
		}
		t, err := timeFlag(ctx, p.flag, now)
		if err != nil {
			return err
		}
		if t <= uint64(now.Unix()) {
			return cliutil.Usagef("--%s %s is not in the future: every node must have the schedule before the fork", p.flag.Name, ctx.String(p.flag.Name))
		}
		*p.to = &t
	}
	return nil
}

// printSchedule says what upgrade schedule wrote to out and what to do next.
func printSchedule(ctx *cli.Context, out string, hash common.Hash, f genesis.Forks) error {
	view := map[string]any{"out": out, "hash": hash, "shanghaiTime": f.Shanghai, "cancunTime": f.Cancun, "pragueTime": f.Prague}
	return emit(ctx, view, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "Wrote %s (genesis %s unchanged): shanghai %s, cancun %s, prague %s\nOn each node, stopped: citynode init --datadir DATADIR %s; start it; then check with cityctl upgrade status\n",
			out, hash.Hex(), forkAt(f.Shanghai), forkAt(f.Cancun), forkAt(f.Prague), out)
		return err
	})
}

func forkAt(t *uint64) string {
	if t == nil {
		return "unscheduled"
	}
	return formatTime(*t)
}

// upgradeStatus prints each --node's schedule and fails if they differ.
func upgradeStatus(ctx *cli.Context) error {
	var all []upgrade.Schedule
	for _, url := range ctx.StringSlice(nodeURLFlag.Name) {
		if err := checkNodeURL("--node", url); err != nil {
			return err
		}
		c, err := rpc.DialContext(ctx.Context, url)
		if err != nil {
			return fmt.Errorf("%w: --node %s: %v", errUnreachable, url, err)
		}
		s, err := upgrade.ReadSchedule(ctx.Context, c, url)
		c.Close()
		if err != nil {
			return err
		}
		all = append(all, s)
	}
	agreeErr := upgrade.Agree(all)
	err := emit(ctx, map[string]any{"nodes": all, "agree": agreeErr == nil}, func(w io.Writer) error {
		for _, s := range all {
			if _, err := fmt.Fprintf(w, "%s\tnext fork %s\tlast fork %s\n", s.Node, scheduleAt(s.Next), scheduleAt(s.Last)); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return agreeErr
}

func scheduleAt(f *upgrade.Fork) string {
	if f == nil {
		return "none"
	}
	return fmt.Sprintf("%s (fork id %x)", formatTime(f.ActivationTime), []byte(f.ForkID))
}

// upgradeDeploy sends the keyless system contract deployments.
func upgradeDeploy(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	key, err := loadKey(ctx)
	if err != nil {
		return err
	}
	out, err := upgrade.DeploySystemContracts(c.ctx, c.Eth(), key, ctx.Duration(waitFlag.Name))
	if err != nil {
		return err
	}
	return emit(ctx, out, func(w io.Writer) error {
		for _, d := range out {
			state := fmt.Sprintf("deployed in block %d (tx %s, deployer %s funded with %s wei)", d.Block, d.Tx.Hex(), d.Sender.Hex(), d.Funded)
			if d.Already {
				state = "already deployed"
			}
			if _, err := fmt.Fprintf(w, "%s at %s: %s\n", d.Name, d.Address.Hex(), state); err != nil {
				return err
			}
		}
		_, err := fmt.Fprintln(w, "Now schedule Cancun and Prague: cityctl upgrade schedule --cancun-time ... --prague-time ...")
		return err
	})
}
