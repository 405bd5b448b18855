package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/internal/node/txintake"
)

// sealerPool is the sealer's transaction source: the pool's pending set, and
// news of transactions both from the pool (promoted, or gossiped by peers) and
// straight from our intake, which announces a transaction the moment the pool
// takes it, before the pool's asynchronous promotion does.
type sealerPool struct {
	pool   *txpool.TxPool
	intake *txintake.Intake
	gate   txintake.Gate // nil: every sender may be sealed
	signer types.Signer  // recovers (from the cache) the senders of incoming transactions
}

// Pending implements sealer.Pool. With a gate it leaves out what the gate
// refuses at the head, so transactions that reached the pool around the
// intake (gossiped by peers, or pooled before a role was revoked) are not
// sealed: each sender's list is cut at its first refused transaction, since
// the later nonces could not run without it.
func (p sealerPool) Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int) {
	pending, n := p.pool.Pending(filter)
	if p.gate == nil || len(pending) == 0 {
		return pending, n
	}
	check, err := p.gate.View()
	if err != nil {
		log.Warn("Sealing no transactions: permissions cannot be checked", "err", err)
		return nil, 0
	}
	for from, txs := range pending {
		keep := permittedPrefix(check, from, txs)
		n -= len(txs) - keep
		if keep == 0 {
			delete(pending, from)
			continue
		}
		pending[from] = txs[:keep]
	}
	return pending, n
}

// permittedPrefix returns how many of a sender's transactions, in nonce
// order, the check lets through before the first it refuses.
func permittedPrefix(check func(common.Address, bool) error, from common.Address, txs []*txpool.LazyTransaction) int {
	if check(from, false) != nil {
		return 0
	}
	for i, lazy := range txs {
		tx := lazy.Resolve()
		if tx == nil || tx.To() == nil && check(from, true) != nil {
			return i
		}
	}
	return len(txs)
}

// SubscribeTransactions implements sealer.Pool. The sealer streams the
// transactions of these events into the block it builds, so with a gate
// they pass through it too: a transaction gossiped by a peer must not reach
// a block by this way either.
func (p sealerPool) SubscribeTransactions(ch chan<- core.NewTxsEvent, reorgs bool) event.Subscription {
	if p.gate == nil {
		return event.JoinSubscriptions(p.pool.SubscribeTransactions(ch, reorgs), p.intake.SubscribeTransactions(ch))
	}
	in := make(chan core.NewTxsEvent, cap(ch))
	sub := event.JoinSubscriptions(p.pool.SubscribeTransactions(in, reorgs), p.intake.SubscribeTransactions(in))
	return event.NewSubscription(func(quit <-chan struct{}) error {
		defer sub.Unsubscribe()
		for {
			select {
			case ev := <-in:
				if ev.Txs = p.permitted(ev.Txs); len(ev.Txs) == 0 {
					continue
				}
				select {
				case ch <- ev:
				case <-quit:
					return nil
				}
			case err := <-sub.Err():
				return err
			case <-quit:
				return nil
			}
		}
	})
}

// permitted returns the transactions of txs the gate lets through at the
// head.
func (p sealerPool) permitted(txs []*types.Transaction) []*types.Transaction {
	check, err := p.gate.View()
	if err != nil {
		log.Warn("Sealing no incoming transactions: permissions cannot be checked", "err", err)
		return nil
	}
	kept := txs[:0:0]
	for _, tx := range txs {
		from, err := types.Sender(p.signer, tx)
		if err == nil && check(from, tx.To() == nil) == nil {
			kept = append(kept, tx)
		}
	}
	return kept
}
