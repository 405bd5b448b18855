package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/registry"
)

// Flags shared by the registry commands (dept, doc, title, contracts).
var (
	regRPCFlag   = &cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of a node", Value: "http://127.0.0.1:8545", EnvVars: []string{"CITYCTL_RPC"}}
	keystoreFlag = &cli.StringFlag{Name: "keystore", Usage: "keystore file (Web3 Secret Storage JSON) of the account that sends", EnvVars: []string{"CITYCTL_KEYSTORE"}}
	passwordFlag = &cli.StringFlag{Name: "password", Usage: "file holding the keystore file's password", EnvVars: []string{"CITYCTL_PASSWORD"}}
	jsonOutFlag  = &cli.BoolFlag{Name: "json", Usage: "print JSON for scripts instead of text"}
	waitTxFlag   = &cli.DurationFlag{Name: "wait", Usage: "longest wait for a transaction to be mined", Value: registry.DefaultWait}
)

// readFlags are the flags of a command that only reads.
func readFlags(extra ...cli.Flag) []cli.Flag {
	return append([]cli.Flag{regRPCFlag, jsonOutFlag}, extra...)
}

// writeFlags are the flags of a command that sends a transaction.
func writeFlags(extra ...cli.Flag) []cli.Flag {
	return append([]cli.Flag{regRPCFlag, keystoreFlag, passwordFlag, waitTxFlag, jsonOutFlag}, extra...)
}

// commandTimeout bounds one registry command (reads and the receipt wait).
const commandTimeout = 5 * time.Minute

// openClient dials --rpc, with the key of --keystore/--password if write.
func openClient(ctx *cli.Context, write bool) (*registry.Client, context.Context, context.CancelFunc, error) {
	var signer *registry.Signer
	if write {
		var err error
		signer, err = registry.LoadKey(ctx.String(keystoreFlag.Name), ctx.String(passwordFlag.Name))
		if err != nil {
			return nil, nil, nil, cli.Exit(err.Error(), 2)
		}
	}
	cctx, cancel := context.WithTimeout(ctx.Context, commandTimeout)
	c, err := registry.Dial(cctx, ctx.String(regRPCFlag.Name), signer)
	if err != nil {
		cancel()
		return nil, nil, nil, cli.Exit(err.Error(), 1)
	}
	if write {
		c.Wait = ctx.Duration(waitTxFlag.Name)
	}
	return c, cctx, func() { c.Close(); cancel() }, nil
}

// fail turns an error of the registry into the command's exit: a revert
// prints the decoded error, bad input exits with status 2.
func fail(err error) error {
	var rev *registry.RevertError
	switch {
	case errors.As(err, &rev):
		return cli.Exit(rev.Error(), 1)
	case errors.Is(err, registry.ErrInput), errors.Is(err, registry.ErrNoKey), errors.Is(err, registry.ErrKey):
		return cli.Exit(err.Error(), 2)
	}
	return cli.Exit(err.Error(), 1)
}

// printTx prints a mined transaction: one line of text, or JSON with extra fields.
func printTx(ctx *cli.Context, tx *registry.Tx, text string, extra map[string]any) error {
	if ctx.Bool(jsonOutFlag.Name) {
		out := map[string]any{"action": tx.Action, "tx": tx.Hash, "from": tx.From, "block": tx.Block, "gasUsed": tx.GasUsed}
		for k, v := range extra {
			out[k] = v
		}
		return outJSON(ctx, out)
	}
	_, err := fmt.Fprintf(ctx.App.Writer, "%s (tx %s, block %d, gas %d)\n", text, tx.Hash.Hex(), tx.Block, tx.GasUsed)
	return err
}

func outJSON(ctx *cli.Context, v any) error {
	return writeJSON(ctx.App.Writer, v)
}

// parseAddress reads a 0x-prefixed 20-byte hex address.
func parseAddress(what, s string) (common.Address, error) {
	if !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x") {
		return common.Address{}, cli.Exit(fmt.Sprintf("invalid %s %q: want a 0x-prefixed 20-byte hex address", what, s), 2)
	}
	return common.HexToAddress(s), nil
}

// formatTime prints seconds since the Unix epoch as UTC, "-" for 0.
func formatTime(t uint64) string {
	if t == 0 {
		return "-"
	}
	return time.Unix(int64(t), 0).UTC().Format(time.RFC3339)
}

// progressBar reports batch progress on w: a bar redrawn in place when w is
// a terminal, a plain line every 10% otherwise (logs, CI).
type progressBar struct {
	w        io.Writer
	tty      bool
	what     string
	lastTick int
}

func newProgress(w io.Writer, what string) *progressBar {
	tty := false
	if f, ok := w.(*os.File); ok {
		tty = isatty.IsTerminal(f.Fd())
	}
	return &progressBar{w: w, tty: tty, what: what, lastTick: -1}
}

// update implements the progress callback of registry.BuildBatch.
func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	pct := done * 100 / total
	if p.tty {
		const width = 40
		fill := pct * width / 100
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%%", p.what, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), pct)
		if done >= total {
			fmt.Fprintln(p.w)
		}
		return
	}
	if tick := pct / 10; tick > p.lastTick {
		p.lastTick = tick
		fmt.Fprintf(p.w, "%s: %d%% (%d/%d)\n", p.what, pct, done, total)
	}
}
