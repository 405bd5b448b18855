// Package join is the join driver of ADR 084: how a fresh rpc node reaches
// a long chain's head. It takes every header from genesis to the peer's head
// over eth (through a peertap tap) and inserts them with
// core.BlockChain.InsertHeaderChain, so that our Clique engine checks each
// one before it is stored; picks the pivot at the newest finalized block of
// those headers (ADR 005: floor(N/2)+1 distinct signers sealed on top of
// it), a few blocks below the head, instead of geth's downloader's head-64;
// takes the pivot's state with go-ethereum's snap/1 syncer over the tapped
// snap connections (every range's proof checked against the pivot's root);
// fetches the pivot's body and receipts (checked against its header) and
// commits it; then executes the few blocks above it through fork choice.
//
// Bodies and receipts below the pivot are fetched after the node serves
// (Backfill, ADR 084's point 3), from the pivot down, resumed after a
// restart from the lowest block stored.
package join

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/internal/node/peertap"
)

const (
	peerWait   = 10 * time.Second // longest the announcing peer's eth connection is waited for (its poa/1 one can come first)
	stateStall = 30 * time.Second // a state download with no snap peer, or no state arriving, this long gives up
	stepWait   = time.Minute      // longest one request (headers, bodies, receipts) is waited for
)

// Engine is what the driver asks of our Clique engine: the signer of a
// header and the signer set at a block, for finality.
type Engine interface {
	Author(header *types.Header) (common.Address, error)
	Snapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*clique.Snapshot, error)
}

// ForkChoice is the part of fork choice the driver uses: Reconcile once the
// pivot is the chain's head, Insert for the blocks above it.
type ForkChoice interface {
	Reconcile() (forkchoice.Result, error)
	Insert(block *types.Block) (forkchoice.Result, error)
}

// Config is what the driver works on.
type Config struct {
	Chain      *core.BlockChain
	DB         ethdb.Database
	Engine     Engine
	ForkChoice ForkChoice
	Eth, Snap  *peertap.Tap // taps of the eth and snap/1 protocols
}

// Driver joins a fresh node to a peer's chain.
type Driver struct {
	cfg        Config
	stateStall time.Duration // stateStall; shorter in tests
}

// New returns a driver.
func New(cfg Config) *Driver { return &Driver{cfg: cfg, stateStall: stateStall} }

// Fresh reports whether the chain has no state above genesis: a new node, or
// one whose join was interrupted before its pivot was committed.
func (d *Driver) Fresh() bool { return d.cfg.Chain.CurrentBlock().Number.Sign() == 0 }

// Join brings the chain to the peer's head, the block hash numbered number:
// headers checked by our engine, state at the finalized pivot, the blocks
// above it executed. On any error the node keeps what it had verified
// (headers, a partial state the syncer resumes) and its head stays at
// genesis; a peer that served data failing verification is dropped.
func (d *Driver) Join(ctx context.Context, peer enode.ID, hash common.Hash, number uint64) error {
	start := time.Now()
	conn, err := d.ethPeer(ctx, peer)
	if err != nil {
		return err
	}
	log.Info("Joining the chain: headers, state at the finalized block, blocks above it", "peer", peer.TerminalString(), "target", number)
	target, err := d.headers(ctx, conn, hash, number)
	if err != nil {
		return err
	}
	headersDone := time.Now()
	pivot, err := d.pivot(target)
	if err != nil {
		return err
	}
	log.Info("Join pivot at the finalized block", "pivot", pivot.Number, "target", number, "headers", common.PrettyDuration(headersDone.Sub(start)))
	if err := d.state(ctx, pivot); err != nil {
		return err
	}
	stateDone := time.Now()
	if err := d.commit(ctx, conn, pivot, target); err != nil {
		return err
	}
	if err := d.above(ctx, conn, pivot, target); err != nil {
		return err
	}
	log.Info("Joined the chain", "head", d.cfg.Chain.CurrentBlock().Number, "pivot", pivot.Number, "state", common.PrettyDuration(stateDone.Sub(headersDone)), "elapsed", common.PrettyDuration(time.Since(start)))
	return nil
}

// ethPeer waits for the announcing peer's tapped eth connection.
func (d *Driver) ethPeer(ctx context.Context, peer enode.ID) (*peertap.Conn, error) {
	ctx, cancel := context.WithTimeout(ctx, peerWait)
	defer cancel()
	tick := time.NewTicker(50 * time.Millisecond)
	defer tick.Stop()
	for {
		if c := d.cfg.Eth.Peer(peer); c != nil && !c.Dropped() {
			return c, nil
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("join: no eth connection to peer %s within %v", peer.TerminalString(), peerWait)
		case <-tick.C:
		}
	}
}

// headers fetches headers from the lowest one the chain lacks up to number
// and inserts them, each batch checked by our engine before it is stored. A
// peer whose headers fail, or whose header number is not hash, is dropped.
func (d *Driver) headers(ctx context.Context, conn *peertap.Conn, hash common.Hash, number uint64) (*types.Header, error) {
	chain := d.cfg.Chain
	from := uint64(1)
	if h := chain.GetHeaderByHash(hash); h != nil {
		return h, nil // a resumed join: the headers are stored
	}
	for from <= number {
		rctx, cancel := context.WithTimeout(ctx, stepWait)
		batch, err := conn.Headers(rctx, from, min(number-from+1, peertap.MaxHeaders))
		cancel()
		if err != nil {
			return nil, d.refuse(conn, "headers", err)
		}
		if parent := chain.GetHeaderByNumber(from - 1); parent == nil || batch[0].ParentHash != parent.Hash() {
			return nil, d.refuse(conn, "headers", fmt.Errorf("header %d does not link to our block %d", from, from-1))
		}
		if i, err := chain.InsertHeaderChain(batch); err != nil {
			return nil, d.refuse(conn, "headers", fmt.Errorf("header %d %x: %w", batch[i].Number, batch[i].Hash(), err))
		}
		from += uint64(len(batch))
	}
	target := chain.GetHeaderByNumber(number)
	if target == nil || target.Hash() != hash {
		return nil, d.refuse(conn, "headers", fmt.Errorf("its header %d is not the head %x it announced", number, hash))
	}
	return target, nil
}

// refuse drops conn's peer for data failing verification and returns the
// error.
func (d *Driver) refuse(conn *peertap.Conn, what string, err error) error {
	if errors.Is(err, peertap.ErrPeerGone) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return fmt.Errorf("join: %s: %w", what, err)
	}
	log.Warn("Dropped a peer that served chain data failing verification", "peer", conn.ID().TerminalString(), "what", what, "err", err)
	conn.Drop()
	return fmt.Errorf("join: %s from %s refused: %w", what, conn.ID().TerminalString(), err)
}

// pivot is the newest finalized block at or below head: walking down from
// the head, the first block on top of which floor(N/2)+1 distinct signers
// of its signer set sealed (a lone signer's block once sealed), as fork
// choice finalizes (consensus/forkchoice, ADR 005).
func (d *Driver) pivot(head *types.Header) (*types.Header, error) {
	return finalized(d.cfg.Chain, d.cfg.Engine, head)
}

// finalized is the newest final block at or below head (Driver.pivot).
func finalized(chain consensus.ChainHeaderReader, engine Engine, head *types.Header) (*types.Header, error) {
	above := make(map[common.Address]struct{})
	for h := head; h != nil && h.Number.Sign() > 0; h = chain.GetHeader(h.ParentHash, h.Number.Uint64()-1) {
		signer, err := engine.Author(h)
		if err != nil {
			return nil, fmt.Errorf("join: signer of block %d: %w", h.Number, err)
		}
		snap, err := engine.Snapshot(chain, h.Number.Uint64(), h.Hash(), nil)
		if err != nil {
			return nil, fmt.Errorf("join: signers at block %d: %w", h.Number, err)
		}
		if len(snap.Signers) == 1 {
			if _, ok := snap.Signers[signer]; ok {
				return h, nil
			}
		}
		if majority(snap.Signers, above) {
			return h, nil
		}
		above[signer] = struct{}{}
	}
	return nil, fmt.Errorf("join: no finalized block at or below %d", head.Number)
}

// majority reports whether floor(N/2)+1 of signers are in sealed.
func majority(signers, sealed map[common.Address]struct{}) bool {
	n := 0
	for s := range sealed {
		if _, ok := signers[s]; ok {
			n++
		}
	}
	return n >= len(signers)/2+1
}

// state takes the pivot's state with go-ethereum's snap/1 syncer over the
// tapped snap connections, registering each snap/1 peer as it comes. It
// gives up once no snap peer has been there, or no state has arrived, for
// stateStall: go-ethereum's syncer never again asks a peer that answered
// one request empty (it does not hold the pivot's state: pruned, or not
// yet there), and asks one that stops answering again and again, so with
// such peers connected its Sync would wait for ever (ADR 084, amendment 8).
// The join fails and is tried again toward a newer head.
func (d *Driver) state(ctx context.Context, pivot *types.Header) error {
	chain := d.cfg.Chain
	if chain.HasState(pivot.Root) {
		return nil
	}
	if err := chain.SnapSyncStart(); err != nil {
		return fmt.Errorf("join: start the state download: %w", err)
	}
	syncer := snap.NewV1Syncer(d.cfg.DB, chain.TrieDB().Scheme())
	cancel := make(chan struct{})
	done := make(chan error, 1)
	go func() { done <- syncer.Sync(pivot, cancel) }()
	stop := func(why error) error {
		close(cancel)
		<-done
		return fmt.Errorf("join: state at block %d: %w", pivot.Number, why)
	}
	registered := make(map[enode.ID]*peertap.Conn)
	watch := newStallWatch(syncer.Progress())
	tick := time.NewTicker(100 * time.Millisecond)
	defer tick.Stop()
	for {
		watch.peers(d.register(syncer, registered))
		select {
		case err := <-done:
			if err != nil {
				return fmt.Errorf("join: state at block %d: %w", pivot.Number, err)
			}
			p := syncer.Progress()
			log.Info("Join state downloaded", "pivot", pivot.Number, "accounts", p.AccountSynced, "slots", p.StorageSynced, "codes", p.BytecodeSynced, "healed", p.TrienodeHealSynced)
			return nil
		case <-ctx.Done():
			return stop(ctx.Err())
		case <-tick.C:
		}
		if err := watch.check(syncer.Progress(), d.stateStall); err != nil {
			return stop(err) // the follower logs "Join failed" with it and tries again
		}
	}
}

// stallWatch tells a state download that waits for ever from a slow one:
// when a snap peer was last there and when the syncer's counters last moved.
type stallWatch struct {
	progress           snap.Progress
	lastPeer, lastMove time.Time
	live               int
}

func newStallWatch(p snap.Progress) *stallWatch {
	now := time.Now()
	return &stallWatch{progress: p, lastPeer: now, lastMove: now}
}

// peers records the number of snap/1 peers registered now.
func (w *stallWatch) peers(n int) {
	if w.live = n; n > 0 {
		w.lastPeer = time.Now()
	}
}

// check records p and returns an error once no peer has been there, or the
// counters have not moved, for stall.
func (w *stallWatch) check(p snap.Progress, stall time.Duration) error {
	now := time.Now()
	if p != w.progress {
		w.progress, w.lastMove = p, now
	}
	switch {
	case now.Sub(w.lastPeer) > stall:
		return fmt.Errorf("no peer serving snap/1 for %v", stall)
	case now.Sub(w.lastMove) > stall:
		return fmt.Errorf("no state arrived for %v from %d snap/1 peers (none holds the pivot's state, or none answers)", stall, w.live)
	}
	return nil
}

// register hands the syncer the snap/1 connections it does not have and
// forgets those that ended; it returns the number of live peers.
func (d *Driver) register(syncer snap.Syncer, registered map[enode.ID]*peertap.Conn) int {
	live := make(map[enode.ID]bool)
	for _, c := range d.cfg.Snap.Peers() {
		if c.Dropped() || c.Version() != snap.SNAP1 {
			continue
		}
		live[c.ID()] = true
		if registered[c.ID()] == c {
			continue
		}
		p, err := peertap.NewSnapPeer(c, syncer)
		if err != nil {
			continue
		}
		if registered[c.ID()] != nil {
			syncer.Unregister(p.ID())
		}
		if err := syncer.Register(p); err == nil {
			registered[c.ID()] = c
		}
	}
	for id, c := range registered {
		if !live[id] {
			syncer.Unregister(c.ID().String())
			delete(registered, id)
		}
	}
	return len(live)
}

// commit fetches the pivot's body and receipts, checks them against its
// header, stores them and makes the pivot the head (SnapSyncComplete), then
// lets fork choice adopt it.
//
// SnapSyncComplete moves the head without the chain's head event, which the
// transaction pool, the transaction indexer and the filters wait for; the
// blocks imported above the pivot send it. A pivot that is the target (a
// lone signer's chain) is set as head again (SetCanonical) to send it.
func (d *Driver) commit(ctx context.Context, conn *peertap.Conn, pivot, target *types.Header) error {
	chain := d.cfg.Chain
	rctx, cancel := context.WithTimeout(ctx, stepWait)
	defer cancel()
	blocks, err := conn.Bodies(rctx, []*types.Header{pivot})
	if err != nil {
		return d.refuse(conn, "pivot body", err)
	}
	receipts, err := conn.Receipts(rctx, blocks)
	if err != nil {
		return d.refuse(conn, "pivot receipts", err)
	}
	if _, err := chain.InsertReceiptChain(blocks, receipts, 0); err != nil {
		return fmt.Errorf("join: store pivot %d: %w", pivot.Number, err)
	}
	rawdb.WriteLastPivotNumber(d.cfg.DB, pivot.Number.Uint64())
	if err := putLowest(d.cfg.DB, pivot.Number.Uint64()); err != nil {
		return fmt.Errorf("join: record pivot %d: %w", pivot.Number, err)
	}
	if err := chain.SnapSyncComplete(pivot.Hash(), false); err != nil {
		return fmt.Errorf("join: commit pivot %d: %w", pivot.Number, err)
	}
	if pivot.Hash() == target.Hash() {
		if _, err := chain.SetCanonical(blocks[0]); err != nil {
			return fmt.Errorf("join: announce pivot %d as head: %w", pivot.Number, err)
		}
	}
	if _, err := d.cfg.ForkChoice.Reconcile(); err != nil {
		return fmt.Errorf("join: fork choice refused pivot %d: %w", pivot.Number, err)
	}
	return nil
}

// above fetches the bodies of the blocks from the pivot up to target and
// imports them through fork choice, which executes and verifies each.
func (d *Driver) above(ctx context.Context, conn *peertap.Conn, pivot, target *types.Header) error {
	var headers []*types.Header
	for h := target; h != nil && h.Number.Cmp(pivot.Number) > 0; h = d.cfg.Chain.GetHeader(h.ParentHash, h.Number.Uint64()-1) {
		headers = append(headers, h)
	}
	slices.Reverse(headers)
	for len(headers) > 0 {
		rctx, cancel := context.WithTimeout(ctx, stepWait)
		blocks, err := conn.Bodies(rctx, headers[:min(len(headers), peertap.MaxBodies)])
		cancel()
		if err != nil {
			return d.refuse(conn, "bodies above the pivot", err)
		}
		for _, b := range blocks {
			if _, err := d.cfg.ForkChoice.Insert(b); err != nil {
				return fmt.Errorf("join: block %d above the pivot: %w", b.NumberU64(), err)
			}
		}
		headers = headers[len(blocks):]
	}
	return nil
}
