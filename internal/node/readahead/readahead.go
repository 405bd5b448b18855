// Package readahead reads geth's eth protocol messages off a peer connection
// ahead of geth's eth handler, so that the other protocols' messages on the
// same connection (our poa/1 blocks) are not held behind transaction gossip.
//
// go-ethereum's p2p reads a connection one message at a time and hands each
// to its protocol over an unbuffered channel: until the protocol's handler
// asks for its next message, nothing else on the connection is read. geth's
// eth handler takes a Transactions message and puts its transactions into the
// pool before it asks for the next one: a sender recovery each (~39 us of
// CPU) and the pool's lock, which the pool holds for hundreds of milliseconds
// while it resets to a new head. On a 3-signer network with the load sent to
// one signer, that signer's blocks reached the other two 0.12-0.59 s (median)
// and up to 3.3 s after it handed them over, where the other signers' blocks,
// behind little gossip, took 0.07-0.15 s (docs/benchmarks.md, 2026-12-06):
// the next in-turn signer started its round late, and an in-turn block that
// came after the out-of-turn signers' grace was a reorganisation.
//
// Wrap gives the eth protocol a connection whose messages a goroutine reads
// as they come, into a queue bounded by count and bytes; the eth handler
// takes them from the queue in order. Only when the queue is full does the
// connection wait for the handler again, as before.
package readahead

import (
	"bytes"
	"io"
	"sync"

	"github.com/ethereum/go-ethereum/p2p"

	"github.com/citychain/citychain/internal/node/ethwrap"
)

// Limits bound what a connection's queue holds.
type Limits struct {
	Messages int // most messages queued
	Bytes    int // most payload bytes queued; a message larger than this is queued alone
}

// DefaultLimits hold a few seconds of transaction gossip at the rates of
// docs/benchmarks.md (a 100 KB Transactions message carries ~900 transfers)
// and at most 16 MiB per peer: a signer has a handful of peers.
var DefaultLimits = Limits{Messages: 256, Bytes: 16 << 20}

// Wrap returns protocols with geth's eth protocol reading its messages
// through a queue bounded by limits; the other protocols are returned as
// they are.
func Wrap(protocols []p2p.Protocol, limits Limits) []p2p.Protocol {
	return ethwrap.Eth(protocols, func(_ uint, run ethwrap.Run) ethwrap.Run {
		return func(peer *p2p.Peer, rw p2p.MsgReadWriter) error {
			q := newQueue(rw, limits)
			defer q.close()
			go q.fill()
			return run(peer, q)
		}
	})
}

// queue is a connection whose messages fill reads ahead of ReadMsg.
type queue struct {
	p2p.MsgReadWriter
	limits Limits

	mu    sync.Mutex
	cond  *sync.Cond
	msgs  []p2p.Msg
	bytes int
	err   error // the connection's read error, returned once the queue is empty
	done  bool  // the protocol returned: fill stops
}

func newQueue(rw p2p.MsgReadWriter, limits Limits) *queue {
	q := &queue{MsgReadWriter: rw, limits: limits}
	q.cond = sync.NewCond(&q.mu)
	return q
}

// fill reads the connection until it fails or the protocol returns, waiting
// while the queue is full.
func (q *queue) fill() {
	for {
		msg, err := q.MsgReadWriter.ReadMsg()
		if err == nil {
			// Read the payload now: a connection may hold the message
			// until its payload is consumed (geth's rlpx transport copies
			// it already; a pipe does not).
			var payload []byte
			if payload, err = io.ReadAll(msg.Payload); err == nil {
				msg.Payload, msg.Size = bytes.NewReader(payload), uint32(len(payload))
			}
		}
		q.mu.Lock()
		if err != nil {
			q.err = err
			q.cond.Broadcast()
			q.mu.Unlock()
			return
		}
		for !q.done && len(q.msgs) > 0 && (len(q.msgs) >= q.limits.Messages || q.bytes+int(msg.Size) > q.limits.Bytes) {
			q.cond.Wait()
		}
		if q.done {
			q.mu.Unlock()
			return
		}
		q.msgs = append(q.msgs, msg)
		q.bytes += int(msg.Size)
		q.cond.Broadcast()
		q.mu.Unlock()
	}
}

// ReadMsg implements p2p.MsgReader: the oldest queued message, or the
// connection's error once none is left.
func (q *queue) ReadMsg() (p2p.Msg, error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.msgs) == 0 && q.err == nil && !q.done {
		q.cond.Wait()
	}
	if len(q.msgs) == 0 {
		if q.err != nil {
			return p2p.Msg{}, q.err
		}
		return p2p.Msg{}, io.EOF
	}
	msg := q.msgs[0]
	q.msgs[0] = p2p.Msg{}
	q.msgs = q.msgs[1:]
	q.bytes -= int(msg.Size)
	q.cond.Broadcast()
	return msg, nil
}

// close ends fill's waits once the protocol returned; fill itself returns
// when the connection's read fails (p2p closes it with the peer).
func (q *queue) close() {
	q.mu.Lock()
	q.done = true
	q.msgs = nil
	q.cond.Broadcast()
	q.mu.Unlock()
}
