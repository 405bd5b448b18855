package registry

import (
	"context"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
)

var stallsABI = marketstalls.NewMarketStalls()

// roundStates are the names of MarketStalls.RoundState.
var roundStates = []string{"none", "open", "closed", "drawn"}

// Market is a market of the MarketStalls contract.
type Market struct {
	ID         uint64 `json:"id"`
	Department string `json:"department"`
	Code       string `json:"code"`
	Name       string `json:"name"`
}

// Stall is a stall of a market: its current lease (0 if free) and the round
// it is offered in (0 if none).
type Stall struct {
	ID     uint64 `json:"id"`
	Market uint64 `json:"market"`
	Code   string `json:"code"`
	Lease  uint64 `json:"lease"`
	Round  uint64 `json:"round"`
}

// Round is an application round: window, commitment, draw block and
// randomness (zero before the draw), the stalls offered in allocation order
// and the applicants in application order.
type Round struct {
	ID           uint64           `json:"id"`
	Market       uint64           `json:"market"`
	State        string           `json:"state"`
	OpensAt      uint64           `json:"opensAt"`
	ClosesAt     uint64           `json:"closesAt"`
	LeaseEnd     uint64           `json:"leaseEnd"`
	Commitment   common.Hash      `json:"commitment"`
	DrawBlock    uint64           `json:"drawBlock"`
	Randomness   common.Hash      `json:"randomness"`
	WaitlistNext uint64           `json:"waitlistNext"`
	Stalls       []uint64         `json:"stalls"`
	Applicants   []common.Address `json:"applicants"`
}

// Drawn reports whether the round's draw happened.
func (r *Round) Drawn() bool { return r.State == "drawn" }

// Lease is a stall's lease.
type Lease struct {
	ID       uint64         `json:"id"`
	Stall    uint64         `json:"stall"`
	Holder   common.Address `json:"holder"`
	Start    uint64         `json:"start"`
	End      uint64         `json:"end"`
	Round    uint64         `json:"round"`
	FeePaid  bool           `json:"feePaid"`
	Released bool           `json:"released"`
}

// count reads one of the contract's counters.
func (c *Client) count(ctx context.Context, name string, data []byte) (uint64, error) {
	n, err := read(ctx, c, "MarketStalls."+name, contracts.MarketStallsAddress, data, stallsABI.UnpackMarketCount)
	if err != nil {
		return 0, err
	}
	return uint64Of("MarketStalls."+name, n)
}

// MarketCount returns the number of markets (numbered from 1).
func (c *Client) MarketCount(ctx context.Context) (uint64, error) {
	return c.count(ctx, "marketCount", stallsABI.PackMarketCount())
}

// StallCount returns the number of stalls (numbered from 1).
func (c *Client) StallCount(ctx context.Context) (uint64, error) {
	return c.count(ctx, "stallCount", stallsABI.PackStallCount())
}

// RoundCount returns the number of rounds (numbered from 1).
func (c *Client) RoundCount(ctx context.Context) (uint64, error) {
	return c.count(ctx, "roundCount", stallsABI.PackRoundCount())
}

// Market returns a market; an unknown one is a *RevertError named UnknownMarket.
func (c *Client) Market(ctx context.Context, id uint64) (*Market, error) {
	m, err := read(ctx, c, "MarketStalls.getMarket", contracts.MarketStallsAddress, stallsABI.PackGetMarket(u256(id)), stallsABI.UnpackGetMarket)
	if err != nil {
		return nil, err
	}
	return &Market{ID: id, Department: contracts.String32(m.Department), Code: contracts.String32(m.Code), Name: m.Name}, nil
}

// Stall returns a stall; an unknown one is a *RevertError named UnknownStall.
func (c *Client) Stall(ctx context.Context, id uint64) (*Stall, error) {
	s, err := read(ctx, c, "MarketStalls.getStall", contracts.MarketStallsAddress, stallsABI.PackGetStall(u256(id)), stallsABI.UnpackGetStall)
	if err != nil {
		return nil, err
	}
	out := &Stall{ID: id, Code: contracts.String32(s.Code)}
	if out.Market, err = uint64Of("MarketStalls.getStall", s.Market); err != nil {
		return nil, err
	}
	if out.Lease, err = uint64Of("MarketStalls.getStall", s.Lease); err != nil {
		return nil, err
	}
	if out.Round, err = uint64Of("MarketStalls.getStall", s.Round); err != nil {
		return nil, err
	}
	return out, nil
}

// Round returns a round with its stalls and applicants; an unknown one is a
// *RevertError named UnknownRound.
func (c *Client) Round(ctx context.Context, id uint64) (*Round, error) {
	const action = "MarketStalls.getRound"
	g, err := read(ctx, c, action, contracts.MarketStallsAddress, stallsABI.PackGetRound(u256(id)), stallsABI.UnpackGetRound)
	if err != nil {
		return nil, err
	}
	r := &Round{
		ID: id, State: nameOf(roundStates, g.R.State), OpensAt: g.R.OpensAt, ClosesAt: g.R.ClosesAt, LeaseEnd: g.R.LeaseEnd,
		Commitment: g.R.Commitment, Randomness: g.R.Randomness, Applicants: g.Applicants, Stalls: make([]uint64, len(g.Stalls)),
	}
	if r.Applicants == nil {
		r.Applicants = []common.Address{}
	}
	if r.Market, err = uint64Of(action, g.R.Market); err != nil {
		return nil, err
	}
	if r.DrawBlock, err = uint64Of(action, g.R.DrawBlock); err != nil {
		return nil, err
	}
	if r.WaitlistNext, err = uint64Of(action, g.R.WaitlistNext); err != nil {
		return nil, err
	}
	for i, s := range g.Stalls {
		if r.Stalls[i], err = uint64Of(action, s); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// Lease returns a lease; an unknown one is a *RevertError named UnknownLease.
func (c *Client) Lease(ctx context.Context, id uint64) (*Lease, error) {
	const action = "MarketStalls.getLease"
	l, err := read(ctx, c, action, contracts.MarketStallsAddress, stallsABI.PackGetLease(u256(id)), stallsABI.UnpackGetLease)
	if err != nil {
		return nil, err
	}
	out := &Lease{ID: id, Holder: l.Holder, Start: l.Start, End: l.End, FeePaid: l.FeePaid, Released: l.Released}
	if out.Stall, err = uint64Of(action, l.Stall); err != nil {
		return nil, err
	}
	if out.Round, err = uint64Of(action, l.Round); err != nil {
		return nil, err
	}
	return out, nil
}

// Waitlist returns a round's waitlist from the next applicant to promote on.
func (c *Client) Waitlist(ctx context.Context, round uint64) ([]common.Address, error) {
	wl, err := read(ctx, c, "MarketStalls.waitlist", contracts.MarketStallsAddress, stallsABI.PackWaitlist(u256(round)), stallsABI.UnpackWaitlist)
	if wl == nil && err == nil {
		wl = []common.Address{}
	}
	return wl, err
}
