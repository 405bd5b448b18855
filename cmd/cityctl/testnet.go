package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

var (
	dirFlag       = &cli.StringFlag{Name: "dir", Usage: "directory of the test network", Required: true}
	binFlag       = &cli.StringFlag{Name: "bin", Usage: "citynode binary (default: next to cityctl, then $PATH)"}
	signersFlag   = &cli.IntFlag{Name: "signers", Usage: "signer nodes", Value: 3}
	rpcNodesFlag  = &cli.IntFlag{Name: "rpc-nodes", Usage: "rpc nodes (non-signing)", Value: 1}
	periodFlag    = &cli.Uint64Flag{Name: "period", Usage: "seconds between blocks", Value: 1}
	chainIDFlag   = &cli.Uint64Flag{Name: "chainid", Usage: "chain id of the network", Value: 4321}
	gasFlag       = &cli.Uint64Flag{Name: "miner.gaslimit", Usage: "genesis gas limit (0: citynode's default)"}
	killFlag      = &cli.BoolFlag{Name: "kill", Usage: "stop with SIGKILL instead of SIGTERM"}
	roleFlag      = &cli.StringFlag{Name: "role", Usage: "signer or rpc", Value: testnet.RoleRPC}
	tnGenesisFlag = &cli.StringFlag{Name: "genesis", Usage: "run this genesis instead of a generated one (its Clique signers are the signer nodes; give their keys with --signer-key)"}
	signerKeyFlag = &cli.StringSliceFlag{Name: "signer-key", Usage: "hex key file of a signer of --genesis, once per signer, in the genesis's order"}
	nodeFlagFlag  = &cli.StringSliceFlag{Name: "node-flag", Usage: "a citynode flag for every node, one argument each (--node-flag=--txpool.globalslots=200000)"}
)

var testnetCommand = &cli.Command{
	Name:  "testnet",
	Usage: "run a local consortium of citynode processes on 127.0.0.1",
	Subcommands: []*cli.Command{
		{
			Name:  "up",
			Usage: "create and start a network; prints its nodes as a JSON array",
			Flags: offlineFlags(dirFlag, binFlag, signersFlag, rpcNodesFlag, periodFlag, chainIDFlag, gasFlag, tnGenesisFlag, signerKeyFlag, nodeFlagFlag,
				&cliutil.Deprecated{Name: "rpc", For: "rpc-nodes"}, &cliutil.Deprecated{Name: "gaslimit", For: "miner.gaslimit"}),
			Action: testnetUp,
		},
		{
			Name:   "status",
			Usage:  "show each node's head and peers",
			Flags:  offlineFlags(dirFlag),
			Action: testnetStatus,
		},
		{
			Name:   "down",
			Usage:  "stop every node (the data stays in the directory)",
			Flags:  offlineFlags(dirFlag),
			Action: func(ctx *cli.Context) error { return withNetwork(ctx, "", (*testnet.Network).Down) },
		},
		{
			Name:      "stop",
			Usage:     "stop one node",
			ArgsUsage: "NAME",
			Flags:     offlineFlags(dirFlag, killFlag),
			Action:    testnetStop,
		},
		{
			Name:   "add",
			Usage:  "add a node that joins late and catches up (a signer must then be voted in); prints it as JSON",
			Flags:  offlineFlags(dirFlag, roleFlag),
			Action: testnetAdd,
		},
		{
			Name:      "start",
			Usage:     "start one stopped node again; returns once it answers JSON-RPC (or with the end of its log if it exits)",
			ArgsUsage: "NAME",
			Flags:     offlineFlags(dirFlag),
			Action:    testnetStart,
		},
	},
}

// nodeView is a node as `testnet up` prints it.
type nodeView struct {
	Name    string `json:"name"`
	Role    string `json:"role"`
	Address string `json:"address"`
	Enode   string `json:"enode"`
	RPC     string `json:"rpc"`
	Metrics string `json:"metrics"`
	PID     int    `json:"pid"`
	DataDir string `json:"datadir"`
	Log     string `json:"log"`
	// A signer's control listener and its JWT secret: votes go there.
	Control   string `json:"control,omitempty"`
	JWTSecret string `json:"jwtsecret,omitempty"`
}

// testnetUp starts a network and prints its nodes as JSON (with or without --json).
func testnetUp(ctx *cli.Context) error {
	bin, err := citynodeBinary(ctx.String(binFlag.Name))
	if err != nil {
		return err
	}
	cfg := testnet.Config{
		Dir: ctx.String(dirFlag.Name), Binary: bin,
		Signers: ctx.Int(signersFlag.Name), RPC: ctx.Int(rpcNodesFlag.Name),
		Period: ctx.Uint64(periodFlag.Name), ChainID: ctx.Uint64(chainIDFlag.Name), GasLimit: ctx.Uint64(gasFlag.Name),
		Genesis: ctx.String(tnGenesisFlag.Name), SignerKeys: ctx.StringSlice(signerKeyFlag.Name), Extra: ctx.StringSlice(nodeFlagFlag.Name),
	}
	if cfg.Genesis != "" && !ctx.IsSet(signersFlag.Name) {
		cfg.Signers = len(cfg.SignerKeys) // the genesis's signers, one key each
	}
	if err := cfg.Validate(); err != nil {
		return cliutil.Usagef("%v", err)
	}
	nw, err := testnet.Up(cfg)
	if err != nil {
		return err
	}
	out := make([]nodeView, len(nw.Nodes))
	for i, n := range nw.Nodes {
		out[i] = nodeView{n.Name, n.Role, "", n.Enode, n.RPC, n.Metrics, n.PID, n.DataDir, n.Log, n.Control, n.JWTSecret}
		if n.Role == testnet.RoleSigner {
			out[i].Address = n.Address.Hex()
		}
	}
	return writeJSON(ctx.App.Writer, out)
}

func testnetStatus(ctx *cli.Context) error {
	nw, err := testnet.Load(ctx.String(dirFlag.Name))
	if err != nil {
		return err
	}
	status := nw.Status(context.Background())
	return emit(ctx, status, func(out io.Writer) error {
		w := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
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
	})
}

func testnetStop(ctx *cli.Context) error {
	name, err := oneArg(ctx, "NAME, the node (e.g. signer2; see `cityctl testnet status`)")
	if err != nil {
		return err
	}
	nw, err := testnet.Load(ctx.String(dirFlag.Name))
	if err != nil {
		return err
	}
	did, err := nw.Halt(name, ctx.Bool(killFlag.Name))
	if err != nil {
		return err
	}
	return emit(ctx, map[string]any{"node": name, "action": "stop", "result": did}, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: %s\n", name, did)
		return err
	})
}

func testnetStart(ctx *cli.Context) error {
	name, err := oneArg(ctx, "NAME, the node (e.g. signer2; see `cityctl testnet status`)")
	if err != nil {
		return err
	}
	return withNetwork(ctx, name, func(nw *testnet.Network) error { return nw.StartAndWait(name) })
}

func testnetAdd(ctx *cli.Context) error {
	nw, err := testnet.Load(ctx.String(dirFlag.Name))
	if err != nil {
		return err
	}
	n, err := nw.Add(ctx.String(roleFlag.Name))
	if err != nil {
		return err
	}
	return writeJSON(ctx.App.Writer, n)
}

// withNetwork runs fn on the network of --dir and reports what it did to
// the node name ("" for all of them).
func withNetwork(ctx *cli.Context, name string, fn func(*testnet.Network) error) error {
	nw, err := testnet.Load(ctx.String(dirFlag.Name))
	if err != nil {
		return err
	}
	if err := fn(nw); err != nil {
		return err
	}
	what := ctx.Command.Name
	if name == "" {
		name = "all nodes"
	}
	return emit(ctx, map[string]any{"node": name, "action": what}, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s: %s\n", name, what)
		return err
	})
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
	return "", cliutil.Usagef("citynode binary not found next to cityctl or in $PATH: run `make build` or pass --bin")
}
