package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"text/tabwriter"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/audit"
)

var (
	auditGenesisFlag = &cli.StringFlag{Name: "genesis", Usage: "genesis file of the network (its hash is checked against the node's block 0; it gives the epoch and forks)", Required: true}
	auditFromFlag    = &cli.Uint64Flag{Name: "from", Usage: "first block reported (the replay starts at the checkpoint at or below it, taken on trust)"}
	auditToFlag      = &cli.StringFlag{Name: "to", Usage: "last block checked (default: the node's head)"}
	auditJSONFlag    = &cli.BoolFlag{Name: "json", Usage: "print the full history (every block's sealer) as JSON"}
)

var signersCommand = &cli.Command{
	Name:  "signers",
	Usage: "replay the signer-set history with the Clique rules: votes, changes, checkpoints, every block's sealer; exits 1 at the first violation",
	Flags: []cli.Flag{auditRPCFlag, auditGenesisFlag, auditFromFlag, auditToFlag, auditJSONFlag},
	Action: func(ctx *cli.Context) error {
		g, err := genesis.Load(ctx.String(auditGenesisFlag.Name))
		if err != nil {
			return cli.Exit(err.Error(), 2)
		}
		client, err := rpc.DialContext(ctx.Context, ctx.String(auditRPCFlag.Name))
		if err != nil {
			return cli.Exit(fmt.Sprintf("cannot reach %s: %v", ctx.String(auditRPCFlag.Name), err), 1)
		}
		defer client.Close()
		var to uint64
		if s := ctx.String(auditToFlag.Name); s != "" {
			if to, err = parseBlock(s); err != nil {
				return cli.Exit("--to: "+err.Error(), 2)
			}
		} else {
			var head hexUint
			if err := client.CallContext(ctx.Context, &head, "eth_blockNumber"); err != nil {
				return cli.Exit(fmt.Sprintf("eth_blockNumber: %v", err), 1)
			}
			to = uint64(head)
		}
		from := ctx.Uint64(auditFromFlag.Name)
		progress := func(done, total uint64) {
			if total >= 10000 {
				fmt.Fprintf(os.Stderr, "\rreplayed %d/%d headers", done, total)
				if done == total {
					fmt.Fprintln(os.Stderr)
				}
			}
		}
		a, err := audit.AuditSigners(ctx.Context, g, audit.RPCHeaders{Client: client}, from, to, progress)
		if a == nil {
			return cli.Exit(err.Error(), 1)
		}
		if ctx.Bool(auditJSONFlag.Name) {
			enc := json.NewEncoder(os.Stdout)
			enc.SetIndent("", "  ")
			if err := enc.Encode(a); err != nil {
				return err
			}
		} else {
			printSignerAudit(os.Stdout, a)
		}
		if err != nil {
			if errors.Is(err, audit.ErrRuleViolation) {
				return cli.Exit(fmt.Sprintf("VIOLATION: %v", a.Violation), 1)
			}
			return cli.Exit(err.Error(), 1)
		}
		return nil
	},
}

type hexUint uint64

func (h *hexUint) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	n, err := parseBlock(s)
	*h = hexUint(n)
	return err
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

func addrList(addrs []common.Address) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.Hex()
	}
	return strings.Join(s, ",")
}
