// Package gossiptx puts the transactions peers gossip into the pool with
// their senders recovered on every core, before geth's eth handler handles
// the message that carried them.
//
// geth's eth handler takes a Transactions or PooledTransactions message and
// hands its transactions to the pool in batches of 128, which recovers their
// senders one after another on the handler's goroutine (a recovery is 39-56
// µs of CPU): on a 3-signer network with the load sent to one signer, half of
// a follower's CPU, on one core per peer connection (docs/benchmarks.md,
// 2026-12-06 09:19). The signers that take the load by gossip then seal
// their turns with what their pools hold, which lags the loaded signer's.
//
// Wrap gives geth's eth protocol a reader that, for each such message while
// geth accepts transactions (Accept), hashes each transaction from its
// encoding, decodes those the pool does not hold, recovers their senders on
// every core (package senders, as the RPC intake does), and adds them to the
// pool in one call. The message then goes on to geth's handler, which marks
// the transactions as known to the peer (so this node does not send them
// back) and finds them in the pool (a hash look-up each): a sender is
// recovered once. A Transactions message whose transactions are all pooled
// by then (the usual case) reaches geth's handler as an announcement of
// their hashes, which geth marks the same way without decoding the
// transactions a second time (a PooledTransactions message answers one of
// geth's requests and goes as a PooledTransactions message). Transactions the pool refused for a fault of theirs (a
// nonce already used, a bad signature) or for lack of room are taken out of
// the message, so that geth does not recover their senders again, unless
// they are more than a quarter of it: then the message goes to geth as it
// came, and geth's fetcher slows the peer down as it would have
// (eth/fetcher TxFetcher.Enqueue). Underpriced ones stay, for geth's fetcher
// to remember and not fetch again. Blob transactions are left to geth.
package gossiptx

import (
	"bytes"
	"errors"
	"io"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/node/ethwrap"
	"github.com/citychain/citychain/internal/node/senders"
	"github.com/citychain/citychain/internal/node/txlist"
)

// maxTransactions is the most transactions geth's eth handler takes in one
// message (eth/protocols/eth maxTransactionAnnouncements): a longer list is
// left to geth, which refuses it.
const maxTransactions = 5000

// Pool is the transaction pool. *txpool.TxPool satisfies it.
type Pool interface {
	Has(hash common.Hash) bool
	Add(txs []*types.Transaction, sync bool) []error
}

// Admitter adds gossiped transactions to a pool ahead of geth's eth handler.
// It is safe for concurrent use by every peer's connection.
type Admitter struct {
	signer types.Signer
	pool   Pool
	accept func() bool

	added, known, refused, dropped, announced, sentBack atomic.Uint64
}

// New returns an Admitter adding to pool, recovering senders for signer (the
// pool's: types.LatestSigner of the chain's config), while accept reports
// true (geth's eth handler accepts transactions: eth.Ethereum.Synced).
func New(signer types.Signer, pool Pool, accept func() bool) *Admitter {
	return &Admitter{signer: signer, pool: pool, accept: accept}
}

// Stats are an Admitter's counts of gossiped transactions.
type Stats struct {
	Added   uint64 // put into the pool here
	Known   uint64 // already pooled when their message came, or by the time it was added
	Refused uint64 // refused by the pool
	Dropped uint64 // of the refused, taken out of the message before geth's handler
	// Announced counts the transactions of Transactions messages handed to
	// geth's handler as an announcement of their hashes, all being pooled.
	Announced uint64
	// SentBack counts transactions left out of messages to a peer that had
	// sent them (see received).
	SentBack uint64
}

// Stats returns the counts so far.
func (a *Admitter) Stats() Stats {
	return Stats{Added: a.added.Load(), Known: a.known.Load(), Refused: a.refused.Load(), Dropped: a.dropped.Load(), Announced: a.announced.Load(), SentBack: a.sentBack.Load()}
}

// Wrap returns protocols with geth's eth protocol reading through a: its
// Transactions and PooledTransactions messages are admitted to the pool
// before geth's handler gets them. The other protocols are returned as they
// are.
func (a *Admitter) Wrap(protocols []p2p.Protocol) []p2p.Protocol {
	return ethwrap.Eth(protocols, func(version uint, run ethwrap.Run) ethwrap.Run {
		return func(peer *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(peer, &reader{MsgReadWriter: rw, admitter: a, version: version, received: newReceived(receivedKept)})
		}
	})
}

// reader is an eth protocol connection whose transaction lists are admitted
// as they are read.
type reader struct {
	p2p.MsgReadWriter
	admitter *Admitter
	version  uint      // the eth protocol version
	received *received // what the peer sent, not sent back to it
}

// ReadMsg implements p2p.MsgReader.
func (r *reader) ReadMsg() (p2p.Msg, error) {
	msg, err := r.MsgReadWriter.ReadMsg()
	if err != nil || (msg.Code != eth.TransactionsMsg && msg.Code != eth.PooledTransactionsMsg) || !r.admitter.accept() {
		return msg, err
	}
	payload := make([]byte, msg.Size)
	if _, err := io.ReadFull(msg.Payload, payload); err != nil {
		return msg, err
	}
	code, out := r.admitter.admit(r.version, msg.Code, payload, r.received)
	return p2p.Msg{Code: code, Size: uint32(len(out)), Payload: bytes.NewReader(out), ReceivedAt: msg.ReceivedAt}, nil
}

// admit adds the transactions of payload, a Transactions or
// PooledTransactions message, that the pool does not hold, and returns the
// message for geth's handler, received on eth version. A message that does
// not parse goes to geth as it came: geth refuses it and drops the peer, as
// it would have.
func (a *Admitter) admit(version uint, code uint64, payload []byte, from *received) (uint64, []byte) {
	list, err := txlist.Split(code, payload)
	if err != nil || list.Len() > maxTransactions {
		return code, payload
	}
	hashes := make([]common.Hash, list.Len())
	txs, at, err := a.fresh(list, hashes)
	if err != nil {
		return code, payload
	}
	// Before the pool has them: it may promote and broadcast them before
	// geth's handler marks them as known to the peer.
	if from != nil {
		from.add(hashes)
	}
	var errs []error
	if len(txs) > 0 {
		senders.Recover(a.signer, txs)
		errs = a.pool.Add(txs, false)
	}
	drop, n, refused := a.count(list.Len(), at, errs)
	if code == eth.TransactionsMsg && refused == 0 && !hasBlob(list) {
		if ann, err := announcement(version, list, hashes); err == nil {
			a.announced.Add(uint64(list.Len()))
			return eth.NewPooledTransactionHashesMsg, ann
		}
	}
	if n == 0 {
		return code, payload
	}
	a.dropped.Add(uint64(n))
	return code, list.Encode(func(i int) bool { return !drop[i] })
}

// hasBlob reports whether list holds a blob transaction.
func hasBlob(list *txlist.List) bool {
	for i := range list.Len() {
		if list.Blob(i) {
			return true
		}
	}
	return false
}

// announcement encodes list's transactions as an eth announcement of their
// hashes for protocol version: what geth's handler gets instead of a
// Transactions message whose transactions are all pooled. geth marks each
// as known to the peer (so that this node does not send it back) and its
// fetcher, finding each in the pool, fetches none: the same as for the
// Transactions message, without decoding the transactions a second time.
func announcement(version uint, list *txlist.List, hashes []common.Hash) ([]byte, error) {
	kinds := make([]byte, list.Len())
	sizes := make([]uint32, list.Len())
	for i := range kinds {
		kinds[i], sizes[i] = list.Type(i), list.Size(i)
	}
	if version >= eth.ETH72 {
		return rlp.EncodeToBytes(&eth.NewPooledTransactionHashesPacket72{Types: kinds, Sizes: sizes, Hashes: hashes})
	}
	return rlp.EncodeToBytes(&eth.NewPooledTransactionHashesPacket71{Types: kinds, Sizes: sizes, Hashes: hashes})
}

// fresh decodes the transactions of list that the pool does not hold, blob
// transactions left out, and returns them with their places in the list;
// hashes gets every transaction's hash.
func (a *Admitter) fresh(list *txlist.List, hashes []common.Hash) ([]*types.Transaction, []int, error) {
	var (
		txs []*types.Transaction
		at  []int
	)
	for i := range list.Len() {
		if list.Blob(i) {
			continue
		}
		hashes[i] = list.Hash(i)
		if a.pool.Has(hashes[i]) {
			a.known.Add(1)
			continue
		}
		tx := new(types.Transaction)
		if err := rlp.DecodeBytes(list.Raw[i], tx); err != nil {
			return nil, nil, err
		}
		txs = append(txs, tx)
		at = append(at, i)
	}
	return txs, at, nil
}

// count counts the pool's answers (errs[j] for the transaction at list
// place at[j]) and returns which places to drop from a message of n
// transactions, how many, and how many the pool refused: those the pool
// refused for a fault of theirs or for lack of room are dropped, unless they
// are more than a quarter of the message (geth's fetcher then slows the peer
// down: they stay, and none is dropped).
func (a *Admitter) count(n int, at []int, errs []error) ([]bool, int, int) {
	drop := make([]bool, n)
	dropped, refused := 0, 0
	for j, err := range errs {
		switch {
		case err == nil:
			a.added.Add(1)
		case errors.Is(err, txpool.ErrAlreadyKnown):
			a.known.Add(1)
		case errors.Is(err, txpool.ErrUnderpriced) || errors.Is(err, txpool.ErrReplaceUnderpriced) || errors.Is(err, txpool.ErrTxGasPriceTooLow):
			a.refused.Add(1) // geth's fetcher remembers them: they stay
			refused++
		default:
			a.refused.Add(1)
			refused++
			drop[at[j]] = true
			dropped++
		}
	}
	if dropped*4 > n {
		return nil, 0, refused
	}
	return drop, dropped, refused
}

// Start implements node.Lifecycle: nothing to start.
func (a *Admitter) Start() error { return nil }

// Stop implements node.Lifecycle: it logs the counts.
func (a *Admitter) Stop() error {
	st := a.Stats()
	log.Info("Gossiped transactions admitted ahead of geth's handler", "added", st.Added, "known", st.Known, "refused", st.Refused, "dropped", st.Dropped, "announced", st.Announced, "notsentback", st.SentBack)
	return nil
}
