package gateway

import (
	"context"
	"fmt"
	"sync"

	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// Coalescing of the intake's Polls.hasVoted reads: every ballot asks one,
// and at thousands of ballots a second one HTTP request per read costs the
// gateway and the node more than the reads. The reads that arrive while
// votedBatches batches are on their way wait and go together in the next
// one (at most votedBatch reads), one eth_call per poll (ADR 089); a read
// that finds no batch on its way goes at once, so a quiet gateway adds no
// delay.
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

// ask sends one batch of reads and answers each: one eth_call of
// votedCode per poll in the batch (one JSON-RPC batch of them), not one per
// read: the gateway's part of a read was ~12 us of a ballot's CPU with one
// eth_call each (docs/benchmarks.md, W6; ADR 089).
func (v *votedReader) ask(batch []*votedQuery) {
	groups := map[uint64][]*votedQuery{}
	var polls []uint64
	for _, q := range batch {
		if groups[q.poll] == nil {
			polls = append(polls, q.poll)
		}
		groups[q.poll] = append(groups[q.poll], q)
	}
	out := make([]hexutil.Bytes, len(polls))
	elems := make([]rpc.BatchElem, len(polls))
	for i, poll := range polls {
		indices := make([]uint32, len(groups[poll]))
		for j, q := range groups[poll] {
			indices[j] = q.index
		}
		call := map[string]any{"data": hexutil.Bytes(votedCall(poll, indices))}
		elems[i] = rpc.BatchElem{Method: "eth_call", Args: []any{call, "latest"}, Result: &out[i]}
	}
	err := v.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		return n.RPC().BatchCallContext(ctx, elems)
	})
	for i, poll := range polls {
		answerGroup(groups[poll], err, elems[i].Error, out[i])
	}
}

// answerGroup answers the reads of one poll from their eth_call.
func answerGroup(qs []*votedQuery, batchErr, err error, out []byte) {
	if err == nil {
		err = batchErr
	}
	var voted []bool
	if err == nil {
		voted, err = votedAnswers(out, len(qs))
	}
	for i, q := range qs {
		if err != nil {
			q.done <- votedAnswer{err: fmt.Errorf("Polls.hasVoted: %w", err)}
			continue
		}
		q.done <- votedAnswer{voted: voted[i]}
	}
}
