package sealer

import (
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
)

// lastBatchPool is the pool with one more transaction announced (as the
// intake does) right after the round's first pending set is handed over,
// and nothing after it: the last batch of a burst.
type lastBatchPool struct {
	Pool
	feed event.Feed
	last *types.Transaction
	once sync.Once
}

func (p *lastBatchPool) Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int) {
	pending, n := p.Pool.Pending(filter)
	p.once.Do(func() { p.feed.Send(core.NewTxsEvent{Txs: []*types.Transaction{p.last}}) })
	return pending, n
}

func (p *lastBatchPool) SubscribeTransactions(ch chan<- core.NewTxsEvent, reorgs bool) event.Subscription {
	return event.JoinSubscriptions(p.Pool.SubscribeTransactions(ch, reorgs), p.feed.Subscribe(ch))
}

// TestLastArrivalMakesBlock: a transaction announced within the recommit
// interval of the round's last pull, with no event after it, is applied to
// the block being built one interval later, not left for the next block a
// period later (it was: the pull waited for another event, and the pull
// after the fill's end applied nothing, the deadline being past).
func TestLastArrivalMakesBlock(t *testing.T) {
	// Genesis a second ahead: block 1 is released 1-2 s from now, so its
	// fill ends in the future (a round that starts late fills past it).
	e := newEnvAt(t, 1, 1, uint64(time.Now().Unix())+1)
	first, last := e.transfer(1, 0), e.transfer(1, 1)
	types.Sender(types.LatestSigner(e.gspec.Config), last) // the intake recovers it
	for i, err := range e.pool.Add([]*types.Transaction{first}, true) {
		if err != nil {
			t.Fatalf("add tx %d: %v", i, err)
		}
	}
	s := e.newSealer(0, new(MemGuard))
	s.cfg.Recommit = 300 * time.Millisecond // well inside the fill of block 1
	s.pool = &lastBatchPool{Pool: e.pool, last: last}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	block := e.waitHead(1)
	var have []common.Hash
	for _, tx := range block.Transactions() {
		have = append(have, tx.Hash())
	}
	if len(have) != 2 || have[0] != first.Hash() || have[1] != last.Hash() {
		t.Fatalf("block 1 holds %v, want the pending %v and the one announced after it %v", have, first.Hash(), last.Hash())
	}
}
