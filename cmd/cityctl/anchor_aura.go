package main

import (
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/consensus/aura"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// Flags of anchor verify.
var (
	chainSpecFlag     = &cli.StringFlag{Name: "chain-spec", Usage: "the Aura chain's Parity/OpenEthereum chain spec JSON (its engine.authorityRound.params give the rules)", Required: true}
	verifyTrustedFlag = &cli.StringFlag{Name: "trusted", Usage: "block number to start from, taken on trust with the validator set after it (default: 1,000 blocks before --to)"}
	verifyToFlag      = &cli.StringFlag{Name: "to", Usage: "last block to verify (default: the external chain's head)"}
)

var anchorVerifyCommand = &cli.Command{
	Name:  "verify",
	Usage: "verify a stretch of an external Aura chain's headers with the rules of its chain spec, posting nothing",
	Description: `Reads the headers after --trusted up to --to from --chain-rpc (a Parity/OpenEthereum or
Nethermind node) and checks each with the Aura rules of --chain-spec: the seal and the step's
proposer, steps, score, and validator-set changes (list, contract with InitiateChange, multi;
docs/integration.md). Exits 1 naming the first header that breaks a rule. Run this against the
chain to be anchored before relying on it; anchor register, post and follow take --chain-spec
to anchor an Aura chain (ADR 070).`,
	Flags:  offlineFlags(chainRPCFlag, chainSpecFlag, verifyTrustedFlag, verifyToFlag),
	Action: anchorVerify,
}

func init() { anchorCommand.Subcommands = append(anchorCommand.Subcommands, anchorVerifyCommand) }

// auraVerdict is what anchor verify prints.
type auraVerdict struct {
	ChainID    uint64   `json:"chainId"`
	Spec       string   `json:"spec"`
	Trusted    uint64   `json:"trusted"`
	To         uint64   `json:"to"`
	Verified   uint64   `json:"verified"`
	Head       string   `json:"head"`
	Step       uint64   `json:"step"`
	Validators []string `json:"validators"`
	Pending    *uint64  `json:"pendingChangeFrom,omitempty"`
}

func anchorVerify(ctx *cli.Context) error {
	spec, err := readChainSpec(ctx.String(chainSpecFlag.Name))
	if err != nil {
		return err
	}
	ext, err := anchor.DialExternal(ctx.Context, ctx.String(chainRPCFlag.Name))
	if err != nil {
		return err
	}
	defer ext.Close()
	from, to, err := verifyRange(ctx, ext)
	if err != nil {
		return err
	}
	st, n, err := anchor.VerifyAura(ctx.Context, ext.Aura(), spec, from, to)
	if errors.Is(err, aura.ErrRuleViolation) {
		return fmt.Errorf("REFUSED after %d good headers (blocks %d..%d verified): %w", n, from+1, from+n, err)
	}
	if err != nil {
		return err
	}
	id, _ := ext.ChainID(ctx.Context)
	v := auraVerdict{ChainID: id, Spec: spec.Name, Trusted: from, To: to, Verified: n, Head: st.Hash.Hex(), Step: st.Step}
	for _, a := range st.Set {
		v.Validators = append(v.Validators, a.Hex())
	}
	if st.Pending != nil {
		v.Pending = &st.Pending.Number
	}
	return emit(ctx, v, func(w io.Writer) error {
		fmt.Fprintf(w, "Verified blocks %d..%d of chain %d with the Aura rules of %q: %d headers, head %s at step %d\n", from+1, to, id, spec.Name, n, v.Head, v.Step)
		fmt.Fprintf(w, "Validators after block %d:\n", to)
		for _, a := range v.Validators {
			fmt.Fprintf(w, "  %s\n", a)
		}
		if v.Pending != nil {
			fmt.Fprintf(w, "A validator-set change signalled in block %d is not final yet\n", *v.Pending)
		}
		return nil
	})
}

func readChainSpec(path string) (*aura.Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, cliutil.Usagef("--chain-spec: %v", err)
	}
	spec, err := aura.ParseSpec(data)
	if err != nil {
		return nil, cliutil.Usagef("--chain-spec %s: %v", path, err)
	}
	return spec, nil
}

// verifyRange reads --trusted and --to, defaulting to the head and 1,000
// blocks before it.
func verifyRange(ctx *cli.Context, ext *anchor.External) (from, to uint64, err error) {
	at, err := optionalBlock(ctx, verifyToFlag)
	if err != nil {
		return 0, 0, err
	}
	if at != nil {
		to = *at
	} else if to, err = ext.Head(ctx.Context); err != nil {
		return 0, 0, err
	}
	trusted, err := optionalBlock(ctx, verifyTrustedFlag)
	if err != nil {
		return 0, 0, err
	}
	from = to - min(to, 1000)
	if trusted != nil {
		from = *trusted
	}
	if to <= from {
		return 0, 0, cliutil.Usagef("--to %d must be after --trusted %d", to, from)
	}
	return from, to, nil
}
