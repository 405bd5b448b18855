package main

import (
	"fmt"
	"io"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// Flags of the anchor commands.
var (
	chainRPCFlag    = &cli.StringFlag{Name: "chain-rpc", Usage: "JSON-RPC URL of a node of the external chain (with the clique API for register)", Required: true}
	anchorChainFlag = &cli.Uint64Flag{Name: "chain", Usage: "chain id of the registered external chain", Required: true}
	epochFlag       = &cli.Uint64Flag{Name: "epoch", Usage: "the external chain's Clique epoch (its genesis' clique.epoch)", Value: 30000}
	checkpointFlag  = &cli.StringFlag{Name: "checkpoint", Usage: "block number of the trusted checkpoint (default: the latest epoch header)"}
	blocksFlag      = &cli.Uint64Flag{Name: "blocks", Usage: "most headers in one posting (Anchors costs about 30,000 gas a header)", Value: 256}
)

var anchorCommand = &cli.Command{
	Name:  "anchor",
	Usage: "checkpoints of the city's existing proof-of-authority chains in the Anchors contract (docs/integration.md)",
	Subcommands: []*cli.Command{
		{
			Name:   "deploy",
			Usage:  "deploy Anchors and register it in the Directory as service \"anchors\" (city admin; nothing to do if it is there)",
			Flags:  signFlags(),
			Action: anchorDeploy,
		},
		{
			Name:   "register",
			Usage:  "register an external Clique chain at a trusted checkpoint read from --chain-rpc (city admin)",
			Flags:  signFlags(chainRPCFlag, epochFlag, checkpointFlag),
			Action: anchorRegister,
		},
		{
			Name:   "status",
			Usage:  "show what Anchors holds for an external chain: latest checkpoint, tracked validators, conflicts",
			Flags:  nodeFlags(anchorChainFlag),
			Action: anchorStatus,
		},
		{
			Name:   "post",
			Usage:  "post one span of headers of the external chain after the latest checkpoint (anchor-relayer)",
			Flags:  signFlags(anchorChainFlag, chainRPCFlag, blocksFlag),
			Action: anchorPost,
		},
	},
}

func anchorDeploy(ctx *cli.Context) error {
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	a, existing, err := anchor.Deploy(c.ctx, c.Client)
	if err != nil {
		return err
	}
	return emit(ctx, map[string]any{"address": a.Address, "existing": existing}, func(w io.Writer) error {
		if existing {
			fmt.Fprintf(w, "Anchors is already registered in the Directory at %s\n", a.Address.Hex())
			return nil
		}
		fmt.Fprintf(w, "Deployed Anchors at %s and registered it in the Directory as %q\n", a.Address.Hex(), anchor.ServiceName)
		return nil
	})
}

func anchorRegister(ctx *cli.Context) error {
	var at *uint64
	if s := ctx.String(checkpointFlag.Name); s != "" {
		n, err := parseBlock(s)
		if err != nil {
			return cliutil.Usagef("--checkpoint %v", err)
		}
		at = &n
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	a, err := anchor.Find(c.ctx, c.Client)
	if err != nil {
		return err
	}
	ext, err := anchor.DialExternal(c.ctx, ctx.String(chainRPCFlag.Name))
	if err != nil {
		return err
	}
	defer ext.Close()
	r, err := ext.Registration(c.ctx, ctx.Uint64(epochFlag.Name), at)
	if err != nil {
		return err
	}
	tx, err := a.Register(c.ctx, *r)
	if err != nil {
		return err
	}
	text := fmt.Sprintf("Registered chain %d (genesis %s, epoch %d) at checkpoint %d %s with %d signers", r.ChainID, r.Genesis.Hex(), r.Epoch, r.Checkpoint.Number, r.Checkpoint.Hash.Hex(), len(r.Signers))
	return printTx(ctx, tx, text, map[string]any{"registration": r})
}

func anchorStatus(ctx *cli.Context) error {
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	a, err := anchor.Find(c.ctx, c.Client)
	if err != nil {
		return err
	}
	s, err := a.Status(c.ctx, ctx.Uint64(anchorChainFlag.Name))
	if err != nil {
		return err
	}
	return emit(ctx, s, func(w io.Writer) error {
		fmt.Fprintf(w, "Chain %d (%s, epoch %d, genesis %s), Anchors at %s\n", s.ChainID, s.Consensus, s.Epoch, s.Genesis.Hex(), a.Address.Hex())
		fmt.Fprintf(w, "Trusted checkpoint %d\n", s.Trusted)
		fmt.Fprintf(w, "Latest checkpoint  %d %s (anchored in citychain block %d)\n", s.Latest.Number, s.Latest.Hash.Hex(), s.Latest.AnchoredAt)
		if s.Conflicted {
			fmt.Fprintf(w, "CONFLICT: a different checkpoint was posted for block %d (cityctl anchor status --json; docs/integration.md)\n", s.Latest.Number)
		}
		for _, v := range s.Validators {
			fmt.Fprintf(w, "  validator %s\n", v.Hex())
		}
		return nil
	})
}

func anchorPost(ctx *cli.Context) error {
	if ctx.Uint64(blocksFlag.Name) == 0 {
		return cliutil.Usagef("--blocks must be at least 1")
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	a, err := anchor.Find(c.ctx, c.Client)
	if err != nil {
		return err
	}
	ext, err := anchor.DialExternal(c.ctx, ctx.String(chainRPCFlag.Name))
	if err != nil {
		return err
	}
	defer ext.Close()
	r := anchor.Relay{Anchors: a, External: ext, ChainID: ctx.Uint64(anchorChainFlag.Name), MaxHeaders: ctx.Uint64(blocksFlag.Name)}
	span, err := r.Next(c.ctx)
	if err != nil {
		return err
	}
	if len(span.Headers) == 0 {
		return emit(ctx, map[string]any{"latest": span.From, "posted": 0}, func(w io.Writer) error {
			_, err := fmt.Fprintf(w, "Nothing to post: checkpoint %d is the external chain's head\n", span.From)
			return err
		})
	}
	tx, err := r.Post(c.ctx, span)
	if err != nil {
		return err
	}
	last := span.Headers[len(span.Headers)-1]
	return printTx(ctx, tx, fmt.Sprintf("Anchored block %d %s of chain %d (%d headers)", last.Number, last.Hash().Hex(), r.ChainID, len(span.Headers)),
		map[string]any{"chain": r.ChainID, "from": span.From, "to": last.Number.Uint64(), "hash": last.Hash()})
}
