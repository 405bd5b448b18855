package node

import (
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/internal/node/gossip"
)

// networkSink hands sealed blocks to gossip, then to fork choice.
type networkSink struct {
	fc  *forkchoice.ForkChoice
	svc *gossip.Service // nil without p2p
	// handed, if not nil, is told of each block before fork choice stores
	// it (the batch hold's count of the pool's leaving transactions).
	handed func(*types.Block)
}

// InsertSealed implements sealer.Sink. The block goes to the peers first: it
// is ours, signed and recorded by the guard, and storing it takes a while on
// a busy chain; peers that waited for it built late or sealed out of turn.
func (s networkSink) InsertSealed(block *types.Block, receipts types.Receipts, statedb *state.StateDB) error {
	if s.svc != nil {
		s.svc.Propagate(block)
	}
	if s.handed != nil {
		s.handed(block)
	}
	return s.fc.InsertSealed(block, receipts, statedb)
}
