package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	auditBlockFlag = &cli.StringFlag{Name: "block", Usage: "block number whose state is proven (decimal or 0x hex); an archive node (citynode --mode auditor) serves old blocks", Required: true}
	trustedFlag    = &cli.StringFlag{Name: "trusted-header", Usage: "hash of the block, obtained from a source you trust (your own node, a published checkpoint)", Required: true}
)

var auditCommand = &cli.Command{
	Name:  "audit",
	Usage: "check the chain without trusting any department: proofs of state at a block, the signer history, the senders' permissions",
	Subcommands: []*cli.Command{
		{
			Name:  "prove",
			Usage: "write a self-contained proof file of state at a block",
			Subcommands: []*cli.Command{
				{
					Name:      "account",
					Usage:     "prove an account and, optionally, storage slots of it",
					ArgsUsage: "ADDRESS [SLOT ...]",
					Flags:     nodeFlags(auditBlockFlag, outFlag),
					Action:    proveAccount,
				},
				{
					Name:      "document",
					Usage:     "prove a document issued on its own: its record and revocation/supersession, decoded",
					ArgsUsage: "HASH",
					Flags:     nodeFlags(auditBlockFlag, outFlag),
					Action:    proveDocument,
				},
				{
					Name:      "title",
					Usage:     "prove a parcel: owners and shares, pending transfer, liens in force and full history, decoded",
					ArgsUsage: "PARCEL",
					Flags:     nodeFlags(auditBlockFlag, outFlag),
					Action:    proveTitle,
				},
			},
		},
		{
			Name:      "verify-proof",
			Usage:     "check a proof file offline against a block hash you trust (no node needed); exits 1 if it does not verify",
			ArgsUsage: "FILE",
			Flags:     offlineFlags(trustedFlag),
			Action:    verifyProof,
		},
		signersCommand,
		permissionsAuditCommand,
	},
}

func proveAccount(ctx *cli.Context) error {
	if ctx.NArg() < 1 {
		return cliutil.Usagef("want ADDRESS [SLOT ...], the account to prove and its storage slots")
	}
	args := ctx.Args().Slice()
	addr, err := parseAddress("address", args[0])
	if err != nil {
		return err
	}
	req := audit.ProveRequest{Address: addr}
	for _, s := range args[1:] {
		slot, err := parseSlot(s)
		if err != nil {
			return cliutil.Usagef("%v", err)
		}
		req.Slots = append(req.Slots, slot)
	}
	return prove(ctx, "account "+addr.Hex(), func(c *conn, block uint64) (*audit.Proof, error) {
		req.Block = block
		return audit.Prove(c.ctx, c.RPC(), req)
	})
}

func proveDocument(ctx *cli.Context) error {
	h, err := hashArg(ctx)
	if err != nil {
		return err
	}
	return prove(ctx, "document "+h.Hex(), func(c *conn, block uint64) (*audit.Proof, error) {
		return registry.ProveDocument(c.ctx, c.RPC(), h, block)
	})
}

func proveTitle(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	return prove(ctx, "parcel "+parcel, func(c *conn, block uint64) (*audit.Proof, error) {
		return registry.ProveTitle(c.ctx, c.RPC(), parcel, block)
	})
}

// prove proves what (with fn) at --block against the node of --rpc and
// writes the proof file to --out, or to standard output.
func prove(ctx *cli.Context, what string, fn func(c *conn, block uint64) (*audit.Proof, error)) error {
	block, err := parseBlock(ctx.String(auditBlockFlag.Name))
	if err != nil {
		return cliutil.Usagef("--block: %v", err)
	}
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	p, err := fn(c, block)
	if err != nil {
		return err
	}
	data, err := p.Encode()
	if err != nil {
		return err
	}
	out := ctx.String(outFlag.Name)
	if out == "" {
		_, err := ctx.App.Writer.Write(data)
		return err
	}
	if err := os.WriteFile(out, data, 0o644); err != nil {
		return fmt.Errorf("write proof file: %w", err)
	}
	fmt.Fprintf(ctx.App.ErrWriter, "Wrote proof of %s at block %d (%s) to %s\n", what, block, p.Header.Hash.Hex(), out)
	if ctx.Bool(jsonFlag.Name) {
		return writeJSON(ctx.App.Writer, map[string]any{"proof": what, "block": block, "hash": p.Header.Hash, "file": out})
	}
	return nil
}

// verified is what `audit verify-proof` prints of a proof that verified.
type verified struct {
	Block   uint64              `json:"block"`
	Hash    common.Hash         `json:"hash"`
	Sealer  common.Address      `json:"sealer"`
	Account verifiedAccount     `json:"account"`
	Storage []verifiedSlot      `json:"storage"`
	Record  *verifiedRecordView `json:"record,omitempty"`
}

// verifiedAccount is the account of a verified proof, named as EIP-1186 names it.
type verifiedAccount struct {
	Address     common.Address `json:"address"`
	Exists      bool           `json:"exists"`
	Nonce       uint64         `json:"nonce"`
	Balance     *hexutil.Big   `json:"balance"`
	CodeHash    common.Hash    `json:"codeHash"`
	StorageHash common.Hash    `json:"storageHash"`
}

type verifiedSlot struct {
	Key   common.Hash `json:"key"`
	Value common.Hash `json:"value"`
}

type verifiedRecordView struct {
	Kind  string          `json:"kind"`
	Value json.RawMessage `json:"value"`
}

func verifyProof(ctx *cli.Context) error {
	path, err := oneArg(ctx, "FILE, the proof file")
	if err != nil {
		return err
	}
	trusted, err := parseHash(ctx.String(trustedFlag.Name))
	if err != nil {
		return cliutil.Usagef("--trusted-header: %v", err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cliutil.Usagef("cannot read proof file: %v", err)
	}
	p, err := audit.VerifyFile(data, trusted, proofRecords())
	if err != nil {
		return cli.Exit(fmt.Sprintf("proof %s does NOT verify: %v", path, err), 1)
	}
	if msg := p.Deprecated(); msg != "" {
		warn(ctx, "%s: %s", path, msg)
	}
	v := newVerified(p)
	return emit(ctx, v, v.print)
}

func newVerified(p *audit.Proof) *verified {
	a := p.Account
	v := &verified{Block: uint64(p.Header.Number), Hash: p.Header.Hash, Sealer: p.Header.Sealer, Storage: []verifiedSlot{},
		Account: verifiedAccount{a.Address, a.Exists(), uint64(a.Nonce), a.Balance, a.CodeHash, a.StorageHash}}
	for _, s := range a.StorageProof {
		v.Storage = append(v.Storage, verifiedSlot{s.Key, common.BigToHash(s.Value.ToInt())})
	}
	if p.Record != nil {
		v.Record = &verifiedRecordView{Kind: p.Record.Kind, Value: p.Record.Value}
	}
	return v
}

func (v *verified) print(w io.Writer) error {
	a := v.Account
	fmt.Fprintf(w, "Proof verified against block %d %s (sealed by %s)\n", v.Block, v.Hash.Hex(), v.Sealer.Hex())
	if !a.Exists {
		fmt.Fprintf(w, "account %s: does not exist\n", a.Address.Hex())
	} else {
		fmt.Fprintf(w, "account %s: nonce %d, balance %s wei, code hash %s, storage root %s\n", a.Address.Hex(), a.Nonce, a.Balance.ToInt(), a.CodeHash.Hex(), a.StorageHash.Hex())
	}
	for _, s := range v.Storage {
		fmt.Fprintf(w, "slot %s = %s\n", s.Key.Hex(), s.Value.Hex())
	}
	if v.Record != nil {
		fmt.Fprintf(w, "%s record: %s\n", v.Record.Kind, v.Record.Value)
	}
	return nil
}
