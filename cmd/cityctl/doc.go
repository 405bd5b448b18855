package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

var (
	docHashFlag       = &cli.StringFlag{Name: "hash", Usage: "document hash (0x and 64 hex digits); or give --file"}
	docFileFlag       = &cli.StringFlag{Name: "file", Usage: "document file, hashed with keccak256 (the file itself stays off chain)"}
	docTypeFlag       = &cli.StringFlag{Name: "type", Usage: "document type code, 1 to 32 bytes (e.g. BIRTH-CERT)"}
	docHolderFlag     = &cli.StringFlag{Name: "holder-ref", Usage: "holder reference: keccak256 of a salt and the holder's id, computed off chain (0x and 64 hex digits)"}
	docFromFlag       = &cli.StringFlag{Name: "valid-from", Usage: "start of validity: seconds since the Unix epoch or RFC 3339 (default: always valid)"}
	docUntilFlag      = &cli.StringFlag{Name: "valid-until", Usage: "end of validity: seconds since the Unix epoch or RFC 3339 (default: no expiry)"}
	docBatchFileFlag  = &cli.StringFlag{Name: "batch", Usage: "batch file written by doc issue-batch: the document is one of that batch"}
	docBatchOutFlag   = &cli.StringFlag{Name: "out", Usage: "batch file to write (the root and every document's proof)", Required: true, Category: catOutput}
	docWholeBatchFlag = &cli.BoolFlag{Name: "whole-batch", Usage: "revoke every document of the --batch file's batch"}
)

// documentFlags are the flags that describe a document to issue.
var documentFlags = []cli.Flag{docHashFlag, docFileFlag, docTypeFlag, docHolderFlag, docFromFlag, docUntilFlag}

var docCommand = &cli.Command{
	Name:  "doc",
	Usage: "government documents by hash: issue (one or a Merkle batch), verify, revoke, supersede",
	Subcommands: []*cli.Command{
		{
			Name:   "issue",
			Usage:  "issue one document for your department (issuer role)",
			Flags:  signFlags(documentFlags...),
			Action: docIssue,
		},
		{
			Name:      "issue-batch",
			Usage:     "issue a batch of documents as one Merkle root and write its tree (a standard-v1 dump)",
			ArgsUsage: "DOCUMENTS.(csv|json)",
			Description: `Reads documents from a CSV file (header: docHash,docType,holderRef,validFrom,validUntil)
or a JSON array of objects with those fields, builds the Merkle tree, issues its root with
Documents.issueBatch, and writes --out: the tree as an @openzeppelin/merkle-tree standard-v1
dump of the documents (StandardMerkleTree.load reads it and gives any document's proof) with
the issuing transaction. Anyone holding it checks a document with
cityctl doc verify HASH --batch FILE.`,
			Flags:  signFlags(docBatchOutFlag),
			Action: docIssueBatch,
		},
		{
			Name:      "verify",
			Usage:     "show a document's status; exits 1 unless it is valid (not yet valid, expired, revoked, superseded, unknown)",
			ArgsUsage: "HASH",
			Flags:     nodeFlags(docBatchFileFlag),
			Action:    docVerify,
		},
		{
			Name:      "revoke",
			Usage:     "revoke a document your department issued (or, with --whole-batch, a whole batch)",
			ArgsUsage: "HASH",
			Flags:     signFlags(docBatchFileFlag, docWholeBatchFlag),
			Action:    docRevoke,
		},
		{
			Name:      "supersede",
			Usage:     "replace a document your department issued by a new one, issued now",
			ArgsUsage: "OLD-HASH",
			Flags:     signFlags(append([]cli.Flag{docBatchFileFlag}, documentFlags...)...),
			Action:    docSupersede,
		},
	},
}

// readDocument reads the document given by --hash/--file, --type, ... .
func readDocument(ctx *cli.Context) (registry.Document, error) {
	var d registry.Document
	var err error
	if d.Hash, err = documentHash(ctx); err != nil {
		return d, err
	}
	if d.Type = ctx.String(docTypeFlag.Name); d.Type == "" {
		return d, cliutil.Usagef("missing --type: the document type code (e.g. BIRTH-CERT)")
	}
	if s := ctx.String(docHolderFlag.Name); s == "" {
		return d, cliutil.Usagef("missing --holder-ref: keccak256 of a salt and the holder's id (0x and 64 hex digits)")
	} else if d.HolderRef, err = registry.ParseHash(s); err != nil {
		return d, cliutil.Usagef("--holder-ref: %v", err)
	}
	if d.ValidFrom, err = parseDocTime(ctx.String(docFromFlag.Name)); err != nil {
		return d, cliutil.Usagef("--valid-from: %v", err)
	}
	if d.ValidUntil, err = parseDocTime(ctx.String(docUntilFlag.Name)); err != nil {
		return d, cliutil.Usagef("--valid-until: %v", err)
	}
	if _, err := d.Data(); err != nil {
		return d, cliutil.Usagef("%v", err)
	}
	return d, nil
}

// documentHash reads --hash, or hashes the --file.
func documentHash(ctx *cli.Context) (common.Hash, error) {
	switch h, f := ctx.String(docHashFlag.Name), ctx.String(docFileFlag.Name); {
	case h != "" && f != "":
		return common.Hash{}, cliutil.Usagef("give either --hash or --file, not both")
	case h != "":
		hash, err := registry.ParseHash(h)
		if err != nil {
			return hash, cliutil.Usagef("--hash: %v", err)
		}
		return hash, nil
	case f != "":
		data, err := os.ReadFile(f)
		if err != nil {
			return common.Hash{}, cliutil.Usagef("--file: %v", err)
		}
		return crypto.Keccak256Hash(data), nil
	}
	return common.Hash{}, cliutil.Usagef("missing document: give --hash HASH or --file PATH")
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

// inBatch is a document of a batch file, with its proof checked offline.
type inBatch struct {
	file  *registry.BatchFile
	entry *registry.BatchEntry // nil for the whole batch
}

// loadBatch reads the --batch file, if given, and the entry of h in it
// (unless h is zero), its proof checked offline. It returns nil without
// --batch.
func loadBatch(ctx *cli.Context, h common.Hash) (*inBatch, error) {
	if !ctx.IsSet(docBatchFileFlag.Name) {
		return nil, nil
	}
	data, err := os.ReadFile(ctx.String(docBatchFileFlag.Name))
	if err != nil {
		return nil, cliutil.Usagef("--batch: %v", err)
	}
	b, err := registry.DecodeBatchFile(data)
	if err != nil {
		return nil, err
	}
	if msg := b.Deprecated(); msg != "" {
		warn(ctx, "%s: %s", ctx.String(docBatchFileFlag.Name), msg)
	}
	if h == (common.Hash{}) {
		return &inBatch{file: b}, nil
	}
	e, err := b.Find(h)
	if err == nil {
		err = b.CheckProof(e)
	}
	if err != nil {
		return nil, &batchEntryError{err}
	}
	return &inBatch{file: b, entry: e}, nil
}

// batchEntryError is a document missing from a batch file or whose proof
// there does not lead to the root: bad input to revoke and supersede, a
// negative verification to verify.
type batchEntryError struct{ error }

func (e *batchEntryError) Unwrap() error { return e.error }

func docIssue(ctx *cli.Context) error {
	d, err := readDocument(ctx)
	if err != nil {
		return err
	}
	return transact(ctx, map[string]any{"document": d}, func(c *conn) (*registry.Tx, string, error) {
		tx, err := c.Issue(c.ctx, d)
		return tx, fmt.Sprintf("Issued document %s (%s)", d.Hash.Hex(), d.Type), err
	})
}

func docIssueBatch(ctx *cli.Context) error {
	path, err := oneArg(ctx, "DOCUMENTS.(csv|json)")
	if err != nil {
		return err
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return cliutil.Usagef("cannot read documents: %v", err)
	}
	docs, err := registry.ParseDocuments(data)
	if err != nil {
		return err
	}
	out := ctx.String(docBatchOutFlag.Name)
	if _, err := os.Stat(out); err == nil {
		return cliutil.Usagef("--out %s exists: choose a new file (a batch file is the holders' only copy of their proofs)", out)
	}
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	bar := newProgress(ctx.App.ErrWriter, fmt.Sprintf("Hashing and proving %d documents", len(docs)))
	b, tx, err := c.IssueBatch(c.ctx, docs, bar.update)
	if err != nil {
		return err
	}
	if err := writeBatch(out, b); err != nil {
		return cli.Exit(fmt.Sprintf("the batch %s is issued, but its file could not be written: %v; run issue-batch again with the same documents and another --out to rebuild the proofs (the root will be refused as issued: BatchExists)", b.Root.Hex(), err), 1)
	}
	return printTx(ctx, tx, fmt.Sprintf("Issued a batch of %d documents, root %s; proofs in %s", b.Count, b.Root.Hex(), out),
		map[string]any{"root": b.Root, "count": b.Count, "file": out})
}

func writeBatch(path string, b *registry.BatchFile) error {
	enc, err := b.Encode()
	if err != nil {
		return err
	}
	return os.WriteFile(path, enc, 0o644)
}

// docVerify prints a document's status and exits 1 unless it is valid.
func docVerify(ctx *cli.Context) error {
	h, err := hashArg(ctx)
	if err != nil {
		return err
	}
	b, err := loadBatch(ctx, h)
	var entryErr *batchEntryError
	if errors.As(err, &entryErr) {
		return cli.Exit(fmt.Sprintf("document %s is not valid: %v", h.Hex(), err), 1)
	}
	if err != nil {
		return err
	}
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	var v *registry.Verification
	if b != nil {
		v, err = c.VerifyInBatch(c.ctx, b.file.Root, b.entry.Document, b.entry.Proof)
	} else {
		v, err = c.Verify(c.ctx, h)
	}
	if err != nil {
		return err
	}
	if err := emit(ctx, v, func(w io.Writer) error { printVerification(w, v); return nil }); err != nil {
		return err
	}
	if v.StatusCode != documentValid {
		return cli.Exit(fmt.Sprintf("document %s is not valid: %s", h.Hex(), v.Status), 1)
	}
	return nil
}

// documentValid is the Documents contract's status of a valid document.
const documentValid = 1

func printVerification(w io.Writer, v *registry.Verification) {
	fmt.Fprintf(w, "Document %s: %s\n", v.DocHash.Hex(), v.Status)
	if v.StatusCode == 0 {
		fmt.Fprintln(w, "  no such document was issued (or, for a batch, the proof does not match an issued root)")
		return
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
}

func docRevoke(ctx *cli.Context) error {
	whole := ctx.Bool(docWholeBatchFlag.Name)
	if whole && !ctx.IsSet(docBatchFileFlag.Name) {
		return cliutil.Usagef("--whole-batch needs --batch FILE (the batch to revoke)")
	}
	var h common.Hash
	if !whole {
		var err error
		if h, err = hashArg(ctx); err != nil {
			return err
		}
	}
	b, err := loadBatch(ctx, h)
	if err != nil {
		return err
	}
	return transact(ctx, map[string]any{"docHash": h}, func(c *conn) (*registry.Tx, string, error) {
		return revoke(c, h, b)
	})
}

// revoke revokes document h, or the document of batch b, or (h zero) the
// whole batch b.
func revoke(c *conn, h common.Hash, b *inBatch) (*registry.Tx, string, error) {
	switch {
	case b != nil && b.entry == nil:
		tx, err := c.RevokeBatch(c.ctx, b.file.Root)
		return tx, fmt.Sprintf("Revoked batch %s (%d documents)", b.file.Root.Hex(), b.file.Count), err
	case b != nil:
		tx, err := c.RevokeInBatch(c.ctx, b.file.Root, b.entry.Document, b.entry.Proof)
		return tx, fmt.Sprintf("Revoked document %s of batch %s", h.Hex(), b.file.Root.Hex()), err
	}
	tx, err := c.Revoke(c.ctx, h)
	return tx, fmt.Sprintf("Revoked document %s", h.Hex()), err
}

func docSupersede(ctx *cli.Context) error {
	old, err := hashArg(ctx)
	if err != nil {
		return err
	}
	next, err := readDocument(ctx)
	if err != nil {
		return err
	}
	b, err := loadBatch(ctx, old)
	if err != nil {
		return err
	}
	return transact(ctx, map[string]any{"docHash": old, "document": next}, func(c *conn) (tx *registry.Tx, text string, err error) {
		if b != nil {
			tx, err = c.SupersedeInBatch(c.ctx, b.file.Root, b.entry.Document, b.entry.Proof, next)
		} else {
			tx, err = c.Supersede(c.ctx, old, next)
		}
		return tx, fmt.Sprintf("Superseded document %s by %s", old.Hex(), next.Hash.Hex()), err
	})
}
