// Package staletx keeps transactions that are already in the chain out of
// geth's transaction fetcher.
//
// On a Clique chain with one-second blocks, a block often reaches a node
// before some of its transactions do: the sealer sends the block to every
// peer at once, while geth's eth protocol sends each transaction in full to
// only some peers and announces it to the others, who fetch it up to half a
// second later. When such a transaction arrives, the pool refuses it (nonce
// too low), and geth's fetcher, seeing more than a quarter of a batch of 128
// refused, takes the peer for a spammer and sleeps 200 ms in that peer's eth
// handler (eth/fetcher TxFetcher.Enqueue), once per batch. go-ethereum's p2p
// reads a connection one message at a time and waits for each protocol to
// take its message, so while the eth handler sleeps, nothing else on the
// connection is read: not our poa/1 blocks either. On a loaded 4-signer
// network, nodes logged 25-145 such sleeps a run; blocks reached a peer up
// to 6 s after they were sealed, and a signer whose turn it was lost its
// slot to an out-of-turn block it never saw coming.
//
// Wrap gives geth's eth protocol a reader that drops, from gossiped and
// fetched transaction lists, the transactions of the last canonical blocks
// (a Set, fed by a Follower) before geth sees them. Nothing of value is lost: such
// a transaction is in the chain, and if a reorganisation takes it out again,
// the pool puts it back itself.
package staletx

import (
	"bytes"
	"io"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/p2p"

	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/internal/node/ethwrap"
	"github.com/citychain/citychain/internal/node/txlist"
)

const (
	// DefaultBlocks is how many of the last canonical blocks a Set remembers:
	// transactions arrive late by seconds, not minutes.
	DefaultBlocks = 64
	// DefaultHashes bounds the hashes a Set holds (32 bytes each, plus the
	// index): the oldest blocks are forgotten first.
	DefaultHashes = 1 << 18
)

// Set holds the hashes of the transactions in the last canonical blocks. It
// is safe for concurrent use.
type Set struct {
	maxBlocks, maxHashes int

	mu     sync.RWMutex
	byHash map[common.Hash]int32    // transaction hash -> how many remembered blocks hold it
	known  map[common.Hash]struct{} // hashes of the remembered blocks
	blocks []minedBlock             // oldest first
	held   int                      // hashes in blocks

	dropped atomic.Uint64
}

// minedBlock is one remembered block's transaction hashes.
type minedBlock struct {
	hash   common.Hash
	hashes []common.Hash
}

// NewSet returns a Set remembering the last maxBlocks blocks, at most
// maxHashes transaction hashes.
func NewSet(maxBlocks, maxHashes int) *Set {
	return &Set{maxBlocks: max(maxBlocks, 1), maxHashes: max(maxHashes, 1), byHash: make(map[common.Hash]int32), known: make(map[common.Hash]struct{})}
}

// Add records the transactions of block, which joined the canonical chain
// or is being imported, and reports whether the block was new to the set (a
// block already remembered is not counted twice).
func (s *Set) Add(block *types.Block) bool {
	txs := block.Transactions()
	if len(txs) == 0 {
		return false
	}
	hash := block.Hash()
	s.mu.RLock()
	_, seen := s.known[hash]
	s.mu.RUnlock()
	if seen {
		return false
	}
	hashes := make([]common.Hash, len(txs))
	for i, tx := range txs {
		hashes[i] = tx.Hash()
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.known[hash]; seen {
		return false
	}
	for _, h := range hashes {
		s.byHash[h]++
	}
	s.known[hash] = struct{}{}
	s.blocks = append(s.blocks, minedBlock{hash: hash, hashes: hashes})
	s.held += len(hashes)
	for len(s.blocks) > 1 && (len(s.blocks) > s.maxBlocks || s.held > s.maxHashes) {
		s.release(s.blocks[0])
		s.blocks[0] = minedBlock{}
		s.blocks = s.blocks[1:]
	}
	return true
}

// Forget drops a block that Add took in, e.g. one refused at import: its
// transactions are dropped from gossip again only while another remembered
// block (a sibling of the same height, or a later one) holds them.
func (s *Set) Forget(block *types.Block) {
	hash := block.Hash()
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, seen := s.known[hash]; !seen {
		return
	}
	for i, b := range s.blocks {
		if b.hash == hash {
			s.release(b)
			s.blocks = append(s.blocks[:i], s.blocks[i+1:]...)
			return
		}
	}
}

// release takes b's hashes out of the index; the caller removes b from
// s.blocks and holds s.mu.
func (s *Set) release(b minedBlock) {
	for _, h := range b.hashes {
		// A transaction of a block replaced by a reorganisation may be in
		// another remembered block too: it stays until that one goes.
		if s.byHash[h]--; s.byHash[h] <= 0 {
			delete(s.byHash, h)
		}
	}
	delete(s.known, b.hash)
	s.held -= len(b.hashes)
}

// Contains reports whether hash is the hash of a remembered transaction.
func (s *Set) Contains(hash common.Hash) bool {
	s.mu.RLock()
	_, ok := s.byHash[hash]
	s.mu.RUnlock()
	return ok
}

// Len returns the number of remembered transaction hashes.
func (s *Set) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return len(s.byHash)
}

// Dropped returns how many received transactions were dropped as mined.
func (s *Set) Dropped() uint64 { return s.dropped.Load() }

// Wrap returns protocols with geth's eth protocol reading through the set:
// its Transactions and PooledTransactions messages lose the transactions
// the set holds. The other protocols are returned as they are.
func Wrap(protocols []p2p.Protocol, s *Set) []p2p.Protocol {
	return ethwrap.Eth(protocols, func(_ uint, run ethwrap.Run) ethwrap.Run {
		return func(peer *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(peer, &reader{MsgReadWriter: rw, set: s})
		}
	})
}

// reader is an eth protocol connection whose transaction lists are filtered.
type reader struct {
	p2p.MsgReadWriter
	set *Set
}

// ReadMsg implements p2p.MsgReader.
func (r *reader) ReadMsg() (p2p.Msg, error) {
	msg, err := r.MsgReadWriter.ReadMsg()
	if err != nil || (msg.Code != eth.TransactionsMsg && msg.Code != eth.PooledTransactionsMsg) {
		return msg, err
	}
	payload := make([]byte, msg.Size)
	if _, err := io.ReadFull(msg.Payload, payload); err != nil {
		return msg, err
	}
	out := payload
	if filtered, n, err := r.set.filter(msg.Code, payload); err == nil && n > 0 {
		out = filtered
		r.set.dropped.Add(uint64(n))
	}
	// A message that does not parse goes to geth as it came: geth refuses it
	// and drops the peer, as it would have.
	return p2p.Msg{Code: msg.Code, Size: uint32(len(out)), Payload: bytes.NewReader(out), ReceivedAt: msg.ReceivedAt}, nil
}

// filter returns payload, an eth Transactions (a list of transactions) or
// PooledTransactions (a request id and such a list) message, without the
// transactions the set holds, and how many it dropped. With none dropped it
// returns payload itself.
func (s *Set) filter(code uint64, payload []byte) ([]byte, int, error) {
	list, err := txlist.Split(code, payload)
	if err != nil {
		return nil, 0, err
	}
	drop := make([]bool, list.Len())
	dropped := 0
	for i := range drop {
		// A blob transaction gets the zero hash, which no set holds.
		if s.Contains(list.Hash(i)) {
			drop[i] = true
			dropped++
		}
	}
	if dropped == 0 {
		return payload, 0, nil
	}
	return list.Encode(func(i int) bool { return !drop[i] }), dropped, nil
}

// Blocks is where the set learns of new canonical blocks.
// *forkchoice.ForkChoice satisfies it.
type Blocks interface {
	SubscribeBlocks(ch chan<- forkchoice.BlockEvent) event.Subscription
}

// Follower is a node.Lifecycle that adds every block that becomes the head
// to a Set.
type Follower struct {
	set    *Set
	blocks Blocks
	sub    event.Subscription
	done   chan struct{}
}

// NewFollower returns a Follower feeding set from blocks; it starts with Start.
func NewFollower(set *Set, blocks Blocks) *Follower {
	return &Follower{set: set, blocks: blocks, done: make(chan struct{})}
}

// Start implements node.Lifecycle.
func (f *Follower) Start() error {
	ch := make(chan forkchoice.BlockEvent, 64)
	f.sub = f.blocks.SubscribeBlocks(ch)
	go func() {
		defer close(f.done)
		for {
			select {
			case ev := <-ch:
				if ev.Result.HeadChanged() {
					f.set.Add(ev.Block)
				}
			case <-f.sub.Err():
				return
			}
		}
	}()
	return nil
}

// Stop implements node.Lifecycle.
func (f *Follower) Stop() error {
	if f.sub == nil {
		return nil
	}
	f.sub.Unsubscribe()
	<-f.done
	return nil
}
