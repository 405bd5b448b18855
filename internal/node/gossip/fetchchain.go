package gossip

import (
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

// FetchChain fetches from peer id the block hash and its ancestors the chain
// does not hold, at most limit of them, and returns them oldest first (the
// first one's parent is held). A young chain is caught up this way instead of
// by geth's downloader in snap mode (ADR 076's amendment); the caller imports
// the blocks, which verifies them.
func (s *Service) FetchChain(id enode.ID, hash common.Hash, limit uint64) ([]*types.Block, error) {
	s.mu.RLock()
	p := s.peers[id]
	s.mu.RUnlock()
	if p == nil {
		return nil, fmt.Errorf("%w: %s", errPeerGone, id.TerminalString())
	}
	var chain []*types.Block // newest first
	want := hash
	for uint64(len(chain)) < limit {
		blocks, err := p.requestBlocks(want, min(limit-uint64(len(chain)), maxGetBlocks))
		if err != nil {
			return nil, fmt.Errorf("block %x from %s: %w", want, id.TerminalString(), err)
		}
		for _, b := range blocks {
			chain = append(chain, b)
			if s.known(b.ParentHash()) {
				slices.Reverse(chain)
				return chain, nil
			}
		}
		want = chain[len(chain)-1].ParentHash()
	}
	return nil, fmt.Errorf("block %x from %s: no known ancestor within %d blocks", hash, id.TerminalString(), limit)
}
