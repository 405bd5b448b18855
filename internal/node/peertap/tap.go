// Package peertap lets the node send requests of its own over a peer's
// connection of a protocol geth already runs (eth for headers, bodies and
// receipts; snap for state) and take the answers, while every other message
// still goes to geth's handler. It is the transport of the join driver
// (ADR 084): go-ethereum v1.17.10 hands snap answers to its downloader's
// private state syncer and keeps its eth peer set private, so a syncer of
// our own cannot ask peers anything through geth's API.
//
// A request carries an ID the tap draws at random; the peer's answer, whose
// first RLP field is that ID, is taken by the tap and never reaches geth's
// handler. Only the peer a request went to can answer it.
package peertap

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rlp"
)

// maxAnswer is the largest answer taken (geth's own limit for eth and snap
// messages is 10 MiB).
const maxAnswer = 16 * 1024 * 1024

// ErrPeerGone is returned for a request whose peer disconnected before it
// answered.
var ErrPeerGone = errors.New("peer disconnected before answering")

// Tap is one protocol's tap across all its peers.
type Tap struct {
	answers map[uint64]bool // message codes that are answers (first field: request ID)
	// status is the code of the message a protocol's handler opens with
	// (eth's StatusMsg) when handshake is set: a connection is listed
	// only once its handler has finished that exchange (tappedRW.ReadMsg).
	status    uint64
	handshake bool

	mu      sync.Mutex
	peers   map[enode.ID]*Conn
	pending map[key]chan []byte
}

type key struct {
	peer enode.ID
	id   uint64
}

// New returns a tap taking answers with the given message codes (for eth:
// BlockHeadersMsg, BlockBodiesMsg, ReceiptsMsg; for snap: AccountRangeMsg
// and the others).
func New(answerCodes ...uint64) *Tap {
	t := &Tap{answers: make(map[uint64]bool), peers: make(map[enode.ID]*Conn), pending: make(map[key]chan []byte)}
	for _, c := range answerCodes {
		t.answers[c] = true
	}
	return t
}

// newHandshaking returns a tap like New for a protocol whose handler first
// exchanges a status message (code status) with the peer, and refuses a
// peer whose first message is anything else: a connection is listed (Peer,
// Peers), and so open to the tap's requests, only once its handler has
// sent its status and read the peer's. A request sent earlier could reach
// the peer before our status, and the peer would drop the connection
// ("no status message: first msg has code 3"; ADR 084, amendment 8).
func newHandshaking(status uint64, answerCodes ...uint64) *Tap {
	t := New(answerCodes...)
	t.status, t.handshake = status, true
	return t
}

// Wrap returns proto with its connections tapped: its Run sees every message
// except the answers to the tap's own requests.
func (t *Tap) Wrap(proto p2p.Protocol) p2p.Protocol {
	run := proto.Run
	proto.Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
		c := &Conn{tap: t, peer: p, id: p.ID(), version: proto.Version, rw: rw, gone: make(chan struct{})}
		defer t.remove(c)
		trw := &tappedRW{MsgReadWriter: rw, conn: c, handshaking: t.handshake}
		if !t.handshake {
			t.add(c)
		}
		return run(p, trw)
	}
	return proto
}

// Peers returns the peers connected over the tapped protocol.
func (t *Tap) Peers() []*Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]*Conn, 0, len(t.peers))
	for _, c := range t.peers {
		out = append(out, c)
	}
	return out
}

// Peer returns the connection to id, or nil.
func (t *Tap) Peer(id enode.ID) *Conn {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.peers[id]
}

// add lists c, unless it ended before its handshake did.
func (t *Tap) add(c *Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if c.closed() {
		return
	}
	if old := t.peers[c.id]; old != nil {
		old.close()
	}
	t.peers[c.id] = c
}

func (t *Tap) remove(c *Conn) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.peers[c.id] == c {
		delete(t.peers, c.id)
	}
	c.close()
}

// expect registers a request so that its answer is taken.
func (t *Tap) expect(peer enode.ID, id uint64) chan []byte {
	ch := make(chan []byte, 1)
	t.mu.Lock()
	t.pending[key{peer, id}] = ch
	t.mu.Unlock()
	return ch
}

func (t *Tap) forget(peer enode.ID, id uint64) {
	t.mu.Lock()
	delete(t.pending, key{peer, id})
	t.mu.Unlock()
}

// take hands an answer to its request and reports whether one waited.
func (t *Tap) take(peer enode.ID, id uint64, payload []byte) bool {
	t.mu.Lock()
	ch, ok := t.pending[key{peer, id}]
	delete(t.pending, key{peer, id})
	t.mu.Unlock()
	if ok {
		ch <- payload
	}
	return ok
}

// Conn is one peer's tapped connection.
type Conn struct {
	tap     *Tap
	peer    *p2p.Peer
	dropped atomic.Bool
	id      enode.ID
	version uint
	rw      p2p.MsgWriter
	once    sync.Once
	gone    chan struct{}
}

// ID is the peer's node ID.
func (c *Conn) ID() enode.ID { return c.id }

// Version is the protocol version the connection runs.
func (c *Conn) Version() uint { return c.version }

func (c *Conn) close() { c.once.Do(func() { close(c.gone) }) }

func (c *Conn) closed() bool {
	select {
	case <-c.gone:
		return true
	default:
		return false
	}
}

// Drop disconnects a peer that answered with data failing verification:
// its pending requests fail at once and the connection closes.
func (c *Conn) Drop() {
	if !c.dropped.CompareAndSwap(false, true) {
		return
	}
	c.close()
	go c.peer.Disconnect(p2p.DiscUselessPeer)
}

// Dropped reports whether Drop was called.
func (c *Conn) Dropped() bool { return c.dropped.Load() }

// NewID draws a request ID.
func NewID() uint64 {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		panic(fmt.Sprintf("peertap: no randomness: %v", err))
	}
	return binary.BigEndian.Uint64(b[:])
}

// Request sends req (whose first field must be id) with code and waits for
// the answer with the same ID, returning its RLP payload.
func (c *Conn) Request(ctx context.Context, code uint64, id uint64, req any) ([]byte, error) {
	ch := c.tap.expect(c.id, id)
	if err := p2p.Send(c.rw, code, req); err != nil {
		c.tap.forget(c.id, id)
		return nil, fmt.Errorf("request to %s: %w", c.id.TerminalString(), err)
	}
	return c.Await(ctx, id, ch)
}

// Expect registers a request with id that the caller sends itself (a snap
// syncer sends through geth's snap.Peer); Await then waits for its answer.
func (c *Conn) Expect(id uint64) chan []byte { return c.tap.expect(c.id, id) }

// Await waits for the answer to a request registered with Expect.
func (c *Conn) Await(ctx context.Context, id uint64, ch chan []byte) ([]byte, error) {
	select {
	case payload := <-ch:
		return payload, nil
	case <-c.gone:
		c.tap.forget(c.id, id)
		return nil, fmt.Errorf("request %d to %s: %w", id, c.id.TerminalString(), ErrPeerGone)
	case <-ctx.Done():
		c.tap.forget(c.id, id)
		return nil, fmt.Errorf("request %d to %s: %w", id, c.id.TerminalString(), ctx.Err())
	}
}

// Writer is the connection's writer, for senders of their own (geth's
// snap.NewPeer); answers still come through Expect and Await.
func (c *Conn) Writer() p2p.MsgWriter { return c.rw }

// tappedRW is what geth's handler reads: the connection minus the answers
// the tap took.
type tappedRW struct {
	p2p.MsgReadWriter
	conn *Conn
	// handshaking: the connection is not listed yet, its handler has not
	// finished its status exchange; statusRead: the handler has read the
	// peer's status. Only the handler's reads touch them, one at a time.
	handshaking, statusRead bool
}

func (rw *tappedRW) ReadMsg() (p2p.Msg, error) {
	rw.listHandshaken()
	for {
		msg, err := rw.MsgReadWriter.ReadMsg()
		if err != nil {
			return msg, err
		}
		if rw.handshaking && msg.Code == rw.conn.tap.status {
			rw.statusRead = true
		}
		if !rw.conn.tap.answers[msg.Code] {
			return msg, nil
		}
		if msg.Size > maxAnswer {
			return msg, nil // geth's handler refuses it and drops the peer
		}
		payload, err := io.ReadAll(msg.Payload)
		if err != nil {
			return msg, err
		}
		if id, ok := requestID(payload); ok && rw.conn.tap.take(rw.conn.id, id, payload) {
			continue
		}
		msg.Payload = bytes.NewReader(payload)
		return msg, nil
	}
}

// listHandshaken lists the connection when its handler asks for a message
// after the peer's status: geth's eth handshake returns only once it has
// both sent our status and accepted the peer's, and its handler reads
// nothing else before, so every request of the tap now follows our status
// on the wire and goes to a peer geth accepted.
func (rw *tappedRW) listHandshaken() {
	if rw.handshaking && rw.statusRead {
		rw.handshaking = false
		rw.conn.tap.add(rw.conn)
	}
}

// requestID reads the first field of an answer's RLP list.
func requestID(payload []byte) (uint64, bool) {
	content, _, err := rlp.SplitList(payload)
	if err != nil {
		return 0, false
	}
	id, _, err := rlp.SplitUint64(content)
	return id, err == nil
}
