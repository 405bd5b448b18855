package node

import (
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/node/gossip"
)

// leaving counts the pool's transactions that are already in a block on its
// way to becoming the head: a peer's block whose import has started, or this
// node's own block handed to fork choice. The pool takes them out only once
// the block is the head and the pool has reset to it, 0.2-0.9 s after the
// slot on a loaded signer (the import on cores shared with the intake, then
// the reset under the pool's lock); until then the batch hold (ADR 077)
// counted them as backlog, and released the next batches only after both,
// too late for them to reach the next signer before its slot
// (docs/benchmarks.md, 2026-12-06 06:40-08:05, ADR 095).
type leaving struct {
	has func(common.Hash) bool // whether the pool holds a transaction

	mu     sync.Mutex
	blocks [2]leavingBlock // the last two blocks noted, newest first
}

// leavingBlock is one block noted: how many of its transactions the pool
// held then, one of them to look for later, and when.
type leavingBlock struct {
	pooled int
	probe  common.Hash
	at     time.Time
}

// leavingFor is how long a noted block counts at most: a block that never
// becomes the head (it lost to another of its height) leaves its
// transactions in the pool, and they are backlog again.
const leavingFor = 3 * time.Second

func newLeaving(has func(common.Hash) bool) *leaving {
	return &leaving{has: has}
}

// note records block as leaving: the pool's copies of its transactions go at
// its head's reset. A block none of whose transactions the pool holds (an
// empty block; a peer's block of transactions this node never had) counts
// nothing.
func (l *leaving) note(block *types.Block) {
	var nb leavingBlock
	for _, tx := range block.Transactions() {
		if h := tx.Hash(); l.has(h) {
			nb.pooled++
			nb.probe = h
		}
	}
	if nb.pooled == 0 {
		return
	}
	nb.at = time.Now()
	l.mu.Lock()
	l.blocks[1], l.blocks[0] = l.blocks[0], nb
	l.mu.Unlock()
}

// count returns how many of the pool's transactions are in the blocks noted
// that the pool has not taken out yet: a block counts while its probe (the
// last of its transactions the pool held when noted) is still pooled, the
// pool removing a head block's transactions together.
func (l *leaving) count() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	n := 0
	for i := range l.blocks {
		b := &l.blocks[i]
		if b.pooled == 0 {
			continue
		}
		if time.Since(b.at) > leavingFor || !l.has(b.probe) {
			*b = leavingBlock{}
			continue
		}
		n += b.pooled
	}
	return n
}

// noteLeaving is the node's hook on blocks on their way to the head: it
// records them and wakes the batches held for the pool's backlog.
func (n *Node) noteLeaving(block *types.Block) {
	if n.leaving == nil {
		return
	}
	n.leaving.note(block)
	if n.sends != nil {
		n.sends.HeadChanged()
	}
}

// leavingImports returns backend with its Import noting the block as leaving
// (Node.noteLeaving) before the import starts.
func leavingImports(backend gossip.Backend, note func(*types.Block)) gossip.Backend {
	return leavingImport{Backend: backend, note: note}
}

type leavingImport struct {
	gossip.Backend
	note func(*types.Block)
}

// Import implements gossip.Backend.
func (l leavingImport) Import(block *types.Block) error {
	l.note(block)
	return l.Backend.Import(block)
}
