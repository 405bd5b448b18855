// Package logpage reads eth_getLogs results of a long block range in pages
// of consecutive block ranges, so that no single call returns more logs than
// a client can hold or a node can serve within its HTTP write timeout.
//
// The span of a page adapts to the density of matching logs: after each
// page the next span is sized to bring about Config.Target logs (growing at
// most 4x a page), and a call that fails or outlasts Config.PageTimeout (a
// dense stretch after empty blocks, a response too large, a node's range
// limit) is retried from one block, whose logs then size the next span. A
// single block whose logs still cannot be read is an error naming it.
package logpage

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
)

// Filterer is the eth_getLogs call (ethclient.Client implements it).
type Filterer interface {
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
}

// Config sets the page sizes.
type Config struct {
	Span    uint64 // blocks of the first page
	MaxSpan uint64 // blocks of a page at most (keep at or under the node's range limit)
	Target  int    // logs a page aims at
	// PageTimeout bounds one call, so that a page far too large costs one
	// timeout, not the node's whole HTTP write timeout or more (0: none).
	PageTimeout time.Duration
}

// Defaults: pages of about 20,000 logs (~15 MB of JSON for BallotCast
// events), at most 10,000 blocks. The first page is one block: a block of
// relayed ballots holds up to ~19,000 events, and a first page too large
// costs the node a whole HTTP timeout before it is halved; the span grows
// 4x a page on sparse chains (10,000 blocks after 7 pages).
var Defaults = Config{Span: 1, MaxSpan: 10_000, Target: 20_000, PageTimeout: 20 * time.Second}

// Stats is what a read did.
type Stats struct {
	Pages   int    // calls that returned logs
	Retries int    // calls that failed and were retried with a smaller span
	Logs    int    // logs passed on
	Blocks  uint64 // blocks read
}

// Each reads the logs matching q (its Addresses and Topics; FromBlock and
// ToBlock are replaced) in blocks [from, to], page by page in block order,
// and passes each page to fn. It stops at the first error of fn or ctx.
func Each(ctx context.Context, f Filterer, cfg Config, q ethereum.FilterQuery, from, to uint64, fn func([]types.Log) error) (Stats, error) {
	if err := cfg.check(); err != nil {
		return Stats{}, err
	}
	var st Stats
	span := min(cfg.Span, cfg.MaxSpan)
	for lo := from; lo <= to; {
		hi := to
		if to-lo >= span {
			hi = lo + span - 1
		}
		q.FromBlock, q.ToBlock = new(big.Int).SetUint64(lo), new(big.Int).SetUint64(hi)
		logs, err := call(ctx, f, cfg.PageTimeout, q)
		if err != nil {
			if ctx.Err() != nil || isPermanent(err) {
				return st, fmt.Errorf("eth_getLogs of blocks %d to %d: %w", lo, hi, err)
			}
			if hi == lo {
				return st, fmt.Errorf("eth_getLogs of block %d alone failed (a page cannot be smaller): %w", lo, err)
			}
			st.Retries++
			if limit, ok := rangeLimit(err); ok && limit < hi-lo+1 {
				// The node said its --rpc.logrange: pages stay within it.
				cfg.MaxSpan, span = limit, limit
				continue
			}
			span = 1
			continue
		}
		if err := fn(logs); err != nil {
			return st, err
		}
		st.Pages++
		st.Logs += len(logs)
		st.Blocks += hi - lo + 1
		span = next(cfg, hi-lo+1, len(logs))
		if hi == to {
			break
		}
		lo = hi + 1
	}
	return st, nil
}

// call is one eth_getLogs, bounded by timeout when it is set.
func call(ctx context.Context, f Filterer, timeout time.Duration, q ethereum.FilterQuery) ([]types.Log, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	return f.FilterLogs(ctx, q)
}

// next sizes the span after a page of span blocks that held n logs.
func next(cfg Config, span uint64, n int) uint64 {
	var s uint64
	if n == 0 {
		s = span * 4
	} else {
		s = span * uint64(cfg.Target) / uint64(n)
		s = min(s, span*4) // grow gradually: density changes along a chain
	}
	return max(1, min(s, cfg.MaxSpan))
}

// isPermanent reports errors that a smaller range does not cure: a node
// without eth_getLogs. (A range limit is "invalid params", -32602, which a
// smaller range does cure.)
func isPermanent(err error) bool {
	var rpcErr interface{ ErrorCode() int }
	return errors.As(err, &rpcErr) && rpcErr.ErrorCode() == -32601
}

// rangeLimit reads the block range limit out of go-ethereum's refusal
// ("exceed maximum block range N", invalid params).
func rangeLimit(err error) (uint64, bool) {
	var rpcErr interface{ ErrorCode() int }
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() != -32602 {
		return 0, false
	}
	var n uint64
	i := strings.Index(err.Error(), rangeLimitText)
	if i < 0 {
		return 0, false
	}
	if _, err := fmt.Sscanf(err.Error()[i+len(rangeLimitText):], "%d", &n); err != nil || n == 0 {
		return 0, false
	}
	return n, true
}

const rangeLimitText = "exceed maximum block range "

func (c Config) check() error {
	if c.Span == 0 || c.MaxSpan == 0 || c.Target <= 0 {
		return fmt.Errorf("log paging: span %d, max span %d and target %d must all be positive", c.Span, c.MaxSpan, c.Target)
	}
	return nil
}
