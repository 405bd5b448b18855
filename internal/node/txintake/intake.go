package txintake

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"sync/atomic"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/locals"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/senders"
)

const (
	journalErrorEvery = 10 * time.Second // least time between two "Failed to journal" log lines
	unjournaledKept   = 1 << 16          // hashes of transactions refused for a failed journal write, remembered for their resubmission
)

// Pool is the transaction pool the intake feeds. *txpool.TxPool satisfies it.
type Pool interface {
	// Add offers transactions to the pool and returns one error (or nil) per
	// transaction.
	Add(txs []*types.Transaction, sync bool) []error
	// Has reports whether the pool holds the transaction.
	Has(hash common.Hash) bool
	// Status reports whether the pool holds the transaction as pending
	// (executable) or queued (waiting for a lower nonce).
	Status(hash common.Hash) txpool.TxStatus
}

// Chain is the canonical chain the intake watches. *core.BlockChain
// satisfies it.
type Chain interface {
	// CurrentBlock returns the header of the head block.
	CurrentBlock() *types.Header
	// StateAt opens the state of a block, to read account nonces.
	StateAt(root common.Hash, number *big.Int, time uint64) (*state.StateDB, error)
	// GetCanonicalTransaction finds a transaction in the canonical chain; it
	// returns nil if the transaction is not there.
	GetCanonicalTransaction(hash common.Hash) (*rawdb.LegacyTxLookupEntry, *types.Transaction)
	// SubscribeChainEvent delivers each new canonical block with its
	// transactions.
	SubscribeChainEvent(ch chan<- core.ChainEvent) event.Subscription
}

// entry is a tracked transaction. Submit creates entries; only the tracker
// goroutine (and Start, before it runs) changes them afterwards, under
// Intake.mu, so the tracker may read them without the lock.
type entry struct {
	tx   *types.Transaction
	hash common.Hash
	from common.Address
	seq  uint64 // submission order, for fair resubmission and compaction

	resubmits int   // times offered to the pool again
	lastErr   error // the pool's last refusal; nil while the pool holds the transaction

	settled   bool    // the sender's nonce at head is above the transaction's
	block     *uint64 // the block that includes it, if settled by this transaction
	settledAt uint64  // head number when first seen settled
	finalAt   uint64  // head number from which a settled entry is final (index.go)
}

// Intake accepts transactions for the pool and tracks each one to an
// outcome. It is a node.Lifecycle: Start replays the journal and starts the
// tracker, Stop ends it and closes the journal. Submit, Status and Metrics may
// be called from the moment New returns, even before Start (geth opens its
// RPC endpoints before it starts lifecycles).
type Intake struct {
	cfg     Config
	signer  types.Signer
	config  *params.ChainConfig
	pool    Pool
	chain   Chain
	journal *Journal             // nil without Config.Journal
	replay  []*types.Transaction // journal contents, re-added by Start

	mu           sync.Mutex
	tracked      map[common.Hash]*entry
	included     map[common.Hash]uint64      // tracked transactions seen in new blocks, by block number
	bySender     map[common.Address][]*entry // unsettled tracked entries by sender, in nonce order (index.go)
	unsettled    int                         // entries in bySender
	final        finalQueue                  // settled tracked entries by finality height (index.go)
	seq          uint64
	outcomes     lru.BasicLRU[common.Hash, Status]   // settled transactions no longer tracked
	unjournaled  lru.BasicLRU[common.Hash, struct{}] // refused because the journal failed; the pool may hold them
	closed       bool
	lastJournErr time.Time // when a journal failure was last logged

	// The tracker goroutine's own state (heads.go).
	head    common.Hash             // the last head the tracker brought its entries up to
	unseen  common.Hash             // a head the timer found without having seen its event
	revisit map[common.Address]bool // senders to settle at the next head: a lookup budget ran out, or the pool saw a used nonce

	stopped atomic.Bool // fast path of closed for Submit
	quit    chan struct{}
	wg      sync.WaitGroup
	started bool

	counters counters
	accepted event.Feed // core.NewTxsEvent of transactions the pool took
}

// SubscribeTransactions delivers the transactions Submit hands to the pool the
// moment the pool takes them, before the pool promotes them (asynchronously)
// and announces them itself. The sealer listens to both, so a transaction
// accepted mid-slot can still make that slot's block.
func (in *Intake) SubscribeTransactions(ch chan<- core.NewTxsEvent) event.Subscription {
	return in.accepted.Subscribe(ch)
}

// New returns an intake feeding pool and watching chain. The chain config
// must be the one the pool was built with (the senders recovered here are
// cached on the transactions for the pool's signer). With Config.Journal set
// it opens the journal and reads it; Start re-adds its transactions.
func New(cfg Config, config *params.ChainConfig, pool Pool, chain Chain) (*Intake, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	in := &Intake{
		cfg:      cfg,
		signer:   types.LatestSigner(config),
		config:   config,
		pool:     pool,
		chain:    chain,
		tracked:  make(map[common.Hash]*entry),
		included: make(map[common.Hash]uint64),
		bySender: make(map[common.Address][]*entry),
		revisit:  make(map[common.Address]bool),
		outcomes: lru.NewBasicLRU[common.Hash, Status](cfg.Outcomes),
		quit:     make(chan struct{}),

		unjournaled: lru.NewBasicLRU[common.Hash, struct{}](unjournaledKept),
	}
	if cfg.Journal != "" {
		j, err := OpenJournal(cfg.Journal)
		if err != nil {
			return nil, err
		}
		txs, err := j.Load()
		if err != nil {
			j.Close()
			return nil, err
		}
		in.journal, in.replay = j, txs
	}
	return in, nil
}

// Start implements node.Lifecycle. It re-adds the journaled transactions
// whose nonce is still unused at the head, then starts the tracker and the
// journal's fsync loop.
func (in *Intake) Start() error {
	in.mu.Lock()
	if in.started || in.closed {
		in.mu.Unlock()
		return nil
	}
	in.started = true
	in.mu.Unlock()

	in.restore(in.replay)
	in.replay = nil

	heads := make(chan core.ChainEvent, 64)
	sub := in.chain.SubscribeChainEvent(heads)
	in.wg.Add(1)
	go in.loop(heads, sub)
	if in.journal != nil {
		in.wg.Add(1)
		go in.syncLoop()
	}
	return nil
}

// Stop implements node.Lifecycle. It stops the tracker, then syncs and
// closes the journal. Submit returns ErrStopped afterwards.
func (in *Intake) Stop() error {
	in.mu.Lock()
	if in.closed {
		in.mu.Unlock()
		return nil
	}
	in.closed = true
	in.stopped.Store(true)
	in.mu.Unlock()

	close(in.quit)
	in.wg.Wait()
	if in.journal != nil {
		return in.journal.Close()
	}
	return nil
}

// syncLoop fsyncs the journal every Config.SyncInterval.
func (in *Intake) syncLoop() {
	defer in.wg.Done()
	ticker := time.NewTicker(in.cfg.SyncInterval)
	defer ticker.Stop()
	for {
		select {
		case <-ticker.C:
			if err := in.journal.Sync(); err != nil {
				in.counters.journalErrors.Add(1)
				log.Error("Failed to sync transaction journal", "err", err)
			}
		case <-in.quit:
			return
		}
	}
}

// Submit offers transactions to the pool and returns one error (or nil) per
// transaction, in order.
//
// A transaction is refused with go-ethereum's error if its fee exceeds
// Config.RPCTxFeeCap, if it is not replay-protected (EIP-155), or if the pool
// rejects it for good (bad signature, wrong chain id, nonce too low,
// insufficient funds, fee too low, already known, ...). Every other
// transaction is journaled and tracked before Submit returns nil for it: those
// the pool accepted, and those it refused only for now (pool full,
// underpriced against a full pool; see locals.IsTemporaryReject), which the
// tracker resubmits. If the journal write fails, every transaction of the
// batch that was to be journaled gets an error wrapping errNotJournaled and
// is not tracked: the pool may still hold (and mine) it, but the node makes
// no promise a crash would break. Sent again once the journal works, such a
// transaction is acknowledged although the pool already knows it.
func (in *Intake) Submit(ctx context.Context, txs []*types.Transaction) []error {
	errs := make([]error, len(txs))
	if in.stopped.Load() {
		for i := range errs {
			errs[i] = ErrStopped
		}
		in.countRejects(errs)
		return errs
	}
	admit := make([]*types.Transaction, 0, len(txs))
	pos := make([]int, 0, len(txs))
	for i, tx := range txs {
		if err := in.checkRPC(tx); err != nil {
			errs[i] = err
			continue
		}
		admit = append(admit, tx)
		pos = append(pos, i)
	}
	// Why: a caller that gave up must not get transactions pooled behind its back.
	if err := ctx.Err(); err != nil {
		for _, p := range pos {
			errs[p] = err
		}
		admit = nil
	}
	if len(admit) > 0 {
		senders.Recover(in.signer, admit)
		admit, pos = in.permit(admit, pos, errs)
	}
	if len(admit) > 0 {
		perrs := in.pool.Add(admit, false)

		keep := admit[:0:0]
		keepPos := pos[:0:0]
		held := make([]error, 0, len(admit))
		for k, err := range perrs {
			if errors.Is(err, txpool.ErrAlreadyKnown) && in.wasUnjournaled(admit[k].Hash()) {
				err = nil // the pool kept it from a submission whose journal write failed
			}
			if err != nil && !locals.IsTemporaryReject(err) {
				errs[pos[k]] = err
				continue
			}
			keep = append(keep, admit[k])
			keepPos = append(keepPos, pos[k])
			held = append(held, err)
		}
		var taken []*types.Transaction
		for k, err := range in.track(keep, held, true) {
			switch {
			case err != nil:
				errs[keepPos[k]] = err
			case held[k] == nil:
				in.counters.accepted.Add(1)
				taken = append(taken, keep[k])
			default:
				in.counters.deferred.Add(1)
			}
		}
		if len(taken) > 0 {
			in.accepted.Send(core.NewTxsEvent{Txs: taken})
		}
	}
	in.countRejects(errs)
	return errs
}

// permit keeps the transactions whose senders Config.Gate lets in; it sets
// the errors of the others (at their positions pos in errs).
func (in *Intake) permit(txs []*types.Transaction, pos []int, errs []error) ([]*types.Transaction, []int) {
	if in.cfg.Gate == nil {
		return txs, pos
	}
	check, err := in.cfg.Gate.View()
	if err != nil {
		// Why: without the head's state nobody can be shown to be permitted.
		for _, p := range pos {
			errs[p] = err
		}
		return nil, nil
	}
	keep, keepPos := txs[:0:0], pos[:0:0]
	for k, tx := range txs {
		// Why: a sender that cannot be recovered is the pool's to refuse, with its error.
		if from, err := types.Sender(in.signer, tx); err == nil {
			if err := check(from, tx.To() == nil); err != nil {
				errs[pos[k]] = err
				continue
			}
		}
		keep, keepPos = append(keep, tx), append(keepPos, pos[k])
	}
	return keep, keepPos
}

// wasUnjournaled reports whether hash was refused because the journal failed.
func (in *Intake) wasUnjournaled(hash common.Hash) bool {
	in.mu.Lock()
	defer in.mu.Unlock()
	return in.unjournaled.Contains(hash)
}

// checkRPC applies the checks go-ethereum's SubmitTransaction makes before
// the pool sees a transaction, with the same errors.
func (in *Intake) checkRPC(tx *types.Transaction) error {
	if cap := in.cfg.RPCTxFeeCap; cap != 0 {
		wei := new(big.Int).Mul(tx.GasPrice(), new(big.Int).SetUint64(tx.Gas()))
		fee, _ := new(big.Float).Quo(new(big.Float).SetInt(wei), big.NewFloat(params.Ether)).Float64()
		if fee > cap {
			return &feeCapError{fee: fee, cap: cap}
		}
	}
	if !tx.Protected() {
		if err := in.checkKeyless(tx); err != nil {
			return err
		}
	}
	if tx.Type() == types.BlobTxType {
		// Blocks of a Clique chain never carry blobs (ADR 044), even under
		// Cancun rules: go-ethereum's blob pool would hold them forever.
		return fmt.Errorf("%w: blob transactions (type 3) are not accepted on a Clique chain: there is no blob market; send the data in calldata", types.ErrTxTypeNotSupported)
	}
	return nil
}

// checkKeyless admits an unprotected transaction only if it is one of the
// four system contracts' keyless deployments (ADR 063), and only once the
// head runs Shanghai rules: their init code begins with PUSH0, so sent
// before they fail and burn their deployer's only useful nonce.
func (in *Intake) checkKeyless(tx *types.Transaction) error {
	if !genesis.IsSystemDeployment(tx) {
		return errUnprotected
	}
	if head := in.chain.CurrentBlock(); !in.config.IsShanghai(head.Number, head.Time) {
		return fmt.Errorf("%w: the keyless deployment of a system contract runs only after Shanghai (its code starts with PUSH0; sent before, it fails and uses up the deployer's nonce 0 for good); head %d at %d is before it: schedule Shanghai first (docs/modern-evm.md)", errUnprotected, head.Number, head.Time)
	}
	return nil
}

// countRejects counts the non-nil errors by class.
func (in *Intake) countRejects(errs []error) {
	for _, err := range errs {
		if err != nil {
			in.counters.rejected[classify(err)].Add(1)
		}
	}
}

// track journals (if journal is set) and tracks txs. held[i] is the pool's
// temporary refusal of txs[i], or nil if the pool took it. It returns one
// error per transaction: if the journal write fails, every transaction that
// was to be journaled is untracked and gets an error wrapping errNotJournaled.
func (in *Intake) track(txs []*types.Transaction, held []error, journal bool) []error {
	errs := make([]error, len(txs))
	if len(txs) == 0 {
		return errs
	}
	in.mu.Lock()
	defer in.mu.Unlock()

	// Why: a closed intake has no journal or tracker left; the pool still has
	// what it took.
	if in.closed {
		for i, err := range held {
			if err != nil {
				errs[i] = ErrStopped
			}
		}
		return errs
	}
	fresh := make([]*entry, 0, len(txs))
	freshIdx := make([]int, 0, len(txs))
	for i, tx := range txs {
		hash := tx.Hash()
		if _, ok := in.tracked[hash]; ok {
			continue
		}
		from, err := types.Sender(in.signer, tx)
		if err != nil {
			errs[i] = err // unreachable: the pool checked the signature
			continue
		}
		in.seq++
		e := &entry{tx: tx, hash: hash, from: from, seq: in.seq, lastErr: held[i]}
		in.addLocked(e)
		fresh = append(fresh, e)
		freshIdx = append(freshIdx, i)
	}
	if journal && in.journal != nil && len(fresh) > 0 {
		batch := make([]*types.Transaction, len(fresh))
		for i, e := range fresh {
			batch[i] = e.tx
		}
		if err := in.journal.Append(batch); err != nil {
			in.counters.journalErrors.Add(1)
			if now := time.Now(); now.Sub(in.lastJournErr) >= journalErrorEvery {
				in.lastJournErr = now
				log.Error("Failed to journal transactions, refusing them", "count", len(batch), "err", err)
			}
			// Why: an answer without a journal record would promise what a
			// crash breaks.
			refusal := fmt.Errorf("%w (%v): check the disk of the node's data dir (free space, permissions) and its log, then send the transaction again", errNotJournaled, err)
			for k, e := range fresh {
				in.forgetLocked(e)
				in.unjournaled.Add(e.hash, struct{}{})
				errs[freshIdx[k]] = refusal
			}
			return errs
		}
		if in.unjournaled.Len() > 0 {
			for _, e := range fresh {
				in.unjournaled.Remove(e.hash)
			}
		}
	}
	return errs
}

// Metrics returns a snapshot of the counters.
func (in *Intake) Metrics() Metrics {
	c := &in.counters
	m := Metrics{
		Accepted:    c.accepted.Load(),
		Deferred:    c.deferred.Load(),
		Resubmitted: c.resubmitted.Load(),
		Mined:       c.mined.Load(),
		Replaced:    c.replaced.Load(),
		Dropped:     c.dropped.Load(),
	}
	for i := range m.Rejected {
		m.Rejected[i] = c.rejected[i].Load()
	}
	in.mu.Lock()
	m.Tracked = len(in.tracked)
	in.mu.Unlock()
	m.Journal.Errors = c.journalErrors.Load()
	m.Journal.Compacted = c.journalCompacted.Load()
	if in.journal != nil {
		m.Journal.Written = in.journal.Written()
		m.Journal.Size = in.journal.Size()
		m.Journal.Records = in.journal.Records()
	}
	return m
}
