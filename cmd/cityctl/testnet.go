package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/testnet"
)

var (
	dirFlag     = &cli.StringFlag{Name: "dir", Usage: "directory of the test network", Required: true}
	binFlag     = &cli.StringFlag{Name: "bin", Usage: "citynode binary (default: next to cityctl, then $PATH)"}
	signersFlag = &cli.IntFlag{Name: "signers", Usage: "signer nodes", Value: 3}
	rpcFlag     = &cli.IntFlag{Name: "rpc", Usage: "rpc nodes", Value: 1}
	periodFlag  = &cli.Uint64Flag{Name: "period", Usage: "seconds between blocks", Value: 1}
	chainIDFlag = &cli.Uint64Flag{Name: "chainid", Usage: "chain id of the network", Value: 4321}
	gasFlag     = &cli.Uint64Flag{Name: "gaslimit", Usage: "genesis gas limit (0: default)"}
	jsonFlag    = &cli.BoolFlag{Name: "json", Usage: "print JSON"}
	killFlag    = &cli.BoolFlag{Name: "kill", Usage: "stop with SIGKILL instead of SIGTERM"}
)

var testnetCommand = &cli.Command{
	Name:  "testnet",
	Usage: "run a local consortium of citynode processes on 127.0.0.1",
	Subcommands: []*cli.Command{
		{
			Name:  "up",
			Usage: "create and start a network; prints one JSON object per node",
			Flags: []cli.Flag{dirFlag, binFlag, signersFlag, rpcFlag, periodFlag, chainIDFlag, gasFlag},
			Action: func(ctx *cli.Context) error {
				bin, err := citynodeBinary(ctx.String(binFlag.Name))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				nw, err := testnet.Up(testnet.Config{
					Dir: ctx.String(dirFlag.Name), Binary: bin,
					Signers: ctx.Int(signersFlag.Name), RPC: ctx.Int(rpcFlag.Name),
					Period: ctx.Uint64(periodFlag.Name), ChainID: ctx.Uint64(chainIDFlag.Name), GasLimit: ctx.Uint64(gasFlag.Name),
				})
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				type view struct {
					Name    string `json:"name"`
					Role    string `json:"role"`
					Address string `json:"address"`
					Enode   string `json:"enode"`
					RPC     string `json:"rpc"`
					Metrics string `json:"metrics"`
					PID     int    `json:"pid"`
					DataDir string `json:"datadir"`
					Log     string `json:"log"`
				}
				out := make([]view, len(nw.Nodes))
				for i, n := range nw.Nodes {
					out[i] = view{n.Name, n.Role, "", n.Enode, n.RPC, n.Metrics, n.PID, n.DataDir, n.Log}
					if n.Role == testnet.RoleSigner {
						out[i].Address = n.Address.Hex()
					}
				}
				return printJSON(out)
			},
		},
		{
			Name:  "status",
			Usage: "show each node's head and peers",
			Flags: []cli.Flag{dirFlag, jsonFlag},
			Action: func(ctx *cli.Context) error {
				nw, err := testnet.Load(ctx.String(dirFlag.Name))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				status := nw.Status(context.Background())
				if ctx.Bool(jsonFlag.Name) {
					return printJSON(status)
				}
				w := tabwriter.NewWriter(os.Stdout, 0, 4, 2, ' ', 0)
				fmt.Fprintln(w, "NAME\tROLE\tPID\tHEAD\tHASH\tPEERS\tSTATE")
				for _, s := range status {
					state := "running"
					switch {
					case !s.Running:
						state = "stopped"
					case s.Error != "":
						state = "error: " + s.Error
					}
					fmt.Fprintf(w, "%s\t%s\t%d\t%d\t%s\t%d\t%s\n", s.Name, s.Role, s.PID, s.Head, s.Hash.TerminalString(), s.Peers, state)
				}
				return w.Flush()
			},
		},
		{
			Name:  "down",
			Usage: "stop every node (the data stays in the directory)",
			Flags: []cli.Flag{dirFlag},
			Action: func(ctx *cli.Context) error {
				nw, err := testnet.Load(ctx.String(dirFlag.Name))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				if err := nw.Down(); err != nil {
					return cli.Exit(err.Error(), 1)
				}
				return nil
			},
		},
		{
			Name:      "stop",
			Usage:     "stop one node",
			ArgsUsage: "NAME",
			Flags:     []cli.Flag{dirFlag, killFlag},
			Action: func(ctx *cli.Context) error {
				return withNode(ctx, func(nw *testnet.Network, name string) error { return nw.Stop(name, ctx.Bool(killFlag.Name)) })
			},
		},
		{
			Name:  "add",
			Usage: "add a node that joins late and catches up (a signer must then be voted in)",
			Flags: []cli.Flag{dirFlag, &cli.StringFlag{Name: "role", Usage: "signer or rpc", Value: testnet.RoleRPC}},
			Action: func(ctx *cli.Context) error {
				nw, err := testnet.Load(ctx.String(dirFlag.Name))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				n, err := nw.Add(ctx.String("role"))
				if err != nil {
					return cli.Exit(err.Error(), 1)
				}
				return printJSON(n)
			},
		},
		{
			Name:      "start",
			Usage:     "start one stopped node again",
			ArgsUsage: "NAME",
			Flags:     []cli.Flag{dirFlag},
			Action: func(ctx *cli.Context) error {
				return withNode(ctx, func(nw *testnet.Network, name string) error { return nw.Start(name) })
			},
		},
	},
}

func withNode(ctx *cli.Context, fn func(*testnet.Network, string) error) error {
	if ctx.NArg() != 1 {
		return cli.Exit("name the node, e.g. signer2 (see `cityctl testnet status`)", 2)
	}
	nw, err := testnet.Load(ctx.String(dirFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	if err := fn(nw, ctx.Args().First()); err != nil {
		return cli.Exit(err.Error(), 1)
	}
	return nil
}

// citynodeBinary finds the citynode binary: the flag, next to cityctl, $PATH.
func citynodeBinary(flag string) (string, error) {
	if flag != "" {
		return filepath.Abs(flag)
	}
	if self, err := os.Executable(); err == nil {
		candidate := filepath.Join(filepath.Dir(self), "citynode")
		if _, err := os.Stat(candidate); err == nil {
			return candidate, nil
		}
	}
	if path, err := exec.LookPath("citynode"); err == nil {
		return filepath.Abs(path)
	}
	return "", fmt.Errorf("citynode binary not found next to cityctl or in $PATH: run `make build` or pass --bin")
}

func printJSON(v any) error {
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
