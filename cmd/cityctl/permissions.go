package main

import (
	"errors"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var permissionsAuditCommand = &cli.Command{
	Name:  "permissions",
	Usage: "check every transaction of a range of blocks against the Directory at its block's parent (ADR 048); exits 1 if a block from the permissions block on breaks the rule",
	Description: `Each block's transactions are checked against its header, senders are recovered from
their signatures, and every Directory storage value is read with a Merkle proof checked against
the parent's state root: old blocks need an archive node (citynode --mode auditor). The
genesis file gives the permissions block (config.citychain.permissionsBlock); a genesis
without one is audited as if the rule held from block 1. Transactions before the
permissions block that the rule would refuse are listed, not counted as violations.`,
	Flags:  nodeFlags(genesisFlag, auditFromFlag, auditToFlag),
	Action: auditPermissions,
}

func auditPermissions(ctx *cli.Context) error {
	g, ext, err := genesis.LoadExtended(ctx.String(genesisFlag.Name))
	if err != nil {
		return cliutil.Usagef("%v", err)
	}
	c, to, err := dialAudit(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	progress := auditProgress(ctx.App.ErrWriter, "checked", "blocks")
	a, err := audit.AuditPermissions(c.ctx, c.RPC(), g, ext, ctx.Uint64(auditFromFlag.Name), to, progress)
	if a == nil {
		return err
	}
	if perr := emit(ctx, a, func(w io.Writer) error { printPermissionAudit(w, a); return nil }); perr != nil {
		return perr
	}
	if errors.Is(err, audit.ErrPermissionViolation) {
		return cli.Exit(fmt.Sprintf("VIOLATION: %v", err), 1)
	}
	return err
}

// printPermissionAudit prints the audit as a table of findings.
func printPermissionAudit(w io.Writer, a *audit.PermissionAudit) {
	rule := fmt.Sprintf("from block %d (config.citychain.permissionsBlock)", a.RuleFrom)
	if !a.Scheduled {
		rule = "not scheduled by the genesis: audited as if it held from block 1"
	}
	fmt.Fprintf(w, "Genesis %s, permissions rule %s\n", a.Genesis.Hex(), rule)
	fmt.Fprintf(w, "Checked blocks %d..%d: %d transactions, %d senders, %d states of the Directory\n", a.From, a.To, a.Transactions, a.Senders, a.DirectoryStates)
	if len(a.Findings) > 0 {
		fmt.Fprintln(w)
		tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
		fmt.Fprintf(tw, "BLOCK\tTX\tFROM\tWHAT\tVIOLATION\n")
		for _, f := range a.Findings {
			what := "not permitted"
			if f.Create {
				what = "contract creation without the deployer role"
			}
			fmt.Fprintf(tw, "%d\t%s\t%s\t%s\t%v\n", f.Block, f.Tx.Hex(), f.From.Hex(), what, f.Violation)
		}
		tw.Flush()
	}
	if a.Violations > 0 {
		fmt.Fprintf(w, "\nVIOLATION: %d transactions from accounts the Directory did not permit, from block %d on\n", a.Violations, a.RuleFrom)
	} else {
		fmt.Fprintf(w, "\nNo violation: every transaction of blocks %d to %d from block %d on was sent by an account the Directory permitted.\n", a.From, a.To, a.RuleFrom)
	}
}
