package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/event"

	"github.com/citychain/citychain/internal/txintake"
)

// sealerPool is the sealer's transaction source: the pool's pending set, and
// news of transactions both from the pool (promoted, or gossiped by peers) and
// straight from our intake, which announces a transaction the moment the pool
// takes it, before the pool's asynchronous promotion does.
type sealerPool struct {
	pool   *txpool.TxPool
	intake *txintake.Intake
}

// Pending implements sealer.Pool.
func (p sealerPool) Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int) {
	return p.pool.Pending(filter)
}

// SubscribeTransactions implements sealer.Pool.
func (p sealerPool) SubscribeTransactions(ch chan<- core.NewTxsEvent, reorgs bool) event.Subscription {
	return event.JoinSubscriptions(p.pool.SubscribeTransactions(ch, reorgs), p.intake.SubscribeTransactions(ch))
}
