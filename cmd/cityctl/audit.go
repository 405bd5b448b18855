package main

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/audit"
)

var (
	auditRPCFlag   = &cli.StringFlag{Name: "rpc", Usage: "JSON-RPC URL of a node (an archive node, citynode --mode auditor, for old blocks)", Value: "http://127.0.0.1:8545"}
	auditBlockFlag = &cli.StringFlag{Name: "block", Usage: "block number whose state is proven (decimal or 0x hex)", Required: true}
	auditOutFlag   = &cli.StringFlag{Name: "out", Usage: "write the proof file here (default: standard output)"}
	trustedFlag    = &cli.StringFlag{Name: "trusted-header", Usage: "hash of the block, obtained from a source you trust (your own node, a published checkpoint)", Required: true}
)

var auditCommand = &cli.Command{
	Name:  "audit",
	Usage: "check the chain without trusting any department: proofs of state at a block, the signer history",
	Subcommands: []*cli.Command{
		{
			Name:  "prove",
			Usage: "write a self-contained proof file of state at a block",
			Subcommands: []*cli.Command{
				{
					Name:      "account",
					Usage:     "prove an account and, optionally, storage slots of it",
					ArgsUsage: "ADDRESS [SLOT ...]",
					Flags:     []cli.Flag{auditRPCFlag, auditBlockFlag, auditOutFlag},
					Action:    proveAccount,
				},
				proveDocumentCommand,
				proveTitleCommand,
			},
		},
		{
			Name:      "verify-proof",
			Usage:     "check a proof file offline against a block hash you trust (no node needed)",
			ArgsUsage: "FILE",
			Flags:     []cli.Flag{trustedFlag},
			Action:    verifyProof,
		},
		signersCommand,
	},
}

func proveAccount(ctx *cli.Context) error {
	if ctx.NArg() < 1 {
		return cli.Exit("usage: cityctl audit prove account --rpc URL --block N ADDRESS [SLOT ...]", 2)
	}
	args := ctx.Args().Slice()
	if !common.IsHexAddress(args[0]) {
		return cli.Exit(fmt.Sprintf("invalid address %q: want a 0x-prefixed 20-byte hex address", args[0]), 2)
	}
	req := audit.ProveRequest{Address: common.HexToAddress(args[0])}
	for _, s := range args[1:] {
		slot, err := parseSlot(s)
		if err != nil {
			return cli.Exit(err.Error(), 2)
		}
		req.Slots = append(req.Slots, slot)
	}
	number, err := parseBlock(ctx.String(auditBlockFlag.Name))
	if err != nil {
		return cli.Exit(err.Error(), 2)
	}
	req.Block = number
	return writeProof(ctx, req)
}

// writeProof proves req against the node of --rpc and writes the file.
func writeProof(ctx *cli.Context, req audit.ProveRequest) error {
	cctx, cancel := context.WithTimeout(ctx.Context, 2*time.Minute)
	defer cancel()
	client, err := rpc.DialContext(cctx, ctx.String(auditRPCFlag.Name))
	if err != nil {
		return cli.Exit(fmt.Sprintf("cannot reach %s: %v", ctx.String(auditRPCFlag.Name), err), 1)
	}
	defer client.Close()
	p, err := audit.Prove(cctx, client, req)
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	data, err := p.Encode()
	if err != nil {
		return cli.Exit(err.Error(), 1)
	}
	if out := ctx.String(auditOutFlag.Name); out != "" {
		if err := os.WriteFile(out, data, 0o644); err != nil {
			return cli.Exit(fmt.Sprintf("write proof file: %v", err), 1)
		}
		fmt.Fprintf(os.Stderr, "Wrote proof of %s at block %d (%s) to %s\n", req.Address.Hex(), req.Block, p.Header.Hash.Hex(), out)
		return nil
	}
	_, err = os.Stdout.Write(data)
	return err
}

func verifyProof(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return cli.Exit("usage: cityctl audit verify-proof --trusted-header HASH FILE", 2)
	}
	trusted, err := parseHash(ctx.String(trustedFlag.Name))
	if err != nil {
		return cli.Exit("--trusted-header: "+err.Error(), 2)
	}
	data, err := os.ReadFile(ctx.Args().First())
	if err != nil {
		return cli.Exit(fmt.Sprintf("cannot read proof file: %v", err), 1)
	}
	p, err := audit.VerifyFile(data, trusted)
	if err != nil {
		return cli.Exit(fmt.Sprintf("proof %s does NOT verify: %v", ctx.Args().First(), err), 1)
	}
	a := p.Account
	w := ctx.App.Writer
	fmt.Fprintf(w, "Proof verified against block %d %s (sealed by %s)\n", uint64(p.Header.Number), p.Header.Hash.Hex(), p.Header.Sealer.Hex())
	if !a.Exists {
		fmt.Fprintf(w, "account %s: does not exist\n", a.Address.Hex())
	} else {
		fmt.Fprintf(w, "account %s: nonce %d, balance %s wei, code hash %s, storage root %s\n", a.Address.Hex(), uint64(a.Nonce), a.Balance.ToInt(), a.CodeHash.Hex(), a.StorageRoot.Hex())
	}
	for _, s := range p.Storage {
		fmt.Fprintf(w, "slot %s = %s\n", s.Slot.Hex(), s.Value.Hex())
	}
	if p.Record != nil {
		fmt.Fprintf(w, "%s record: %s\n", p.Record.Kind, p.Record.Value)
	}
	return nil
}

// parseSlot reads a storage slot: a 32-byte hex hash or a decimal or 0x number.
func parseSlot(s string) (common.Hash, error) {
	if strings.HasPrefix(s, "0x") && len(s) == 66 {
		return parseHash(s)
	}
	n, err := parseBlock(s)
	if err != nil {
		return common.Hash{}, fmt.Errorf("invalid slot %q: want a 32-byte 0x hash or a number", s)
	}
	return common.BigToHash(new(big.Int).SetUint64(n)), nil
}

// parseHash reads a 0x-prefixed 32-byte hex hash.
func parseHash(s string) (common.Hash, error) {
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("invalid hash %q: want 0x and 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}

// parseBlock reads a block number in decimal or 0x hex.
func parseBlock(s string) (uint64, error) {
	if strings.HasPrefix(s, "0x") {
		n, err := hexutil.DecodeUint64(s)
		if err != nil {
			return 0, fmt.Errorf("invalid number %q: %v", s, err)
		}
		return n, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q: want a decimal or 0x hex block number", s)
	}
	return n, nil
}
