package main

import (
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	auditFromFlag = &cli.Uint64Flag{Name: "from-block", Usage: "first block reported (the replay starts at the checkpoint at or below it, taken on trust)"}
	auditToFlag   = &cli.StringFlag{Name: "to-block", Usage: "last block checked (default: the node's head)"}
)

var signersCommand = &cli.Command{
	Name:  "signers",
	Usage: "replay the signer-set history with the Clique rules: votes, changes, checkpoints, every block's sealer; exits 1 at the first violation",
	Description: `--json prints the full history, every block's sealer included. The genesis file's
hash is checked against the node's block 0; it gives the epoch and the forks.`,
	Flags: nodeFlags(genesisFlag, auditFromFlag, auditToFlag,
		&cliutil.Deprecated{Name: "from", For: "from-block"}, &cliutil.Deprecated{Name: "to", For: "to-block"}),
	Action: auditSigners,
}

func auditSigners(ctx *cli.Context) error {
	g, err := genesis.Load(ctx.String(genesisFlag.Name))
	if err != nil {
		return cliutil.Usagef("%v", err)
	}
	c, to, err := dialAudit(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	progress := auditProgress(ctx.App.ErrWriter, "replayed", "headers")
	a, err := audit.AuditSigners(c.ctx, g, audit.RPCHeaders{Client: c.RPC()}, ctx.Uint64(auditFromFlag.Name), to, progress)
	if a == nil {
		return err
	}
	if perr := emit(ctx, a, func(w io.Writer) error { printSignerAudit(w, a); return nil }); perr != nil {
		return perr
	}
	if errors.Is(err, audit.ErrRuleViolation) {
		return cli.Exit(fmt.Sprintf("VIOLATION: %v", a.Violation), 1)
	}
	return err
}

// dialAudit dials the node an audit reads (no key) and resolves the last
// block of its range (lastBlock).
func dialAudit(ctx *cli.Context) (*conn, uint64, error) {
	c, err := dial(ctx, false)
	if err != nil {
		return nil, 0, err
	}
	to, err := lastBlock(ctx, c)
	if err != nil {
		c.Close()
		return nil, 0, err
	}
	return c, to, nil
}

// auditProgressFrom is the length of a range, in blocks, from which an audit
// shows its progress.
const auditProgressFrom = 10000

// auditProgress returns the progress callback of an audit of a block range:
// from auditProgressFrom blocks on, "VERB done/total UNIT" on w, redrawn in
// place and ended with a newline when done.
func auditProgress(w io.Writer, verb, unit string) func(done, total uint64) {
	return func(done, total uint64) {
		if total < auditProgressFrom {
			return
		}
		fmt.Fprintf(w, "\r%s %d/%d %s", verb, done, total, unit)
		if done == total {
			fmt.Fprintln(w)
		}
	}
}

// lastBlock is --to-block, or the node's head.
func lastBlock(ctx *cli.Context, c *conn) (uint64, error) {
	if s := ctx.String(auditToFlag.Name); s != "" {
		to, err := parseBlock(s)
		if err != nil {
			return 0, cliutil.Usagef("--to-block: %v", err)
		}
		return to, nil
	}
	return c.Eth().BlockNumber(c.ctx)
}

// printSignerAudit prints the audit as tables.
func printSignerAudit(w io.Writer, a *audit.SignerAudit) {
	fmt.Fprintf(w, "Genesis %s, epoch %d blocks\n", a.Genesis.Hex(), a.Epoch)
	how := "genesis"
	if a.Start.Block > 0 {
		how = "checkpoint taken on trust"
	}
	fmt.Fprintf(w, "Replay from block %d (%s), signers %s\n", a.Start.Block, how, addrList(a.Start.Signers))
	fmt.Fprintf(w, "Checked blocks %d..%d\n\n", a.From, a.To)
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	printVotesAndChanges(tw, a)
	fmt.Fprintf(tw, "\nSEALERS\nSIGNER\tBLOCKS\tIN TURN\n")
	names := make([]string, 0, len(a.Sealers))
	for name := range a.Sealers {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		fmt.Fprintf(tw, "%s\t%d\t%d\n", name, a.Sealers[name].Blocks, a.Sealers[name].InTurn)
	}
	tw.Flush()
	if v := a.Violation; v != nil {
		fmt.Fprintf(w, "\nVIOLATION at block %d (%s): %s\n  %s\n", v.Block, v.Hash.Hex(), v.Rule, v.Detail)
	} else {
		fmt.Fprintf(w, "\nNo violation: every block from %d to %d follows the Clique rules.\n", a.From, a.To)
	}
}

func printVotesAndChanges(tw io.Writer, a *audit.SignerAudit) {
	fmt.Fprintf(tw, "VOTES\nBLOCK\tVOTER\tSUBJECT\tDIRECTION\n")
	for _, v := range a.Votes {
		dir := "drop"
		if v.Authorize {
			dir = "add"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", v.Block, v.Voter.Hex(), v.Subject.Hex(), dir)
	}
	fmt.Fprintf(tw, "\nCHANGES\nBLOCK\tSIGNER\tCHANGE\tSIGNERS AFTER\n")
	for _, c := range a.Changes {
		what := "dropped"
		if c.Added {
			what = "added"
		}
		fmt.Fprintf(tw, "%d\t%s\t%s\t%s\n", c.Block, c.Subject.Hex(), what, addrList(c.Signers))
	}
	fmt.Fprintf(tw, "\nCHECKPOINTS\nBLOCK\tMATCHES REPLAY\tSIGNERS\n")
	for _, c := range a.Epochs {
		fmt.Fprintf(tw, "%d\t%v\t%s\n", c.Block, c.Matches, addrList(c.Signers))
	}
}

func addrList(addrs []common.Address) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.Hex()
	}
	return strings.Join(s, ",")
}
