package gateway

import (
	"context"
	"fmt"
	"math/big"
	"sync"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Coalescing of the intake's Polls.hasVoted reads: every ballot asks one,
// and at thousands of ballots a second one HTTP request per read costs the
// gateway and the node more than the reads. The reads that arrive while
// votedBatches JSON-RPC batches are on their way wait and go together in
// the next one (at most votedBatch reads); a read that finds no batch on its
// way goes at once, so a quiet gateway adds no delay.
const (
	votedBatch   = 256
	votedBatches = 2
)

var pollsABI = polls.NewPolls()

// votedQuery is one read waiting for its batch.
type votedQuery struct {
	poll  uint64
	index uint32
	done  chan votedAnswer // buffered: the batch never waits for the reader
}

type votedAnswer struct {
	voted bool
	err   error
}

// votedReader sends hasVoted reads in JSON-RPC batches.
type votedReader struct {
	pool *upstream.Pool

	mu      sync.Mutex
	pending []*votedQuery
	running int // batches being sent
}

// HasVoted reports whether voter number index has voted in poll, at the
// latest block.
func (v *votedReader) HasVoted(ctx context.Context, poll uint64, index uint32) (bool, error) {
	q := &votedQuery{poll: poll, index: index, done: make(chan votedAnswer, 1)}
	v.mu.Lock()
	v.pending = append(v.pending, q)
	start := v.running < votedBatches
	if start {
		v.running++
	}
	v.mu.Unlock()
	if start {
		go v.flush()
	}
	select {
	case a := <-q.done:
		return a.voted, a.err
	case <-ctx.Done():
		return false, ctx.Err()
	}
}

// flush sends the pending reads, a batch at a time, until none is left.
func (v *votedReader) flush() {
	for {
		v.mu.Lock()
		n := min(len(v.pending), votedBatch)
		if n == 0 {
			v.running--
			v.mu.Unlock()
			return
		}
		batch := v.pending[:n:n]
		v.pending = v.pending[n:]
		v.mu.Unlock()
		v.ask(batch)
	}
}

// ask sends one batch of reads and answers each.
func (v *votedReader) ask(batch []*votedQuery) {
	out := make([]hexutil.Bytes, len(batch))
	elems := make([]rpc.BatchElem, len(batch))
	for i, q := range batch {
		data := pollsABI.PackHasVoted(new(big.Int).SetUint64(q.poll), new(big.Int).SetUint64(uint64(q.index)))
		call := map[string]any{"to": contracts.PollsAddress, "data": hexutil.Bytes(data)}
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{call, "latest"}, Result: &out[i]}
	}
	err := v.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		return n.RPC().BatchCallContext(ctx, elems)
	})
	for i, q := range batch {
		q.done <- answer(err, elems[i].Error, out[i])
	}
}

// answer decodes one read of a batch.
func answer(batchErr, err error, out []byte) votedAnswer {
	switch {
	case batchErr != nil:
		return votedAnswer{err: fmt.Errorf("Polls.hasVoted: %w", batchErr)}
	case err != nil:
		return votedAnswer{err: fmt.Errorf("Polls.hasVoted: %w", err)}
	}
	voted, err := pollsABI.UnpackHasVoted(out)
	if err != nil {
		return votedAnswer{err: fmt.Errorf("Polls.hasVoted: %w", err)}
	}
	return votedAnswer{voted: voted}
}
