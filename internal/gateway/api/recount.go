package api

import (
	"context"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/logpage"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// The kept count of a poll (ADR 085): a poll's BallotCast events through
// final blocks are counted once, in the background, page by page, and kept;
// a request waits for the count as long as its own deadline allows and is
// otherwise answered 503 recount-in-progress with how far the count got
// and Retry-After. A city-wide poll's recount (1.5 million events take tens
// of seconds to read) thus never ties a request to the whole read, and the
// count goes on between requests instead of being cut by their timeout.

const (
	countLimit     = 30 * time.Minute       // a background count's own deadline
	answerMargin   = 500 * time.Millisecond // kept from a request's deadline to answer it
	defaultWait    = 3 * time.Second        // the wait of a request without a deadline
	countRetrySecs = 2                      // Retry-After of recount-in-progress
)

// countSource reads a poll's events for the background count.
type countSource interface {
	// created returns the block of the poll's PollCreated event, up to block to.
	created(ctx context.Context, to uint64) (uint64, error)
	// each calls fn with the poll's BallotCast logs in [from, to], page by
	// page, whole blocks to a page.
	each(ctx context.Context, from, to uint64, fn func([]types.Log) error) error
}

// nodeSource is the countSource of one rpc node.
type nodeSource struct {
	c  *registry.Client
	id uint64
}

func (n nodeSource) created(ctx context.Context, to uint64) (uint64, error) {
	return createdAt(ctx, n.c.Eth(), n.id, to)
}

func (n nodeSource) each(ctx context.Context, from, to uint64, fn func([]types.Log) error) error {
	q := ethereum.FilterQuery{Addresses: []common.Address{contracts.PollsAddress}, Topics: [][]common.Hash{{ballotCastID}, {pollTopic(n.id)}}}
	_, err := logpage.Each(ctx, n.c.Eth(), logpage.Defaults, q, from, to, fn)
	return err
}

// pollCount is a poll's tally counted through a final block, extended as
// blocks become final by one background count at a time.
type pollCount struct {
	mu      sync.Mutex
	created uint64 // creation block; 0 until known
	through uint64 // last block counted
	tally   *ballots.Tally
	target  uint64        // the block the running count goes to
	done    chan struct{} // closed when the running count ends; nil when none runs
	err     error         // why the last count stopped short, for the next request
}

// recounts keeps a pollCount per poll.
type recounts struct {
	mu    sync.Mutex
	polls map[uint64]*pollCount
}

func newRecounts() *recounts { return &recounts{polls: map[uint64]*pollCount{}} }

func (rc *recounts) get(poll uint64) *pollCount {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	pc := rc.polls[poll]
	if pc == nil {
		pc = &pollCount{}
		rc.polls[poll] = pc
	}
	return pc
}

// tallySnap is a copy of a tally, safe to read while the count goes on.
type tallySnap struct {
	from    uint64 // the poll's creation block
	cast    int
	counts  []uint64
	invalid []string
}

func snapOf(t *ballots.Tally, from uint64) tallySnap {
	s := tallySnap{from: from, cast: t.Cast, counts: append([]uint64{}, t.Counts...), invalid: []string{}}
	for _, e := range t.Errors {
		s.invalid = append(s.invalid, e.Error())
	}
	return s
}

// tallyAt returns poll id's tally from its events through the view's block:
// the kept count for final blocks, counted afresh otherwise.
func (s *Server) tallyAt(ctx context.Context, c *registry.Client, v upstream.View, id uint64, options int) (tallySnap, error) {
	if v.Final {
		snap, ok, err := s.recount.through(ctx, id, options, v.Block.Number, nodeSource{c: c, id: id})
		if ok || err != nil {
			return snap, err
		}
	} else if final, ok := finalUnder(v); ok {
		snap, ok, err := s.recount.latest(ctx, id, options, final, v.Block.Number, nodeSource{c: c, id: id})
		if ok || err != nil {
			return snap, err
		}
	}
	created, err := createdAt(ctx, c.Eth(), id, v.Block.Number)
	if err != nil {
		return tallySnap{}, err
	}
	t, from, err := s.countRange(ctx, c, id, options, created, v.Block.Number)
	if err != nil {
		return tallySnap{}, err
	}
	return snapOf(t, from), nil
}

// through returns the kept count of poll id through block to, counting on
// in the background to get there and waiting for it while ctx allows. It
// returns false when the kept count is past to (an older final block, to be
// counted afresh), and a recount-in-progress problem when the count is
// still going.
func (rc *recounts) through(ctx context.Context, id uint64, options int, to uint64, src countSource) (tallySnap, bool, error) {
	pc := rc.get(id)
	timer := time.NewTimer(waitFor(ctx))
	defer timer.Stop()
	for {
		pc.mu.Lock()
		if pc.done == nil {
			if err := pc.err; err != nil {
				pc.err = nil
				pc.mu.Unlock()
				return tallySnap{}, false, err
			}
			if pc.created != 0 && pc.through == to {
				snap := snapOf(pc.tally, pc.created)
				pc.mu.Unlock()
				return snap, true, nil
			}
			if pc.created != 0 && pc.through > to {
				pc.mu.Unlock()
				return tallySnap{}, false, nil
			}
			pc.done, pc.target = make(chan struct{}), to
			go pc.run(id, options, to, src)
		}
		done := pc.done
		pc.mu.Unlock()
		select {
		case <-done:
		case <-timer.C:
			return tallySnap{}, false, pc.pending(id, to)
		}
	}
}

// finalUnder returns the finalized block of the view's node, if it has one
// below the view's block.
func finalUnder(v upstream.View) (uint64, bool) {
	if v.Node == nil {
		return 0, false
	}
	f := v.Node.Status().Finalized
	if f == nil || f.Number >= v.Block.Number {
		return 0, false
	}
	return f.Number, true
}

// latest returns poll id's tally through block to, past the finalized block
// final (a read at ?at=latest): the kept count through final (counted on in
// the background as for a final read, recount-in-progress meanwhile) plus
// the events of the blocks after the kept count, read afresh and checked
// against the kept voters without copying them. A city-wide poll's read at
// latest counted every event within the request and ended 504. ok is false
// when the kept count cannot serve (it is past to, or was dropped): the
// caller counts afresh.
func (rc *recounts) latest(ctx context.Context, id uint64, options int, final, to uint64, src countSource) (tallySnap, bool, error) {
	if _, ok, err := rc.through(ctx, id, options, final, src); !ok || err != nil {
		return tallySnap{}, ok, err
	}
	pc := rc.get(id)
	pc.mu.Lock()
	from := pc.through + 1
	pc.mu.Unlock()
	var tail []types.Log
	if from <= to {
		err := src.each(ctx, from, to, func(logs []types.Log) error {
			tail = append(tail, logs...)
			return nil
		})
		if err != nil {
			return tallySnap{}, false, err
		}
	}
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.created == 0 || pc.through+1 < from || pc.through > to {
		return tallySnap{}, false, nil
	}
	kept := pc.through // it may have moved on meanwhile: the blocks it holds are in it
	i := 0
	for i < len(tail) && tail[i].BlockNumber <= kept {
		i++
	}
	t := ballots.NewTally(id, options)
	if err := t.AddSeen(tail[i:], func(voter uint32) bool { return pc.tally.Voters[voter] }); err != nil {
		return tallySnap{}, false, err
	}
	snap := snapOf(pc.tally, pc.created)
	snap.cast += t.Cast
	for o := range snap.counts {
		snap.counts[o] += t.Counts[o]
	}
	for _, e := range t.Errors {
		snap.invalid = append(snap.invalid, e.Error())
	}
	return snap, true, nil
}

// waitFor is how long a request may wait for the count: up to its deadline,
// less the time to answer.
func waitFor(ctx context.Context) time.Duration {
	d, ok := ctx.Deadline()
	if !ok {
		return defaultWait
	}
	return max(time.Until(d)-answerMargin, 0)
}

// pending is the recount-in-progress problem, saying how far the count got.
func (pc *pollCount) pending(id, to uint64) error {
	pc.mu.Lock()
	defer pc.mu.Unlock()
	cast := 0
	if pc.tally != nil {
		cast = pc.tally.Cast
	}
	pe := problemf(kindCounting, "poll %d's BallotCast events are being counted in the background: through block %d of %d, %d ballots so far; ask again after Retry-After",
		id, pc.through, max(pc.target, to), cast)
	pe.retryAfter = countRetrySecs
	return pe
}

// run counts on to block to, in the background, with a deadline of its own.
func (pc *pollCount) run(id uint64, options int, to uint64, src countSource) {
	ctx, cancel := context.WithTimeout(context.Background(), countLimit)
	defer cancel()
	err := pc.advance(ctx, id, options, to, src)
	pc.mu.Lock()
	defer pc.mu.Unlock()
	pc.err = err
	close(pc.done)
	pc.done, pc.target = nil, 0
}

// advance adds the poll's events after pc.through up to block to into the
// kept count, page by page: a read cut short keeps the pages it counted, so
// the next count goes on from there.
func (pc *pollCount) advance(ctx context.Context, id uint64, options int, to uint64, src countSource) error {
	pc.mu.Lock()
	known, from := pc.created != 0, pc.through+1
	pc.mu.Unlock()
	if !known {
		created, err := src.created(ctx, to)
		if err != nil {
			return err
		}
		pc.mu.Lock()
		pc.created, pc.through, pc.tally = created, created-1, ballots.NewTally(id, options)
		pc.mu.Unlock()
		from = created
	}
	err := src.each(ctx, from, to, func(logs []types.Log) error {
		if len(logs) == 0 {
			return nil
		}
		pc.mu.Lock()
		defer pc.mu.Unlock()
		if err := pc.tally.Add(logs); err != nil {
			pc.created = 0 // count again from the start next time
			return err
		}
		pc.through = logs[len(logs)-1].BlockNumber // pages hold whole blocks
		return nil
	})
	if err != nil {
		return err
	}
	pc.mu.Lock()
	pc.through = to
	pc.mu.Unlock()
	return nil
}
