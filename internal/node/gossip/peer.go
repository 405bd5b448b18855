package gossip

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rlp"
	"golang.org/x/time/rate"
)

var (
	// errNetworkMismatch is returned if a peer's status names another network id.
	errNetworkMismatch = errors.New("network id mismatch")

	// errGenesisMismatch is returned if a peer's status names another genesis.
	errGenesisMismatch = errors.New("genesis mismatch")

	// errHandshakeTimeout is returned if a peer sends no status in time.
	errHandshakeTimeout = errors.New("handshake timeout")

	// errUnexpectedMsg is returned if a peer sends a message out of place (a
	// second status, anything before its status).
	errUnexpectedMsg = errors.New("unexpected message")

	// errTooLarge is returned if a message exceeds Config.MaxMessageSize.
	errTooLarge = errors.New("message too large")

	// errRateLimited is returned if a peer sends faster than Config allows.
	errRateLimited = errors.New("peer exceeds its rate limit")

	// errBadResponse is returned if an answer to GetBlocks is not the block
	// asked for and a chain of its ancestors.
	errBadResponse = errors.New("bad blocks response")

	// errNotFound is returned if a peer answers GetBlocks with no block.
	errNotFound = errors.New("peer does not have the block")

	// errRequestTimeout is returned if a peer does not answer in time.
	errRequestTimeout = errors.New("request timed out")

	// errPeerGone is returned by requests to a disconnected peer or after Stop.
	errPeerGone = errors.New("peer disconnected")

	// errSendQueueFull is returned if a request cannot be queued.
	errSendQueueFull = errors.New("send queue full")
)

// outMsg is an encoded message waiting to be written.
type outMsg struct {
	code    uint64
	payload []byte
}

// inMsg is a received block or announcement batch waiting for the importer.
type inMsg struct {
	block *types.Block        // from NewBlock, or nil
	anns  announcementsPacket // from NewBlockHashes
}

// peer is one connected poa/1 peer.
type peer struct {
	s   *Service
	id  enode.ID
	p2p *p2p.Peer
	rw  p2p.MsgReadWriter

	queue  chan outMsg   // to the writer
	inbox  chan inMsg    // to the importer
	closed chan struct{} // closed when the read loop ends

	msgLimit, byteLimit *rate.Limiter // touched by the read loop only

	mu     sync.Mutex
	head   common.Hash
	number uint64
	known  lru.BasicLRU[common.Hash, struct{}]

	reqMu   sync.Mutex
	lastReq uint64
	pending map[uint64]chan []*types.Block

	dropMu  sync.Mutex
	dropped *DropReason // the first reason the peer was dropped for, or nil
}

func newPeer(s *Service, pp *p2p.Peer, rw p2p.MsgReadWriter) *peer {
	return &peer{
		s:         s,
		id:        pp.ID(),
		p2p:       pp,
		rw:        rw,
		queue:     make(chan outMsg, s.cfg.SendQueue),
		inbox:     make(chan inMsg, s.cfg.InboxQueue),
		closed:    make(chan struct{}),
		msgLimit:  rate.NewLimiter(rate.Limit(s.cfg.MsgRate), s.cfg.MsgBurst),
		byteLimit: rate.NewLimiter(rate.Limit(s.cfg.ByteRate), s.cfg.ByteBurst),
		known:     lru.NewBasicLRU[common.Hash, struct{}](s.cfg.KnownCache),
		pending:   make(map[uint64]chan []*types.Block),
	}
}

// info returns what the admin API shows about the peer.
func (p *peer) info() PeerInfo {
	p.mu.Lock()
	defer p.mu.Unlock()
	return PeerInfo{ID: p.id, Head: p.head, Number: p.number}
}

// knows reports whether the peer is known to have the block.
func (p *peer) knows(hash common.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.known.Contains(hash)
}

// markKnown records that the peer has (or was sent) the block.
func (p *peer) markKnown(hash common.Hash) {
	p.mu.Lock()
	p.known.Add(hash, struct{}{})
	p.mu.Unlock()
}

// sawBlock records that the peer has a block and raises its head if higher.
func (p *peer) sawBlock(hash common.Hash, number uint64) {
	p.mu.Lock()
	p.known.Add(hash, struct{}{})
	if number > p.number || p.head == (common.Hash{}) {
		p.head, p.number = hash, number
	}
	p.mu.Unlock()
	p.s.noteSeen(hash, number)
}

// drop disconnects the peer for a protocol reason, counts and logs it once,
// and returns the devp2p reason for Run to return (the first one given).
func (p *peer) drop(reason DropReason, err error) error {
	p.dropMu.Lock()
	if p.dropped != nil {
		first := *p.dropped
		p.dropMu.Unlock()
		return first.disc()
	}
	p.dropped = &reason
	p.dropMu.Unlock()

	p.s.metrics.dropped[reason].Add(1)
	switch reason {
	case DropTimeout, DropProtocol:
		log.Debug("Dropped gossip peer", "peer", p.id, "reason", reason, "err", err)
	default:
		log.Warn("Dropped gossip peer", "peer", p.id, "addr", p.p2p.RemoteAddr(), "reason", reason, "err", err)
	}
	p.p2p.Disconnect(reason.disc())
	return reason.disc()
}

// dropReason returns the reason the peer was dropped for, if it was.
func (p *peer) dropReason() (DropReason, bool) {
	p.dropMu.Lock()
	defer p.dropMu.Unlock()
	if p.dropped == nil {
		return 0, false
	}
	return *p.dropped, true
}

// send queues an encoded message without blocking; it reports whether the
// message was queued.
func (p *peer) send(code uint64, payload []byte) bool {
	select {
	case <-p.closed:
		return false
	default:
	}
	select {
	case p.queue <- outMsg{code: code, payload: payload}:
		return true
	default:
		p.s.metrics.overflow.Add(1)
		log.Debug("Gossip send queue full", "peer", p.id, "code", code)
		return false
	}
}

// writeLoop writes queued messages until the peer closes.
func (p *peer) writeLoop() {
	for {
		select {
		case m := <-p.queue:
			err := p.rw.WriteMsg(p2p.Msg{Code: m.code, Size: uint32(len(m.payload)), Payload: bytes.NewReader(m.payload)})
			if err != nil {
				// The read loop sees the broken connection too.
				log.Debug("Failed to write gossip message", "peer", p.id, "code", m.code, "err", err)
				return
			}
		case <-p.closed:
			return
		}
	}
}

// handshake exchanges statuses and checks the peer's.
func (p *peer) handshake() (*statusPacket, error) {
	head, td := p.s.backend.Head()
	if td == nil {
		td = new(big.Int)
	}
	ours := &statusPacket{NetworkID: p.s.cfg.NetworkID, Genesis: p.s.cfg.Genesis, Head: head.Hash(), Number: head.Number.Uint64(), TD: td}

	// Both directions at once: a pipe write blocks until the other side reads.
	errc := make(chan error, 1)
	go func() { errc <- p2p.Send(p.rw, statusMsg, ours) }()
	type result struct {
		status *statusPacket
		err    error
	}
	resc := make(chan result, 1)
	go func() {
		st, err := p.readStatus()
		resc <- result{st, err}
	}()

	timer := time.NewTimer(p.s.cfg.HandshakeTimeout)
	defer timer.Stop()
	var theirs *statusPacket
	for theirs == nil || errc != nil {
		select {
		case err := <-errc:
			if err != nil {
				return nil, err
			}
			errc = nil
		case res := <-resc:
			if res.err != nil {
				return nil, res.err
			}
			theirs = res.status
		case <-timer.C:
			return nil, p.drop(DropTimeout, fmt.Errorf("%w: have no status after %v", errHandshakeTimeout, p.s.cfg.HandshakeTimeout))
		case <-p.s.quit:
			return nil, p2p.DiscQuitting
		}
	}
	p.sawBlock(theirs.Head, theirs.Number)
	return theirs, nil
}

// readStatus reads and checks the peer's status.
func (p *peer) readStatus() (*statusPacket, error) {
	msg, err := p.rw.ReadMsg()
	if err != nil {
		return nil, err
	}
	if msg.Code != statusMsg {
		return nil, p.drop(DropProtocol, fmt.Errorf("%w: have code %#x before status", errUnexpectedMsg, msg.Code))
	}
	v, err := p.readPayload(msg)
	if err != nil {
		return nil, err
	}
	st := v.(*statusPacket)
	if st.NetworkID != p.s.cfg.NetworkID {
		return nil, p.drop(DropMismatch, fmt.Errorf("%w: have %d, want %d", errNetworkMismatch, st.NetworkID, p.s.cfg.NetworkID))
	}
	if st.Genesis != p.s.cfg.Genesis {
		return nil, p.drop(DropMismatch, fmt.Errorf("%w: have %s, want %s", errGenesisMismatch, st.Genesis, p.s.cfg.Genesis))
	}
	return st, nil
}

// readPayload checks a message's size and the peer's rate limit, then reads
// and decodes the payload.
func (p *peer) readPayload(msg p2p.Msg) (any, error) {
	// The size is checked before a byte of the payload is read.
	if msg.Size > p.s.cfg.MaxMessageSize {
		return nil, p.drop(DropOversized, fmt.Errorf("%w: have %d bytes, want <= %d", errTooLarge, msg.Size, p.s.cfg.MaxMessageSize))
	}
	now := time.Now()
	if !p.msgLimit.AllowN(now, 1) || !p.byteLimit.AllowN(now, int(msg.Size)) {
		return nil, p.drop(DropRateLimit, fmt.Errorf("%w: %v messages/s, %v bytes/s", errRateLimited, p.s.cfg.MsgRate, p.s.cfg.ByteRate))
	}
	payload := make([]byte, msg.Size)
	if _, err := io.ReadFull(msg.Payload, payload); err != nil {
		return nil, err
	}
	v, err := decode(msg.Code, payload)
	if err != nil {
		return nil, p.drop(DropMalformed, err)
	}
	return v, nil
}

// readLoop reads and dispatches messages until the connection fails or the
// peer is dropped; it returns the reason.
func (p *peer) readLoop() error {
	for {
		msg, err := p.rw.ReadMsg()
		if err != nil {
			if reason, ok := p.dropReason(); ok {
				return reason.disc()
			}
			return err
		}
		if err := p.handle(msg); err != nil {
			return err
		}
	}
}

// handle dispatches one message.
func (p *peer) handle(msg p2p.Msg) error {
	v, err := p.readPayload(msg)
	if err != nil {
		return err
	}
	switch m := v.(type) {
	case *statusPacket:
		return p.drop(DropProtocol, fmt.Errorf("%w: second status", errUnexpectedMsg))

	case *newBlockPacket:
		p.s.metrics.received.Add(1)
		log.Debug("Received gossiped block", "peer", p.id, "number", m.Block.NumberU64(), "hash", m.Block.Hash(),
			"age", common.PrettyDuration(time.Since(time.Unix(int64(m.Block.Time()), 0))))
		p.sawBlock(m.Block.Hash(), m.Block.NumberU64())
		p.enqueue(inMsg{block: m.Block})

	case announcementsPacket:
		p.s.metrics.hashesReceived.Add(uint64(len(m)))
		for _, a := range m {
			p.sawBlock(a.Hash, a.Number)
		}
		p.enqueue(inMsg{anns: m})

	case *getBlocksPacket:
		p.serve(m)

	case *blocksPacket:
		p.reqMu.Lock()
		ch, ok := p.pending[m.RequestID]
		delete(p.pending, m.RequestID)
		p.reqMu.Unlock()
		if !ok {
			// A late answer to a request that timed out, or one never made.
			log.Debug("Unrequested blocks from gossip peer", "peer", p.id, "id", m.RequestID, "blocks", len(m.Blocks))
			return nil
		}
		ch <- m.Blocks // buffered, one answer per request
	}
	return nil
}

// enqueue hands a block or announcements to the importer without blocking.
func (p *peer) enqueue(m inMsg) {
	select {
	case p.inbox <- m:
	default:
		p.s.metrics.overflow.Add(1)
		log.Debug("Gossip import queue full", "peer", p.id)
	}
}

// importLoop processes received blocks and announcements in order until the
// peer closes.
func (p *peer) importLoop() {
	for {
		select {
		case m := <-p.inbox:
			if lat := p.s.cfg.Latency; lat != nil {
				select {
				case <-time.After(lat()):
				case <-p.closed:
					return
				}
			}
			if m.block != nil {
				p.s.deliver(p, m.block)
			} else {
				p.s.announced(p, m.anns)
			}
		case <-p.closed:
			return
		}
	}
}

// serve answers a GetBlocks with the block and its ancestors, newest first.
func (p *peer) serve(req *getBlocksPacket) {
	var (
		blocks []*types.Block
		size   uint64
		hash   = req.Hash
	)
	for uint64(len(blocks)) < req.Count {
		b := p.s.backend.Block(hash)
		if b == nil {
			break
		}
		if len(blocks) > 0 && size+b.Size() > softResponseSize {
			break
		}
		blocks = append(blocks, b)
		size += b.Size()
		if b.NumberU64() == 0 {
			break
		}
		hash = b.ParentHash()
	}
	payload, err := rlp.EncodeToBytes(&blocksPacket{RequestID: req.RequestID, Blocks: blocks})
	if err != nil {
		log.Error("Failed to encode blocks response", "peer", p.id, "err", err)
		return
	}
	if p.send(blocksMsg, payload) {
		p.s.metrics.served.Add(uint64(len(blocks)))
	}
}

// requestBlocks asks the peer for the block with hash and up to count-1 of
// its ancestors and waits for the answer. It returns at least one block,
// newest first, each the parent of the one before. A peer whose answer is not
// that is dropped.
func (p *peer) requestBlocks(hash common.Hash, count uint64) ([]*types.Block, error) {
	ch := make(chan []*types.Block, 1)
	p.reqMu.Lock()
	p.lastReq++
	id := p.lastReq
	p.pending[id] = ch
	p.reqMu.Unlock()
	defer func() {
		p.reqMu.Lock()
		delete(p.pending, id)
		p.reqMu.Unlock()
	}()

	payload, err := rlp.EncodeToBytes(&getBlocksPacket{RequestID: id, Hash: hash, Count: count})
	if err != nil {
		return nil, err
	}
	if !p.send(getBlocksMsg, payload) {
		select {
		case <-p.closed:
			return nil, errPeerGone
		default:
			return nil, errSendQueueFull
		}
	}
	timer := time.NewTimer(p.s.cfg.RequestTimeout)
	defer timer.Stop()

	var blocks []*types.Block
	select {
	case blocks = <-ch:
	case <-timer.C:
		return nil, fmt.Errorf("%w: %v", errRequestTimeout, p.s.cfg.RequestTimeout)
	case <-p.closed:
		return nil, errPeerGone
	case <-p.s.quit:
		return nil, errPeerGone
	}
	p.s.metrics.fetched.Add(uint64(len(blocks)))

	// Why each check: an empty answer is allowed (the peer may have pruned
	// or never had the block); anything else must be exactly what we asked.
	if len(blocks) == 0 {
		return nil, errNotFound
	}
	if uint64(len(blocks)) > count {
		return nil, p.drop(DropProtocol, fmt.Errorf("%w: have %d blocks, want <= %d", errBadResponse, len(blocks), count))
	}
	if have := blocks[0].Hash(); have != hash {
		return nil, p.drop(DropProtocol, fmt.Errorf("%w: have block %s first, want %s", errBadResponse, have, hash))
	}
	for i := 1; i < len(blocks); i++ {
		if have, want := blocks[i].Hash(), blocks[i-1].ParentHash(); have != want {
			return nil, p.drop(DropProtocol, fmt.Errorf("%w: block %d: have %s, want parent %s", errBadResponse, i, have, want))
		}
	}
	for _, b := range blocks {
		p.sawBlock(b.Hash(), b.NumberU64())
	}
	return blocks, nil
}
