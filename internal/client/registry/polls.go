package registry

import (
	"context"
	"errors"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/polls"
)

var pollsABI = polls.NewPolls()

// Poll states, as Poll.State names them.
const (
	PollNotYetOpen = "not yet open"
	PollOpen       = "open"
	PollClosed     = "closed"
	PollCancelled  = "cancelled"
)

// Poll is an Active Citizen poll as the Polls contract holds it: settings,
// question and option labels.
type Poll struct {
	ID           uint64      `json:"id"`
	Department   string      `json:"department"`
	Question     string      `json:"question"`
	Options      []string    `json:"options"`
	OpensAt      uint64      `json:"opensAt"`
	ClosesAt     uint64      `json:"closesAt"`
	VoterCount   uint32      `json:"voterCount"`
	EligibleRoot common.Hash `json:"eligibleRoot"`
	Cancelled    bool        `json:"cancelled"`
}

// State returns the poll's state at a block's time (seconds since the epoch).
func (p *Poll) State(now uint64) string {
	switch {
	case p.Cancelled:
		return PollCancelled
	case now < p.OpensAt:
		return PollNotYetOpen
	case now < p.ClosesAt:
		return PollOpen
	}
	return PollClosed
}

// Open reports whether the poll takes ballots at time now, as Polls.relay decides it.
func (p *Poll) Open(now uint64) bool { return p.State(now) == PollOpen }

// PollCount returns the number of polls (they are numbered from 1).
func (c *Client) PollCount(ctx context.Context) (uint64, error) {
	n, err := read(ctx, c, "Polls.pollCount", contracts.PollsAddress, pollsABI.PackPollCount(), pollsABI.UnpackPollCount)
	if err != nil {
		return 0, err
	}
	return uint64Of("Polls.pollCount", n)
}

// Poll returns a poll's settings, question and options. An unknown poll is a
// *RevertError named UnknownPoll.
func (c *Client) Poll(ctx context.Context, id uint64) (*Poll, error) {
	info, err := read(ctx, c, "Polls.getPoll", contracts.PollsAddress, pollsABI.PackGetPoll(u256(id)), pollsABI.UnpackGetPoll)
	if err != nil {
		return nil, err
	}
	q, err := read(ctx, c, "Polls.getQuestion", contracts.PollsAddress, pollsABI.PackGetQuestion(u256(id)), pollsABI.UnpackGetQuestion)
	if err != nil {
		return nil, err
	}
	return &Poll{
		ID: id, Department: contracts.String32(info.Department), Question: q.Question, Options: q.Options,
		OpensAt: info.OpensAt, ClosesAt: info.ClosesAt, VoterCount: info.VoterCount,
		EligibleRoot: info.EligibleRoot, Cancelled: info.Cancelled,
	}, nil
}

// Tallies returns a poll's counted ballots per option.
func (c *Client) Tallies(ctx context.Context, id uint64) ([]uint64, error) {
	counts, err := read(ctx, c, "Polls.tallies", contracts.PollsAddress, pollsABI.PackTallies(u256(id)), pollsABI.UnpackTallies)
	if err != nil {
		return nil, err
	}
	out := make([]uint64, len(counts))
	for i, n := range counts {
		if out[i], err = uint64Of("Polls.tallies", n); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// HasVoted reports whether voter number index has voted in poll.
func (c *Client) HasVoted(ctx context.Context, poll uint64, index uint32) (bool, error) {
	return read(ctx, c, "Polls.hasVoted", contracts.PollsAddress, pollsABI.PackHasVoted(u256(poll), u256(uint64(index))), pollsABI.UnpackHasVoted)
}

// IsUnknown reports whether err is the contract's refusal of an unknown
// poll, market, stall, round or lease number.
func IsUnknown(err error) bool {
	var rerr *RevertError
	if !errors.As(err, &rerr) {
		return false
	}
	switch rerr.Name() {
	case "UnknownPoll", "UnknownMarket", "UnknownStall", "UnknownRound", "UnknownLease":
		return true
	}
	return false
}
