package api

import (
	"context"
	"encoding/binary"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// pagedSource is a countSource of a poll created at block 5 with one
// ballot a block (voter index = block, option = block % 2), read a block
// to a page; every page after a call's first waits for gate, and a page at
// failAt fails once.
type pagedSource struct {
	poll   uint64
	gate   chan struct{}
	mu     sync.Mutex
	froms  []uint64
	failAt uint64
	dupAt  uint64 // the ballot of this block is voter 6's again (0: none)
}

func (p *pagedSource) created(context.Context, uint64) (uint64, error) { return 5, nil }

func (p *pagedSource) each(ctx context.Context, from, to uint64, fn func([]types.Log) error) error {
	p.mu.Lock()
	p.froms = append(p.froms, from)
	p.mu.Unlock()
	for b := from; b <= to; b++ {
		if b > from {
			select {
			case <-p.gate:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		if b == p.failAt {
			p.failAt = 0
			return errors.New("node went away")
		}
		l := castAt(p.poll, b)
		if b == p.dupAt {
			binary.BigEndian.PutUint32(l.Data[28:32], 6)
		}
		if err := fn([]types.Log{l}); err != nil {
			return err
		}
	}
	return nil
}

func (p *pagedSource) calls() []uint64 {
	p.mu.Lock()
	defer p.mu.Unlock()
	return append([]uint64{}, p.froms...)
}

func castAt(poll, block uint64) types.Log {
	data := make([]byte, 64)
	binary.BigEndian.PutUint32(data[28:32], uint32(block))
	binary.BigEndian.PutUint32(data[60:64], uint32(block%2))
	voter := common.BigToHash(common.Big1)
	return types.Log{Topics: []common.Hash{ballotCastID, pollTopic(poll), voter}, Data: data, BlockNumber: block}
}

func withWait(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d+answerMargin)
}

// TestRecountInBackground: a count longer than a request's deadline is
// answered recount-in-progress with its progress and Retry-After, goes on
// in the background, and is kept: the next final block is counted on from
// where the count ended, not from the poll's first block.
func TestRecountInBackground(t *testing.T) {
	src := &pagedSource{poll: 3, gate: make(chan struct{})}
	rc := newRecounts()
	ctx, cancel := withWait(200 * time.Millisecond)
	_, ok, err := rc.through(ctx, 3, 2, 14, src)
	cancel()
	var pe *problemError
	if ok || !errors.As(err, &pe) || pe.kind != kindCounting || pe.retryAfter != countRetrySecs {
		t.Fatalf("first request: have ok %v, %v; want recount-in-progress with Retry-After", ok, err)
	}
	if want := "through block 5 of 14, 1 ballots so far"; !strings.Contains(pe.detail, want) {
		t.Errorf("progress: have %q, want it to say %q", pe.detail, want)
	}
	close(src.gate) // the node answers the remaining pages
	ctx, cancel = withWait(5 * time.Second)
	defer cancel()
	snap, ok, err := rc.through(ctx, 3, 2, 14, src)
	if err != nil || !ok || snap.cast != 10 || snap.counts[0] != 5 || snap.counts[1] != 5 || snap.from != 5 || len(snap.invalid) != 0 {
		t.Fatalf("after the count: have %+v ok %v err %v, want 10 ballots [5 5] from block 5", snap, ok, err)
	}
	snap, ok, err = rc.through(ctx, 3, 2, 20, src)
	if err != nil || !ok || snap.cast != 16 {
		t.Fatalf("next final block: have %+v ok %v err %v, want 16 ballots", snap, ok, err)
	}
	if have := src.calls(); len(have) != 2 || have[0] != 5 || have[1] != 15 {
		t.Errorf("reads started at blocks %v, want [5 15] (each block read once)", have)
	}
	if _, ok, err := rc.through(ctx, 3, 2, 12, src); ok || err != nil {
		t.Errorf("an older final block than the kept count: have ok %v err %v, want it counted afresh (false, nil)", ok, err)
	}
}

// TestRecountGoesOnAfterFailure: a read that fails halfway reports the
// failure to the request and keeps the pages counted; the next request
// counts on from there.
func TestRecountGoesOnAfterFailure(t *testing.T) {
	src := &pagedSource{poll: 3, gate: make(chan struct{}), failAt: 9}
	close(src.gate)
	rc := newRecounts()
	ctx, cancel := withWait(5 * time.Second)
	defer cancel()
	if _, _, err := rc.through(ctx, 3, 2, 14, src); err == nil || !strings.Contains(err.Error(), "node went away") {
		t.Fatalf("failed read: have %v, want the node's error", err)
	}
	snap, ok, err := rc.through(ctx, 3, 2, 14, src)
	if err != nil || !ok || snap.cast != 10 {
		t.Fatalf("after the failure: have %+v ok %v err %v, want 10 ballots", snap, ok, err)
	}
	if have := src.calls(); len(have) != 2 || have[1] != 9 {
		t.Errorf("reads started at blocks %v, want the second at block 9", have)
	}
}

// creationChain is a Filterer of a chain of 744 blocks where poll 1 was
// created at block 3 (its PollCreated the only match); it records the
// highest block asked for.
type creationChain struct{ highest uint64 }

func (c *creationChain) FilterLogs(_ context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	from, to := q.FromBlock.Uint64(), q.ToBlock.Uint64()
	c.highest = max(c.highest, to)
	if from <= 3 && 3 <= to && q.Topics[1][0] == pollTopic(1) {
		return []types.Log{{BlockNumber: 3, Topics: []common.Hash{pollCreatedID, pollTopic(1)}}}, nil
	}
	return nil, nil
}

// TestCreatedStopsAtEvent: the creation block is found without reading the
// blocks after the page that holds it (a city-wide poll's ballots fill them).
func TestCreatedStopsAtEvent(t *testing.T) {
	c := &creationChain{}
	block, err := createdAt(context.Background(), c, 1, 744)
	if err != nil || block != 3 {
		t.Fatalf("creation block: have %d (%v), want 3", block, err)
	}
	if c.highest > 4 {
		t.Errorf("read logs up to block %d; want the scan to stop at the page holding block 3 (0, then 1-4)", c.highest)
	}
	if _, err := createdAt(context.Background(), c, 2, 744); err == nil || !strings.Contains(err.Error(), "no PollCreated event of poll 2") {
		t.Errorf("unknown poll: have %v, want no PollCreated event", err)
	}
}

// TestRecountLatestTail: a read past the finalized block adds to the kept
// count of the final blocks only the blocks after it, read afresh each time
// (the kept count is not extended past the finalized block), and a voter of
// the kept count seen again after it is reported, not counted.
func TestRecountLatestTail(t *testing.T) {
	src := &pagedSource{poll: 3, gate: make(chan struct{}), dupAt: 16}
	close(src.gate)
	rc := newRecounts()
	ctx, cancel := withWait(5 * time.Second)
	defer cancel()
	snap, ok, err := rc.latest(ctx, 3, 2, 14, 17, src)
	// Blocks 5-17, one ballot each (option block%2), block 16's a second ballot of voter 6.
	if err != nil || !ok || snap.cast != 13 || snap.counts[0] != 5 || snap.counts[1] != 7 || snap.from != 5 {
		t.Fatalf("latest at 17 over final 14: have %+v ok %v err %v; want 13 events, [5 7] from block 5", snap, ok, err)
	}
	if len(snap.invalid) != 1 || !strings.Contains(snap.invalid[0], "voter 6") {
		t.Errorf("invalid: have %q, want voter 6 counted twice", snap.invalid)
	}
	if snap, ok, err := rc.latest(ctx, 3, 2, 14, 18, src); err != nil || !ok || snap.cast != 14 {
		t.Fatalf("latest at 18: have %+v ok %v err %v; want 14 events", snap, ok, err)
	}
	if have := src.calls(); len(have) != 3 || have[0] != 5 || have[1] != 15 || have[2] != 15 {
		t.Errorf("reads started at blocks %v, want [5 15 15] (the final blocks once, the tail each time)", have)
	}
	if _, ok, err := rc.latest(ctx, 3, 2, 20, 12, src); ok || err != nil {
		t.Errorf("a block older than the kept count: have ok %v err %v, want it counted afresh (false, nil)", ok, err)
	}
}
