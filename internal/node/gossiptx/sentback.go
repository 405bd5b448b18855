package gossiptx

import (
	"bytes"
	"io"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/internal/node/txlist"
)

// receivedKept is how many hashes of transactions a peer sent a connection
// remembers, as geth's eth.Peer remembers the transactions a peer knows
// (32,768): the newest are kept.
const receivedKept = 1 << 15

// received is the hashes of the transactions a peer sent on one connection,
// the newest receivedKept of them. It is safe for concurrent use: the
// connection is read by one goroutine and written by several.
//
// Why: geth's eth handler marks the transactions of a message as known to
// the peer that sent them when it handles the message, so that the node does
// not send them back. The admitter puts them into the pool before that, and
// the pool announces the transactions it promotes to geth's broadcast, which
// sends each to the peers not marked as knowing it: without this, a
// follower sent a third of the loaded signer's transactions back to it
// (docs/benchmarks.md, 2026-12-06 09:54). The connection's writes leave out
// the transactions the peer sent, as the mark would have.
type received struct {
	mu    sync.Mutex
	set   map[common.Hash]struct{}
	ring  []common.Hash
	next  int
	limit int
}

func newReceived(limit int) *received {
	return &received{set: make(map[common.Hash]struct{}), limit: limit}
}

// add remembers hashes, forgetting the oldest beyond the limit.
func (r *received) add(hashes []common.Hash) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, h := range hashes {
		if _, ok := r.set[h]; ok || h == (common.Hash{}) {
			continue
		}
		if len(r.ring) < r.limit {
			r.ring = append(r.ring, h)
		} else {
			delete(r.set, r.ring[r.next])
			r.ring[r.next] = h
			r.next = (r.next + 1) % r.limit
		}
		r.set[h] = struct{}{}
	}
}

// has reports whether hash was received.
func (r *received) has(hash common.Hash) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.set[hash]
	return ok
}

// WriteMsg implements p2p.MsgWriter: a Transactions message or an
// announcement this node sends leaves out the transactions the peer sent;
// one left empty is not sent. Everything else is written as it is.
func (r *reader) WriteMsg(msg p2p.Msg) error {
	if msg.Code != eth.TransactionsMsg && msg.Code != eth.NewPooledTransactionHashesMsg {
		return r.MsgReadWriter.WriteMsg(msg)
	}
	payload := make([]byte, msg.Size)
	if _, err := io.ReadFull(msg.Payload, payload); err != nil {
		return err
	}
	out, keep := r.leaveOut(msg.Code, payload)
	if !keep {
		return nil
	}
	msg.Payload, msg.Size = bytes.NewReader(out), uint32(len(out))
	return r.MsgReadWriter.WriteMsg(msg)
}

// leaveOut returns payload without the transactions the peer sent, and
// whether anything is left to send. A message it cannot parse (this node's
// own encoding: it can) is sent as it is.
func (r *reader) leaveOut(code uint64, payload []byte) ([]byte, bool) {
	if code == eth.TransactionsMsg {
		list, err := txlist.Split(code, payload)
		if err != nil {
			return payload, true
		}
		drop := make([]bool, list.Len())
		n := 0
		for i := range drop {
			if r.received.has(list.Hash(i)) {
				drop[i] = true
				n++
			}
		}
		switch {
		case n == 0:
			return payload, true
		case n == list.Len():
			r.admitter.sentBack.Add(uint64(n))
			return nil, false
		}
		r.admitter.sentBack.Add(uint64(n))
		return list.Encode(func(i int) bool { return !drop[i] }), true
	}
	return r.leaveOutAnnounced(payload)
}

// leaveOutAnnounced is leaveOut for an announcement.
func (r *reader) leaveOutAnnounced(payload []byte) ([]byte, bool) {
	var ann eth.NewPooledTransactionHashesPacket72
	var err error
	if r.version >= eth.ETH72 {
		err = rlp.DecodeBytes(payload, &ann)
	} else {
		var ann71 eth.NewPooledTransactionHashesPacket71
		err = rlp.DecodeBytes(payload, &ann71)
		ann = eth.NewPooledTransactionHashesPacket72{Types: ann71.Types, Sizes: ann71.Sizes, Hashes: ann71.Hashes}
	}
	if err != nil || len(ann.Types) != len(ann.Hashes) || len(ann.Sizes) != len(ann.Hashes) {
		return payload, true
	}
	kept := eth.NewPooledTransactionHashesPacket72{Mask: ann.Mask}
	for i, h := range ann.Hashes {
		if r.received.has(h) {
			continue
		}
		kept.Types = append(kept.Types, ann.Types[i])
		kept.Sizes = append(kept.Sizes, ann.Sizes[i])
		kept.Hashes = append(kept.Hashes, h)
	}
	n := len(ann.Hashes) - len(kept.Hashes)
	if n == 0 {
		return payload, true
	}
	r.admitter.sentBack.Add(uint64(n))
	if len(kept.Hashes) == 0 {
		return nil, false
	}
	var out []byte
	if r.version >= eth.ETH72 {
		out, err = rlp.EncodeToBytes(&kept)
	} else {
		out, err = rlp.EncodeToBytes(&eth.NewPooledTransactionHashesPacket71{Types: kept.Types, Sizes: kept.Sizes, Hashes: kept.Hashes})
	}
	if err != nil {
		return payload, true
	}
	return out, true
}
