package api

import (
	"context"
	"errors"
	"math/big"
	"net/http"
	"strconv"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/client/logpage"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

var pollsABI = polls.NewPolls()

// Topics of the Polls events the API reads.
var (
	pollCreatedID = pollsABI.GetABI().Events["PollCreated"].ID
	ballotCastID  = pollsABI.GetABI().Events["BallotCast"].ID
	ballotRejID   = pollsABI.GetABI().Events["BallotRejected"].ID
)

// PollInfo is a poll with its state and tallies at a block.
type PollInfo struct {
	*registry.Poll
	State   string   `json:"state"`
	Tallies []uint64 `json:"tallies"`
	Total   uint64   `json:"total"`
}

// Poll is a poll at a block.
type Poll struct {
	Block BlockRef `json:"block"`
	*PollInfo
}

// PollList is a page of polls.
type PollList struct {
	Block BlockRef   `json:"block"`
	Count uint64     `json:"count"` // polls on chain, numbered 1 to count
	Polls []PollInfo `json:"polls"`
}

// readPoll reads a poll, its state at the view's time and its tallies.
func readPoll(ctx context.Context, c *registry.Client, v upstream.View, id uint64) (*PollInfo, error) {
	p, err := c.Poll(ctx, id)
	if err != nil {
		return nil, err
	}
	t, err := c.Tallies(ctx, id)
	if err != nil {
		return nil, err
	}
	out := &PollInfo{Poll: p, State: p.State(v.Block.Time), Tallies: t}
	for _, n := range t {
		out.Total += n
	}
	return out, nil
}

func (s *Server) getPoll(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := readPoll(ctx, c, v, id)
	if err != nil {
		return nil, err
	}
	return &Poll{Block: refOf(v), PollInfo: p}, nil
}

func (s *Server) listPolls(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	from, limit, err := pageParams(r, 20, 100)
	if err != nil {
		return nil, err
	}
	n, err := c.PollCount(ctx)
	if err != nil {
		return nil, err
	}
	out := &PollList{Block: refOf(v), Count: n, Polls: []PollInfo{}}
	for id := from; id <= n && id < from+limit; id++ {
		p, err := readPoll(ctx, c, v, id)
		if err != nil {
			return nil, err
		}
		out.Polls = append(out.Polls, *p)
	}
	return out, nil
}

// Recount is a poll recounted from its BallotCast events and compared with
// the contract's tallies, both at one block.
type Recount struct {
	Block      BlockRef `json:"block"`
	Poll       uint64   `json:"poll"`
	FromBlock  uint64   `json:"fromBlock"` // the poll's creation block, where the events start
	Events     int      `json:"events"`
	Options    []string `json:"options"`
	FromEvents []uint64 `json:"fromEvents"`
	Contract   []uint64 `json:"contract"`
	Invalid    []string `json:"invalidEvents"`
	Match      bool     `json:"match"`
}

// filterLogs reads logs of the Polls contract matching topics in [from, to],
// in pages of block ranges sized to the logs found (ADR 058).
func filterLogs(ctx context.Context, c *registry.Client, from, to uint64, topics [][]common.Hash) ([]types.Log, error) {
	var out []types.Log
	q := ethereum.FilterQuery{Addresses: []common.Address{contracts.PollsAddress}, Topics: topics}
	_, err := logpage.Each(ctx, c.Eth(), logpage.Defaults, q, from, to, func(logs []types.Log) error {
		out = append(out, logs...)
		return nil
	})
	return out, err
}

func pollTopic(id uint64) common.Hash { return common.BigToHash(new(big.Int).SetUint64(id)) }

// errFound stops a log scan at its first match.
var errFound = errors.New("found")

// createdAt returns the block of a poll's PollCreated event, up to block to.
// The scan goes page by page from block 0 and stops at the page that holds
// the event: the blocks after it are full of a city-wide poll's ballots, and
// a node reads every log of a block whose bloom matches, so reading them all
// cost as much as the recount itself (~35 s of 1.5 million ballots).
func createdAt(ctx context.Context, f logpage.Filterer, id, to uint64) (uint64, error) {
	q := ethereum.FilterQuery{Addresses: []common.Address{contracts.PollsAddress}, Topics: [][]common.Hash{{pollCreatedID}, {pollTopic(id)}}}
	var (
		block uint64
		found bool
	)
	_, err := logpage.Each(ctx, f, logpage.Defaults, q, 0, to, func(logs []types.Log) error {
		if len(logs) == 0 {
			return nil
		}
		block, found = logs[0].BlockNumber, true
		return errFound
	})
	if err != nil && !errors.Is(err, errFound) {
		return 0, err
	}
	if !found {
		return 0, problemf(kindNotFound, "no PollCreated event of poll %d up to block %d", id, to)
	}
	return block, nil
}

// countRange counts poll id's events in [from, to] afresh.
func (s *Server) countRange(ctx context.Context, c *registry.Client, id uint64, options int, from, to uint64) (*ballots.Tally, uint64, error) {
	logs, err := filterLogs(ctx, c, from, to, [][]common.Hash{{ballotCastID}, {pollTopic(id)}})
	if err != nil {
		return nil, 0, err
	}
	t, err := ballots.Recount(id, options, logs)
	return t, from, err
}

func (s *Server) recountPoll(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	p, err := readPoll(ctx, c, v, id)
	if err != nil {
		return nil, err
	}
	t, err := s.tallyAt(ctx, c, v, id, len(p.Options))
	if err != nil {
		return nil, err
	}
	out := &Recount{Block: refOf(v), Poll: id, FromBlock: t.from, Events: t.cast, Options: p.Options,
		FromEvents: t.counts, Contract: p.Tallies, Invalid: t.invalid, Match: len(t.invalid) == 0}
	for i := range out.Contract {
		out.Match = out.Match && out.Contract[i] == out.FromEvents[i]
	}
	return out, nil
}

// VoterBallots is what the chain holds of one voter's ballots in a poll:
// the BallotCast that counted it, and any BallotRejected.
type VoterBallots struct {
	Block      BlockRef       `json:"block"`
	Poll       uint64         `json:"poll"`
	Voter      common.Address `json:"voter"`
	Counted    bool           `json:"counted"`
	Cast       []CastLog      `json:"cast"`
	Rejections []RejectLog    `json:"rejections"`
}

// LogRef locates a log.
type LogRef struct {
	BlockNumber uint64      `json:"blockNumber"`
	BlockHash   common.Hash `json:"blockHash"`
	Tx          common.Hash `json:"tx"`
	LogIndex    uint        `json:"logIndex"`
}

// CastLog is a BallotCast event.
type CastLog struct {
	LogRef
	VoterIndex uint32 `json:"voterIndex"`
	Option     uint32 `json:"option"`
}

// RejectLog is a BallotRejected event.
type RejectLog struct {
	LogRef
	Position uint64 `json:"position"` // place in its batch
	Reason   string `json:"reason"`
}

func logRef(l *types.Log) LogRef {
	return LogRef{BlockNumber: l.BlockNumber, BlockHash: l.BlockHash, Tx: l.TxHash, LogIndex: l.Index}
}

func (s *Server) voterBallots(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	voter, err := addressParam(r, "address")
	if err != nil {
		return nil, err
	}
	if _, err := c.Poll(ctx, id); err != nil {
		return nil, err
	}
	created, err := createdAt(ctx, c.Eth(), id, v.Block.Number)
	if err != nil {
		return nil, err
	}
	logs, err := filterLogs(ctx, c, created, v.Block.Number, [][]common.Hash{{ballotCastID, ballotRejID}, {pollTopic(id)}, {common.BytesToHash(voter.Bytes())}})
	if err != nil {
		return nil, err
	}
	out := &VoterBallots{Block: refOf(v), Poll: id, Voter: voter, Cast: []CastLog{}, Rejections: []RejectLog{}}
	for i := range logs {
		l := &logs[i]
		if l.Removed {
			continue
		}
		if ev, err := pollsABI.UnpackBallotCastEvent(l); err == nil {
			out.Cast = append(out.Cast, CastLog{LogRef: logRef(l), VoterIndex: ev.VoterIndex, Option: ev.Option})
		} else if ev, err := pollsABI.UnpackBallotRejectedEvent(l); err == nil {
			out.Rejections = append(out.Rejections, RejectLog{LogRef: logRef(l), Position: ev.Position.Uint64(), Reason: ballots.Reason(ev.Reason)})
		}
	}
	out.Counted = len(out.Cast) > 0
	return out, nil
}

func (s *Server) typedData(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	id, err := idParam(r, "id")
	if err != nil {
		return nil, err
	}
	opt := r.URL.Query().Get("option")
	option, err := strconv.ParseUint(opt, 10, 32)
	if err != nil {
		return nil, badInput("?option=%q: want the chosen option's number, from 0", opt)
	}
	p, err := c.Poll(ctx, id)
	if err != nil {
		return nil, err
	}
	if option >= uint64(len(p.Options)) {
		return nil, badInput("?option=%d: poll %d has options 0 to %d", option, id, len(p.Options)-1)
	}
	d := ballots.DevDomain(s.pool.ChainID())
	return d.TypedData(id, uint32(option)), nil
}
