package logpage

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
)

// chain is a fake node: perBlock(n) logs in block n, a range limit and a
// result limit that fail a call the way a node or its HTTP timeout would.
type chain struct {
	perBlock   func(n uint64) int
	rangeLimit uint64 // blocks per call at most (0: none)
	maxResults int    // logs per call at most (0: none)
	sayLimit   bool   // refuse with go-ethereum's text naming the limit
	calls      [][2]uint64
}

type rpcError struct {
	code int
	msg  string
}

func (e rpcError) Error() string {
	if e.msg != "" {
		return e.msg
	}
	return fmt.Sprintf("rpc error %d", e.code)
}
func (e rpcError) ErrorCode() int { return e.code }

func (c *chain) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	lo, hi := q.FromBlock.Uint64(), q.ToBlock.Uint64()
	c.calls = append(c.calls, [2]uint64{lo, hi})
	if c.rangeLimit != 0 && hi-lo+1 > c.rangeLimit {
		if c.sayLimit {
			return nil, rpcError{-32602, fmt.Sprintf("exceed maximum block range %d", c.rangeLimit)}
		}
		return nil, rpcError{code: -32602}
	}
	var out []types.Log
	for n := lo; n <= hi; n++ {
		for i := 0; i < c.perBlock(n); i++ {
			out = append(out, types.Log{BlockNumber: n, Index: uint(i)})
		}
	}
	if c.maxResults != 0 && len(out) > c.maxResults {
		return nil, errors.New("context deadline exceeded")
	}
	return out, nil
}

// collect runs Each and checks that every log of [from, to] arrives once, in order.
func collect(t *testing.T, c *chain, cfg Config, from, to uint64) Stats {
	t.Helper()
	var got []types.Log
	st, err := Each(context.Background(), c, cfg, ethereum.FilterQuery{}, from, to, func(l []types.Log) error {
		got = append(got, l...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	i := 0
	for n := from; n <= to; n++ {
		for j := 0; j < c.perBlock(n); j++ {
			if i >= len(got) || got[i].BlockNumber != n || got[i].Index != uint(j) {
				t.Fatalf("log %d: want block %d index %d, have %+v (of %d)", i, n, j, got[min(i, len(got)-1)], len(got))
			}
			i++
		}
	}
	if i != len(got) || st.Logs != len(got) || st.Blocks != to-from+1 {
		t.Fatalf("have %d logs (stats %+v), want %d over %d blocks", len(got), st, i, to-from+1)
	}
	return st
}

func TestEachPagesAllLogsOnce(t *testing.T) {
	c := &chain{perBlock: func(n uint64) int { return int(n % 7) }}
	st := collect(t, c, Config{Span: 3, MaxSpan: 50, Target: 40}, 5, 1000)
	if st.Retries != 0 || st.Pages < 10 {
		t.Fatalf("stats %+v: want several pages and no retries", st)
	}
}

func TestEachHalvesOnFailureAndAdapts(t *testing.T) {
	// Dense blocks (19,000 logs like a full ballot block) after sparse ones:
	// the span must shrink to stay under the result limit.
	c := &chain{perBlock: func(n uint64) int {
		if n >= 500 {
			return 19
		}
		return int(n % 2)
	}, maxResults: 100, rangeLimit: 400}
	st := collect(t, c, Config{Span: 1000, MaxSpan: 1000, Target: 80}, 0, 2000)
	if st.Retries == 0 {
		t.Fatalf("stats %+v: want retries from the limits", st)
	}
	for _, call := range c.calls[len(c.calls)-10:] {
		if call[1]-call[0]+1 > 5 {
			t.Fatalf("call %v spans more blocks than 100 logs allow at 19 a block", call)
		}
	}
}

// TestEachKeepsToAStatedRangeLimit: a node started with --rpc.logrange says
// its limit when it refuses a range; after that one refusal every page keeps
// within it, rather than restarting from one block and growing past it again.
func TestEachKeepsToAStatedRangeLimit(t *testing.T) {
	c := &chain{perBlock: func(n uint64) int { return int(n % 1000 / 999) }, rangeLimit: 500, sayLimit: true}
	st := collect(t, c, Config{Span: 1, MaxSpan: 10_000, Target: 20_000}, 0, 100_000)
	if st.Retries != 1 {
		t.Fatalf("stats %+v: want exactly one refusal, then pages within the limit", st)
	}
	if st.Pages > 100_001/500+10 {
		t.Fatalf("stats %+v: want pages of the stated limit (500 blocks)", st)
	}
}

func TestEachFailsOnOneBlockItCannotRead(t *testing.T) {
	c := &chain{perBlock: func(n uint64) int { return int(n) }, maxResults: 50}
	_, err := Each(context.Background(), c, Config{Span: 10, MaxSpan: 10, Target: 10}, ethereum.FilterQuery{}, 0, 100, func([]types.Log) error { return nil })
	if err == nil || !strings.Contains(err.Error(), "block 51 alone") {
		t.Fatalf("want an error naming block 51, have %v", err)
	}
}

func TestEachStopsOnPermanentErrorsAndCallbacks(t *testing.T) {
	c := &chain{perBlock: func(uint64) int { return 1 }}
	stop := errors.New("stop")
	if _, err := Each(context.Background(), c, Defaults, ethereum.FilterQuery{}, 0, 10, func([]types.Log) error { return stop }); !errors.Is(err, stop) {
		t.Fatalf("want the callback's error, have %v", err)
	}
	missing := filterFunc(func(context.Context, ethereum.FilterQuery) ([]types.Log, error) { return nil, rpcError{code: -32601} })
	calls := 0
	counted := filterFunc(func(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
		calls++
		return missing(ctx, q)
	})
	if _, err := Each(context.Background(), counted, Defaults, ethereum.FilterQuery{}, 0, 10_000, nil); err == nil || calls != 1 {
		t.Fatalf("method not found: want one call and an error, have %d calls, %v", calls, err)
	}
	if _, err := Each(context.Background(), c, Config{}, ethereum.FilterQuery{}, 0, 1, nil); err == nil {
		t.Fatal("a zero config must be refused")
	}
}

type filterFunc func(context.Context, ethereum.FilterQuery) ([]types.Log, error)

func (f filterFunc) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	return f(ctx, q)
}

// TestEachTimesOutALargePageAndRestartsFromOneBlock: a page that would take
// too long (a dense stretch after empty blocks) costs one PageTimeout.
func TestEachTimesOutALargePageAndRestartsFromOneBlock(t *testing.T) {
	c := &chain{perBlock: func(n uint64) int { return 1 }}
	var spans []uint64
	slow := filterFunc(func(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
		span := q.ToBlock.Uint64() - q.FromBlock.Uint64() + 1
		spans = append(spans, span)
		if span > 8 {
			<-ctx.Done() // a node still working when the page's time is up
			return nil, ctx.Err()
		}
		return c.FilterLogs(ctx, q)
	})
	var got int
	st, err := Each(context.Background(), slow, Config{Span: 1, MaxSpan: 100, Target: 1000, PageTimeout: 20 * time.Millisecond},
		ethereum.FilterQuery{}, 0, 99, func(l []types.Log) error { got += len(l); return nil })
	if err != nil || got != 100 || st.Retries == 0 {
		t.Fatalf("have %d logs, stats %+v, err %v; want 100 logs after retries", got, st, err)
	}
	for i, s := range spans[1:] {
		if spans[i] > 8 && s != 1 {
			t.Fatalf("spans %v: a timed-out page must be retried from one block", spans)
		}
	}
}
