package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/anchor"
)

var anchorAuditCommand = &cli.Command{
	Name:  "audit",
	Usage: "re-verify an anchored Aura chain from its trusted checkpoint and compare the validator sets and checkpoints Anchors recorded (exit 1 on a mismatch)",
	Description: `Reads Anchors' registration of --chain and the validator sets it recorded (the
registration's, then each change a relayer posted with postSetChange), verifies every header
from the trusted checkpoint to the latest with the Aura rules of --chain-spec, read from
--chain-rpc (consensus/aura: seals, steps, scores, set changes and their finality), and
compares: each set change the rules give must be recorded after the same block, with the same
signalling block and the same set, and the checkpoints at those blocks and the latest must be
the chain's. Prints MISMATCH for each difference and exits 1 (ADR 080).`,
	Flags:  nodeFlags(anchorChainFlag, chainRPCFlag, chainSpecFlag),
	Action: anchorAudit,
}

func init() { anchorCommand.Subcommands = append(anchorCommand.Subcommands, anchorAuditCommand) }

func anchorAudit(ctx *cli.Context) error {
	spec, err := readChainSpec(ctx.String(chainSpecFlag.Name))
	if err != nil {
		return err
	}
	c, a, ext, err := dialAnchors(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	defer ext.Close()
	au, err := anchor.AuditAura(c.ctx, a, ext, spec, ctx.Uint64(anchorChainFlag.Name))
	if err != nil {
		return err
	}
	if err := emit(ctx, au, func(w io.Writer) error { return printAudit(w, au) }); err != nil {
		return err
	}
	if len(au.Mismatches) > 0 {
		return fmt.Errorf("%d mismatches between Anchors and chain %d's rules: the relayer posted what the chain did not do (or the chain spec given is not the chain's)", len(au.Mismatches), au.ChainID)
	}
	return nil
}

func printAudit(w io.Writer, au *anchor.AuraAudit) error {
	fmt.Fprintf(w, "Audited chain %d from checkpoint %d to %d: %d headers verified, %d validator sets recorded, %d found\n",
		au.ChainID, au.Trusted, au.Latest, au.Verified, len(au.Recorded), len(au.Found))
	for _, s := range au.Found {
		fmt.Fprintf(w, "  after block %d (signal %d): %d validators %v\n", s.Number, s.Signal, len(s.Set), s.Set)
	}
	for _, m := range au.Mismatches {
		fmt.Fprintf(w, "MISMATCH: %s\n", m)
	}
	if len(au.Mismatches) == 0 {
		fmt.Fprintln(w, "Anchors' checkpoints and validator sets match the chain's rules")
	}
	return nil
}
