package main

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/registry"
)

var (
	ownerFlag      = &cli.StringSliceFlag{Name: "owner", Usage: "an owner and its share, ADDRESS:SHARE (repeat for each owner; a share is share/total)"}
	buyerFlag      = &cli.StringFlag{Name: "buyer", Usage: "account of the buyer", Required: true}
	shareFlag      = &cli.Uint64Flag{Name: "share", Usage: "share offered (at most what you hold)", Required: true}
	lienHolderFlag = &cli.StringFlag{Name: "holder", Usage: "account that holds the lien (a bank's); only it can release it", Required: true}
	lienRefFlag    = &cli.StringFlag{Name: "ref", Usage: "the holder's reference, e.g. the hash of the mortgage contract (0x and 64 hex digits)"}
)

var titleCommand = &cli.Command{
	Name:  "title",
	Usage: "property titles: register parcels, transfer shares (offer, accept, approve), liens, history",
	Subcommands: []*cli.Command{
		{Name: "register", Usage: "register a parcel with its owners (registrar)", ArgsUsage: "PARCEL", Flags: writeFlags(ownerFlag), Action: titleRegister},
		{Name: "offer", Usage: "offer some or all of your share to a buyer (owner)", ArgsUsage: "PARCEL", Flags: writeFlags(buyerFlag, shareFlag), Action: titleOffer},
		{Name: "accept", Usage: "accept the pending offer (buyer)", ArgsUsage: "PARCEL", Flags: writeFlags(), Action: titleStep("accept")},
		{Name: "approve", Usage: "approve the accepted transfer: the share moves (registrar)", ArgsUsage: "PARCEL", Flags: writeFlags(), Action: titleStep("approve")},
		{Name: "cancel", Usage: "withdraw (seller or buyer) or refuse (registrar) the pending transfer", ArgsUsage: "PARCEL", Flags: writeFlags(), Action: titleStep("cancel")},
		{Name: "lien", Usage: "record a lien on a parcel (registrar); no transfer passes while it is in force", ArgsUsage: "PARCEL", Flags: writeFlags(lienHolderFlag, lienRefFlag), Action: titleLien},
		{Name: "release", Usage: "release a lien (its holder)", ArgsUsage: "LIEN-ID", Flags: writeFlags(), Action: titleRelease},
		{Name: "show", Usage: "show a parcel's owners, pending transfer and liens", ArgsUsage: "PARCEL", Flags: readFlags(), Action: titleShow},
		{Name: "history", Usage: "show a parcel's full history, oldest first", ArgsUsage: "PARCEL", Flags: readFlags(), Action: titleHistory},
	},
}

// parcelArg reads the single PARCEL argument.
func parcelArg(ctx *cli.Context) (string, error) {
	if ctx.NArg() != 1 {
		return "", cli.Exit(fmt.Sprintf("usage: cityctl title %s [flags] PARCEL (the cadastral number, e.g. 77:01:0004012:1234)", ctx.Command.Name), 2)
	}
	return ctx.Args().First(), nil
}

// parseOwner reads ADDRESS:SHARE.
func parseOwner(s string) (registry.Owner, error) {
	addr, share, ok := strings.Cut(s, ":")
	if !ok {
		return registry.Owner{}, fmt.Errorf("invalid --owner %q: want ADDRESS:SHARE", s)
	}
	if !common.IsHexAddress(addr) {
		return registry.Owner{}, fmt.Errorf("invalid --owner %q: %q is no 0x-prefixed 20-byte hex address", s, addr)
	}
	n, err := strconv.ParseUint(share, 10, 64)
	if err != nil || n == 0 {
		return registry.Owner{}, fmt.Errorf("invalid --owner %q: share %q: want a positive integer", s, share)
	}
	return registry.Owner{Address: common.HexToAddress(addr), Share: n}, nil
}

func titleRegister(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	var owners []registry.Owner
	for _, s := range ctx.StringSlice(ownerFlag.Name) {
		o, err := parseOwner(s)
		if err != nil {
			return cli.Exit(err.Error(), 2)
		}
		owners = append(owners, o)
	}
	if len(owners) == 0 {
		return cli.Exit("missing --owner ADDRESS:SHARE: a parcel has at least one owner", 2)
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, err := c.Register(cctx, parcel, owners)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Registered parcel %s with %d owners", parcel, len(owners)), map[string]any{"parcel": parcel, "owners": owners})
}

func titleOffer(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	buyer, err := parseAddress("--buyer", ctx.String(buyerFlag.Name))
	if err != nil {
		return err
	}
	share := ctx.Uint64(shareFlag.Name)
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, err := c.Offer(cctx, parcel, buyer, share)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Offered share %d of %s to %s", share, parcel, buyer.Hex()), map[string]any{"parcel": parcel, "buyer": buyer, "share": share})
}

// titleStep is the action of accept, approve and cancel.
func titleStep(step string) cli.ActionFunc {
	return func(ctx *cli.Context) error {
		parcel, err := parcelArg(ctx)
		if err != nil {
			return err
		}
		c, cctx, done, err := openClient(ctx, true)
		if err != nil {
			return err
		}
		defer done()
		var tx *registry.Tx
		var what string
		switch step {
		case "accept":
			tx, err = c.Accept(cctx, parcel)
			what = "Accepted the offer on " + parcel
		case "approve":
			tx, err = c.Approve(cctx, parcel)
			what = "Approved the transfer of " + parcel
		default:
			tx, err = c.Cancel(cctx, parcel)
			what = "Cancelled the transfer of " + parcel
		}
		if err != nil {
			return fail(err)
		}
		return printTx(ctx, tx, what, map[string]any{"parcel": parcel})
	}
}

func titleLien(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	holder, err := parseAddress("--holder", ctx.String(lienHolderFlag.Name))
	if err != nil {
		return err
	}
	var ref common.Hash
	if s := ctx.String(lienRefFlag.Name); s != "" {
		if ref, err = registry.ParseHash(s); err != nil {
			return cli.Exit("--ref: "+err.Error(), 2)
		}
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, id, err := c.AddLien(cctx, parcel, holder, ref)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Recorded lien %d on %s held by %s", id, parcel, holder.Hex()), map[string]any{"parcel": parcel, "lien": id, "holder": holder})
}

func titleRelease(ctx *cli.Context) error {
	if ctx.NArg() != 1 {
		return cli.Exit("usage: cityctl title release [flags] LIEN-ID", 2)
	}
	id, err := strconv.ParseUint(ctx.Args().First(), 10, 64)
	if err != nil || id == 0 {
		return cli.Exit(fmt.Sprintf("invalid lien id %q: want a positive integer (cityctl title show PARCEL lists the liens)", ctx.Args().First()), 2)
	}
	c, cctx, done, err := openClient(ctx, true)
	if err != nil {
		return err
	}
	defer done()
	tx, err := c.ReleaseLien(cctx, id)
	if err != nil {
		return fail(err)
	}
	return printTx(ctx, tx, fmt.Sprintf("Released lien %d", id), map[string]any{"lien": id})
}

func titleShow(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	c, cctx, done, err := openClient(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	p, err := c.Parcel(cctx, parcel)
	if err != nil {
		return fail(err)
	}
	if ctx.Bool(jsonOutFlag.Name) {
		return outJSON(ctx, p)
	}
	w := ctx.App.Writer
	var total uint64
	for _, o := range p.Owners {
		total += o.Share
	}
	fmt.Fprintf(w, "Parcel %s, registered %s, %d liens in force\n", p.Parcel, formatTime(p.RegisteredAt), p.ActiveLiens)
	for _, o := range p.Owners {
		fmt.Fprintf(w, "  owner %s  %d/%d\n", o.Address.Hex(), o.Share, total)
	}
	if t := p.Transfer; t != nil {
		fmt.Fprintf(w, "  transfer %s: %s -> %s, share %d\n", t.Stage, t.Seller.Hex(), t.Buyer.Hex(), t.Share)
	}
	for _, l := range p.Liens {
		state := "in force"
		if l.ReleasedAt != 0 {
			state = "released " + formatTime(l.ReleasedAt)
		}
		fmt.Fprintf(w, "  lien %d held by %s since %s, %s\n", l.ID, l.Holder.Hex(), formatTime(l.CreatedAt), state)
	}
	return nil
}

func titleHistory(ctx *cli.Context) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	c, cctx, done, err := openClient(ctx, false)
	if err != nil {
		return err
	}
	defer done()
	entries, err := c.History(cctx, parcel)
	if err != nil {
		return fail(err)
	}
	if ctx.Bool(jsonOutFlag.Name) {
		return outJSON(ctx, entries)
	}
	w := ctx.App.Writer
	for i, e := range entries {
		line := fmt.Sprintf("%3d  %s  %-13s %s", i+1, formatTime(e.Time), e.Action, e.Party.Hex())
		if e.Counterparty != nil {
			line += " -> " + e.Counterparty.Hex()
		}
		if e.Share != 0 {
			line += fmt.Sprintf("  share %d", e.Share)
		}
		if e.Ref != "" {
			line += "  " + e.Ref
		}
		fmt.Fprintln(w, line)
	}
	return nil
}
