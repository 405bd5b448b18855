// Package forkchoice decides which block is the head of a citychain node's
// chain, keeps the total difficulty of every block, and tracks finality.
//
// go-ethereum v1.17 no longer chooses between forks: core.BlockChain's
// InsertChain makes every inserted block the head, and total difficulty is no
// longer stored. Every block a node accepts, sealed locally or received from a
// peer, goes through ForkChoice.Insert instead, which:
//
//   - verifies the header with our Clique engine first (it catches what
//     upstream Clique misses at early heights), then lets go-ethereum verify
//     and execute the block;
//   - keeps the total difficulty (TD) of every block under its own key prefix
//     in the chain database, rebuilt from the headers when missing;
//   - picks the head with the EIP-3436 block choice rule (Compare): highest
//     TD, then lowest number, then the signer in turn most recently, then the
//     lowest hash. It is a total order, so nodes holding the same blocks agree
//     on the head whatever the order the blocks arrived in;
//   - extends the head with InsertChain, stores side blocks with
//     InsertBlockWithoutSetHead and reorganises with SetCanonical; a side
//     block whose parent's state is gone is stored without executing it (see
//     storeWithoutState), and a block sealed here is stored with the state
//     its sealer computed instead of being executed a second time
//     (InsertSealed);
//   - finalizes blocks (see ForkChoice) and never reorganises past the
//     finalized block; it sets go-ethereum's finalized and safe blocks, which
//     the JSON-RPC "finalized" and "safe" block tags return.
//
// Nothing else should move the head of a chain that ForkChoice manages. What
// does (go-ethereum's downloader makes its sync target the head) must call
// Reconcile afterwards, which keeps the better of the two heads.
package forkchoice

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/stateless"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"

	"github.com/citychain/citychain/consensus/clique"
)

// Heads is the part of the chain that holds its head, finalized and safe
// markers.
type Heads interface {
	CurrentBlock() *types.Header
	CurrentFinalBlock() *types.Header
	SetFinalized(header *types.Header)
	SetSafe(header *types.Header)
}

// Blocks is the part of the chain that stores, executes and reorganises
// blocks.
type Blocks interface {
	HasBlock(hash common.Hash, number uint64) bool
	HasState(root common.Hash) bool
	GetBlock(hash common.Hash, number uint64) *types.Block
	InsertChain(chain types.Blocks) (int, error)
	InsertBlockWithoutSetHead(ctx context.Context, block *types.Block, makeWitness bool) (*stateless.Witness, error)
	SetCanonical(head *types.Block) (common.Hash, error)
}

// Chain is the blockchain that fork choice drives: headers for the engine and
// for total difficulties, the head markers, and block storage. It is made of
// three small interfaces; *core.BlockChain satisfies it.
type Chain interface {
	consensus.ChainHeaderReader
	Heads
	Blocks
}

// Engine verifies headers and tells who sealed a block and who may seal.
// *clique.Engine satisfies it.
type Engine interface {
	VerifyHeader(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header) error
	Author(header *types.Header) (common.Address, error)
	Snapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*clique.Snapshot, error)
	// Weight returns a verified header's fork-choice weight: its difficulty
	// on a London block, 2 in turn and 1 out of turn on a post-transition
	// block, whose difficulty is 0 (ADR 044).
	Weight(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header) (*big.Int, error)
}

// Status says what Insert did with a block.
type Status int

const (
	// StatusKnown means the block was already in the chain: nothing changed.
	StatusKnown Status = iota
	// StatusExtended means the block extended the canonical chain and is the
	// new head.
	StatusExtended
	// StatusReorged means the block, on another branch, won over the head:
	// the chain was reorganised and the block is the new head.
	StatusReorged
	// StatusSide means the block was stored on a side branch; the head did
	// not change.
	StatusSide
)

// String returns the status in lower case.
func (s Status) String() string {
	switch s {
	case StatusKnown:
		return "known"
	case StatusExtended:
		return "extended"
	case StatusReorged:
		return "reorged"
	case StatusSide:
		return "side"
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// Result reports the outcome of Insert.
type Result struct {
	Status     Status
	Head       *types.Header // head of the chain after the insert
	TD         *big.Int      // total difficulty of the inserted block
	ReorgDepth uint64        // blocks of the old canonical chain that were replaced (StatusReorged only)
	Finalized  *types.Header // finalized block after the insert
}

// HeadChanged reports whether the inserted block became the head.
func (r Result) HeadChanged() bool {
	return r.Status == StatusExtended || r.Status == StatusReorged
}

// BlockEvent is sent to subscribers for every block Insert stores, whether it
// became the head (Result.HeadChanged) or went to a side branch. Known and
// refused blocks send nothing.
type BlockEvent struct {
	Block  *types.Block
	Result Result
}

// Stats counts what fork choice did, for logs, metrics and tests.
type Stats struct {
	Extended           uint64 // blocks that extended the head
	StoredWithState    uint64 // sealed here and stored with the sealer's state, not executed again
	StoredStateless    uint64 // side blocks stored without executing them (their parent's state was gone)
	SideBlocks         uint64 // blocks stored on a side branch
	Reorgs             uint64 // reorganisations to another branch
	MaxReorgDepth      uint64 // most old canonical blocks replaced by one reorganisation
	Invalid            uint64 // blocks refused with ErrInvalidBlock
	FinalizedConflicts uint64 // blocks refused with ErrFinalizedConflict
	Finalized          uint64 // number of the finalized block
}

// stats is Stats behind a lock.
type stats struct {
	mu sync.Mutex
	s  Stats
}

func (s *stats) update(fn func(*Stats)) {
	s.mu.Lock()
	defer s.mu.Unlock()
	fn(&s.s)
}

func (s *stats) setFinalized(number uint64) {
	s.update(func(st *Stats) { st.Finalized = number })
}

// ForkChoice chooses the head of a chain among the blocks it is given, keeps
// their total difficulties and finalizes blocks. All methods are safe for
// concurrent use; inserts are serialised.
//
// Let B be a block of the canonical chain, S the signer set of the clique
// snapshot at B (after B is applied) and N = |S|. A majority is
// floor(N/2)+1 distinct members of S; signers not in S (voted in later) do
// not count.
//
// Final: B is final once a majority has sealed canonical blocks on top of B,
// B itself not counted; with a single signer (N = 1), once B is sealed. The
// finalized block is the newest final block. It only moves forward, and no
// block on a branch without it is accepted (ErrFinalizedConflict).
//
// Safe: B is safe once a majority has sealed B or canonical blocks on top of
// it, B's own signer counted. The safe block is the newest safe block, and
// never older than the finalized one.
//
// EIP-225 lets a signer seal only one of any floor(N/2)+1 consecutive
// blocks, so with a stable signer set a block is safe with floor(N/2) blocks
// on top of it and final with floor(N/2)+1. Counting B's own signer towards
// finality would be one block faster but is not safe under EIP-3436: a
// shorter branch of in-turn blocks that arrives a period late wins with equal
// total difficulty, and nodes that had finalized the longer branch would
// refuse it for ever. docs/adr/005-forkchoice-finality.md gives the analysis
// and the simulations behind both definitions, and what they assume.
type ForkChoice struct {
	chain  Chain
	engine Engine
	db     ethdb.Database // chain database: our total difficulties, go-ethereum's bad blocks

	tds       *lru.Cache[common.Hash, *big.Int] // total difficulties by block hash; values never mutated
	finalized atomic.Pointer[types.Header]      // finalized block; only moves forward
	chosen    atomic.Pointer[types.Header]      // head as fork choice last set or accepted it (see Reconcile)
	stats     stats

	mu   sync.Mutex // serialises inserts
	feed event.Feed // BlockEvent

	beforeHead  func(*types.Block)   // see BeforeHead; nil: extend with InsertChain
	afterVerify func(*types.Header)  // see AfterVerify; may be nil
	afterHead   func(*types.Header)  // see AfterHead; may be nil
	afterBatch  func([]*types.Block) // see AfterBatch; may be nil
}

// BeforeHead sets fn to run on every block that becomes the head, after the
// block and its state are stored and before the head moves (and geth's head
// event fires). The node warms caches there. Call it before the first Insert.
func (f *ForkChoice) BeforeHead(fn func(*types.Block)) { f.beforeHead = fn }

// AfterBatch sets fn to run on the blocks of an InsertBatch run that
// go-ethereum's InsertChain executed, right after it returned: the head has
// moved and geth's head event has fired, the AfterHead hook has not run yet.
// The node warms geth's block cache there for the transaction pool's reset,
// which runs concurrently (ADR 083). Call it before the first InsertBatch.
func (f *ForkChoice) AfterBatch(fn func([]*types.Block)) { f.afterBatch = fn }

// AfterHead sets fn to run after every change of the head that fork choice
// makes or accepts (Insert, InsertSealed, Reconcile), before the next insert
// starts: no block is being executed while fn runs. The node flushes the
// head's state to disk there; doing that while go-ethereum executed a block
// on another state made that state's reads fail half-way, and the block was
// wrongly found invalid ("insufficient funds", seen on a 3-signer network).
// Call it before the first Insert.
func (f *ForkChoice) AfterHead(fn func(*types.Header)) { f.afterHead = fn }

// AfterVerify sets fn to run on every new block whose header our engine
// accepted, before go-ethereum executes it: the sealer uses it to give way
// to a block of its height that is on its way into the chain. fn must not
// block. Call it before the first Insert.
func (f *ForkChoice) AfterVerify(fn func(*types.Header)) { f.afterVerify = fn }

// New returns the fork choice of chain, verifying blocks with engine and
// keeping total difficulties in db, the chain's database. It restores the
// finalized block go-ethereum stored (the genesis block if there is none),
// rebuilds the head's total difficulty if it is missing and finalizes what
// the head allows.
func New(chain Chain, engine Engine, db ethdb.Database) (*ForkChoice, error) {
	genesis := chain.GetHeaderByNumber(0)
	if genesis == nil {
		return nil, errors.New("chain has no genesis block")
	}
	f := &ForkChoice{
		chain:  chain,
		engine: engine,
		db:     db,
		tds:    lru.NewCache[common.Hash, *big.Int](tdCacheSize),
	}
	final := chain.CurrentFinalBlock()
	if final == nil {
		final = genesis
		chain.SetFinalized(genesis) // the genesis block is final by definition
	}
	f.finalized.Store(final)
	f.stats.setFinalized(final.Number.Uint64())

	f.mu.Lock()
	defer f.mu.Unlock()
	head := chain.CurrentBlock()
	f.chosen.Store(head)
	if _, err := f.td(head); err != nil {
		return nil, fmt.Errorf("total difficulty of head %d: %w", head.Number, err)
	}
	if err := f.advanceFinality(head); err != nil {
		return nil, fmt.Errorf("finality at head %d: %w", head.Number, err)
	}
	log.Info("Fork choice ready", "head", head.Number, "hash", head.Hash(), "finalized", f.finalized.Load().Number)
	return f, nil
}

// Head returns the head of the chain.
func (f *ForkChoice) Head() *types.Header {
	return f.chain.CurrentBlock()
}

// TD returns the total difficulty of block hash, rebuilding it from the
// headers if it is not stored, or nil if the block is not in the chain.
func (f *ForkChoice) TD(hash common.Hash) *big.Int {
	if td, err := f.cachedTD(hash); err == nil && td != nil {
		return td
	}
	header := f.chain.GetHeaderByHash(hash)
	if header == nil {
		return nil
	}
	td, err := f.td(header)
	if err != nil {
		log.Warn("Failed to rebuild total difficulty", "number", header.Number, "hash", hash, "err", err)
		return nil
	}
	return td
}

// Finalized returns the finalized block.
func (f *ForkChoice) Finalized() *types.Header {
	return f.finalized.Load()
}

// Stats returns a copy of the counters.
func (f *ForkChoice) Stats() Stats {
	f.stats.mu.Lock()
	defer f.stats.mu.Unlock()
	return f.stats.s
}

// SubscribeBlocks sends a BlockEvent to ch for every block Insert stores;
// gossip uses it to announce new heads. Events are sent after the insert
// returns its lock, one at a time, and a slow receiver holds up inserts:
// use a buffered channel and drain it.
func (f *ForkChoice) SubscribeBlocks(ch chan<- BlockEvent) event.Subscription {
	return f.feed.Subscribe(ch)
}

// InsertSealed implements sealer.Sink: it inserts a block the local sealer
// signed. A sealed block that lost to a block that arrived meanwhile is stored
// on a side branch and is not an error.
//
// With the receipts and the post-state the sealer computed (statedb not nil),
// a block that extends the head is stored with that state rather than
// executed again, as go-ethereum's miner did when it sealed: on a busy chain
// the second execution cost as much as building the block and delayed it.
// The state must be the one the sealer built the block on and must not be
// used afterwards. A nil statedb (a block re-released after a restart) is
// executed like any other.
func (f *ForkChoice) InsertSealed(block *types.Block, receipts types.Receipts, statedb *state.StateDB) error {
	res, err := f.insert(block, &built{receipts: receipts, state: statedb})
	if err == nil && res.Status != StatusKnown {
		f.feed.Send(BlockEvent{Block: block, Result: res})
	}
	return err
}

// built is what a local sealer computed for its block.
type built struct {
	receipts types.Receipts
	state    *state.StateDB
}

// Insert verifies block, stores it and makes it the head if it wins over the
// current head by the EIP-3436 rule (Compare). A block already in the chain
// changes nothing. It returns ErrInvalidBlock for a block that breaks a rule,
// ErrUnknownParent for one whose parent is missing, ErrFutureBlock for one
// whose time has not come and ErrFinalizedConflict for one on a branch
// without the finalized block, each wrapping the cause.
func (f *ForkChoice) Insert(block *types.Block) (Result, error) {
	res, err := f.insert(block, nil)
	if err == nil && res.Status != StatusKnown {
		f.feed.Send(BlockEvent{Block: block, Result: res})
	}
	return res, err
}

func (f *ForkChoice) insert(block *types.Block, sealed *built) (Result, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	res, err := f.insertLocked(block, sealed)
	if err == nil && res.HeadChanged() && f.afterHead != nil {
		f.afterHead(res.Head)
	}
	return res, err
}

func (f *ForkChoice) insertLocked(block *types.Block, sealed *built) (Result, error) {
	header := block.Header()
	// A block we hold changes nothing.
	if f.chain.HasBlock(block.Hash(), block.NumberU64()) {
		td, err := f.td(header)
		if err != nil {
			return Result{}, err
		}
		return f.result(StatusKnown, td, 0), nil
	}
	parent, err := f.verify(header, block.Hash())
	if err != nil {
		return Result{}, err
	}
	// Never build on a branch that leaves out the finalized block.
	if err := f.checkFinalizedBranch(header, block.Hash()); err != nil {
		return Result{}, err
	}
	w, err := f.weigh(header, parent)
	if err != nil {
		return Result{}, err
	}
	// The usual case: the block extends the head.
	if w.wins && header.ParentHash == w.head.Hash() {
		return f.extendHead(block, header, sealed, w.td)
	}
	if err := f.storeOffHead(block, parent, w); err != nil {
		return Result{}, err
	}
	if !w.wins {
		f.stats.update(func(s *Stats) { s.SideBlocks++ })
		log.Debug("Stored side block", "number", header.Number, "hash", block.Hash(), "td", w.td, "head", w.head.Number, "headtd", w.headTD)
		return f.result(StatusSide, w.td, 0), nil
	}
	return f.reorgTo(block, header, w)
}

// verify checks a new block's header: not a genesis, parent held (orphans
// wait until the caller has fetched their ancestors), our engine's rules.
// It returns the parent's header.
func (f *ForkChoice) verify(header *types.Header, hash common.Hash) (*types.Header, error) {
	number := header.Number.Uint64()
	if number == 0 {
		return nil, f.invalid(fmt.Errorf("%w: genesis block %x is not ours", ErrInvalidBlock, hash))
	}
	parent := f.chain.GetHeader(header.ParentHash, number-1)
	if parent == nil || !f.chain.HasBlock(parent.Hash(), number-1) {
		return nil, fmt.Errorf("%w: parent %d %x of block %d %x", ErrUnknownParent, number-1, header.ParentHash, number, hash)
	}
	// Our engine first: it catches what upstream misses at early heights.
	if err := f.engine.VerifyHeader(f.chain, header, nil); err != nil {
		switch {
		case errors.Is(err, consensus.ErrFutureBlock):
			return nil, fmt.Errorf("%w: block %d %x: %w", ErrFutureBlock, number, hash, err)
		case errors.Is(err, consensus.ErrUnknownAncestor):
			return nil, fmt.Errorf("%w: block %d %x: %w", ErrUnknownParent, number, hash, err)
		}
		return nil, f.invalid(fmt.Errorf("%w: block %d %x: %w", ErrInvalidBlock, number, hash, err))
	}
	if f.afterVerify != nil {
		f.afterVerify(header)
	}
	return parent, nil
}

// checkFinalizedBranch refuses a block whose branch leaves out the
// finalized block (ErrFinalizedConflict).
func (f *ForkChoice) checkFinalizedBranch(header *types.Header, hash common.Hash) error {
	number := header.Number.Uint64()
	if ok, err := f.onFinalizedBranch(header); err != nil {
		return err
	} else if !ok {
		final := f.finalized.Load()
		f.stats.update(func(s *Stats) { s.FinalizedConflicts++ })
		// A late block of a branch that lost long ago is routine; a branch
		// growing past the finalized height means nodes disagree.
		logFn := log.Debug
		if number > final.Number.Uint64() {
			logFn = log.Warn
		}
		logFn("Refusing block on a branch without the finalized block", "number", number, "hash", hash, "finalized", final.Number, "finalizedHash", final.Hash())
		return fmt.Errorf("%w: block %d %x is not on the branch of finalized block %d %x", ErrFinalizedConflict, number, hash, final.Number, final.Hash())
	}
	return nil
}

// weight is a new block weighed against the head.
type weight struct {
	td     *big.Int      // the block's total difficulty
	head   *types.Header // the head it was weighed against
	headTD *big.Int
	wins   bool // the block is the better head (EIP-3436)
}

// weigh compares the block with the head by fork choice's rule.
func (f *ForkChoice) weigh(header, parent *types.Header) (weight, error) {
	parentTD, err := f.td(parent)
	if err != nil {
		return weight{}, err
	}
	w, err := f.weight(header)
	if err != nil {
		return weight{}, err
	}
	td := new(big.Int).Add(parentTD, w)
	cand, err := f.candidate(header, td)
	if err != nil {
		return weight{}, err
	}
	head := f.chain.CurrentBlock()
	headTD, err := f.td(head)
	if err != nil {
		return weight{}, err
	}
	current, err := f.candidate(head, headTD)
	if err != nil {
		return weight{}, err
	}
	return weight{td: td, head: head, headTD: headTD, wins: Compare(cand, current) < 0}, nil
}

// extendHead executes a child of the head that wins and makes it the head.
func (f *ForkChoice) extendHead(block *types.Block, header *types.Header, sealed *built, td *big.Int) (Result, error) {
	if err := f.extend(block, sealed); err != nil {
		return Result{}, f.rejected(block, err)
	}
	if err := f.storeTD(block.Hash(), td); err != nil {
		return Result{}, err
	}
	f.stats.update(func(s *Stats) { s.Extended++ })
	f.chosen.Store(header)
	f.updateFinality(header)
	return f.result(StatusExtended, td, 0), nil
}

// storeOffHead stores a block that does not simply extend the head, with its
// total difficulty. A losing block whose parent's state is gone is stored
// unexecuted (see storeWithoutState); any other block is stored, and
// executed, without becoming the head.
func (f *ForkChoice) storeOffHead(block *types.Block, parent *types.Header, w weight) error {
	if !w.wins && !f.chain.HasState(parent.Root) {
		if err := f.storeWithoutState(block); err != nil {
			return err
		}
	} else if _, err := f.chain.InsertBlockWithoutSetHead(context.Background(), block, false); err != nil {
		return f.rejected(block, err)
	}
	return f.storeTD(block.Hash(), w.td)
}

// reorgTo makes a stored winning block the head: its branch becomes
// canonical.
func (f *ForkChoice) reorgTo(block *types.Block, header *types.Header, w weight) (Result, error) {
	head := w.head
	hash, number := block.Hash(), block.NumberU64()
	ancestor, err := f.commonAncestor(header, head)
	if err != nil {
		return Result{}, err
	}
	if f.beforeHead != nil {
		f.beforeHead(block)
	}
	if _, err := f.chain.SetCanonical(block); err != nil {
		f.restoreHeadState()
		return Result{}, fmt.Errorf("reorganise to block %d %x: %w", number, hash, err)
	}
	depth := head.Number.Uint64() - ancestor.Number.Uint64()
	status := StatusReorged
	if depth == 0 {
		status = StatusExtended // a descendant of the head that was not its child
	}
	f.stats.update(func(s *Stats) {
		if depth == 0 {
			s.Extended++
			return
		}
		s.Reorgs++
		s.MaxReorgDepth = max(s.MaxReorgDepth, depth)
	})
	f.chosen.Store(header)
	if depth > 0 {
		log.Info("Reorganised chain by fork choice", "number", number, "hash", hash, "td", w.td, "dropped", depth, "added", number-ancestor.Number.Uint64(), "oldhead", head.Number, "oldhash", head.Hash(), "oldtd", w.headTD)
	}
	f.updateFinality(header)
	return f.result(status, w.td, depth), nil
}

// updateFinality advances finality after a head change. The block is in by
// then, so a failure (a database error) is logged, not returned: the next
// head change tries again.
func (f *ForkChoice) updateFinality(head *types.Header) {
	if err := f.advanceFinality(head); err != nil {
		log.Error("Failed to advance finality", "head", head.Number, "hash", head.Hash(), "err", err)
	}
}

// extend makes block, a child of the head, the new head: in one step, or in two
// with the BeforeHead hook between storing the block and moving the head. A
// block sealed here is stored with the state its sealer computed.
func (f *ForkChoice) extend(block *types.Block, sealed *built) error {
	stored := false
	if sealed != nil && sealed.state != nil && f.chain.HasState(f.chain.CurrentBlock().Root) {
		if err := f.storeWithState(block, sealed); err != nil {
			log.Warn("Failed to store sealed block with its state, executing it", "number", block.NumberU64(), "hash", block.Hash(), "err", err)
		} else {
			stored = true
			f.stats.update(func(s *Stats) { s.StoredWithState++ })
		}
	}
	if !stored && f.beforeHead == nil {
		_, err := f.chain.InsertChain(types.Blocks{block})
		return err
	}
	if !stored {
		if _, err := f.chain.InsertBlockWithoutSetHead(context.Background(), block, false); err != nil {
			return err
		}
	}
	if f.beforeHead != nil {
		f.beforeHead(block)
	}
	_, err := f.chain.SetCanonical(block)
	return err
}

// result builds an insert result around the current head and finalized block.
func (f *ForkChoice) result(status Status, td *big.Int, depth uint64) Result {
	return Result{
		Status:     status,
		Head:       f.chain.CurrentBlock(),
		TD:         td,
		ReorgDepth: depth,
		Finalized:  f.finalized.Load(),
	}
}

// invalid counts a block refused with ErrInvalidBlock and returns err.
func (f *ForkChoice) invalid(err error) error {
	f.stats.update(func(s *Stats) { s.Invalid++ })
	return err
}

// rejected classifies an error of go-ethereum's insertion of block: a block
// that go-ethereum recorded as bad (failed verification or execution) is
// invalid, unless the copy given had a body that does not match its header
// (ErrBodyMismatch: the hash may be a valid block's); anything else (the
// chain shutting down) is returned wrapped.
func (f *ForkChoice) rejected(block *types.Block, err error) error {
	f.restoreHeadState()
	if mm := bodyMismatch(block); mm != nil {
		return mismatched(block, fmt.Errorf("%w (go-ethereum: %w)", mm, err))
	}
	condemned := f.condemned()
	if condemned[block.Hash()] {
		return f.invalid(fmt.Errorf("%w: block %d %x: %w", ErrInvalidBlock, block.NumberU64(), block.Hash(), err))
	}
	if bad := f.badAncestor(block.Header(), condemned); bad != nil {
		return f.invalid(fmt.Errorf("%w: block %d %x descends from invalid block %d %x: %w", ErrInvalidBlock, block.NumberU64(), block.Hash(), bad.Number, bad.Hash(), err))
	}
	return fmt.Errorf("insert block %d %x: %w", block.NumberU64(), block.Hash(), err)
}

// badAncestor returns the newest ancestor of header off the canonical chain
// whose hash is condemned (go-ethereum recorded it as bad), or nil. A side block stored without
// executing it (storeWithoutState) is found bad only when a descendant would
// make its branch win.
func (f *ForkChoice) badAncestor(header *types.Header, condemned map[common.Hash]bool) *types.Header {
	for i := 0; i < maxBadAncestry && header.Number.Sign() > 0; i++ {
		parent := f.chain.GetHeader(header.ParentHash, header.Number.Uint64()-1)
		if parent == nil {
			return nil
		}
		if canon := f.chain.GetHeaderByNumber(parent.Number.Uint64()); canon != nil && canon.Hash() == parent.Hash() {
			return nil
		}
		if condemned[parent.Hash()] {
			return parent
		}
		header = parent
	}
	return nil
}

// maxBadAncestry bounds the walk of badAncestor: side branches of a Clique
// chain are short, and finality bounds them anyway.
const maxBadAncestry = 128

// commonAncestor returns the newest block that a and b both descend from (or
// are); both must be in the chain or have their parent in it.
func (f *ForkChoice) commonAncestor(a, b *types.Header) (*types.Header, error) {
	var err error
	if a.Number.Uint64() > b.Number.Uint64() {
		if a, err = f.ancestor(a, b.Number.Uint64()); err != nil {
			return nil, err
		}
	}
	if b.Number.Uint64() > a.Number.Uint64() {
		if b, err = f.ancestor(b, a.Number.Uint64()); err != nil {
			return nil, err
		}
	}
	for a.Hash() != b.Hash() {
		if a.Number.Sign() == 0 {
			return nil, errors.New("branches share no genesis block")
		}
		if a, err = f.ancestor(a, a.Number.Uint64()-1); err != nil {
			return nil, err
		}
		if b, err = f.ancestor(b, b.Number.Uint64()-1); err != nil {
			return nil, err
		}
	}
	return a, nil
}

// tip is a Candidate made of a verified header, its total difficulty and its
// signer's turn.
type tip struct {
	header  *types.Header
	td      *big.Int
	index   uint64
	signers uint64
}

// Hash implements Candidate.
func (t *tip) Hash() common.Hash { return t.header.Hash() }

// NumberU64 implements Candidate.
func (t *tip) NumberU64() uint64 { return t.header.Number.Uint64() }

// TotalDifficulty implements Candidate.
func (t *tip) TotalDifficulty() *big.Int { return t.td }

// Turn implements Candidate.
func (t *tip) Turn() (index, signers uint64) { return t.index, t.signers }

// candidate returns header as a Candidate: its signer's index in the sorted
// signer list of the parent's snapshot, and that list's length.
func (f *ForkChoice) candidate(header *types.Header, td *big.Int) (*tip, error) {
	c := &tip{header: header, td: td}
	number := header.Number.Uint64()
	if number == 0 {
		return c, nil
	}
	signer, err := f.engine.Author(header)
	if err != nil {
		return nil, fmt.Errorf("signer of block %d: %w", number, err)
	}
	snap, err := f.engine.Snapshot(f.chain, number-1, header.ParentHash, nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot at block %d: %w", number-1, err)
	}
	signers := make([]common.Address, 0, len(snap.Signers))
	for s := range snap.Signers {
		signers = append(signers, s)
	}
	slices.SortFunc(signers, common.Address.Cmp)
	index, found := slices.BinarySearchFunc(signers, signer, common.Address.Cmp)
	if !found {
		return nil, fmt.Errorf("signer %s of block %d is not in its parent's snapshot", signer, number)
	}
	c.index, c.signers = uint64(index), uint64(len(signers))
	return c, nil
}
