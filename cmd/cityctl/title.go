package main

import (
	"context"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
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
		{Name: "register", Usage: "register a parcel with its owners (registrar)", ArgsUsage: "PARCEL", Flags: signFlags(ownerFlag), Action: titleRegister},
		{Name: "offer", Usage: "offer some or all of your share to a buyer (owner)", ArgsUsage: "PARCEL", Flags: signFlags(buyerFlag, shareFlag), Action: titleOffer},
		{Name: "accept", Usage: "accept the pending offer (buyer)", ArgsUsage: "PARCEL", Flags: signFlags(), Action: titleStep("accept")},
		{Name: "approve", Usage: "approve the accepted transfer: the share moves (registrar)", ArgsUsage: "PARCEL", Flags: signFlags(), Action: titleStep("approve")},
		{Name: "cancel", Usage: "withdraw (seller or buyer) or refuse (registrar) the pending transfer", ArgsUsage: "PARCEL", Flags: signFlags(), Action: titleStep("cancel")},
		{Name: "lien", Usage: "record a lien on a parcel (registrar); no transfer passes while it is in force", ArgsUsage: "PARCEL", Flags: signFlags(lienHolderFlag, lienRefFlag), Action: titleLien},
		{Name: "release", Usage: "release a lien (its holder)", ArgsUsage: "LIEN-ID", Flags: signFlags(), Action: titleRelease},
		{Name: "show", Usage: "show a parcel's owners, pending transfer and liens", ArgsUsage: "PARCEL", Flags: nodeFlags(), Action: titleShow},
		{Name: "history", Usage: "show a parcel's full history, oldest first", ArgsUsage: "PARCEL", Flags: nodeFlags(), Action: titleHistory},
	},
}

// parcelArg reads the single PARCEL argument.
func parcelArg(ctx *cli.Context) (string, error) {
	return oneArg(ctx, "PARCEL, the cadastral number (e.g. 77:01:0004012:1234)")
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
			return cliutil.Usagef("%v", err)
		}
		owners = append(owners, o)
	}
	if len(owners) == 0 {
		return cliutil.Usagef("missing --owner ADDRESS:SHARE: a parcel has at least one owner")
	}
	return transact(ctx, map[string]any{"parcel": parcel, "owners": owners}, func(c *conn) (*registry.Tx, string, error) {
		tx, err := c.Register(c.ctx, parcel, owners)
		return tx, fmt.Sprintf("Registered parcel %s with %d owners", parcel, len(owners)), err
	})
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
	return transact(ctx, map[string]any{"parcel": parcel, "buyer": buyer, "share": share}, func(c *conn) (*registry.Tx, string, error) {
		tx, err := c.Offer(c.ctx, parcel, buyer, share)
		return tx, fmt.Sprintf("Offered share %d of %s to %s", share, parcel, buyer.Hex()), err
	})
}

// titleStep is the action of accept, approve and cancel.
func titleStep(step string) cli.ActionFunc {
	return func(ctx *cli.Context) error {
		parcel, err := parcelArg(ctx)
		if err != nil {
			return err
		}
		return transact(ctx, map[string]any{"parcel": parcel}, func(c *conn) (*registry.Tx, string, error) {
			switch step {
			case "accept":
				tx, err := c.Accept(c.ctx, parcel)
				return tx, "Accepted the offer on " + parcel, err
			case "approve":
				tx, err := c.Approve(c.ctx, parcel)
				return tx, "Approved the transfer of " + parcel, err
			}
			tx, err := c.Cancel(c.ctx, parcel)
			return tx, "Cancelled the transfer of " + parcel, err
		})
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
			return cliutil.Usagef("--ref: %v", err)
		}
	}
	extra := map[string]any{"parcel": parcel, "holder": holder}
	return transact(ctx, extra, func(c *conn) (*registry.Tx, string, error) {
		tx, id, err := c.AddLien(c.ctx, parcel, holder, ref)
		extra["lien"] = id
		return tx, fmt.Sprintf("Recorded lien %d on %s held by %s", id, parcel, holder.Hex()), err
	})
}

func titleRelease(ctx *cli.Context) error {
	arg, err := oneArg(ctx, "LIEN-ID")
	if err != nil {
		return err
	}
	id, err := strconv.ParseUint(arg, 10, 64)
	if err != nil || id == 0 {
		return cliutil.Usagef("invalid lien id %q: want a positive integer (cityctl title show PARCEL lists the liens)", arg)
	}
	return transact(ctx, map[string]any{"lien": id}, func(c *conn) (*registry.Tx, string, error) {
		tx, err := c.ReleaseLien(c.ctx, id)
		return tx, fmt.Sprintf("Released lien %d", id), err
	})
}

func titleShow(ctx *cli.Context) error {
	return readParcel(ctx, (*registry.Client).Parcel, printParcel)
}

// readParcel reads what read returns of the PARCEL argument from the node
// and prints it: as JSON, or as text with printText.
func readParcel[T any](ctx *cli.Context, read func(*registry.Client, context.Context, string) (T, error), printText func(io.Writer, T)) error {
	parcel, err := parcelArg(ctx)
	if err != nil {
		return err
	}
	c, err := dial(ctx, false)
	if err != nil {
		return err
	}
	defer c.Close()
	v, err := read(c.Client, c.ctx, parcel)
	if err != nil {
		return err
	}
	return emit(ctx, v, func(w io.Writer) error { printText(w, v); return nil })
}

func printParcel(w io.Writer, p *registry.Parcel) {
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
}

func titleHistory(ctx *cli.Context) error {
	return readParcel(ctx, (*registry.Client).History, printHistory)
}

func printHistory(w io.Writer, entries []registry.Entry) {
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
}
