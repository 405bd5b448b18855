// Package follow keeps a node on the network's chain: it hands the blocks
// peers send (over gossip) to fork choice, with the senders the pool already
// recovered, holds blocks that arrive a little early until their time, and
// catches up through geth's downloader when a peer is too far ahead, letting
// fork choice check the synced chain afterwards. Syncing tells the sealer to
// hold off meanwhile.
//
// The follower does not know the gossip service: what it needs of the
// network (announce a held block, ask whether a peer is ahead) comes as
// Hooks at construction.
package follow

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	ethereum "github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/downloader"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/internal/node/gossip"
)

const (
	maxFutureWait = 5 * time.Second  // a peer's block at most this far in the future is held, not refused
	syncStall     = 30 * time.Second // a sync that moves nothing (head, snap head, state counters) this long has stalled; one import of two 10,000-transfer blocks took 10 s on a loaded host
	peerAheadHold = 2 * time.Second  // longest a peer's block above our head holds the sealer off, from its last sighting
	targetWait    = 5 * time.Second  // longest a sync target's header is asked for (the peer's eth connection may lag its poa/1 one)
	joinRetryMax  = 30 * time.Second // longest wait before a failed join is tried again (the first is Follower.retryFirst, doubled each time)

	// SnapMinTarget is the lowest sync target a snap-mode downloader is
	// given: twice geth's 64 blocks executed after the pivot (fsMinFullBlocks).
	// At or below 64 the downloader takes the node's own head as the pivot
	// and, from genesis, imports the blocks on a trie database it disabled
	// for the state download ("missing trie node ... layer stale", ADR 076);
	// just above, the pivot's state is that of an early block. A chain this
	// short is fetched over poa/1 and executed instead (a few seconds).
	SnapMinTarget = 128
)

// Config is what the follower works on.
type Config struct {
	Chain      *core.BlockChain
	Downloader *downloader.Downloader // catch-up (eth/69 headers and bodies)
	ForkChoice *forkchoice.ForkChoice
	Pool       TxLookup // senders for imported blocks; nil: none
	// Now is the clock Clique's future-block check reads (clique.Engine.Now,
	// shifted in a clock-skew test, ADR 073); nil: time.Now.
	Now func() time.Time
}

// Hooks are what the follower asks of the network; each may be nil.
type Hooks struct {
	// Broadcast announces a block that became head after being held for
	// its time (gossip.Service.Broadcast).
	Broadcast func(block *types.Block)
	// PeerAhead reports whether a peer showed a block above head within the
	// last period (gossip.Service.PeerAhead).
	PeerAhead func(head uint64, within time.Duration) bool
	// FetchChain fetches a peer's block and its ancestors down to one the
	// chain holds, oldest first, at most limit (gossip.Service.FetchChain):
	// how a snap-mode node catches up a chain too short for snap sync.
	FetchChain func(peer enode.ID, hash common.Hash, limit uint64) ([]*types.Block, error)
	// Join joins a node without state to the peer's chain by the join
	// driver (package join, ADR 084) and reports whether it took the sync
	// (false: the node has state; the downloader catches up). nil: the
	// downloader joins.
	Join func(ctx context.Context, peer enode.ID, hash common.Hash, number uint64) (bool, error)
	// Peers lists the connected peers and their known heads
	// (gossip.Service.Peers): where a failed join is tried again. nil: at
	// the same peer and target.
	Peers func() []gossip.PeerInfo
}

// Follower is the chain as block gossip sees it (a gossip.Backend): fork
// choice for heads and imports, geth's downloader for catch-up (checked by
// fork choice once it ends). It is a node.Lifecycle.
type Follower struct {
	chain   *core.BlockChain
	dl      *downloader.Downloader
	fc      *forkchoice.ForkChoice
	pool    TxLookup
	now     func() time.Time // Config.Now
	hooks   Hooks
	syncing atomic.Bool   // a downloader sync is running
	pending sync.Map      // hash -> struct{}: future blocks held until their time
	quit    chan struct{} // closed by Stop (under mu): the follower is stopping

	// Stop waits for the syncs and held imports it let begin (begin), so that
	// none writes to the chain after the node closed its database; mu orders
	// begin's count against Stop closing quit.
	mu    sync.Mutex
	tasks sync.WaitGroup

	retryFirst time.Duration // wait before a failed join is first tried again
	retryWait  atomic.Int64  // wait before the next try of a failed join; 0: retryFirst
	retrying   atomic.Bool   // a try of a failed join is waiting
}

// New returns a follower; it does nothing until gossip calls it.
func New(cfg Config, hooks Hooks) *Follower {
	now := cfg.Now
	if now == nil {
		now = time.Now
	}
	return &Follower{chain: cfg.Chain, dl: cfg.Downloader, fc: cfg.ForkChoice, pool: cfg.Pool, now: now, hooks: hooks, quit: make(chan struct{}), retryFirst: time.Second}
}

// Head implements gossip.Backend.
func (b *Follower) Head() (*types.Header, *big.Int) {
	head := b.fc.Head()
	return head, b.fc.TD(head.Hash())
}

// Block implements gossip.Backend.
func (b *Follower) Block(hash common.Hash) *types.Block {
	return b.chain.GetBlockByHash(hash)
}

// Import implements gossip.Backend: fork choice's sentinels become gossip's.
// Senders the pool already knows are handed to the block's transactions first.
func (b *Follower) Import(block *types.Block) error {
	if b.pool != nil && len(block.Transactions()) > 0 {
		cfg := b.chain.Config()
		preloadSenders(b.pool, types.MakeSigner(cfg, block.Number(), block.Time()), block)
	}
	_, err := b.fc.Insert(block)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, forkchoice.ErrInvalidBlock):
		return fmt.Errorf("%w: %w", gossip.ErrInvalidBlock, err)
	case errors.Is(err, forkchoice.ErrBodyMismatch):
		return fmt.Errorf("%w: %w", gossip.ErrBodyMismatch, err)
	case errors.Is(err, forkchoice.ErrUnknownParent):
		return fmt.Errorf("%w: %w", gossip.ErrUnknownParent, err)
	case errors.Is(err, forkchoice.ErrFutureBlock):
		b.holdFuture(block)
		return nil
	case errors.Is(err, forkchoice.ErrFinalizedConflict):
		// A stale block from an honest but slow peer: refused, peer kept.
		log.Debug("Refused block off the finalized branch", "number", block.NumberU64(), "hash", block.Hash())
		return nil
	}
	return err
}

// holdFuture imports a block whose time has not quite come once it has (clocks
// of consortium members drift by a little); further than maxFutureWait it is
// dropped (the sender's clock is wrong, not the block).
func (b *Follower) holdFuture(block *types.Block) {
	wait := time.Unix(int64(block.Time()), 0).Sub(b.now())
	if wait > maxFutureWait {
		log.Warn("Dropped block from the future", "number", block.NumberU64(), "hash", block.Hash(), "ahead", wait)
		return
	}
	if _, loaded := b.pending.LoadOrStore(block.Hash(), struct{}{}); loaded {
		return
	}
	time.AfterFunc(wait+10*time.Millisecond, func() {
		defer b.pending.Delete(block.Hash())
		if !b.begin() {
			return
		}
		defer b.tasks.Done()
		if res, err := b.fc.Insert(block); err != nil {
			log.Debug("Held block refused", "number", block.NumberU64(), "hash", block.Hash(), "err", err)
		} else if res.HeadChanged() && b.hooks.Broadcast != nil {
			b.hooks.Broadcast(block)
		}
	})
}

// SyncFrom implements gossip.Backend: catch-up through geth's downloader
// (eth/69 headers and bodies), started at once, from any one peer.
//
// The downloader makes its target the head regardless of weight (DESIGN.md),
// so after it ends fork choice (Reconcile) verifies the synced blocks, weighs
// the new head against the old one and goes back if the peer's chain loses.
func (b *Follower) SyncFrom(peer enode.ID, hash common.Hash, number uint64) error {
	head := b.fc.Head()
	if number <= head.Number.Uint64() {
		return nil
	}
	if !b.syncing.CompareAndSwap(false, true) {
		return gossip.ErrSyncRunning
	}
	if !b.begin() {
		b.syncing.Store(false)
		return nil
	}
	go func() {
		defer b.tasks.Done()
		b.runSync(peer, hash, number)
	}()
	return nil
}

// begin counts a sync or held import that Stop must wait for; false once
// Stop began (the work must not start).
func (b *Follower) begin() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.stopping() {
		return false
	}
	b.tasks.Add(1)
	return true
}

// stopping tells whether Stop closed quit.
func (b *Follower) stopping() bool {
	select {
	case <-b.quit:
		return true
	default:
		return false
	}
}

// runSync catches up with the peer and, if the join driver took the sync
// and failed, tries it again later: once the sync flag is down, so that the
// retry is not refused as a sync already running.
func (b *Follower) runSync(peer enode.ID, hash common.Hash, number uint64) {
	joinFailed := b.catchUp(peer, hash, number)
	b.syncing.Store(false)
	if joinFailed {
		b.retryJoinLater(peer, hash, number)
	}
}

// catchUp runs one sync (block by block, the join driver or the downloader)
// and lets fork choice check its result; it reports whether the join driver
// took the sync and failed.
func (b *Follower) catchUp(peer enode.ID, hash common.Hash, number uint64) (joinFailed bool) {
	switch {
	case b.tooShortForSnap(number):
		b.fetchSync(peer, hash, number)
	default:
		took, err := b.join(peer, hash, number)
		if !took {
			b.sync(peer, hash, number)
		}
		joinFailed = took && err != nil
	}
	if !b.stopped() {
		b.reconcile()
	}
	return joinFailed
}

// reconcile lets fork choice check the synced blocks: the downloader set its
// target as head whatever its weight, and fork choice keeps the better head.
func (b *Follower) reconcile() {
	if res, err := b.fc.Reconcile(); err != nil {
		log.Warn("Synced chain refused by fork choice", "err", err)
	} else if res.HeadChanged() {
		log.Info("Adopted synced head", "number", res.Head.Number, "hash", res.Head.Hash())
	}
}

// tooShortForSnap reports whether the downloader would snap-sync toward a
// target at or below SnapMinTarget, which it cannot do safely (SnapMinTarget).
func (b *Follower) tooShortForSnap(number uint64) bool {
	return b.hooks.FetchChain != nil && number <= SnapMinTarget && b.dl.ConfigSyncMode() == ethconfig.SnapSync
}

// join hands the sync to the join driver, if there is one and it takes it,
// and reports whether it did and how it ended.
func (b *Follower) join(peer enode.ID, hash common.Hash, number uint64) (bool, error) {
	if b.hooks.Join == nil {
		return false, nil
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		select {
		case <-b.quit:
			cancel()
		case <-ctx.Done():
		}
	}()
	took, err := b.hooks.Join(ctx, peer, hash, number)
	if err != nil {
		log.Warn("Join failed", "peer", peer.TerminalString(), "target", number, "err", err)
	} else {
		b.retryWait.Store(0)
	}
	return took, err
}

// retryJoinLater tries a failed join again after a wait that doubles from
// retryFirst up to joinRetryMax: on a chain whose signers seal nothing, no
// announced head would start it again, and the node would stay at genesis
// (ADR 084, amendment 7). At most one try waits; none after Stop.
func (b *Follower) retryJoinLater(peer enode.ID, hash common.Hash, number uint64) {
	if b.stopped() || !b.retrying.CompareAndSwap(false, true) {
		return
	}
	wait := b.nextRetryWait()
	log.Info("Trying the join again", "in", wait, "peer", peer.TerminalString(), "target", number)
	go func() {
		select {
		case <-b.quit:
		case <-time.After(wait):
		}
		b.retrying.Store(false)
		b.retryJoin(peer, hash, number)
	}()
}

// nextRetryWait returns the wait before this try of a failed join and
// doubles the next one.
func (b *Follower) nextRetryWait() time.Duration {
	wait := time.Duration(b.retryWait.Load())
	if wait == 0 {
		wait = b.retryFirst
	}
	b.retryWait.Store(int64(min(2*wait, joinRetryMax)))
	return wait
}

// retryJoin starts a failed join's sync again, unless the node stopped or
// is no longer fresh (it has blocks: not the join driver's). A sync already
// running (a new announcement's) is left alone: it tries again if it fails.
func (b *Follower) retryJoin(peer enode.ID, hash common.Hash, number uint64) {
	if b.stopped() || b.chain.CurrentBlock().Number.Sign() != 0 {
		return
	}
	peer, hash, number, ok := b.retryTarget(peer, hash, number)
	if !ok {
		b.retryJoinLater(peer, hash, number)
		return
	}
	if err := b.SyncFrom(peer, hash, number); err != nil {
		log.Debug("Join not tried again", "err", err)
	}
}

// retryTarget is where a failed join is tried again: the same peer's known
// head if it is still connected, otherwise the highest head of a connected
// peer; false if no peer is connected.
func (b *Follower) retryTarget(peer enode.ID, hash common.Hash, number uint64) (enode.ID, common.Hash, uint64, bool) {
	if b.hooks.Peers == nil {
		return peer, hash, number, true
	}
	peers := b.hooks.Peers()
	if len(peers) == 0 {
		return peer, hash, number, false
	}
	if i := slices.IndexFunc(peers, func(p gossip.PeerInfo) bool { return p.ID == peer }); i >= 0 {
		return peer, peers[i].Head, peers[i].Number, true
	}
	best := slices.MaxFunc(peers, func(x, y gossip.PeerInfo) int { return cmp.Compare(x.Number, y.Number) })
	return best.ID, best.Head, best.Number, true
}

func (b *Follower) stopped() bool {
	select {
	case <-b.quit:
		return true
	default:
		return false
	}
}

// fetchSync catches up a short chain without the downloader: the peer's
// blocks down to one we hold, over poa/1, each imported (executed and
// verified) by fork choice.
func (b *Follower) fetchSync(peer enode.ID, hash common.Hash, number uint64) {
	start := time.Now()
	log.Info("Catching up a short chain block by block (too short for snap sync)", "peer", peer.TerminalString(), "target", number, "head", b.fc.Head().Number)
	blocks, err := b.hooks.FetchChain(peer, hash, SnapMinTarget)
	if err != nil {
		log.Warn("Short chain catch-up failed", "peer", peer.TerminalString(), "target", number, "err", err)
		return
	}
	for _, block := range blocks {
		if b.stopped() {
			return
		}
		if err := b.Import(block); err != nil {
			log.Warn("Short chain catch-up refused a block", "peer", peer.TerminalString(), "number", block.NumberU64(), "hash", block.Hash(), "err", err)
			return
		}
	}
	log.Info("Caught up", "head", b.fc.Head().Number, "target", number, "elapsed", common.PrettyDuration(time.Since(start)))
}

func (b *Follower) sync(peer enode.ID, hash common.Hash, number uint64) {
	dl := b.dl
	start := time.Now()
	log.Info("Catching up with peer", "peer", peer.TerminalString(), "target", number, "hash", hash, "head", b.fc.Head().Number)
	header, err := b.target(hash)
	if err != nil {
		log.Warn("Sync target not available", "peer", peer.TerminalString(), "hash", hash, "err", err)
		return
	}
	if header.Number.Uint64() != number {
		log.Warn("Peer announced a sync target at the wrong height", "peer", peer.TerminalString(), "have", header.Number, "want", number)
		return
	}
	if err := dl.BeaconSync(header, nil); err != nil {
		log.Warn("Sync failed to start", "target", number, "err", err)
		return
	}
	// BeaconSync returns when the sync starts: follow it until the head
	// reaches the target or stops moving (a snap sync moves the snap head
	// and the state counters long before the head).
	chain := b.chain
	ticker := time.NewTicker(200 * time.Millisecond)
	defer ticker.Stop()
	last, still := b.progress(), 0
	for {
		select {
		case <-b.quit:
			return
		case <-ticker.C:
		}
		cur := chain.CurrentBlock().Number.Uint64()
		if chain.HasBlock(hash, number) || cur >= number {
			log.Info("Caught up", "head", cur, "target", number, "elapsed", common.PrettyDuration(time.Since(start)))
			return
		}
		now := b.progress()
		if now == last {
			if still++; still > int(syncStall/(200*time.Millisecond)) {
				log.Warn("Sync stalled", "head", cur, "snaphead", now.snapHead, "target", number, "accounts", now.state.SyncedAccounts)
				return
			}
			continue
		}
		if now.head != last.head || now.snapHead/1024 != last.snapHead/1024 {
			log.Info("Syncing", "head", cur, "snaphead", now.snapHead, "target", number, "accounts", now.state.SyncedAccounts, "slots", now.state.SyncedStorage)
		}
		last, still = now, 0
	}
}

// target fetches the sync target's header from the downloader's peers. The
// poa/1 handshake that showed the target can finish before the peer's eth
// connection reaches the downloader, so a failure is retried for a while.
func (b *Follower) target(hash common.Hash) (*types.Header, error) {
	deadline := time.Now().Add(targetWait)
	for {
		header, err := b.dl.GetHeader(hash)
		if err == nil || time.Now().After(deadline) {
			return header, err
		}
		select {
		case <-b.quit:
			return nil, err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// syncProgress is what moves while the downloader works: the head (full
// sync), the snap head (bodies and receipts stored without executing) and the
// state syncer's counters.
type syncProgress struct {
	head, snapHead uint64
	state          ethereum.SyncProgress
}

func (b *Follower) progress() syncProgress {
	return syncProgress{
		head:     b.chain.CurrentBlock().Number.Uint64(),
		snapHead: b.chain.CurrentSnapBlock().Number.Uint64(),
		state:    b.dl.Progress(),
	}
}

// Syncing reports whether the node is catching up: a downloader sync runs,
// or a peer showed a block above our head within peerAheadHold. The sealer
// waits meanwhile (sealer.Config.Pause): a block sealed on a head the network
// has moved past only competes with the network's, and can win under
// EIP-3436's rules (ADR 030).
func (b *Follower) Syncing() bool {
	if b.syncing.Load() {
		return true
	}
	return b.hooks.PeerAhead != nil && b.hooks.PeerAhead(b.fc.Head().Number.Uint64(), peerAheadHold)
}

// Start implements node.Lifecycle.
func (b *Follower) Start() error { return nil }

// Stop implements node.Lifecycle: held blocks and a running sync give up,
// and Stop returns once they have (the node closes the chain's database
// after its lifecycles stop).
func (b *Follower) Stop() error {
	b.mu.Lock()
	if !b.stopping() {
		close(b.quit)
	}
	b.mu.Unlock()
	b.tasks.Wait()
	return nil
}
