package upstream

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"github.com/ethereum/go-ethereum/common/lru"
)

// Block tags a read may name.
const (
	TagFinalized = "finalized"
	TagLatest    = "latest"
)

// finalHeads is how many headers of final blocks, by number, a pool remembers.
const finalHeads = 4096

// At names the block a read is made at: a tag, or a number.
type At struct {
	Tag    string // TagFinalized, TagLatest, or "" for Number
	Number uint64
}

// String returns the tag or the decimal number.
func (a At) String() string {
	if a.Tag != "" {
		return a.Tag
	}
	return strconv.FormatUint(a.Number, 10)
}

// ParseAt reads a block parameter: "finalized" (also for ""), "latest", a
// decimal number or a 0x-prefixed hex number.
func ParseAt(s string) (At, error) {
	switch s {
	case "", TagFinalized:
		return At{Tag: TagFinalized}, nil
	case TagLatest:
		return At{Tag: TagLatest}, nil
	}
	var (
		n   uint64
		err error
	)
	if hex, ok := strings.CutPrefix(s, "0x"); ok {
		n, err = strconv.ParseUint(hex, 16, 64)
	} else {
		n, err = strconv.ParseUint(s, 10, 64)
	}
	if err != nil {
		return At{}, fmt.Errorf("block %q: want finalized, latest, a decimal number or a 0x-prefixed hex number", s)
	}
	return At{Number: n}, nil
}

// View is the block a read is made at, on the node that serves it.
type View struct {
	Node  *Node
	Block Head
	Final bool // the block is at or below the node's finalized block: its state never changes
}

// heads remembers the headers of final blocks by number.
type heads = lru.Cache[uint64, Head]

func newHeads() *heads { return lru.NewCache[uint64, Head](finalHeads) }

// View returns the view of at on node n: the tracked finalized or latest
// block, or the header of a block number (asked of the node unless it is
// final and remembered).
func (p *Pool) View(ctx context.Context, n *Node, at At) (View, error) {
	st := n.Status()
	switch at.Tag {
	case TagFinalized:
		if st.Finalized == nil {
			return View{}, ErrNoFinalized
		}
		return View{Node: n, Block: *st.Finalized, Final: true}, nil
	case TagLatest:
		if st.Head == nil {
			return View{}, fmt.Errorf("%w: node %s has not answered a probe yet", ErrNoReady, n.label)
		}
		final := st.Finalized != nil && st.Head.Number <= st.Finalized.Number
		return View{Node: n, Block: *st.Head, Final: final}, nil
	}
	final := st.Finalized != nil && at.Number <= st.Finalized.Number
	if final {
		if h, ok := p.final.Get(at.Number); ok {
			return View{Node: n, Block: h, Final: true}, nil
		}
	}
	if st.Head != nil && at.Number > st.Head.Number {
		return View{}, fmt.Errorf("%w: block %d is not sealed yet (the head is %d)", ErrBlockNotFound, at.Number, st.Head.Number)
	}
	h, err := n.headerAt(ctx, at.Number)
	if err != nil {
		return View{}, err
	}
	if h == nil {
		return View{}, fmt.Errorf("%w: block %d", ErrBlockNotFound, at.Number)
	}
	if final {
		p.final.Add(at.Number, *h)
	}
	return View{Node: n, Block: *h, Final: final}, nil
}

// Known returns the view of a tag (finalized or latest) on a ready node
// when it needs no call: the block the node's last probe read. ok is false
// for a block number, with no ready node, or before a probe read the block.
func (p *Pool) Known(at At) (View, bool) {
	if at.Tag == "" {
		return View{}, false
	}
	n := p.pick(nil)
	if n == nil {
		return View{}, false
	}
	v, err := p.View(context.Background(), n, at)
	return v, err == nil
}

// FinalHeader returns the header of final block number if the pool
// remembers it (a read at that number looked it up): it needs no node.
func (p *Pool) FinalHeader(number uint64) (Head, bool) {
	return p.final.Get(number)
}
