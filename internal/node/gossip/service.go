package gossip

import (
	"bytes"
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rlp"
)

// Sizes of the service-wide hash caches.
const (
	recentBlocks = 4096 // hashes of blocks known to be in the chain, to skip database lookups
	badBlocks    = 1024 // hashes of blocks Import found invalid
	maxFetchers  = 4    // peers remembered per announced hash as sources to fetch it from
)

// Service runs poa/1 with every connected peer. It implements node.Lifecycle.
type Service struct {
	cfg     Config
	backend Backend

	started   chan struct{} // closed by Start; peers wait for it
	quit      chan struct{} // closed by Stop
	startOnce sync.Once
	stopOnce  sync.Once
	wg        sync.WaitGroup // running peers

	mu      sync.RWMutex
	peers   map[enode.ID]*peer
	stopped bool

	recent *lru.Cache[common.Hash, struct{}]
	bad    *lru.Cache[common.Hash, struct{}]

	fetchMu  sync.Mutex
	fetching map[common.Hash][]*peer // announced blocks being fetched, with the other peers that announced them

	seenMu     sync.Mutex
	seenNumber uint64      // highest block number a peer showed us (status, block or announcement)
	seenHash   common.Hash // that block's hash
	seenAt     time.Time   // when it was shown

	syncMu     sync.Mutex
	syncTarget uint64    // highest number passed to SyncFrom
	syncLogged time.Time // last SyncFrom call, to throttle its log line

	metrics counters
}

// New returns a Service for the given settings and chain.
func New(cfg Config, backend Backend) (*Service, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	if backend == nil {
		return nil, fmt.Errorf("gossip: missing backend")
	}
	return &Service{
		cfg:      cfg,
		backend:  backend,
		started:  make(chan struct{}),
		quit:     make(chan struct{}),
		peers:    make(map[enode.ID]*peer),
		recent:   lru.NewCache[common.Hash, struct{}](recentBlocks),
		bad:      lru.NewCache[common.Hash, struct{}](badBlocks),
		fetching: make(map[common.Hash][]*peer),
	}, nil
}

// Protocols returns poa/1, for node.Node.RegisterProtocols. Peers that
// connect before Start wait for it.
func (s *Service) Protocols() []p2p.Protocol {
	return []p2p.Protocol{{
		Name:     ProtocolName,
		Version:  ProtocolVersion,
		Length:   protocolLength,
		Run:      s.runPeer,
		NodeInfo: func() any { return s.nodeInfo() },
		PeerInfo: func(id enode.ID) any {
			s.mu.RLock()
			p := s.peers[id]
			s.mu.RUnlock()
			if p == nil {
				return nil // handshake not done: p2p reports "handshake"
			}
			info := p.info()
			return &info
		},
	}}
}

// Start implements node.Lifecycle: it lets peers past the handshake.
func (s *Service) Start() error {
	s.startOnce.Do(func() { close(s.started) })
	return nil
}

// Stop implements node.Lifecycle: it disconnects every peer and waits for
// their goroutines.
func (s *Service) Stop() error {
	s.stopOnce.Do(func() {
		s.mu.Lock()
		s.stopped = true
		peers := make([]*peer, 0, len(s.peers))
		for _, p := range s.peers {
			peers = append(peers, p)
		}
		s.mu.Unlock()

		close(s.quit)
		for _, p := range peers {
			p.p2p.Disconnect(p2p.DiscQuitting)
		}
		s.wg.Wait()
	})
	return nil
}

// NodeInfo is what admin_nodeInfo shows under "poa".
type NodeInfo struct {
	NetworkID uint64      `json:"network"`
	Genesis   common.Hash `json:"genesis"`
	Head      common.Hash `json:"head"`
	Number    uint64      `json:"number"`
	TD        *big.Int    `json:"totalDifficulty"`
}

func (s *Service) nodeInfo() *NodeInfo {
	head, td := s.backend.Head()
	return &NodeInfo{NetworkID: s.cfg.NetworkID, Genesis: s.cfg.Genesis, Head: head.Hash(), Number: head.Number.Uint64(), TD: td}
}

// PeerInfo describes a connected peer, for the admin and status APIs (and
// admin_peers under "poa").
type PeerInfo struct {
	ID     enode.ID    `json:"id"`
	Head   common.Hash `json:"head"`   // the highest block the peer is known to have
	Number uint64      `json:"number"` // its number
}

// Peers returns the peers past the handshake, ordered by ID.
func (s *Service) Peers() []PeerInfo {
	s.mu.RLock()
	infos := make([]PeerInfo, 0, len(s.peers))
	for _, p := range s.peers {
		infos = append(infos, p.info())
	}
	s.mu.RUnlock()
	slices.SortFunc(infos, func(a, b PeerInfo) int { return bytes.Compare(a.ID[:], b.ID[:]) })
	return infos
}

// noteSeen records that a peer showed us the block hash of the given number.
func (s *Service) noteSeen(hash common.Hash, number uint64) {
	s.seenMu.Lock()
	if number >= s.seenNumber {
		s.seenNumber, s.seenHash, s.seenAt = number, hash, time.Now()
	}
	s.seenMu.Unlock()
}

// PeerAhead reports whether a peer showed us, less than within ago, a block
// numbered above head that we do not hold: it is on its way, and a block
// sealed on head now would compete with it (the sealer holds off meanwhile).
// A block we hold is not waited for: fork choice has seen it and kept our
// head (a side branch that lost, or tied, under load: holding the sealer
// off for it left the slot's owner idle for seconds while the branch's
// signers kept showing blocks on it). A peer that announces blocks it does
// not deliver holds nobody up for longer than within after its last
// announcement.
func (s *Service) PeerAhead(head uint64, within time.Duration) bool {
	s.seenMu.Lock()
	hash, ahead := s.seenHash, s.seenNumber > head && time.Since(s.seenAt) < within
	s.seenMu.Unlock()
	return ahead && s.backend.Block(hash) == nil
}

// Metrics returns a snapshot of the counters.
func (s *Service) Metrics() Metrics {
	s.mu.RLock()
	m := Metrics{Peers: len(s.peers)}
	s.mu.RUnlock()
	c := &s.metrics
	m.BlocksReceived = c.received.Load()
	m.BlocksFetched = c.fetched.Load()
	m.BlocksImported = c.imported.Load()
	m.BlocksSent = c.sent.Load()
	m.HashesSent = c.hashesSent.Load()
	m.HashesReceived = c.hashesReceived.Load()
	m.BlocksServed = c.served.Load()
	m.SyncRequests = c.syncs.Load()
	for i := range m.Rejected {
		m.Rejected[i] = c.rejected[i].Load()
	}
	for i := range m.Dropped {
		m.Dropped[i] = c.dropped[i].Load()
	}
	m.Overflow = c.overflow.Load()
	return m
}

// Broadcast propagates a block that is in the chain (sealed here or imported):
// the full block to the square root of the peers that do not know it, chosen
// at random, and its hash to the others. It does not block; a peer whose send
// queue is full misses the message and fetches the block when the next one
// arrives.
func (s *Service) Broadcast(block *types.Block) { s.broadcast(block, false) }

// Propagate sends a block sealed here, in full, to every peer that does not
// know it. The sealer calls it before the block goes into the local chain:
// peers start importing it while this node stores it, and none has to fetch
// it (the block may not be in the chain yet to be served).
func (s *Service) Propagate(block *types.Block) { s.broadcast(block, true) }

func (s *Service) broadcast(block *types.Block, toAll bool) {
	hash := block.Hash()
	s.recent.Add(hash, struct{}{})

	s.mu.RLock()
	peers := make([]*peer, 0, len(s.peers))
	for _, p := range s.peers {
		if !p.knows(hash) {
			peers = append(peers, p)
		}
	}
	s.mu.RUnlock()
	if len(peers) == 0 {
		return
	}
	rand.Shuffle(len(peers), func(i, j int) { peers[i], peers[j] = peers[j], peers[i] })
	full := int(math.Sqrt(float64(len(peers))))
	if toAll {
		full = len(peers)
	}

	blockPayload, err := rlp.EncodeToBytes(&newBlockPacket{Block: block})
	if err != nil {
		log.Error("Failed to encode block for gossip", "number", block.NumberU64(), "hash", hash, "err", err)
		return
	}
	annPayload, err := rlp.EncodeToBytes(announcementsPacket{{Hash: hash, Number: block.NumberU64()}})
	if err != nil {
		log.Error("Failed to encode block announcement", "number", block.NumberU64(), "hash", hash, "err", err)
		return
	}
	for i, p := range peers {
		p.markKnown(hash)
		if i < full {
			if p.send(newBlockMsg, blockPayload) {
				s.metrics.sent.Add(1)
			}
		} else if p.send(newBlockHashesMsg, annPayload) {
			s.metrics.hashesSent.Add(1)
		}
	}
	log.Debug("Gossiped block", "number", block.NumberU64(), "hash", hash, "full", min(full, len(peers)), "announced", len(peers)-full)
}

// register adds a peer past its handshake; it fails if the service stopped or
// the peer is already connected.
func (s *Service) register(p *peer) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopped {
		return p2p.DiscQuitting
	}
	if _, ok := s.peers[p.id]; ok {
		return p2p.DiscAlreadyConnected
	}
	s.peers[p.id] = p
	return nil
}

func (s *Service) unregister(p *peer) {
	s.mu.Lock()
	delete(s.peers, p.id)
	s.mu.Unlock()
}

// runPeer is the p2p.Protocol Run function: handshake, then the peer's read
// loop, with a writer and an importer beside it.
func (s *Service) runPeer(pp *p2p.Peer, rw p2p.MsgReadWriter) error {
	// Peers may connect between the p2p server's start and ours.
	select {
	case <-s.started:
	case <-s.quit:
		return p2p.DiscQuitting
	}
	s.mu.Lock()
	if s.stopped {
		s.mu.Unlock()
		return p2p.DiscQuitting
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	p := newPeer(s, pp, rw)
	status, err := p.handshake()
	if err != nil {
		return err
	}
	if err := s.register(p); err != nil {
		return err
	}
	defer s.unregister(p)
	log.Debug("Gossip peer connected", "peer", p.id, "number", status.Number, "head", status.Head, "td", status.TD)

	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); p.writeLoop() }()
	go func() { defer wg.Done(); p.importLoop() }()

	// Catch-up starts with the first peer that is ahead, not after a quorum.
	head, td := s.backend.Head()
	switch {
	case status.Number > head.Number.Uint64()+s.cfg.SyncThreshold && (td == nil || status.TD.Cmp(td) > 0):
		s.syncFrom(p, status.Head, status.Number)
	case status.Number <= head.Number.Uint64()+s.cfg.SyncThreshold && !s.known(status.Head):
		// A head near ours that we do not hold: sealed while we were not
		// connected, or on a competing branch. Fetch it as if announced so
		// that fork choice weighs it. Without this, signers that each sealed
		// their own block before peering never learn of each other's and,
		// each having signed recently, wait for ever (seen with 3 signers
		// started together).
		p.enqueue(inMsg{anns: announcementsPacket{{Hash: status.Head, Number: status.Number}}})
	}

	err = p.readLoop()
	close(p.closed)
	wg.Wait()
	return err
}
