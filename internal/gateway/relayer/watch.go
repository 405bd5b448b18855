package relayer

import (
	"cmp"
	"context"
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/internal/client/logpage"
	"github.com/citychain/citychain/internal/gateway/intake"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// receiptBatch is how many receipts one JSON-RPC batch asks for.
const receiptBatch = 100

// watch checks the transactions in flight until the relayer stops.
func (r *Relayer) watch() {
	t := time.NewTicker(r.cfg.Poll)
	defer t.Stop()
	for {
		select {
		case <-r.quit:
			return
		case <-t.C:
			if err := r.check(); err != nil {
				log.Debug("Failed to check relay transactions", "err", err)
			}
		}
	}
}

// flights returns the transactions in flight, by nonce.
func (r *Relayer) flights() []*flight {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*flight, 0, len(r.inflight))
	for _, f := range r.inflight {
		out = append(out, f)
	}
	slices.SortFunc(out, func(a, b *flight) int { return cmp.Compare(a.rec.Nonce, b.rec.Nonce) })
	return out
}

// check stores the outcome of every mined transaction in flight and sends
// again those not mined in time (or not sent since the start).
func (r *Relayer) check() error {
	fs := r.flights()
	if len(fs) == 0 {
		return nil
	}
	receipts, err := r.minedPrefix(fs)
	if err != nil {
		return err
	}
	mined, rcpts, waiting := sortMined(fs, receipts)
	now := time.Now()
	for _, f := range waiting {
		if r.dueAt(f, now) {
			r.resend(f)
		}
	}
	if err := r.finishAll(mined, rcpts); err != nil {
		log.Warn("Failed to store the outcome of relay transactions", "count", len(mined), "err", err)
	}
	return nil
}

// dueAt reports whether f, not mined, is to be sent again at now.
func (r *Relayer) dueAt(f *flight, now time.Time) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return !now.Before(f.due)
}

// sortMined splits fs by receipts (receipts[i] is fs[i]'s; nil or missing:
// not mined) into the mined ones, paired with their receipts, and those
// still waiting.
func sortMined(fs []*flight, receipts []*types.Receipt) (mined []*flight, rcpts []*types.Receipt, waiting []*flight) {
	for i, f := range fs {
		if i < len(receipts) && receipts[i] != nil {
			mined, rcpts = append(mined, f), append(rcpts, receipts[i])
		} else {
			waiting = append(waiting, f)
		}
	}
	return mined, rcpts, waiting
}

// minedPrefix asks for the receipts of fs (in nonce order), receiptBatch at
// a time, up to the first batch with one not mined: the account's
// transactions are mined in nonce order, so those after it are not mined
// either (a nonce taken by another transaction is found by resend). Asking
// for them on every check would repeat the work for every transaction
// waiting in the pool.
func (r *Relayer) minedPrefix(fs []*flight) ([]*types.Receipt, error) {
	var out []*types.Receipt
	for from := 0; from < len(fs); from += receiptBatch {
		rs, err := r.receipts(fs[from:min(from+receiptBatch, len(fs))])
		if err != nil {
			return out, err
		}
		out = append(out, rs...)
		if slices.Contains(rs, nil) {
			break
		}
	}
	return out, nil
}

// receipts asks for the receipts of fs (at most receiptBatch) in one
// JSON-RPC batch (posted by postReceipts to an HTTP node); nil where not
// mined.
func (r *Relayer) receipts(fs []*flight) ([]*types.Receipt, error) {
	lean := make([]*relayReceipt, len(fs))
	batch := make([]rpc.BatchElem, len(fs))
	for i := range batch {
		batch[i] = rpc.BatchElem{Method: "eth_getTransactionReceipt", Args: []any{fs[i].rec.Hash}, Result: &lean[i]}
	}
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		if c := n.HTTPClient(); c != nil {
			hashes := make([]common.Hash, len(fs))
			for i, f := range fs {
				hashes[i] = f.rec.Hash
			}
			var err error
			lean, err = postReceipts(ctx, c, n.URL(), hashes)
			return err
		}
		if err := n.RPC().BatchCallContext(ctx, batch); err != nil {
			return err
		}
		for _, el := range batch {
			if el.Error != nil {
				return el.Error
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	out := make([]*types.Receipt, len(fs))
	for i, l := range lean {
		out[i] = l.receipt(fs[i].rec.Hash)
	}
	return out, nil
}

// resend sends a transaction in flight again, unchanged. If its nonce was
// taken by another transaction, its ballots go back to the queue.
func (r *Relayer) resend(f *flight) {
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		return n.RPC().CallContext(ctx, nil, "eth_sendRawTransaction", hexutil.Bytes(f.rec.Raw))
	})
	r.mu.Lock()
	f.due = nextSend(err, time.Now(), r.cfg.Resend)
	r.mu.Unlock()
	switch {
	case err == nil || strings.Contains(err.Error(), "already known"):
		r.metrics.txs.WithLabelValues("resent").Inc()
		log.Info("Sent relay transaction again", "hash", f.rec.Hash, "nonce", f.rec.Nonce)
	case strings.Contains(err.Error(), "nonce too low"):
		r.replaced(f)
	default:
		log.Warn("Failed to send relay transaction again", "hash", f.rec.Hash, "nonce", f.rec.Nonce, "err", err)
	}
}

// replaced handles a transaction whose nonce is used: if it has no receipt
// now either, another transaction of the account took the nonce, and the
// ballots are queued again.
func (r *Relayer) replaced(f *flight) {
	rs, err := r.receipts([]*flight{f})
	if err != nil {
		return
	}
	if rs[0] != nil {
		if err := r.finish(f, rs[0]); err != nil {
			log.Warn("Failed to store the outcome of a relay transaction", "hash", f.rec.Hash, "err", err)
		}
		return
	}
	log.Warn("Relay transaction's nonce taken by another transaction of the account: its ballots are queued again", "hash", f.rec.Hash, "nonce", f.rec.Nonce)
	if err := r.store.Requeue(f.rec); err != nil {
		log.Error("Failed to queue ballots again", "hash", f.rec.Hash, "err", err)
		return
	}
	r.metrics.txs.WithLabelValues("replaced").Inc()
	r.forget(f)
	r.syncNonce()
}

// forget drops a transaction from those in flight.
func (r *Relayer) forget(f *flight) {
	r.mu.Lock()
	delete(r.inflight, f.rec.Nonce)
	r.mu.Unlock()
}

// finish stores the outcome of a mined transaction: each ballot counted or
// rejected, or the whole batch queued again if the transaction failed.
func (r *Relayer) finish(f *flight, rcpt *types.Receipt) error {
	return r.finishAll([]*flight{f}, []*types.Receipt{rcpt})
}

// finishAll stores the outcomes of mined transactions, fs[i] mined with
// receipt rcpts[i]: the ballots of the successful ones in one write, those of
// a failed one queued again.
func (r *Relayer) finishAll(fs []*flight, rcpts []*types.Receipt) error {
	var (
		mined []intake.Mined
		done  []*flight
	)
	for i, f := range fs {
		rcpt := rcpts[i]
		if rcpt.Status != types.ReceiptStatusSuccessful {
			if err := r.requeueFailed(f, rcpt); err != nil {
				return err
			}
			continue
		}
		outcomes, err := r.outcomes(f, rcpt)
		if err != nil {
			// Left in flight: the next check reads it again.
			log.Warn("Failed to read the outcome of a relay transaction", "hash", f.rec.Hash, "err", err)
			continue
		}
		mined = append(mined, intake.Mined{Tx: f.rec, Outcomes: outcomes, Held: f.held})
		done = append(done, f)
	}
	if err := r.store.FinishAll(mined); err != nil {
		return err
	}
	for i, f := range done {
		r.forget(f)
		r.metrics.mined(mined[i].Outcomes)
	}
	return nil
}

// requeueFailed queues again the ballots of a transaction that failed on
// chain, and estimates the poll's next relay again.
func (r *Relayer) requeueFailed(f *flight, rcpt *types.Receipt) error {
	log.Warn("Relay transaction failed on chain: its ballots are queued again", "hash", f.rec.Hash, "block", rcpt.BlockNumber, "gasUsed", rcpt.GasUsed)
	r.forgetGas(f.rec.Poll)
	if err := r.store.Requeue(f.rec); err != nil {
		return err
	}
	r.metrics.txs.WithLabelValues("failed").Inc()
	r.forget(f)
	return nil
}

// outcomes reads what became of each ballot of f from its receipt's logs.
func (r *Relayer) outcomes(f *flight, rcpt *types.Receipt) ([]intake.Outcome, error) {
	rec := f.rec
	cast := map[common.Address]*types.Log{}
	rejected := map[uint64]*types.Log{}
	for _, l := range rcpt.Logs {
		if l.Address != contracts.PollsAddress || len(l.Topics) < 3 {
			continue
		}
		switch l.Topics[0] {
		case castID:
			cast[common.BytesToAddress(l.Topics[2][:])] = l
		case rejectedID:
			ev, err := pollsABI.UnpackBallotRejectedEvent(l)
			if err != nil {
				return nil, err
			}
			rejected[ev.Position.Uint64()] = l
		}
	}
	out := make([]intake.Outcome, len(rec.Ballots))
	for i, id := range rec.Ballots {
		b, err := f.state(r.store, i)
		if err != nil || b == nil {
			return nil, fmt.Errorf("ballot %s: %v", id, err)
		}
		o := intake.Outcome{ID: id, Tx: rec.Hash, Block: rcpt.BlockNumber.Uint64()}
		switch l := rejected[uint64(i)]; {
		case cast[b.Voter] != nil:
			o.State, o.LogIndex = intake.StateCounted, uint64(cast[b.Voter].Index)
		case l != nil:
			ev, _ := pollsABI.UnpackBallotRejectedEvent(l)
			o.State, o.LogIndex, o.Reason = intake.StateRejected, uint64(l.Index), ballots.Reason(ev.Reason)
			if o.Reason == "AlreadyVoted" {
				if err := r.earlier(&o, b, rcpt.BlockNumber); err != nil {
					return nil, err
				}
			}
		default:
			return nil, fmt.Errorf("transaction %s has no BallotCast or BallotRejected log for ballot %d (%s)", rec.Hash, i, id)
		}
		out[i] = o
	}
	return out, nil
}

// earlier turns an AlreadyVoted rejection into the count of the same ballot
// by an earlier transaction, if there is one.
func (r *Relayer) earlier(o *intake.Outcome, b *intake.Record, block *big.Int) error {
	var logs []types.Log
	q := ethereum.FilterQuery{
		Addresses: []common.Address{contracts.PollsAddress},
		Topics:    [][]common.Hash{{castID}, {common.BigToHash(new(big.Int).SetUint64(b.Poll))}, {common.BytesToHash(b.Voter.Bytes())}},
	}
	// Paged by block range (ADR 058), so that a node's --rpc.logrange does
	// not refuse a read from block 0.
	err := r.pool.Do(context.Background(), func(ctx context.Context, n *upstream.Node) error {
		logs = logs[:0]
		_, err := logpage.Each(ctx, ethclient.NewClient(n.RPC()), logpage.Defaults, q, 0, block.Uint64(), func(page []types.Log) error {
			logs = append(logs, page...)
			return nil
		})
		return err
	})
	if err != nil {
		return fmt.Errorf("BallotCast logs of voter %s in poll %d: %w", b.Voter, b.Poll, err)
	}
	for _, l := range logs {
		ev, err := pollsABI.UnpackBallotCastEvent(&l)
		if err != nil || l.Removed {
			continue
		}
		if ev.VoterIndex == b.VoterIndex && ev.Option == b.Option {
			o.State, o.Reason, o.Tx, o.Block, o.LogIndex = intake.StateCounted, "", l.TxHash, l.BlockNumber, uint64(l.Index)
			return nil
		}
	}
	return nil
}

// state returns the state of f's i-th ballot: held since it was sent, or
// read from the store.
func (f *flight) state(store *intake.Store, i int) (*intake.Record, error) {
	id := f.rec.Ballots[i]
	if i < len(f.held) && f.held[i].ID == id {
		return f.held[i], nil
	}
	return store.State(id)
}
