package main

import (
	"fmt"
	"os"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/registry"
)

var (
	docHashFlag       = &cli.StringFlag{Name: "hash", Usage: "document hash (0x and 64 hex digits); or give --file"}
	docFileFlag       = &cli.StringFlag{Name: "file", Usage: "document file, hashed with keccak256 (the file itself stays off chain)"}
	docTypeFlag       = &cli.StringFlag{Name: "type", Usage: "document type code, 1 to 32 bytes (e.g. BIRTH-CERT)"}
	docHolderFlag     = &cli.StringFlag{Name: "holder-ref", Usage: "holder reference: keccak256 of a salt and the holder's id, computed off chain (0x and 64 hex digits)"}
	docFromFlag       = &cli.StringFlag{Name: "valid-from", Usage: "start of validity: seconds since the Unix epoch or RFC 3339 (default: always valid)"}
	docUntilFlag      = &cli.StringFlag{Name: "valid-until", Usage: "end of validity: seconds since the Unix epoch or RFC 3339 (default: no expiry)"}
	docBatchFileFlag  = &cli.StringFlag{Name: "batch", Usage: "batch file written by doc issue-batch: the document is one of that batch"}
	docBatchOutFlag   = &cli.StringFlag{Name: "out", Usage: "batch file to write (the root and every document's proof)", Required: true}
	docWholeBatchFlag = &cli.BoolFlag{Name: "whole-batch", Usage: "revoke every document of the --batch file's batch"}
)

var docCommand = &cli.Command{
	Name:  "doc",
	Usage: "government documents by hash: issue (one or a Merkle batch), verify, revoke, supersede",
	Subcommands: []*cli.Command{
		{
			Name:   "issue",
			Usage:  "issue one document for your department (issuer role)",
			Flags:  writeFlags(docHashFlag, docFileFlag, docTypeFlag, docHolderFlag, docFromFlag, docUntilFlag),
			Action: docIssue,
		},
		{
			Name:      "issue-batch",
			Usage:     "issue a batch of documents as one Merkle root and write every document's proof",
			ArgsUsage: "DOCUMENTS.(csv|json)",
			Description: `Reads documents from a CSV file (header: docHash,docType,holderRef,validFrom,validUntil)
or a JSON array of objects with those fields, builds the Merkle tree, issues its root with
Documents.issueBatch, and writes --out: the root and each document with its proof. Give
each holder its entry: anyone can then check it with cityctl doc verify --batch FILE HASH.`,
			Flags:  writeFlags(docBatchOutFlag),
			Action: docIssueBatch,
		},
		{
			Name:      "verify",
			Usage:     "show a document's status: valid, not yet valid, expired, revoked, superseded or unknown",
			ArgsUsage: "HASH",
			Flags:     readFlags(docBatchFileFlag),
			Action:    docVerify,
		},
		{
			Name:      "revoke",
			Usage:     "revoke a document your department issued (or, with --whole-batch, a whole batch)",
			ArgsUsage: "HASH",
			Flags:     writeFlags(docBatchFileFlag, docWholeBatchFlag),
			Action:    docRevoke,
		},
		{
			Name:      "supersede",
			Usage:     "replace a document your department issued by a new one, issued now",
			ArgsUsage: "OLD-HASH",
			Flags:     writeFlags(docBatchFileFlag, docHashFlag, docFileFlag, docTypeFlag, docHolderFlag, docFromFlag, docUntilFlag),
			Action:    docSupersede,
		},
	},
}

// documentFlags reads the document given by --hash/--file, --type, ... .
func documentFlags(ctx *cli.Context) (registry.Document, error) {
	var d registry.Document
	var err error
	switch h, f := ctx.String(docHashFlag.Name), ctx.String(docFileFlag.Name); {
	case h != "" && f != "":
		return d, cli.Exit("give either --hash or --file, not both", 2)
	case h != "":
		if d.Hash, err = registry.ParseHash(h); err != nil {
			return d, cli.Exit("--hash: "+err.Error(), 2)
		}
	case f != "":
		data, err := os.ReadFile(f)
		if err != nil {
			return d, cli.Exit(fmt.Sprintf("--file: %v", err), 2)
		}
		d.Hash = crypto.Keccak256Hash(data)
	default:
		return d, cli.Exit("missing document: give --hash HASH or --file PATH", 2)
	}
	if d.Type = ctx.String(docTypeFlag.Name); d.Type == "" {
		return d, cli.Exit("missing --type: the document type code (e.g. BIRTH-CERT)", 2)
	}
	if s := ctx.String(docHolderFlag.Name); s == "" {
		return d, cli.Exit("missing --holder-ref: keccak256 of a salt and the holder's id (0x and 64 hex digits)", 2)
	} else if d.HolderRef, err = registry.ParseHash(s); err != nil {
		return d, cli.Exit("--holder-ref: "+err.Error(), 2)
	}
	if d.ValidFrom, err = parseDocTime(ctx.String(docFromFlag.Name)); err != nil {
		return d, cli.Exit("--valid-from: "+err.Error(), 2)
	}
	if d.ValidUntil, err = parseDocTime(ctx.String(docUntilFlag.Name)); err != nil {
		return d, cli.Exit("--valid-until: "+err.Error(), 2)
	}
	if _, err := d.Data(); err != nil {
		return d, cli.Exit(err.Error(), 2)
	}
	return d, nil
}

// parseDocTime reads seconds since the Unix epoch or an RFC 3339 time; "" is 0.
func parseDocTime(s string) (uint64, error) {
	if s == "" {
		return 0, nil
	}
	if n, err := strconv.ParseUint(s, 10, 64); err == nil {
		return n, nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil || t.Unix() < 0 {
		return 0, fmt.Errorf("invalid time %q: want seconds since the Unix epoch or RFC 3339 (2027-01-31T00:00:00Z)", s)
	}
	return uint64(t.Unix()), nil
}

// hashArg reads the single HASH argument.
func hashArg(ctx *cli.Context, usage string) (common.Hash, error) {
	if ctx.NArg() != 1 {
		return common.Hash{}, cli.Exit("usage: "+usage, 2)
	}
	h, err := registry.ParseHash(ctx.Args().First())
	if err != nil {
		return h, cli.Exit(err.Error(), 2)
	}
	return h, nil
}

// loadBatch reads the --batch file and, if h is not zero, the entry of h in it.
func loadBatch(ctx *cli.Context, h common.Hash) (*registry.BatchFile, *registry.BatchEntry, error) {
	data, err := os.ReadFile(ctx.String(docBatchFileFlag.Name))
	if err != nil {
		return nil, nil, cli.Exit(fmt.Sprintf("--batch: %v", err), 2)
	}
	b, err := registry.DecodeBatchFile(data)
	if err != nil {
		return nil, nil, fail(err)
	}
	if h == (common.Hash{}) {
		return b, nil, nil
	}
	e, err := b.Find(h)
	if err != nil {
		return nil, nil, fail(err)
	}
	if err := b.CheckProof(e); err != nil {
		return nil, nil, fail(err)
	}
	return b, e, nil
}

func docIssue(ctx *cli.Context) error {
	d, err := documentFlags(ctx)
	if err != nil {
		return err
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, err := c.Issue(cctx, d)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Issued document %s (%s)", d.Hash.Hex(), d.Type), map[string]any{"document": d})
}

func docIssueBatch(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return cli.Exit("usage: cityctl doc issue-batch --keystore FILE --password FILE --out BATCH.json DOCUMENTS.(csv|json)", 2)
	}
	data, err := os.ReadFile(ctx.Args().First())
	if err != nil {
		return cli.Exit(fmt.Sprintf("cannot read documents: %v", err), 2)
	}
	docs, err := registry.ParseDocuments(data)
	if err != nil {
		return fail(err)
	}
	out := ctx.String(docBatchOutFlag.Name)
	if _, err := os.Stat(out); err == nil {
		return cli.Exit(fmt.Sprintf("--out %s exists: choose a new file (a batch file is the holders' only copy of their proofs)", out), 2)
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	bar := newProgress(ctx.App.ErrWriter, fmt.Sprintf("Hashing and proving %d documents", len(docs)))
	b, tx, err := c.IssueBatch(cctx, docs, bar.update)
	if err != nil {
		return fail(err)
	}
	enc, err := b.Encode()
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, enc, 0o644); err != nil {
		return cli.Exit(fmt.Sprintf("the batch %s is issued, but its file could not be written: %v; run issue-batch again with the same documents and another --out to rebuild the proofs (the root will be refused as issued: BatchExists)", b.Root.Hex(), err), 1)
	}
	return printTx(ctx, tx, fmt.Sprintf("Issued a batch of %d documents, root %s; proofs in %s", b.Count, b.Root.Hex(), out),
		map[string]any{"root": b.Root, "count": b.Count, "file": out})
}

func docVerify(ctx *cli.Context) error {
	h, err := hashArg(ctx, "cityctl doc verify [--batch FILE] HASH")
	if err != nil {
		return err
	}
	c, cctx, done, err := openClient(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	var v *registry.Verification
	if ctx.IsSet(docBatchFileFlag.Name) {
		b, e, lerr := loadBatch(ctx, h)
		if lerr != nil {
			return lerr
		}
		v, err = c.VerifyInBatch(cctx, b.Root, e.Document, e.Proof)
	} else {
		v, err = c.Verify(cctx, h)
	}
	if err != nil {
		return fail(err)
	}
	if ctx.Bool(jsonOutFlag.Name) {
		return outJSON(ctx, v)
	}
	w := ctx.App.Writer
	fmt.Fprintf(w, "Document %s: %s\n", v.DocHash.Hex(), v.Status)
	if v.StatusCode == 0 {
		fmt.Fprintln(w, "  no such document was issued (or, for a batch, the proof does not match an issued root)")
		return nil
	}
	fmt.Fprintf(w, "  issued by    %s at %s\n", v.Issuer, formatTime(v.IssuedAt))
	fmt.Fprintf(w, "  valid        %s to %s\n", formatTime(v.ValidFrom), formatTime(v.ValidUntil))
	if v.BatchRoot != nil {
		fmt.Fprintf(w, "  batch root   %s\n", v.BatchRoot.Hex())
	}
	if v.RevokedAt != 0 {
		fmt.Fprintf(w, "  revoked at   %s\n", formatTime(v.RevokedAt))
	}
	if v.SupersededBy != nil {
		fmt.Fprintf(w, "  superseded   at %s by %s\n", formatTime(v.SupersededAt), v.SupersededBy.Hex())
	}
	return nil
}

func docRevoke(ctx *cli.Context) error {
	whole := ctx.Bool(docWholeBatchFlag.Name)
	if whole && !ctx.IsSet(docBatchFileFlag.Name) {
		return cli.Exit("--whole-batch needs --batch FILE (the batch to revoke)", 2)
	}
	var h common.Hash
	if !whole {
		var err error
		if h, err = hashArg(ctx, "cityctl doc revoke [--batch FILE] HASH, or cityctl doc revoke --batch FILE --whole-batch"); err != nil {
			return err
		}
	}
	var (
		b *registry.BatchFile
		e *registry.BatchEntry
	)
	if ctx.IsSet(docBatchFileFlag.Name) {
		var err error
		if b, e, err = loadBatch(ctx, h); err != nil {
			return err
		}
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	var tx *registry.Tx
	var what string
	switch {
	case whole:
		tx, err = c.RevokeBatch(cctx, b.Root)
		what = fmt.Sprintf("Revoked batch %s (%d documents)", b.Root.Hex(), b.Count)
	case b != nil:
		tx, err = c.RevokeInBatch(cctx, b.Root, e.Document, e.Proof)
		what = fmt.Sprintf("Revoked document %s of batch %s", h.Hex(), b.Root.Hex())
	default:
		tx, err = c.Revoke(cctx, h)
		what = fmt.Sprintf("Revoked document %s", h.Hex())
	}
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, what, map[string]any{"docHash": h})
}

func docSupersede(ctx *cli.Context) error {
	old, err := hashArg(ctx, "cityctl doc supersede [--batch FILE] --hash NEW --type T --holder-ref REF OLD-HASH")
	if err != nil {
		return err
	}
	next, err := documentFlags(ctx)
	if err != nil {
		return err
	}
	var (
		b *registry.BatchFile
		e *registry.BatchEntry
	)
	if ctx.IsSet(docBatchFileFlag.Name) {
		if b, e, err = loadBatch(ctx, old); err != nil {
			return err
		}
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	var tx *registry.Tx
	if b != nil {
		tx, err = c.SupersedeInBatch(cctx, b.Root, e.Document, e.Proof, next)
	} else {
		tx, err = c.Supersede(cctx, old, next)
	}
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Superseded document %s by %s", old.Hex(), next.Hash.Hex()), map[string]any{"docHash": old, "document": next})
}
