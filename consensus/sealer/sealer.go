// Package sealer builds, times and signs Clique blocks for one authorized signer.
//
// The sealer streams transactions into the block it is building until the last
// moment of its slot, so a transaction that arrives mid-slot goes into the very
// next block instead of waiting for the one after (geth 1.13 built the next block
// right after the last and then waited a whole period). It never signs two
// different blocks at one height: the block is recorded durably by a Guard
// before its signature leaves the sealer, and a restart honours that record.
package sealer

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sort"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/txorder"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/consensus/clique"
)

// Chain is what the sealer reads of the blockchain. *core.BlockChain satisfies it.
type Chain interface {
	core.ChainContext
	CurrentBlock() *types.Header
	StateAt(root common.Hash, number *big.Int, time uint64) (*state.StateDB, error)
	SubscribeChainHeadEvent(ch chan<- core.ChainHeadEvent) event.Subscription
}

// Pool is the transaction source. *txpool.TxPool satisfies it.
type Pool interface {
	Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int)
	SubscribeTransactions(ch chan<- core.NewTxsEvent, reorgs bool) event.Subscription
}

// Sink takes the blocks the sealer signs: it inserts them into the chain (and,
// on a network, hands them to fork choice and gossip). With each new block
// come the receipts and the post-state the sealer computed, so that the sink
// can store the block without executing it again; the sealer does not touch
// the state afterwards. A block signed before a restart comes alone (nil
// receipts and state).
type Sink interface {
	InsertSealed(block *types.Block, receipts types.Receipts, state *state.StateDB) error
}

// ErrSignerUnavailable is wrapped by the error of a signing function whose
// signer cannot sign now (an external signer unreachable, or refusing): the
// sealer keeps running, says so once, counts the failures and signs again
// as soon as the signer answers (ADR 050).
var ErrSignerUnavailable = errors.New("signer unavailable")

var (
	// errHeadChanged is returned if the chain head moved while a block was built.
	errHeadChanged = errors.New("chain head changed")
	// errStopped is returned if the sealer was stopped while building.
	errStopped = errors.New("sealer stopped")
	// errDoubleSign is returned if sealing would sign a second block at a height
	// this signer already signed.
	errDoubleSign = errors.New("refusing to sign a second block at a height already signed")
	// errPaused is returned if the node is catching up with its peers: a
	// block sealed on a stale head would only lose.
	errPaused = errors.New("sealing paused while syncing")
	// errGaveWay is returned if an out-of-turn round stopped because another
	// signer's block of the same height arrived (see Incoming).
	errGaveWay = errors.New("gave way to a block of the same height")
)

// outOfTurnGrace is how long after its slot an out-of-turn signer waits
// before EIP-225's random delay (up to 500 ms per floor(N/2)+1 signers)
// starts: half a period, at most a second. The in-turn block, which reaches
// the others some hundreds of milliseconds after its slot on a busy chain,
// arrives meanwhile, and Incoming makes them give way to it; when the in-turn
// signer is down, the slot's block comes half a period later (ADR 023).
//
// It is also how long before its release an out-of-turn signer starts
// building: on a healthy network the in-turn block always comes first, so a
// block built earlier would be work for nothing (ADR 028).
func outOfTurnGrace(period uint64) time.Duration {
	return min(time.Duration(period)*time.Second/2, time.Second)
}

// fillDeadline is when a round stops applying transactions, so as to hash the
// state and release the block at release.
//
// A round that starts late, its parent having come late (a large block
// imported on busy cores), still gets half a period to fill its block, at the
// price of releasing it after its time by at most a quarter period: any later
// and it would meet the out-of-turn signers' blocks, whose grace is half a
// period. Before, such a round filled its block for the little time left and
// left the rest of the pending transactions a whole period more to wait. A
// round that starts after its release time gets a quarter period. Either way
// the round applies transactions for at least a quarter period after the
// pool hands it the pending set (fillFirst).
func fillDeadline(now, release time.Time, finalize time.Duration, period uint64) time.Time {
	p := time.Duration(period) * time.Second
	deadline := release.Add(-finalize)
	if least := now.Add(p / 2); deadline.Before(least) {
		deadline = least
		if latest := release.Add(p/4 - finalize); latest.Before(deadline) {
			deadline = latest
		}
	}
	if late := now.Add(p / 4); deadline.Before(late) {
		deadline = late
	}
	return deadline
}

// giveWayFor is how long an out-of-turn signer holds off after another
// signer's block of its height arrived, waiting for that block to become the
// head. If it does not (it turned out invalid), the signer seals after all.
const giveWayFor = 2 * time.Second

// Stats counts what the sealer did, for logs, metrics and tests.
type Stats struct {
	Sealed   uint64 // blocks signed and handed to the sink
	InTurn   uint64 // of which in turn
	Txs      uint64 // transactions in sealed blocks
	Abandons uint64 // blocks dropped because the head moved first
	GaveWay  uint64 // out-of-turn rounds dropped for another signer's block of the same height
	// Refused counts rounds that did not sign because this signer already
	// signed a block at that height (after a reorg or a rewind), whether the
	// sealer's memory or the guard's record stopped them.
	Refused uint64
	// Discarded counts transactions executed into blocks that were then
	// dropped unsigned (abandoned or given way): work done for nothing.
	Discarded uint64
	// SignFailures counts blocks not sealed because the signer was
	// unavailable (ErrSignerUnavailable); SignerDown says whether the last
	// attempt to sign failed so.
	SignFailures uint64
	SignerDown   bool
}

// Sealer is a node.Lifecycle that seals blocks on the chain head.
type Sealer struct {
	cfg    Config
	engine *clique.Engine
	chain  Chain
	pool   Pool
	sink   Sink
	guard  Guard
	sign   clique.SignerFn

	pause    func() bool   // reports whether to hold off sealing (syncing); may be nil
	finalize time.Duration // running estimate of the time root hashing takes
	last     *types.Block  // last block signed, as recorded by the guard

	incoming chan *types.Header // headers of arriving blocks, from Incoming
	holding  func()             // called when an out-of-turn round starts holding off; tests only

	mu      sync.Mutex
	stats   Stats
	arrived map[common.Hash]arrival // blocks arriving on a parent (see Incoming), by parent hash

	quit chan struct{}
	wg   sync.WaitGroup
}

// New creates a sealer. It does not start sealing until Start.
func New(cfg Config, engine *clique.Engine, chain Chain, pool Pool, sink Sink, guard Guard, sign clique.SignerFn) (*Sealer, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	last, err := guard.Load()
	if err != nil {
		return nil, err
	}
	return &Sealer{
		cfg: cfg, engine: engine, chain: chain, pool: pool, sink: sink, guard: guard, sign: sign, pause: cfg.Pause,
		finalize: minFinalize, last: last,
		incoming: make(chan *types.Header, 64),
		arrived:  make(map[common.Hash]arrival),
		quit:     make(chan struct{}),
	}, nil
}

// arrival is a block seen arriving on a parent.
type arrival struct {
	number uint64
	at     time.Time
}

// Incoming tells the sealer that a block whose header our engine accepted is
// on its way into the chain (fork choice calls it before executing the
// block). While sealing out of turn at that block's height on the same
// parent, the sealer gives way: it drops its own block and waits up to
// giveWayFor for that one to become the head.
//
// EIP-225's out-of-turn delay is meant to let the in-turn block through, but
// a block takes a while to execute once received; a signer whose delay ran out
// meanwhile released a competing block, and on a busy 3-signer network half
// the blocks were out of turn and many were reorganised away. Giving way to
// any block of the height (not only in-turn ones) also avoids two
// out-of-turn blocks racing when the in-turn signer is down.
// It never blocks.
func (s *Sealer) Incoming(header *types.Header) {
	s.mu.Lock()
	if len(s.arrived) >= 64 {
		clear(s.arrived)
	}
	s.arrived[header.ParentHash] = arrival{number: header.Number.Uint64(), at: time.Now()}
	s.mu.Unlock()
	select {
	case s.incoming <- header:
	default:
	}
}

// arrivedOn reports whether another block of height number on parent arrived
// less than giveWayFor ago.
func (s *Sealer) arrivedOn(parent common.Hash, number uint64) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, ok := s.arrived[parent]
	return ok && a.number == number && time.Since(a.at) < giveWayFor
}

// Start implements node.Lifecycle.
func (s *Sealer) Start() error {
	if s.last != nil {
		log.Info("Loaded signing guard", "number", s.last.NumberU64(), "hash", s.last.Hash())
	}
	s.wg.Add(1)
	go s.loop()
	return nil
}

// Stop implements node.Lifecycle.
func (s *Sealer) Stop() error {
	select {
	case <-s.quit:
	default:
		close(s.quit)
	}
	s.wg.Wait()
	return nil
}

// Stats returns a copy of the sealer's counters.
func (s *Sealer) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

func (s *Sealer) loop() {
	defer s.wg.Done()

	heads := make(chan core.ChainHeadEvent, 64)
	headSub := s.chain.SubscribeChainHeadEvent(heads)
	defer headSub.Unsubscribe()
	txs := make(chan core.NewTxsEvent, 1024)
	txSub := s.pool.SubscribeTransactions(txs, true)
	defer txSub.Unsubscribe()

	ev := &events{heads: heads, txs: txs, incoming: s.incoming, quit: s.quit}
	var lastWarn error
	for {
		parent := s.chain.CurrentBlock()
		err := s.round(parent, ev)
		switch {
		case err == nil, errors.Is(err, errHeadChanged):
			lastWarn = nil
			continue
		case errors.Is(err, ErrSignerUnavailable):
			// signAndHand said so when it went down.
			log.Debug("Signer still unavailable", "number", parent.Number.Uint64()+1, "err", err)
		case errors.Is(err, errStopped):
			return
		case errors.Is(err, clique.ErrUnauthorizedSigner):
			if !errors.Is(lastWarn, clique.ErrUnauthorizedSigner) {
				log.Warn("Not an authorized signer: will not seal until voted in", "signer", s.cfg.Signer, "head", parent.Number)
			}
		case errors.Is(err, clique.ErrRecentlySigned):
			log.Debug("Signed recently, waiting for other signers", "head", parent.Number)
		case errors.Is(err, errPaused):
			log.Debug("Sealing paused while syncing", "head", parent.Number)
		case errors.Is(err, errGaveWay):
			log.Debug("Gave way to another signer's block", "number", parent.Number.Uint64()+1)
			if err := ev.waitHead(parent.Hash(), s.chain, giveWayFor); errors.Is(err, errStopped) {
				return
			}
			continue
		case errors.Is(err, errDoubleSign):
			s.mu.Lock()
			s.stats.Refused++
			s.mu.Unlock()
			if !errors.Is(lastWarn, errDoubleSign) {
				log.Error("Refusing to sign a second block at a height", "number", parent.Number.Uint64()+1, "err", err)
			}
		default:
			log.Error("Failed to seal block", "number", parent.Number.Uint64()+1, "err", err)
		}
		lastWarn = err
		// Something stands in the way of sealing on this head: wait for the
		// next head, but retry now and then in case a transient error clears.
		if err := ev.waitHead(parent.Hash(), s.chain, time.Second); errors.Is(err, errStopped) {
			return
		}
	}
}

// events bundles the channels a round waits on.
type events struct {
	heads    chan core.ChainHeadEvent
	txs      chan core.NewTxsEvent
	incoming chan *types.Header
	quit     chan struct{}
}

// waitHead returns when the head is no longer parent, after timeout, or on stop.
func (ev *events) waitHead(parent common.Hash, chain Chain, timeout time.Duration) error {
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	for {
		if chain.CurrentBlock().Hash() != parent {
			return nil
		}
		select {
		case <-ev.quit:
			return errStopped
		case <-ev.heads:
		case <-ev.txs:
		case <-ev.incoming:
		case <-timer.C:
			return nil
		}
	}
}

// waitUntil waits for the deadline. It returns errHeadChanged if the head moves
// away from parent first, errGaveWay if giveWay (if not nil) reports true for
// an arriving block's header, and hands newly pending transactions to onTxs
// (if not nil); it returns early if onTxs reports true.
func (ev *events) waitUntil(deadline time.Time, parent common.Hash, chain Chain, giveWay func(*types.Header) bool, onTxs func([]*types.Transaction) bool) error {
	timer := time.NewTimer(time.Until(deadline))
	defer timer.Stop()
	for {
		select {
		case <-ev.quit:
			return errStopped
		case <-ev.heads:
			if chain.CurrentBlock().Hash() != parent {
				return errHeadChanged
			}
		case h := <-ev.incoming:
			if giveWay != nil && giveWay(h) {
				return errGaveWay
			}
		case e := <-ev.txs:
			if onTxs != nil {
				if onTxs(ev.drainTxs(e.Txs)) {
					return nil
				}
			}
		case <-timer.C:
			return nil
		}
	}
}

// drainTxs appends every queued transaction event to txs.
func (ev *events) drainTxs(txs []*types.Transaction) []*types.Transaction {
	for {
		select {
		case e := <-ev.txs:
			txs = append(txs, e.Txs...)
		default:
			return txs
		}
	}
}

// round builds, signs and hands over one block on top of parent, in named
// steps: check the guard's record, prepare the header and state, schedule the
// release (in or out of turn), fill the block until its deadline, assemble it,
// wait for the release, then sign, record and hand it over.
func (s *Sealer) round(parent *types.Header, ev *events) error {
	if s.pause != nil && s.pause() {
		return errPaused
	}
	number := new(big.Int).Add(parent.Number, common.Big1)

	// A block recorded by the guard at this height on this parent is released
	// again as it was: signing a fresh one would double-sign. Below the
	// recorded height, or on another parent (a reorg), nothing is signed; the
	// guard's Save would refuse it too, but only after the block was built.
	if s.last != nil && s.last.NumberU64() >= number.Uint64() {
		return s.alreadySigned(parent, number, ev)
	}
	sl, err := s.prepare(parent, number)
	if err != nil {
		return err
	}
	if err := s.awaitFirstTx(sl, ev); err != nil {
		return err
	}
	if err := s.schedule(sl); err != nil {
		return err
	}
	if err := s.holdOutOfTurn(sl, ev); err != nil {
		return err
	}
	if err := s.fillUntilDeadline(sl, ev); err != nil {
		return err
	}
	block, err := s.assemble(sl)
	if err != nil {
		return err
	}
	if err := s.awaitRelease(sl, ev); err != nil {
		return err
	}
	return s.signAndHand(sl, block)
}

// slot is one round's block in the making.
type slot struct {
	parent  *types.Header
	number  *big.Int
	config  *params.ChainConfig
	snap    *clique.Snapshot
	header  *types.Header
	statedb *state.StateDB
	w       *work

	inturn  bool
	release time.Time                // when the block leaves the sealer
	giveWay func(*types.Header) bool // out of turn: an arriving block that takes the slot; nil in turn
	hashing time.Duration            // time taken to assemble (hash) the block
}

// alreadySigned handles a round at or below the height of the last block
// signed: the same block again on the same parent, nothing otherwise.
func (s *Sealer) alreadySigned(parent *types.Header, number *big.Int, ev *events) error {
	if s.last.NumberU64() == number.Uint64() && s.last.ParentHash() == parent.Hash() {
		return s.rerelease(parent, ev)
	}
	return fmt.Errorf("%w: have parent %d %s, block %d %s already signed", errDoubleSign,
		parent.Number, parent.Hash().TerminalString(), s.last.NumberU64(), s.last.Hash().TerminalString())
}

// prepare makes the header (gas limit, base fee, the engine's fields) and
// opens the parent's state for the block.
func (s *Sealer) prepare(parent *types.Header, number *big.Int) (*slot, error) {
	config := s.chain.Config()
	snap, err := s.engine.Snapshot(s.chain, parent.Number.Uint64(), parent.Hash(), nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot at %d: %w", parent.Number, err)
	}
	header := &types.Header{
		ParentHash: parent.Hash(),
		Number:     number,
		GasLimit:   core.CalcGasLimit(parent.GasLimit, s.cfg.GasCeil),
		Extra:      s.cfg.Extra,
	}
	if config.IsLondon(number) {
		header.BaseFee = eip1559.CalcBaseFee(config, parent)
	}
	if err := s.engine.Prepare(s.chain, header, s.cfg.Signer); err != nil {
		return nil, err
	}
	statedb, err := s.chain.StateAt(parent.Root, parent.Number, parent.Time)
	if err != nil {
		return nil, fmt.Errorf("parent state %d: %w", parent.Number, err)
	}
	w := newWork(config, s.chain, header, s.cfg.Signer, statedb, s.cfg.MinTip)
	if clique.IsModern(header) {
		// The system calls before the transactions: EIP-4788 (the zero
		// beacon root) from Cancun, EIP-2935 (the parent's hash) from Prague.
		core.PreExecution(context.Background(), header.ParentBeaconRoot, parent, config, w.evm, number, header.Time)
	}
	return &slot{parent: parent, number: number, config: config, snap: snap, header: header, statedb: statedb, w: w}, nil
}

// awaitFirstTx: with a period of 0 the chain seals only when there is
// something to seal.
func (s *Sealer) awaitFirstTx(sl *slot, ev *events) error {
	if sl.config.Clique.Period != 0 {
		return nil
	}
	if genesisForks(sl.config) {
		return s.awaitFirstTxModern(sl, ev)
	}
	for !sl.w.fill(s.pool) {
		if err := ev.waitUntil(time.Now().Add(time.Hour), sl.parent.Hash(), s.chain, nil, func([]*types.Transaction) bool { return true }); err != nil {
			return err
		}
	}
	sl.header.Time = max(sl.parent.Time, uint64(s.engine.Now().Unix()))
	return nil
}

// awaitFirstTxModern is awaitFirstTx on a chain that schedules the
// transition (ADR 044): the header's time decides its format and the system
// calls write it into the state, so nothing is applied until a transaction is
// pending; then the slot is prepared afresh, timed now. A pending set that
// turns out to hold only transactions the head already has (the pool had not
// caught up with the head yet) seals nothing: the round waits again.
func (s *Sealer) awaitFirstTxModern(sl *slot, ev *events) error {
	for {
		if _, n := s.pool.Pending(sl.w.filter); n > 0 {
			fresh, err := s.prepare(sl.parent, sl.number)
			if err != nil {
				return err
			}
			if fresh.w.fill(s.pool) {
				*sl = *fresh
				return nil
			}
		}
		if err := ev.waitUntil(time.Now().Add(time.Hour), sl.parent.Hash(), s.chain, nil, func([]*types.Transaction) bool { return true }); err != nil {
			return err
		}
	}
}

// genesisForks reports whether config schedules the transition.
func genesisForks(config *params.ChainConfig) bool {
	return config.ShanghaiTime != nil || config.CancunTime != nil || config.PragueTime != nil
}

// schedule sets the release time (the header's time plus the wiggle, and a
// grace out of turn) and, out of turn, what makes the signer give way.
func (s *Sealer) schedule(sl *slot) error {
	inturn, wiggle := s.engine.SlotDelay(sl.snap, sl.number.Uint64(), s.cfg.Signer)
	if !inturn {
		wiggle += outOfTurnGrace(sl.config.Clique.Period)
	}
	// The release is on this host's clock: when the engine's clock (shifted
	// in a clock-skew test, ADR 073) reads the header's time plus the wiggle.
	sl.inturn, sl.release = inturn, time.Unix(int64(sl.header.Time), 0).Add(wiggle-s.engine.ClockOffset())
	if inturn {
		return nil
	}
	if s.arrivedOn(sl.parent.Hash(), sl.number.Uint64()) {
		s.gaveWay()
		return errGaveWay
	}
	parent, number := sl.parent.Hash(), sl.number
	sl.giveWay = func(h *types.Header) bool {
		return h.ParentHash == parent && h.Number.Cmp(number) == 0
	}
	return nil
}

// holdOutOfTurn: out of turn, building waits for the last part of the wait
// (the grace, see outOfTurnGrace); the in-turn block usually arrives first.
func (s *Sealer) holdOutOfTurn(sl *slot, ev *events) error {
	if sl.inturn || sl.config.Clique.Period == 0 {
		return nil
	}
	start := sl.release.Add(-outOfTurnGrace(sl.config.Clique.Period) - s.finalize)
	if !time.Now().Before(start) {
		return nil
	}
	if s.holding != nil {
		s.holding()
	}
	if err := ev.waitUntil(start, sl.parent.Hash(), s.chain, sl.giveWay, nil); err != nil {
		s.abandon(err, sl.w)
		return err
	}
	return nil
}

// fillUntilDeadline applies transactions until only the time needed to hash
// the state is left before the release.
func (s *Sealer) fillUntilDeadline(sl *slot, ev *events) error {
	w := sl.w
	// Applying stops in time to hash and release the block on time: the rest
	// waits for the next block (see fillDeadline for rounds that start late).
	w.deadline = fillDeadline(time.Now(), sl.release, s.finalize, sl.config.Clique.Period)
	// Take what is pending now, then keep applying what becomes pending until
	// only the time needed to hash the state is left before the release, so
	// late arrivals still make this block. Newly pending transactions come
	// from the pool's events: asking the pool for its whole pending set again
	// would copy it (100,000+ transactions under load) under the pool's lock,
	// stalling the intake.
	w.fillFirst(s.pool, time.Duration(sl.config.Clique.Period)*time.Second/4)
	if err := s.stream(sl, ev); err != nil {
		s.abandon(err, w)
		return err
	}
	if !w.full() {
		w.fillIncoming()
	}
	return nil
}

// stream applies the transactions of pool and intake events to the block
// until only the time needed to hash the state is left: at most once per
// recommit interval, and at the latest one interval after they came. Those
// that come within an interval of the last pull wait for the next pull, a
// timer, not the next event: when no event follows (the last batch of a
// burst), they used to wait for the next block, a whole period (W1's last
// 500 transactions, docs/benchmarks.md 2026-12-06 18:30).
func (s *Sealer) stream(sl *slot, ev *events) error {
	w, end := sl.w, sl.release.Add(-s.finalize)
	last := time.Now()
	for {
		wake := end
		if len(w.incoming) > 0 && !w.full() {
			wake = minTime(end, last.Add(s.cfg.Recommit))
		}
		err := ev.waitUntil(wake, sl.parent.Hash(), s.chain, sl.giveWay, func(txs []*types.Transaction) bool {
			w.incoming = append(w.incoming, txs...)
			return true
		})
		if err != nil {
			return err
		}
		if !time.Now().Before(end) {
			return nil
		}
		if len(w.incoming) > 0 && !w.full() && time.Since(last) >= s.cfg.Recommit {
			w.fillIncoming()
			last = time.Now()
		}
	}
}

// minTime returns the earlier of a and b.
func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// assemble finalises the block (state root, receipts root) and tunes the
// estimate of how long that takes.
func (s *Sealer) assemble(sl *slot) (*types.Block, error) {
	start := time.Now()
	body := &types.Body{Transactions: sl.w.txs}
	if clique.IsModern(sl.header) {
		// No withdrawals, ever; from Prague the requests the system calls
		// produce (EIP-7685), empty unless a transaction paid for one.
		body.Withdrawals = make([]*types.Withdrawal, 0)
		var logs []*types.Log
		for _, r := range sl.w.receipts {
			logs = append(logs, r.Logs...)
		}
		requests, _, err := core.PostExecution(context.Background(), sl.config, sl.number, sl.header.Time, logs, nil, sl.w.evm, uint32(len(sl.w.txs)+1))
		if err != nil {
			return nil, fmt.Errorf("system calls of block %d: %w", sl.number, err)
		}
		if requests != nil {
			hash := types.CalcRequestsHash(requests)
			sl.header.RequestsHash = &hash
		}
	}
	block := core.AssembleBlock(s.chain, sl.header, sl.statedb, body, sl.w.receipts, nil)
	sl.hashing = time.Since(start)
	s.tuneFinalize(sl.hashing)
	if err := sl.statedb.Error(); err != nil {
		return nil, fmt.Errorf("state of block %d: %w", sl.number, err)
	}
	return block, nil
}

// awaitRelease holds the block until its release time; out of turn it gives
// way to the in-turn block if that arrives first.
func (s *Sealer) awaitRelease(sl *slot, ev *events) error {
	if err := ev.waitUntil(sl.release, sl.parent.Hash(), s.chain, sl.giveWay, nil); err != nil {
		s.abandon(err, sl.w)
		return err
	}
	// The head or an arriving block may have been missed while hashing: with
	// the release time already past, the timer above wins any race.
	if s.chain.CurrentBlock().Hash() != sl.parent.Hash() {
		s.abandon(errHeadChanged, sl.w)
		return errHeadChanged
	}
	if sl.giveWay != nil && s.arrivedOn(sl.parent.Hash(), sl.number.Uint64()) {
		s.abandon(errGaveWay, sl.w)
		return errGaveWay
	}
	return nil
}

// signAndHand signs the block, records it in the guard before anything else
// sees it, and hands it to the sink (peers, then fork choice).
func (s *Sealer) signAndHand(sl *slot, block *types.Block) error {
	number, w := sl.number, sl.w
	var sealed *types.Header
	var err error
	if s.cfg.SignHeader != nil {
		sealed, err = s.engine.SealHeader(block.Header(), s.cfg.Signer, s.cfg.SignHeader)
	} else {
		sealed, err = s.engine.Seal(block.Header(), s.cfg.Signer, s.sign)
	}
	s.signerState(number, err)
	if err != nil {
		return fmt.Errorf("sign block %d: %w", number, err)
	}
	block = block.WithSeal(sealed)
	if err := s.guard.Save(block); err != nil {
		return fmt.Errorf("record signed block %d before release: %w", number, err)
	}
	s.last = block
	handed := time.Since(sl.release) // how late the block left the sealer
	if err := s.sink.InsertSealed(block, w.receipts, sl.statedb); err != nil {
		return fmt.Errorf("insert sealed block %d: %w", number, err)
	}
	s.mu.Lock()
	s.stats.Sealed++
	s.stats.Txs += uint64(len(w.txs))
	if sl.inturn {
		s.stats.InTurn++
	}
	s.mu.Unlock()
	log.Info("Sealed new block", "number", number, "hash", block.Hash(), "txs", len(w.txs), "gas", sl.header.GasUsed,
		"inturn", sl.inturn, "pending", w.pending, "pool", common.PrettyDuration(w.poolWait), "hashing", common.PrettyDuration(sl.hashing), "late", common.PrettyDuration(handed), "stored", common.PrettyDuration(time.Since(sl.release)))
	return nil
}

// signerState records whether the signer answered for block number and
// says so when that changes: once when it goes away, once when it is back.
func (s *Sealer) signerState(number *big.Int, err error) {
	down := errors.Is(err, ErrSignerUnavailable)
	s.mu.Lock()
	was := s.stats.SignerDown
	s.stats.SignerDown = down
	if down {
		s.stats.SignFailures++
	}
	s.mu.Unlock()
	switch {
	case down && !was:
		log.Warn("Not sealing: the signer is unavailable; trying again at every slot", "signer", s.cfg.Signer, "number", number, "err", err)
	case err == nil && was:
		log.Info("Signer available again: sealing resumed", "signer", s.cfg.Signer, "number", number)
	}
}

// rerelease hands the guard's block to the sink again: it was signed before a
// crash or restart but may never have reached the chain.
func (s *Sealer) rerelease(parent *types.Header, ev *events) error {
	release := time.Unix(int64(s.last.Time()), 0).Add(-s.engine.ClockOffset())
	if err := ev.waitUntil(release, parent.Hash(), s.chain, nil, nil); err != nil {
		return err
	}
	log.Info("Releasing block signed before restart", "number", s.last.NumberU64(), "hash", s.last.Hash())
	return s.sink.InsertSealed(s.last, nil, nil)
}

// abandon counts a round that dropped its block w unsigned.
func (s *Sealer) abandon(err error, w *work) {
	switch {
	case errors.Is(err, errHeadChanged):
		s.mu.Lock()
		s.stats.Abandons++
		s.mu.Unlock()
	case errors.Is(err, errGaveWay):
		s.gaveWay()
	}
	s.mu.Lock()
	s.stats.Discarded += uint64(len(w.txs))
	s.mu.Unlock()
}

func (s *Sealer) gaveWay() {
	s.mu.Lock()
	s.stats.GaveWay++
	s.mu.Unlock()
}

// tuneFinalize keeps a running estimate of the root hashing time, with head
// room, so that the fill loop stops early enough for the block to be on time.
func (s *Sealer) tuneFinalize(took time.Duration) {
	want := took + took/2 + 5*time.Millisecond
	s.finalize = min(max((s.finalize*3+want)/4, minFinalize), maxFinalize)
}

// work is a block under construction.
type work struct {
	config   *params.ChainConfig
	header   *types.Header
	state    *state.StateDB
	evm      *vm.EVM
	gasPool  *core.GasPool
	signer   types.Signer
	filter   txpool.PendingFilter
	txs      []*types.Transaction
	receipts []*types.Receipt
	skip     map[common.Address]bool // accounts whose next transaction failed
	incoming []*types.Transaction    // newly pending transactions not applied yet
	deadline time.Time               // no transaction is applied after it; zero: none
	poolWait time.Duration           // time spent waiting for the pool's pending set
	pending  int                     // transactions the pool reported pending when the block was opened
}

func newWork(config *params.ChainConfig, chain Chain, header *types.Header, coinbase common.Address, statedb *state.StateDB, minTip *big.Int) *work {
	w := &work{
		config:  config,
		header:  header,
		state:   statedb,
		evm:     vm.NewEVM(core.NewEVMBlockContext(header, chain, &coinbase), statedb, config, vm.Config{}),
		gasPool: core.NewGasPool(header.GasLimit),
		signer:  types.MakeSigner(config, header.Number, header.Time),
		filter:  txpool.PendingFilter{MinTip: uint256.MustFromBig(minTip)},
		skip:    make(map[common.Address]bool),
	}
	if header.BaseFee != nil {
		w.filter.BaseFee = uint256.MustFromBig(header.BaseFee)
	}
	w.filter.GasLimitCap = header.GasLimit
	return w
}

// pastDeadline reports whether the time to apply transactions is over.
func (w *work) pastDeadline() bool {
	return !w.deadline.IsZero() && time.Now().After(w.deadline)
}

// full reports whether no further plain transfer fits in the block.
func (w *work) full() bool { return w.gasPool.Available(false) < params.TxGas }

// fill applies the pool's executable transactions that the block does not hold
// yet, best price first, and reports whether the block holds any transaction.
func (w *work) fill(pool Pool) bool {
	w.apply(w.take(pool))
	return len(w.txs) > 0
}

// fillFirst is a round's first fill: the block gets at least least to apply
// what the pool hands it, counted from when the pool hands it over. The pool
// keeps the pending set under its lock while it resets to a new head, which
// takes hundreds of milliseconds with a large pool on busy cores; a round that
// started late (its parent came late, or by a reorg) spent its whole quarter
// period waiting there and sealed an empty block with thousands of
// transactions pending, in turn, so that it displaced an out-of-turn block
// holding them.
func (w *work) fillFirst(pool Pool, least time.Duration) {
	pending := w.take(pool)
	if floor := time.Now().Add(least); !w.deadline.IsZero() && w.deadline.Before(floor) {
		w.deadline = floor
	}
	w.apply(pending)
}

// take copies the pool's pending set, timing the wait for the pool's lock.
func (w *work) take(pool Pool) map[common.Address][]*txpool.LazyTransaction {
	start := time.Now()
	pending, count := pool.Pending(w.filter)
	w.poolWait += time.Since(start)
	w.pending = count
	return pending
}

// apply applies the pending transactions the block does not hold yet, best
// price first.
func (w *work) apply(pending map[common.Address][]*txpool.LazyTransaction) {
	for addr, list := range pending {
		if w.skip[addr] {
			delete(pending, addr)
			continue
		}
		// Drop what this block (or the parent, before the pool caught up) already holds.
		next := w.state.GetNonce(addr)
		i := sort.Search(len(list), func(i int) bool {
			tx := list[i].Resolve()
			return tx == nil || tx.Nonce() >= next
		})
		if i == len(list) {
			delete(pending, addr)
		} else {
			pending[addr] = list[i:]
		}
	}
	if len(pending) > 0 {
		w.commit(txorder.NewTransactionsByPriceAndNonce(w.signer, pending, w.header.BaseFee))
	}
}

// fillIncoming applies the newly pending transactions collected from pool
// events, best price first; those the block already holds (or that the parent
// held) are skipped by nonce.
func (w *work) fillIncoming() {
	if len(w.incoming) == 0 {
		return
	}
	byFrom := make(map[common.Address][]*txpool.LazyTransaction)
	for _, tx := range w.incoming {
		if tx.Type() == types.BlobTxType {
			continue // no blobs in a Clique block, even under Cancun rules (ADR 044)
		}
		from, err := types.Sender(w.signer, tx) // recovered at intake: cached
		if err != nil || w.skip[from] || tx.Nonce() < w.state.GetNonce(from) {
			continue
		}
		byFrom[from] = append(byFrom[from], &txpool.LazyTransaction{
			Hash: tx.Hash(), Tx: tx, Time: tx.Time(), Gas: tx.Gas(),
			GasFeeCap: uint256.MustFromBig(tx.GasFeeCap()), GasTipCap: uint256.MustFromBig(tx.GasTipCap()),
		})
	}
	w.incoming = w.incoming[:0]
	for from, list := range byFrom {
		sort.Slice(list, func(i, j int) bool { return list[i].Tx.Nonce() < list[j].Tx.Nonce() })
		byFrom[from] = list
	}
	if len(byFrom) > 0 {
		w.commit(txorder.NewTransactionsByPriceAndNonce(w.signer, byFrom, w.header.BaseFee))
	}
}

// applyTx executes tx on the block's state and returns its receipt. It is
// core.ApplyTransaction without that function's work per transaction that a
// sealer does not need: the block's signer made again, and the header's hash
// (an RLP encoding and a Keccak of the unfinished header, 4 % of a loaded
// signer's CPU), which only fills the receipt's and its logs' block
// hash. The block's hash is not known before it is sealed, so that hash was
// never the block's; the receipts are stored in consensus form and the logs
// events are derived from the stored block, neither reads it.
func (w *work) applyTx(tx *types.Transaction) (*types.Receipt, error) {
	msg, err := core.TransactionToMessage(tx, w.signer, w.header.BaseFee)
	if err != nil {
		return nil, err
	}
	receipt, _, err := core.ApplyTransactionWithEVM(context.Background(), msg, w.gasPool, w.state, w.header.Number, common.Hash{}, w.header.Time, tx, w.evm)
	return receipt, err
}

// commit executes transactions in order until the block is full.
func (w *work) commit(txs *txorder.TransactionsByPriceAndNonce) {
	for !w.full() && !w.pastDeadline() {
		ltx, _ := txs.Peek()
		if ltx == nil {
			return
		}
		if w.gasPool.Available(false) < ltx.Gas {
			txs.Pop()
			continue
		}
		tx := ltx.Resolve()
		if tx == nil {
			txs.Pop()
			continue
		}
		if tx.Protected() && !w.config.IsEIP155(w.header.Number) {
			txs.Pop()
			continue
		}
		snap, gp := w.state.Snapshot(), w.gasPool.Snapshot()
		w.state.SetTxContext(tx.Hash(), len(w.txs), uint32(len(w.txs)+1))
		receipt, err := w.applyTx(tx)
		switch {
		case err == nil:
			w.header.GasUsed = w.gasPool.Used()
			w.txs = append(w.txs, tx)
			w.receipts = append(w.receipts, receipt)
			txs.Shift()
		case errors.Is(err, core.ErrNonceTooLow):
			w.state.RevertToSnapshot(snap)
			w.gasPool.Set(gp)
			txs.Shift()
		case errors.Is(err, core.ErrNonceTooHigh):
			// A gap in what this round saw (the missing nonce is pending but
			// came in an earlier round): the account's rest waits for the next
			// block, which starts from the whole pending set.
			w.state.RevertToSnapshot(snap)
			w.gasPool.Set(gp)
			txs.Pop()
		default:
			// The account's later transactions cannot run before this one.
			w.state.RevertToSnapshot(snap)
			w.gasPool.Set(gp)
			from, _ := types.Sender(w.signer, tx)
			w.skip[from] = true
			log.Debug("Transaction failed, account skipped for this block", "hash", tx.Hash(), "from", from, "err", err)
			txs.Pop()
		}
	}
}
