package sealer

import (
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
)

// env is an in-memory chain whose blocks are verified by upstream Clique (in
// the beacon wrapper, as in a real node), with a transaction pool.
type env struct {
	t      *testing.T
	chain  *core.BlockChain
	pool   *txpool.TxPool
	engine *clique.Engine
	gspec  *core.Genesis
	keys   []*ecdsa.PrivateKey
}

func newEnv(t *testing.T, period uint64) *env {
	t.Helper()
	return newEnvSigners(t, period, 1)
}

// newEnvSigners is newEnv with the first n dev accounts as signers.
func newEnvSigners(t *testing.T, period uint64, n int) *env {
	t.Helper()
	return newEnvAt(t, period, n, 0)
}

// newEnvAt is newEnvSigners with a genesis time (seconds since the epoch): one
// in the future makes the first block's slot, and so the sealer's waits,
// independent of when the test runs.
func newEnvAt(t *testing.T, period uint64, n int, timestamp uint64) *env {
	t.Helper()
	return newEnvForks(t, period, n, timestamp, genesis.Forks{})
}

// newEnvForks is newEnvAt with the transition's forks scheduled (ADR 044).
func newEnvForks(t *testing.T, period uint64, n int, timestamp uint64, forks genesis.Forks) *env {
	t.Helper()
	accounts := genesis.DevAccounts(3)
	alloc := types.GenesisAlloc{}
	for _, a := range accounts {
		alloc[a.Address] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}
	}
	spec := genesis.DefaultSpec()
	spec.ChainID = 4242
	spec.Period = period
	spec.Timestamp = timestamp
	spec.Forks = forks
	for _, a := range accounts[:n] {
		spec.Signers = append(spec.Signers, a.Address)
	}
	spec.Alloc = alloc
	gspec, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	db := rawdb.NewMemoryDatabase()
	engine := clique.New(gspec.Config.Clique, db)
	var chainEngine consensus.Engine = beacon.New(upstream.New(gspec.Config.Clique, db))
	if forks.Any() {
		chainEngine = clique.NewChainEngine(engine, chainEngine)
	}
	chain, err := core.NewBlockChain(db, gspec, chainEngine, core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	pool, err := txpool.New(1, chain, []txpool.SubPool{legacypool.New(legacypool.DefaultConfig, chain)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		pool.Close()
		chain.Stop()
	})
	keys := make([]*ecdsa.PrivateKey, len(accounts))
	for i, a := range accounts {
		keys[i] = a.Key
	}
	return &env{t: t, chain: chain, pool: pool, engine: engine, gspec: gspec, keys: keys}
}

func (e *env) signFn(key *ecdsa.PrivateKey) clique.SignerFn {
	return func(_ common.Address, hash []byte) ([]byte, error) { return crypto.Sign(hash, key) }
}

func (e *env) newSealer(signer int, guard Guard) *Sealer {
	e.t.Helper()
	cfg := DefaultConfig()
	cfg.Signer = crypto.PubkeyToAddress(e.keys[signer].PublicKey)
	s, err := New(cfg, e.engine, e.chain, e.pool, chainSink{e.chain}, guard, e.signFn(e.keys[signer]))
	if err != nil {
		e.t.Fatal(err)
	}
	return s
}

// transfer signs a 1 wei transfer from account `from` with nonce.
func (e *env) transfer(from int, nonce uint64) *types.Transaction {
	to := common.Address{0xc1, 0x7c}
	tx, err := types.SignNewTx(e.keys[from], types.LatestSignerForChainID(e.gspec.Config.ChainID), &types.DynamicFeeTx{
		ChainID: e.gspec.Config.ChainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10e9),
		Gas: 21000, To: &to, Value: big.NewInt(1),
	})
	if err != nil {
		e.t.Fatal(err)
	}
	return tx
}

// waitHead waits for the chain head to reach number.
func (e *env) waitHead(number uint64) *types.Block {
	e.t.Helper()
	heads := make(chan core.ChainHeadEvent, 16)
	sub := e.chain.SubscribeChainHeadEvent(heads)
	defer sub.Unsubscribe()
	timeout := time.After(20 * time.Second)
	for e.chain.CurrentBlock().Number.Uint64() < number {
		select {
		case <-heads:
		case <-timeout:
			e.t.Fatalf("head: have %d, want %d within 20s", e.chain.CurrentBlock().Number, number)
		}
	}
	return e.chain.GetBlockByNumber(number)
}

// statsAfter returns the sealer's stats once they count at least sealed
// blocks, waiting at most 20 s: the sink makes a block the head before the
// sealer counts it, so a test that saw the head may look before the count.
func statsAfter(t *testing.T, s *Sealer, sealed uint64) Stats {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	st := s.Stats()
	for st.Sealed < sealed && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
		st = s.Stats()
	}
	return st
}

type chainSink struct{ chain *core.BlockChain }

func (s chainSink) InsertSealed(block *types.Block, _ types.Receipts, _ *state.StateDB) error {
	_, err := s.chain.InsertChain(types.Blocks{block})
	return err
}

// TestSealPendingTransactions: with period 0 the sealer seals as soon as
// transactions are pending; upstream Clique accepts the block; the guard holds it.
func TestSealPendingTransactions(t *testing.T) {
	e := newEnv(t, 0)
	guard := new(MemGuard)
	s := e.newSealer(0, guard)
	txs := []*types.Transaction{e.transfer(1, 0), e.transfer(1, 1), e.transfer(2, 0)}
	for i, err := range e.pool.Add(txs, true) {
		if err != nil {
			t.Fatalf("add tx %d: %v", i, err)
		}
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()

	block := e.waitHead(1)
	if have := len(block.Transactions()); have != len(txs) {
		t.Fatalf("transactions in block 1: have %d, want %d", have, len(txs))
	}
	if have, want := block.Difficulty().Uint64(), uint64(2); have != want {
		t.Fatalf("difficulty of an in-turn block: have %d, want %d", have, want)
	}
	signer, err := e.engine.Author(block.Header())
	if err != nil || signer != crypto.PubkeyToAddress(e.keys[0].PublicKey) {
		t.Fatalf("author: have %v (err %v), want signer 0", signer, err)
	}
	saved, _ := guard.Load()
	if saved == nil || saved.Hash() != block.Hash() {
		t.Fatalf("guard: have %v, want block 1 %v", saved, block.Hash())
	}
	if st := statsAfter(t, s, 1); st.Sealed < 1 || st.Txs < uint64(len(txs)) {
		t.Fatalf("stats: have %+v, want >= 1 block with %d txs", st, len(txs))
	}
}

// TestRereleaseGuardedBlock: a block signed before a restart is released as it
// was, not replaced by a fresh one at the same height.
func TestRereleaseGuardedBlock(t *testing.T) {
	// Seal block 1 on a first chain.
	first := newEnv(t, 0)
	guard := new(MemGuard)
	s := first.newSealer(0, guard)
	first.pool.Add([]*types.Transaction{first.transfer(1, 0)}, true)
	s.Start()
	block := first.waitHead(1)
	s.Stop()

	// A second node with the same genesis and the guard, but other pending
	// transactions: it must release the guarded block, byte for byte.
	second := newEnv(t, 0)
	second.pool.Add([]*types.Transaction{second.transfer(2, 0), second.transfer(2, 1)}, true)
	s2 := second.newSealer(0, guard)
	s2.Start()
	defer s2.Stop()
	if have := second.waitHead(1); have.Hash() != block.Hash() {
		t.Fatalf("block 1 after restart: have %v, want the guarded %v", have.Hash(), block.Hash())
	}
}

// TestRoundRefuses checks the reasons a round does not seal, each with its
// error. Each round must return within refuseWithin: a round that does not
// refuse would wait (with period 0) for transactions that never come.
func TestRoundRefuses(t *testing.T) {
	const refuseWithin = 5 * time.Second
	e := newEnv(t, 0)
	genesisHeader := e.chain.CurrentBlock()
	round := func(s *Sealer) error {
		t.Helper()
		ev := &events{heads: make(chan core.ChainHeadEvent), txs: make(chan core.NewTxsEvent), quit: make(chan struct{})}
		done := make(chan error, 1)
		go func() { done <- s.round(genesisHeader, ev) }()
		select {
		case err := <-done:
			return err
		case <-time.After(refuseWithin):
			close(ev.quit)
			<-done
			return fmt.Errorf("no refusal within %v", refuseWithin)
		}
	}

	// A guard holding a block at height 1 on another parent: sealing height 1
	// again would sign two different blocks at one height.
	other := types.NewBlockWithHeader(&types.Header{Number: big.NewInt(1), ParentHash: common.Hash{1}, Difficulty: big.NewInt(2)})
	guard := &MemGuard{block: other}
	if err := round(e.newSealer(0, guard)); !errors.Is(err, errDoubleSign) {
		t.Errorf("guarded height: have %v, want %v", err, errDoubleSign)
	}
	// A guard holding a block above the parent's child: below a signed height.
	above := types.NewBlockWithHeader(&types.Header{Number: big.NewInt(3), ParentHash: common.Hash{3}, Difficulty: big.NewInt(2)})
	if err := round(e.newSealer(0, &MemGuard{block: above})); !errors.Is(err, errDoubleSign) {
		t.Errorf("below a guarded height: have %v, want %v", err, errDoubleSign)
	}
	// An account that is not a signer.
	if err := round(e.newSealer(1, new(MemGuard))); !errors.Is(err, clique.ErrUnauthorizedSigner) {
		t.Errorf("unauthorized signer: have %v, want %v", err, clique.ErrUnauthorizedSigner)
	}
}

// TestConfigValidate checks each configuration error.
func TestConfigValidate(t *testing.T) {
	ok := DefaultConfig()
	ok.Signer = common.Address{1}
	tests := []struct {
		name   string
		mutate func(*Config)
		fail   bool
	}{
		{"valid", func(*Config) {}, false},
		{"no signer", func(c *Config) { c.Signer = common.Address{} }, true},
		{"gas ceiling too low", func(c *Config) { c.GasCeil = 1 }, true},
		{"extra too long", func(c *Config) { c.Extra = make([]byte, 33) }, true},
		{"negative tip", func(c *Config) { c.MinTip = big.NewInt(-1) }, true},
		{"no recommit", func(c *Config) { c.Recommit = 0 }, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := ok
			tt.mutate(&c)
			if err := c.Validate(); (err != nil) != tt.fail {
				t.Fatalf("have err %v, want failure %v", err, tt.fail)
			}
		})
	}
}

// TestFileGuard checks that the file guard round-trips and reports corruption.
func TestFileGuard(t *testing.T) {
	path := t.TempDir() + "/guard.rlp"
	g := NewFileGuard(path)
	if b, err := g.Load(); b != nil || err != nil {
		t.Fatalf("empty guard: have %v, %v; want nil, nil", b, err)
	}
	block := types.NewBlockWithHeader(&types.Header{Number: big.NewInt(7), Difficulty: big.NewInt(2), Extra: make([]byte, 97)})
	if err := g.Save(block); err != nil {
		t.Fatal(err)
	}
	loaded, err := NewFileGuard(path).Load()
	if err != nil || loaded.Hash() != block.Hash() {
		t.Fatalf("reloaded guard: have %v (err %v), want %v", loaded.Hash(), err, block.Hash())
	}
	if err := writeFile(path, []byte{0xff, 0x00}); err != nil {
		t.Fatal(err)
	}
	if _, err := g.Load(); err == nil {
		t.Fatal("corrupt guard: have nil error, want one")
	}
}

func writeFile(path string, data []byte) error { return os.WriteFile(path, data, 0o600) }

// firstWork is the work of block 1 on the genesis, by signer 0, before any
// transaction: what the fill tests apply transactions to.
func (e *env) firstWork() *work {
	e.t.Helper()
	parent := e.chain.CurrentBlock()
	statedb, err := e.chain.StateAt(parent.Root, parent.Number, parent.Time)
	if err != nil {
		e.t.Fatal(err)
	}
	header := &types.Header{ParentHash: parent.Hash(), Number: big.NewInt(1), GasLimit: parent.GasLimit, Time: parent.Time + 1,
		Difficulty: big.NewInt(2), BaseFee: big.NewInt(1e9), Extra: make([]byte, 97)}
	signer := crypto.PubkeyToAddress(e.keys[0].PublicKey)
	return newWork(e.gspec.Config, e.chain, header, signer, statedb, new(big.Int))
}

// TestFillIncoming checks the streaming path: transactions from pool events
// are applied in nonce order, those already in the block are skipped, and a
// nonce gap leaves the account's later transactions for the next block.
func TestFillIncoming(t *testing.T) {
	e := newEnv(t, 1)
	w := e.firstWork()

	a0, a1, a2 := e.transfer(1, 0), e.transfer(1, 1), e.transfer(1, 2)
	b0, b2 := e.transfer(2, 0), e.transfer(2, 2) // b1 missing: a gap
	for _, tx := range []*types.Transaction{a0, a1, a2, b0, b2} {
		types.Sender(types.LatestSigner(e.gspec.Config), tx)
	}
	w.incoming = []*types.Transaction{a1, a0, b2, b0}
	w.fillIncoming()
	w.incoming = append(w.incoming, a0, a1, a2) // a0, a1 again: already in the block
	w.fillIncoming()

	var have []common.Hash
	for _, tx := range w.txs {
		have = append(have, tx.Hash())
	}
	wantSet := map[common.Hash]bool{a0.Hash(): true, a1.Hash(): true, a2.Hash(): true, b0.Hash(): true}
	if len(have) != len(wantSet) {
		t.Fatalf("transactions in the block: have %d, want %d (a0 a1 a2 b0; b2 waits behind the gap)", len(have), len(wantSet))
	}
	for _, h := range have {
		if !wantSet[h] {
			t.Fatalf("unexpected transaction %v in the block", h)
		}
	}
	// Per account, nonces ascend in block order.
	last := map[common.Address]uint64{}
	for _, tx := range w.txs {
		from, _ := types.Sender(w.signer, tx)
		if n, ok := last[from]; ok && tx.Nonce() != n+1 {
			t.Fatalf("nonce order of %v: have %d after %d", from, tx.Nonce(), n)
		}
		last[from] = tx.Nonce()
	}
	if len(w.incoming) != 0 {
		t.Fatalf("incoming after fill: have %d, want 0", len(w.incoming))
	}
}

// TestFillStopsAtDeadline: no transaction is applied once the time to fill
// the block is over; the next fill after the deadline moved applies them.
func TestFillStopsAtDeadline(t *testing.T) {
	e := newEnv(t, 1)
	w := e.firstWork()
	txs := []*types.Transaction{e.transfer(1, 0), e.transfer(1, 1)}
	for _, tx := range txs {
		types.Sender(types.LatestSigner(e.gspec.Config), tx)
	}
	w.deadline = time.Now().Add(-time.Millisecond)
	w.incoming = append(w.incoming, txs...)
	w.fillIncoming()
	if len(w.txs) != 0 {
		t.Fatalf("transactions applied after the deadline: have %d, want 0", len(w.txs))
	}
	w.deadline = time.Now().Add(time.Minute)
	w.incoming = append(w.incoming, txs...)
	w.fillIncoming()
	if len(w.txs) != 2 {
		t.Fatalf("transactions applied before the deadline: have %d, want 2", len(w.txs))
	}
}

// slowPool hands out the pending set after a delay, as the pool does while it
// resets to a new head under its lock.
type slowPool struct {
	Pool
	delay time.Duration
}

func (p slowPool) Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int) {
	time.Sleep(p.delay)
	return p.Pool.Pending(filter)
}

// TestFillFirstAfterSlowPool: a round whose time to fill ran out while it
// waited for the pool's pending set still applies it for the least time
// given, counted from when the pool handed it over (it sealed empty blocks
// with thousands of transactions pending).
func TestFillFirstAfterSlowPool(t *testing.T) {
	e := newEnv(t, 1)
	w := e.firstWork()
	txs := []*types.Transaction{e.transfer(1, 0), e.transfer(1, 1), e.transfer(2, 0)}
	for i, err := range e.pool.Add(txs, true) {
		if err != nil {
			t.Fatalf("add tx %d: %v", i, err)
		}
	}
	w.deadline = time.Now().Add(20 * time.Millisecond)
	w.fillFirst(slowPool{Pool: e.pool, delay: 100 * time.Millisecond}, time.Minute)
	if len(w.txs) != len(txs) {
		t.Fatalf("transactions applied after a slow pool: have %d, want %d", len(w.txs), len(txs))
	}
	if w.poolWait < 100*time.Millisecond {
		t.Errorf("pool wait: have %v, want at least the pool's 100ms", w.poolWait)
	}
}

// stalePool reports a transaction the head already holds as pending whenever
// the pool has nothing else, as the pool does until it has reset to a new
// head.
type stalePool struct {
	Pool
	stale *types.Transaction
	from  common.Address
	on    atomic.Bool
}

func (p *stalePool) Pending(filter txpool.PendingFilter) (map[common.Address][]*txpool.LazyTransaction, int) {
	pending, n := p.Pool.Pending(filter)
	if n == 0 && p.on.Load() {
		tx := p.stale
		lazy := &txpool.LazyTransaction{Hash: tx.Hash(), Tx: tx, Time: tx.Time(), Gas: tx.Gas(),
			GasFeeCap: uint256.MustFromBig(tx.GasFeeCap()), GasTipCap: uint256.MustFromBig(tx.GasTipCap())}
		return map[common.Address][]*txpool.LazyTransaction{p.from: {lazy}}, 1
	}
	return pending, n
}

// TestPeriodZeroModernNoStaleBlock: on a period-0 chain with the transition's
// forks, a pending set holding only what the head already has seals no
// block; the next transaction does (an empty block made TestDevModernEVM's
// exported head differ from the one it read, under load).
func TestPeriodZeroModernNoStaleBlock(t *testing.T) {
	e := newEnvForks(t, 0, 1, 0, genesis.ForksAt(0))
	first := e.transfer(1, 0)
	pool := &stalePool{Pool: e.pool, stale: first, from: crypto.PubkeyToAddress(e.keys[1].PublicKey)}
	cfg := DefaultConfig()
	cfg.Signer = crypto.PubkeyToAddress(e.keys[0].PublicKey)
	s, err := New(cfg, e.engine, e.chain, pool, chainSink{e.chain}, new(MemGuard), e.signFn(e.keys[0]))
	if err != nil {
		t.Fatal(err)
	}
	heads := make(chan core.ChainHeadEvent, 16)
	sub := e.chain.SubscribeChainHeadEvent(heads)
	defer sub.Unsubscribe()
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	if errs := e.pool.Add([]*types.Transaction{first}, true); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if have := len(e.waitHead(1).Transactions()); have != 1 {
		t.Fatalf("transactions in block 1: have %d, want 1", have)
	}
	pool.on.Store(true) // from now on the pool reports block 1's transaction as pending
	// No event marks a block not sealed: give a stale round time to seal one.
	quiet := time.After(time.Second)
	for waiting := true; waiting; {
		select {
		case ev := <-heads:
			if ev.Header.Number.Uint64() > 1 {
				t.Fatalf("sealed block %d with %d transactions from a stale pending set", ev.Header.Number, len(e.chain.GetBlockByHash(ev.Header.Hash()).Transactions()))
			}
		case <-quiet:
			waiting = false
		}
	}
	if errs := e.pool.Add([]*types.Transaction{e.transfer(2, 0)}, true); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if have := len(e.waitHead(2).Transactions()); have != 1 {
		t.Fatalf("transactions in block 2: have %d, want the new one", have)
	}
}

// TestFillDeadline checks when a round stops applying transactions, with a
// period of one second and 50 ms kept for hashing.
func TestFillDeadline(t *testing.T) {
	const finalize = 50 * time.Millisecond
	release := time.Unix(1_000_000, 0)
	ms := func(n int) time.Duration { return time.Duration(n) * time.Millisecond }
	tests := []struct {
		name  string
		start time.Duration // round start relative to release
		want  time.Duration // deadline relative to release
	}{
		{"early round: on time", -ms(900), -finalize},
		{"half a period left: on time", -ms(550), -finalize},
		{"parent came late: half a period to fill", -ms(300), ms(200)},
		{"parent came later: past release by a quarter period at most", -ms(100), ms(250) - finalize},
		{"round after its release: a quarter period", ms(100), ms(350)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			have := fillDeadline(release.Add(tt.start), release, finalize, 1)
			if want := release.Add(tt.want); !have.Equal(want) {
				t.Fatalf("have release%+v, want release%+v", have.Sub(release), want.Sub(release))
			}
		})
	}
}

// TestSignerUnavailable: a header signer (an external signer) that does not
// answer leaves the sealer running, counted and marked down, with the block
// not released and nothing recorded by the guard; once it answers, the
// sealer seals the block at the next try.
func TestSignerUnavailable(t *testing.T) {
	e := newEnv(t, 0)
	guard := new(MemGuard)
	cfg := DefaultConfig()
	cfg.Signer = crypto.PubkeyToAddress(e.keys[0].PublicKey)
	var up atomic.Bool
	cfg.SignHeader = func(signer common.Address, h *types.Header) ([]byte, error) {
		if !up.Load() {
			return nil, fmt.Errorf("%w: connection refused", ErrSignerUnavailable)
		}
		hash, err := clique.SealHash(h)
		if err != nil {
			return nil, err
		}
		return crypto.Sign(hash.Bytes(), e.keys[0])
	}
	s, err := New(cfg, e.engine, e.chain, e.pool, chainSink{e.chain}, guard, e.signFn(e.keys[1]))
	if err != nil {
		t.Fatal(err)
	}
	if errs := e.pool.Add([]*types.Transaction{e.transfer(1, 0)}, true); errs[0] != nil {
		t.Fatal(errs[0])
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	defer s.Stop()
	deadline := time.Now().Add(20 * time.Second)
	for st := s.Stats(); st.SignFailures < 2 || !st.SignerDown; st = s.Stats() {
		if time.Now().After(deadline) {
			t.Fatalf("stats with the signer down: have %+v, want 2 or more failures and SignerDown", st)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if head := e.chain.CurrentBlock().Number.Uint64(); head != 0 {
		t.Fatalf("head with the signer down: have %d, want 0", head)
	}
	if saved, _ := guard.Load(); saved != nil {
		t.Fatalf("guard recorded block %d that was never signed", saved.NumberU64())
	}
	up.Store(true)
	block := e.waitHead(1)
	if author, err := e.engine.Author(block.Header()); err != nil || author != cfg.Signer {
		t.Errorf("author: have %s (%v), want the header signer's %s", author, err, cfg.Signer)
	}
	if st := statsAfter(t, s, 1); st.SignerDown || st.Sealed != 1 {
		t.Errorf("stats once the signer is back: have %+v, want SignerDown false and 1 block sealed", st)
	}
}
