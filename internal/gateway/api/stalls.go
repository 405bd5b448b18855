package api

import (
	"context"
	"fmt"
	"math/big"
	"net/http"
	"slices"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/stalls"
	"github.com/citychain/citychain/internal/client/logpage"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

var stallsABI = marketstalls.NewMarketStalls()

// Topics of the MarketStalls events the API reads.
var drawnID = stallsABI.GetABI().Events["Drawn"].ID

// MarketList is a page of markets.
type MarketList struct {
	Block   BlockRef          `json:"block"`
	Count   uint64            `json:"count"`
	Markets []registry.Market `json:"markets"`
}

func (s *Server) listMarkets(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	from, limit, err := pageParams(r, 50, 200)
	if err != nil {
		return nil, err
	}
	n, err := c.MarketCount(ctx)
	if err != nil {
		return nil, err
	}
	out := &MarketList{Block: refOf(v), Count: n, Markets: []registry.Market{}}
	for id := from; id <= n && id < from+limit; id++ {
		m, err := c.Market(ctx, id)
		if err != nil {
			return nil, err
		}
		out.Markets = append(out.Markets, *m)
	}
	return out, nil
}

// MarketStalls is a market and its stalls among a range of stall numbers.
type MarketStalls struct {
	Block      BlockRef         `json:"block"`
	Market     *registry.Market `json:"market"`
	StallCount uint64           `json:"stallCount"` // stalls of all markets, numbered 1 to stallCount
	From       uint64           `json:"from"`       // the stall numbers looked at: from to from+limit-1
	Limit      uint64           `json:"limit"`
	Stalls     []registry.Stall `json:"stalls"`
}

func (s *Server) getMarket(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	from, limit, err := pageParams(r, 200, 1000)
	if err != nil {
		return nil, err
	}
	m, err := c.Market(ctx, id)
	if err != nil {
		return nil, err
	}
	n, err := c.StallCount(ctx)
	if err != nil {
		return nil, err
	}
	out := &MarketStalls{Block: refOf(v), Market: m, StallCount: n, From: from, Limit: limit, Stalls: []registry.Stall{}}
	for st := from; st <= n && st < from+limit; st++ {
		stall, err := c.Stall(ctx, st)
		if err != nil {
			return nil, err
		}
		if stall.Market == id {
			out.Stalls = append(out.Stalls, *stall)
		}
	}
	return out, nil
}

// RoundSummary is a round in a list.
type RoundSummary struct {
	ID         uint64 `json:"id"`
	Market     uint64 `json:"market"`
	State      string `json:"state"`
	OpensAt    uint64 `json:"opensAt"`
	ClosesAt   uint64 `json:"closesAt"`
	Stalls     int    `json:"stalls"`
	Applicants int    `json:"applicants"`
}

// RoundList is a page of rounds.
type RoundList struct {
	Block  BlockRef       `json:"block"`
	Count  uint64         `json:"count"`
	Rounds []RoundSummary `json:"rounds"`
}

func (s *Server) listRounds(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	from, limit, err := pageParams(r, 50, 200)
	if err != nil {
		return nil, err
	}
	market, byMarket, err := uintQuery(r, "market")
	if err != nil {
		return nil, err
	}
	n, err := c.RoundCount(ctx)
	if err != nil {
		return nil, err
	}
	out := &RoundList{Block: refOf(v), Count: n, Rounds: []RoundSummary{}}
	for id := from; id <= n && id < from+limit; id++ {
		rd, err := c.Round(ctx, id)
		if err != nil {
			return nil, err
		}
		if byMarket && rd.Market != market {
			continue
		}
		out.Rounds = append(out.Rounds, RoundSummary{ID: id, Market: rd.Market, State: rd.State, OpensAt: rd.OpensAt, ClosesAt: rd.ClosesAt, Stalls: len(rd.Stalls), Applicants: len(rd.Applicants)})
	}
	return out, nil
}

// Draw is a round with its draw: the public inputs, the allocation the
// gateway recomputes from them, the allocation the chain made, and whether
// they agree.
type Draw struct {
	Block BlockRef `json:"block"`
	*registry.Round
	Inputs     *DrawInputs `json:"inputs,omitempty"`     // nil before the draw
	Recomputed *Allocation `json:"recomputed,omitempty"` // from the inputs
	Chain      *ChainAlloc `json:"chain,omitempty"`      // from the draw transaction's Leased events and the waitlist
	Match      *bool       `json:"match,omitempty"`      // inputs consistent and both allocations identical
	Mismatches []string    `json:"mismatches,omitempty"`
}

// DrawInputs are the public inputs of a draw.
type DrawInputs struct {
	Seed              common.Hash `json:"seed"`              // revealed by the operator (the Drawn event)
	CommitmentMatches bool        `json:"commitmentMatches"` // keccak256(seed) is the round's commitment
	DrawBlock         uint64      `json:"drawBlock"`
	DrawBlockHash     common.Hash `json:"drawBlockHash"`  // the header's hash, as the gateway reads it
	EventBlockHash    common.Hash `json:"eventBlockHash"` // the hash the contract used (the Drawn event)
	Randomness        common.Hash `json:"randomness"`     // keccak256(seed, drawBlockHash), recomputed
	DrawTx            common.Hash `json:"drawTx"`
}

// Allocation is a recomputed draw: the shuffle's steps, the winners in
// stall order and the waitlist in promotion order.
type Allocation struct {
	Swaps    []stalls.Swap    `json:"swaps"`
	Order    []common.Address `json:"order"`
	Winners  []common.Address `json:"winners"`
	Waitlist []common.Address `json:"waitlist"`
}

// ChainAlloc is the allocation the chain made in the draw transaction.
type ChainAlloc struct {
	Leases   []DrawLease      `json:"leases"`   // in the round's stall order
	Waitlist []common.Address `json:"waitlist"` // still waiting, next first
}

// DrawLease is a lease the draw granted.
type DrawLease struct {
	Stall  uint64         `json:"stall"`
	Lease  uint64         `json:"lease"`
	Holder common.Address `json:"holder"`
}

func (s *Server) getRound(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	rd, err := c.Round(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &Draw{Block: refOf(v), Round: rd}
	if !rd.Drawn() {
		return out, nil
	}
	ev, l, err := drawnEvent(ctx, c, id, rd.DrawBlock, v.Block.Number)
	if err != nil {
		return nil, err
	}
	if err := s.replay(ctx, c, out, ev, l); err != nil {
		return nil, err
	}
	return out, nil
}

// drawnEvent returns the Drawn event of a round in blocks [from, to]: from is
// the round's draw block, before which the event cannot be, so the read does
// not scan the chain from block 0 (and keeps within a node's --rpc.logrange,
// paged by logpage, ADR 058).
func drawnEvent(ctx context.Context, c *registry.Client, round, from, to uint64) (*marketstalls.MarketStallsDrawn, *types.Log, error) {
	q := ethereum.FilterQuery{
		Addresses: []common.Address{contracts.MarketStallsAddress},
		Topics:    [][]common.Hash{{drawnID}, {common.BigToHash(new(big.Int).SetUint64(round))}},
	}
	var logs []types.Log
	_, err := logpage.Each(ctx, c.Eth(), logpage.Defaults, q, min(from, to), to, func(page []types.Log) error {
		logs = append(logs, page...)
		return nil
	})
	if err != nil {
		return nil, nil, fmt.Errorf("Drawn event of round %d: %w", round, err)
	}
	if len(logs) != 1 {
		return nil, nil, fmt.Errorf("round %d is drawn, but %d Drawn events were found", round, len(logs))
	}
	ev, err := stallsABI.UnpackDrawnEvent(&logs[0])
	return ev, &logs[0], err
}

// replay fills in a drawn round's inputs, recomputed allocation and the
// chain's, and compares them.
func (s *Server) replay(ctx context.Context, c *registry.Client, out *Draw, ev *marketstalls.MarketStallsDrawn, l *types.Log) error {
	rd := out.Round
	hdr, err := c.Eth().HeaderByNumber(ctx, new(big.Int).SetUint64(rd.DrawBlock))
	if err != nil {
		return fmt.Errorf("header of draw block %d: %w", rd.DrawBlock, err)
	}
	seed := common.Hash(ev.Seed)
	in := &DrawInputs{
		Seed: seed, CommitmentMatches: stalls.Commitment(seed) == rd.Commitment, DrawBlock: rd.DrawBlock,
		DrawBlockHash: hdr.Hash(), EventBlockHash: ev.DrawBlockHash, Randomness: stalls.Randomness(seed, hdr.Hash()), DrawTx: l.TxHash,
	}
	out.Inputs = in
	alloc := stalls.Draw(seed, hdr.Hash(), rd.Applicants, len(rd.Stalls))
	out.Recomputed = &Allocation{Swaps: stalls.Swaps(len(rd.Applicants), alloc.Randomness), Order: stalls.Shuffle(rd.Applicants, alloc.Randomness),
		Winners: nonNil(alloc.Winners), Waitlist: nonNil(alloc.Waitlist)}
	chain, err := chainAllocation(ctx, c, rd, l.TxHash)
	if err != nil {
		return err
	}
	out.Chain = chain
	out.Mismatches = compareDraw(rd, in, out.Recomputed, chain)
	match := len(out.Mismatches) == 0
	out.Match = &match
	return nil
}

// chainAllocation reads the leases of the draw transaction and the round's
// waitlist.
func chainAllocation(ctx context.Context, c *registry.Client, rd *registry.Round, tx common.Hash) (*ChainAlloc, error) {
	rcpt, err := c.Eth().TransactionReceipt(ctx, tx)
	if err != nil {
		return nil, fmt.Errorf("receipt of the draw transaction %s: %w", tx, err)
	}
	byStall := map[uint64]DrawLease{}
	for _, l := range rcpt.Logs {
		ev, err := stallsABI.UnpackLeasedEvent(l)
		if err != nil || l.Address != contracts.MarketStallsAddress || ev.Round.Uint64() != rd.ID {
			continue
		}
		byStall[ev.Stall.Uint64()] = DrawLease{Stall: ev.Stall.Uint64(), Lease: ev.Lease.Uint64(), Holder: ev.Holder}
	}
	out := &ChainAlloc{Leases: []DrawLease{}}
	for _, st := range rd.Stalls {
		if dl, ok := byStall[st]; ok {
			out.Leases = append(out.Leases, dl)
		}
	}
	if out.Waitlist, err = c.Waitlist(ctx, rd.ID); err != nil {
		return nil, err
	}
	return out, nil
}

// compareDraw lists the differences between the inputs, the recomputation
// and the chain's allocation.
func compareDraw(rd *registry.Round, in *DrawInputs, re *Allocation, chain *ChainAlloc) []string {
	var out []string
	if !in.CommitmentMatches {
		out = append(out, "the revealed seed does not hash to the round's commitment")
	}
	if in.DrawBlockHash != in.EventBlockHash {
		out = append(out, fmt.Sprintf("the draw block's hash is %s, the contract used %s", in.DrawBlockHash, in.EventBlockHash))
	}
	if in.Randomness != rd.Randomness {
		out = append(out, fmt.Sprintf("the randomness recomputes to %s, the contract stored %s", in.Randomness, rd.Randomness))
	}
	holders := make([]common.Address, len(chain.Leases))
	for i, l := range chain.Leases {
		holders[i] = l.Holder
	}
	if !slices.Equal(holders, re.Winners) {
		out = append(out, fmt.Sprintf("the chain leased the stalls to %v, the recomputation gives %v", holders, re.Winners))
	}
	if next := int(rd.WaitlistNext); next <= len(re.Waitlist) && !slices.Equal(chain.Waitlist, re.Waitlist[next:]) {
		out = append(out, fmt.Sprintf("the chain's waitlist is %v, the recomputation gives %v after %d promotions", chain.Waitlist, re.Waitlist[next:], next))
	}
	return out
}

func nonNil(a []common.Address) []common.Address {
	if a == nil {
		return []common.Address{}
	}
	return a
}
