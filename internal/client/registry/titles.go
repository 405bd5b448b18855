package registry

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
)

// Action names of PropertyTitles history entries (PropertyTitles.Action).
var actionNames = []string{"registered", "offered", "accepted", "approved", "cancelled", "lien-added", "lien-released"}

// stageNames are the names of PropertyTitles.Stage.
var stageNames = []string{"none", "offered", "accepted"}

func nameOf(names []string, i uint8) string {
	if int(i) < len(names) {
		return names[i]
	}
	return fmt.Sprintf("unknown(%d)", i)
}

// Owner is an owner of a parcel and its share.
type Owner struct {
	Address common.Address `json:"address"`
	Share   uint64         `json:"share"`
}

// Parcel is a parcel's registration, owners, pending transfer and liens.
type Parcel struct {
	Parcel       string    `json:"parcel"`
	RegisteredAt uint64    `json:"registeredAt"`
	ActiveLiens  uint32    `json:"activeLiens"`
	Owners       []Owner   `json:"owners"`
	Transfer     *Transfer `json:"transfer,omitempty"`
	Liens        []Lien    `json:"liens"`
}

// Transfer is a parcel's pending transfer.
type Transfer struct {
	Seller common.Address `json:"seller"`
	Buyer  common.Address `json:"buyer"`
	Share  uint64         `json:"share"`
	Stage  string         `json:"stage"`
}

// Lien is a lien on a parcel.
type Lien struct {
	ID         uint64         `json:"id"`
	Holder     common.Address `json:"holder"`
	CreatedAt  uint64         `json:"createdAt"`
	ReleasedAt uint64         `json:"releasedAt,omitempty"`
	Ref        common.Hash    `json:"ref"`
}

// Entry is one entry of a parcel's history.
type Entry struct {
	Action       string          `json:"action"`
	Time         uint64          `json:"time"`
	Party        common.Address  `json:"party"`
	Counterparty *common.Address `json:"counterparty,omitempty"`
	Share        uint64          `json:"share,omitempty"`
	Ref          string          `json:"ref,omitempty"` // registrar department, or lien id
}

// parcel32 encodes a cadastral number.
func parcel32(p string) ([32]byte, error) { return code32(p, "cadastral number") }

// Register registers a parcel with its owners (registrar only).
func (c *Client) Register(ctx context.Context, parcel string, owners []Owner) (*Tx, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	if len(owners) == 0 {
		return nil, fmt.Errorf("%w: no owners; give at least one --owner ADDRESS:SHARE", ErrInput)
	}
	addrs := make([]common.Address, len(owners))
	shares := make([]uint64, len(owners))
	for i, o := range owners {
		addrs[i], shares[i] = o.Address, o.Share
	}
	return c.Send(ctx, "PropertyTitles.register", contracts.PropertyTitlesAddress, titlesABI.PackRegister(p, addrs, shares))
}

// Offer offers share of the signer's holding in parcel to buyer.
func (c *Client) Offer(ctx context.Context, parcel string, buyer common.Address, share uint64) (*Tx, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "PropertyTitles.offer", contracts.PropertyTitlesAddress, titlesABI.PackOffer(p, buyer, share))
}

// Accept accepts, as the buyer, the pending offer on parcel.
func (c *Client) Accept(ctx context.Context, parcel string) (*Tx, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "PropertyTitles.accept", contracts.PropertyTitlesAddress, titlesABI.PackAccept(p))
}

// Approve approves, as a registrar, the accepted transfer of parcel.
func (c *Client) Approve(ctx context.Context, parcel string) (*Tx, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "PropertyTitles.approve", contracts.PropertyTitlesAddress, titlesABI.PackApprove(p))
}

// Cancel withdraws (a party) or refuses (a registrar) the pending transfer.
func (c *Client) Cancel(ctx context.Context, parcel string) (*Tx, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	return c.Send(ctx, "PropertyTitles.cancel", contracts.PropertyTitlesAddress, titlesABI.PackCancel(p))
}

// AddLien records a lien on parcel held by holder (registrar only) and
// returns its id.
func (c *Client) AddLien(ctx context.Context, parcel string, holder common.Address, ref common.Hash) (*Tx, uint64, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, 0, err
	}
	tx, err := c.Send(ctx, "PropertyTitles.addLien", contracts.PropertyTitlesAddress, titlesABI.PackAddLien(p, holder, ref))
	if err != nil {
		return tx, 0, err
	}
	for _, l := range tx.Logs {
		if ev, err := titlesABI.UnpackLienAddedEvent(l); err == nil {
			return tx, ev.Id.Uint64(), nil
		}
	}
	return tx, 0, fmt.Errorf("PropertyTitles.addLien: no LienAdded event in transaction %s", tx.Hash)
}

// ReleaseLien releases lien id (its holder only).
func (c *Client) ReleaseLien(ctx context.Context, id uint64) (*Tx, error) {
	if id == 0 {
		return nil, fmt.Errorf("%w: lien id 0; ids start at 1 (cityctl title show PARCEL lists them)", ErrInput)
	}
	return c.Send(ctx, "PropertyTitles.releaseLien", contracts.PropertyTitlesAddress, titlesABI.PackReleaseLien(new(big.Int).SetUint64(id)))
}

// Parcel returns a parcel's owners, pending transfer and liens.
func (c *Client) Parcel(ctx context.Context, parcel string) (*Parcel, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	out, err := c.Call(ctx, "PropertyTitles.parcelInfo", contracts.PropertyTitlesAddress, titlesABI.PackParcelInfo(p))
	if err != nil {
		return nil, err
	}
	info, err := titlesABI.UnpackParcelInfo(out)
	if err != nil {
		return nil, fmt.Errorf("PropertyTitles.parcelInfo: %w", err)
	}
	if info.RegisteredAt == 0 {
		return nil, fmt.Errorf("%w: parcel %q is not registered", ErrInput, parcel)
	}
	res := &Parcel{Parcel: parcel, RegisteredAt: info.RegisteredAt, ActiveLiens: info.ActiveLiens, Owners: []Owner{}, Liens: []Lien{}}
	for i, o := range info.Owners {
		res.Owners = append(res.Owners, Owner{Address: o, Share: info.Shares[i]})
	}
	if out, err = c.Call(ctx, "PropertyTitles.pendingTransfer", contracts.PropertyTitlesAddress, titlesABI.PackPendingTransfer(p)); err != nil {
		return nil, err
	}
	t, err := titlesABI.UnpackPendingTransfer(out)
	if err != nil {
		return nil, fmt.Errorf("PropertyTitles.pendingTransfer: %w", err)
	}
	if t.Stage != 0 {
		res.Transfer = &Transfer{Seller: t.Seller, Buyer: t.Buyer, Share: t.Share, Stage: nameOf(stageNames, t.Stage)}
	}
	if out, err = c.Call(ctx, "PropertyTitles.liensOf", contracts.PropertyTitlesAddress, titlesABI.PackLiensOf(p)); err != nil {
		return nil, err
	}
	ids, err := titlesABI.UnpackLiensOf(out)
	if err != nil {
		return nil, fmt.Errorf("PropertyTitles.liensOf: %w", err)
	}
	for _, id := range ids {
		out, err := c.Call(ctx, "PropertyTitles.lien", contracts.PropertyTitlesAddress, titlesABI.PackLien(id))
		if err != nil {
			return nil, err
		}
		l, err := titlesABI.UnpackLien(out)
		if err != nil {
			return nil, fmt.Errorf("PropertyTitles.lien: %w", err)
		}
		res.Liens = append(res.Liens, Lien{ID: id.Uint64(), Holder: l.Holder, CreatedAt: l.CreatedAt, ReleasedAt: l.ReleasedAt, Ref: l.Ref})
	}
	return res, nil
}

// historyPage is how many entries History reads per call.
const historyPage = 256

// History returns every history entry of a parcel, oldest first.
func (c *Client) History(ctx context.Context, parcel string) ([]Entry, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	out, err := c.Call(ctx, "PropertyTitles.historyLength", contracts.PropertyTitlesAddress, titlesABI.PackHistoryLength(p))
	if err != nil {
		return nil, err
	}
	n, err := titlesABI.UnpackHistoryLength(out)
	if err != nil {
		return nil, fmt.Errorf("PropertyTitles.historyLength: %w", err)
	}
	if n.Sign() == 0 {
		return nil, fmt.Errorf("%w: parcel %q has no history: it is not registered", ErrInput, parcel)
	}
	entries := []Entry{}
	for from := uint64(0); from < n.Uint64(); from += historyPage {
		out, err := c.Call(ctx, "PropertyTitles.history", contracts.PropertyTitlesAddress,
			titlesABI.PackHistory(p, new(big.Int).SetUint64(from), new(big.Int).SetUint64(from+historyPage)))
		if err != nil {
			return nil, err
		}
		page, err := titlesABI.UnpackHistory(out)
		if err != nil {
			return nil, fmt.Errorf("PropertyTitles.history: %w", err)
		}
		for _, e := range page {
			entries = append(entries, newEntry(e.Action, e.Time, e.Party, e.Counterparty, e.Share, e.Ref))
		}
	}
	return entries, nil
}

// newEntry turns the fields of a history entry into an Entry.
func newEntry(action uint8, time uint64, party, counterparty common.Address, share uint64, ref [32]byte) Entry {
	e := Entry{Action: nameOf(actionNames, action), Time: time, Party: party, Share: share}
	if counterparty != (common.Address{}) {
		e.Counterparty = &counterparty
	}
	switch action {
	case 5, 6: // lien added, released: ref is the lien id
		e.Ref = "lien " + new(big.Int).SetBytes(ref[:]).String()
	default:
		if ref != ([32]byte{}) {
			e.Ref = contracts.String32(ref)
		}
	}
	return e
}
