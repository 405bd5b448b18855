package gossip

import (
	"errors"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/log"
)

// syncLogInterval is how long SyncFrom calls must pause before the next one
// is logged at Info level again.
const syncLogInterval = 30 * time.Second

// known reports whether the chain holds the block.
func (s *Service) known(hash common.Hash) bool {
	if s.recent.Contains(hash) {
		return true
	}
	if s.backend.Block(hash) != nil {
		s.recent.Add(hash, struct{}{})
		return true
	}
	return false
}

// deliver imports a block received from p (in a NewBlock or fetched after an
// announcement), fetching missing ancestors from p, and propagates it.
func (s *Service) deliver(p *peer, block *types.Block) {
	hash, number := block.Hash(), block.NumberU64()

	// A block already found invalid is not verified again.
	if s.bad.Contains(hash) {
		s.metrics.rejected[RejectInvalid].Add(1)
		p.drop(DropInvalidBlock, ErrInvalidBlock)
		return
	}
	if s.known(hash) {
		return
	}
	// Far ahead: the gap is the syncer's job, not one block fetch at a time.
	head, _ := s.backend.Head()
	if number > head.Number.Uint64()+s.cfg.SyncThreshold {
		s.syncFrom(p, hash, number)
		return
	}
	err := s.insert(p, block)
	if errors.Is(err, ErrUnknownParent) {
		ancestors, ok := s.fetchAncestors(p, block)
		if !ok {
			return
		}
		for _, a := range ancestors {
			if err := s.insert(p, a); err != nil {
				if errors.Is(err, ErrUnknownParent) {
					// The ancestor's parent was known a moment ago.
					s.metrics.rejected[RejectAncestry].Add(1)
				}
				return
			}
		}
		err = s.insert(p, block)
	}
	if err != nil {
		return
	}
	s.Broadcast(block)
}

// insert hands one block to the backend and deals with the outcome: an
// invalid block drops p; a local failure is logged. It returns Import's error.
func (s *Service) insert(p *peer, block *types.Block) error {
	err := s.backend.Import(block)
	switch {
	case err == nil:
		s.recent.Add(block.Hash(), struct{}{})
		s.metrics.imported.Add(1)
	case errors.Is(err, ErrInvalidBlock):
		s.bad.Add(block.Hash(), struct{}{})
		s.metrics.rejected[RejectInvalid].Add(1)
		log.Warn("Rejected invalid gossiped block", "peer", p.id, "number", block.NumberU64(), "hash", block.Hash(), "err", err)
		p.drop(DropInvalidBlock, err)
	case errors.Is(err, ErrBodyMismatch):
		// The copy, not the hash, is bad: the true block may come from
		// another peer, so its hash is not remembered as bad.
		s.metrics.rejected[RejectInvalid].Add(1)
		log.Warn("Rejected gossiped block whose body does not match its header", "peer", p.id, "number", block.NumberU64(), "hash", block.Hash(), "err", err)
		p.drop(DropMalformed, err)
	case errors.Is(err, ErrUnknownParent):
		// The caller fetches the ancestors.
	default:
		s.metrics.rejected[RejectError].Add(1)
		log.Warn("Failed to import gossiped block", "peer", p.id, "number", block.NumberU64(), "hash", block.Hash(), "err", err)
	}
	return err
}

// fetchAncestors fetches from p the unknown ancestors of block, up to
// Config.MaxFetchDepth of them, and returns them oldest first. Beyond that
// depth it hands over to SyncFrom.
func (s *Service) fetchAncestors(p *peer, block *types.Block) ([]*types.Block, bool) {
	var (
		chain []*types.Block // newest first
		want  = block.ParentHash()
	)
	for uint64(len(chain)) < s.cfg.MaxFetchDepth {
		count := min(s.cfg.MaxFetchDepth-uint64(len(chain)), maxGetBlocks)
		blocks, err := p.requestBlocks(want, count)
		if err != nil {
			s.metrics.rejected[RejectAncestry].Add(1)
			log.Debug("Failed to fetch ancestors of gossiped block", "peer", p.id, "number", block.NumberU64(), "hash", block.Hash(), "missing", want, "err", err)
			return nil, false
		}
		for _, b := range blocks {
			chain = append(chain, b)
			if s.known(b.ParentHash()) {
				slices.Reverse(chain)
				return chain, true
			}
		}
		want = chain[len(chain)-1].ParentHash()
	}
	// A fork deeper than we fetch over gossip: the syncer's job.
	s.metrics.rejected[RejectAncestry].Add(1)
	log.Debug("Gossiped block forks too deep, syncing", "peer", p.id, "number", block.NumberU64(), "hash", block.Hash(), "depth", len(chain))
	s.syncFrom(p, block.Hash(), block.NumberU64())
	return nil, false
}

// announced fetches the announced blocks we lack, each from one peer at a
// time: other peers announcing a block already being fetched are kept as
// sources to try if the first one fails.
func (s *Service) announced(p *peer, anns announcementsPacket) {
	for _, a := range anns {
		if s.known(a.Hash) {
			continue
		}
		head, _ := s.backend.Head()
		headNum := head.Number.Uint64()
		switch {
		case a.Number > headNum+s.cfg.SyncThreshold:
			s.syncFrom(p, a.Hash, a.Number)
			continue
		case a.Number+s.cfg.MaxFetchDepth < headNum:
			// Too old to matter for fork choice here.
			continue
		}
		if !s.claimFetch(a.Hash, p) {
			continue
		}
		s.fetchAnnounced(p, a.Hash)
	}
}

// fetchAnnounced fetches one announced block from p, or from the other peers
// that announced it meanwhile, and delivers it. It releases the claim.
func (s *Service) fetchAnnounced(p *peer, hash common.Hash) {
	defer s.releaseFetch(hash)
	for src := p; src != nil; src = s.nextFetcher(hash) {
		blocks, err := src.requestBlocks(hash, 1)
		if err != nil {
			log.Debug("Failed to fetch announced block", "peer", src.id, "hash", hash, "err", err)
			continue
		}
		s.deliver(src, blocks[0])
		return
	}
}

// claimFetch reports whether the caller should fetch hash; if another peer's
// importer is fetching it, p is remembered as another source.
func (s *Service) claimFetch(hash common.Hash, p *peer) bool {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	sources, busy := s.fetching[hash]
	if !busy {
		s.fetching[hash] = []*peer{}
		return true
	}
	if len(sources) < maxFetchers && !slices.Contains(sources, p) {
		s.fetching[hash] = append(sources, p)
	}
	return false
}

// nextFetcher returns the next connected peer that announced hash, or nil.
func (s *Service) nextFetcher(hash common.Hash) *peer {
	s.fetchMu.Lock()
	defer s.fetchMu.Unlock()
	for sources := s.fetching[hash]; len(sources) > 0; sources = s.fetching[hash] {
		next := sources[0]
		s.fetching[hash] = sources[1:]
		select {
		case <-next.closed:
		default:
			return next
		}
	}
	return nil
}

func (s *Service) releaseFetch(hash common.Hash) {
	s.fetchMu.Lock()
	delete(s.fetching, hash)
	s.fetchMu.Unlock()
}

// syncFrom asks the backend to sync toward a peer's block, once per target
// number above the previous target.
func (s *Service) syncFrom(p *peer, hash common.Hash, number uint64) {
	s.syncMu.Lock()
	defer s.syncMu.Unlock()
	if number <= s.syncTarget {
		return
	}
	s.metrics.syncs.Add(1)
	if err := s.backend.SyncFrom(p.id, hash, number); errors.Is(err, ErrSyncRunning) {
		log.Debug("Sync target waits for the running sync", "peer", p.id, "number", number, "hash", hash)
		return
	} else if err != nil {
		log.Warn("Failed to start sync from gossip peer", "peer", p.id, "number", number, "hash", hash, "err", err)
		return
	}
	s.syncTarget = number

	// One Info line when catch-up starts, Debug while it follows a moving head.
	if time.Since(s.syncLogged) > syncLogInterval {
		log.Info("Catching up with gossip peer", "peer", p.id, "number", number, "hash", hash)
	} else {
		log.Debug("Catching up with gossip peer", "peer", p.id, "number", number, "hash", hash)
	}
	s.syncLogged = time.Now()
}
