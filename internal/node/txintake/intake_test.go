package txintake

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/genesis"
)

// harness is an intake on a fake pool and chain.
type harness struct {
	t     *testing.T
	cfg   Config
	chain *fakeChain
	pool  *fakePool
	in    *Intake
}

// newHarness returns an intake with a journal in a temporary directory
// (unless cfg.Journal is set) that is not started: tests drive check
// themselves unless they call Start.
func newHarness(t *testing.T, mutate func(*Config)) *harness {
	t.Helper()
	cfg := Defaults
	cfg.Journal = filepath.Join(t.TempDir(), "txs.journal")
	if mutate != nil {
		mutate(&cfg)
	}
	chain := newFakeChain()
	h := &harness{t: t, cfg: cfg, chain: chain, pool: newFakePool(chain)}
	h.in = h.newIntake()
	return h
}

func (h *harness) newIntake() *Intake {
	h.t.Helper()
	in, err := New(h.cfg, testConfig(), h.pool, h.chain)
	if err != nil {
		h.t.Fatalf("New: %v", err)
	}
	h.t.Cleanup(func() { in.Stop() })
	return in
}

// submit submits txs and fails the test on any error.
func (h *harness) submit(txs ...*types.Transaction) {
	h.t.Helper()
	for i, err := range h.in.Submit(context.Background(), txs) {
		if err != nil {
			h.t.Fatalf("Submit tx %d: %v", i, err)
		}
	}
}

// wantState checks a transaction's state and, if not empty, that its reason
// contains reason.
func (h *harness) wantState(tx *types.Transaction, state State, reason string) Status {
	h.t.Helper()
	st := h.in.Status(tx.Hash())
	if st.State != state {
		h.t.Errorf("status of %x: have %+v, want state %s", tx.Hash().Bytes()[:4], st, state)
	}
	if reason != "" && !strings.Contains(st.Reason, reason) {
		h.t.Errorf("reason of %x: have %q, want it to contain %q", tx.Hash().Bytes()[:4], st.Reason, reason)
	}
	return st
}

func TestSubmit(t *testing.T) {
	unprotected := types.MustSignNewTx(testKeys.key("alice"), types.HomesteadSigner{}, &types.LegacyTx{
		Nonce: 0, GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	otherChain := types.MustSignNewTx(testKeys.key("alice"), types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{
		ChainID: big.NewInt(1), GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	blob := types.MustSignNewTx(testKeys.key("alice"), types.NewCancunSigner(big.NewInt(testChainID)), &types.BlobTx{
		ChainID: uint256.NewInt(testChainID), GasTipCap: uint256.NewInt(1), GasFeeCap: uint256.NewInt(params.GWei), Gas: params.TxGas,
		To: recipient, BlobFeeCap: uint256.NewInt(1), BlobHashes: []common.Hash{{0x01}}})
	expensive := types.MustSignNewTx(testKeys.key("alice"), testSigner, &types.DynamicFeeTx{
		ChainID: big.NewInt(testChainID), GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100 * params.GWei), Gas: 20_000_000, To: &recipient})

	tests := []struct {
		name    string
		tx      *types.Transaction
		setup   func(h *harness, tx *types.Transaction)
		wantErr error  // nil: accepted
		wantMsg string // exact client-visible text, if set
		class   RejectClass
		state   State // after Submit, if accepted
	}{
		{name: "accepted", tx: transfer("alice", 0), state: StatePending},
		{name: "pool full is held", tx: transfer("alice", 0), setup: func(h *harness, _ *types.Transaction) { h.pool.setLimit(-1) }, state: StateQueued},
		{name: "underpriced against a full pool is held", tx: transfer("alice", 0),
			setup: func(h *harness, tx *types.Transaction) { h.pool.setRefuse(tx, txpool.ErrUnderpriced) }, state: StateQueued},
		{name: "unprotected", tx: unprotected, wantErr: errUnprotected,
			wantMsg: "only replay-protected (EIP-155) transactions allowed over RPC", class: RejectInvalid},
		// No blob market on a Clique chain, even under Cancun rules (ADR 044).
		{name: "blob transaction", tx: blob, wantErr: types.ErrTxTypeNotSupported,
			wantMsg: "transaction type not supported: blob transactions (type 3) are not accepted on a Clique chain: there is no blob market; send the data in calldata", class: RejectInvalid},
		{name: "fee above cap", tx: expensive, wantErr: errFeeCap,
			wantMsg: "tx fee (2.00 ether) exceeds the configured cap (1.00 ether)", class: RejectFee},
		{name: "wrong chain id", tx: otherChain, wantErr: txpool.ErrInvalidSender, class: RejectInvalid},
		{name: "nonce too low", tx: transfer("alice", 0), setup: func(h *harness, _ *types.Transaction) { h.chain.useNonce("alice", 4) },
			wantErr: core.ErrNonceTooLow, class: RejectNonce},
		{name: "insufficient funds", tx: transfer("alice", 0),
			setup:   func(h *harness, tx *types.Transaction) { h.pool.setRefuse(tx, core.ErrInsufficientFunds) },
			wantErr: core.ErrInsufficientFunds, class: RejectFunds},
		{name: "below pool minimum", tx: transfer("alice", 0),
			setup:   func(h *harness, tx *types.Transaction) { h.pool.setRefuse(tx, txpool.ErrTxGasPriceTooLow) },
			wantErr: txpool.ErrTxGasPriceTooLow, class: RejectFee},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			if tt.setup != nil {
				tt.setup(h, tt.tx)
			}
			err := h.in.Submit(context.Background(), []*types.Transaction{tt.tx})[0]
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("Submit: have %v, want %v", err, tt.wantErr)
			}
			if tt.wantMsg != "" && err.Error() != tt.wantMsg {
				t.Errorf("message: have %q, want %q", err, tt.wantMsg)
			}
			m := h.in.Metrics()
			if tt.wantErr != nil {
				if have := m.Rejected[tt.class]; have != 1 {
					t.Errorf("rejected[%s]: have %d, want 1 (all: %v)", tt.class, have, m.Rejected)
				}
				if m.Tracked != 0 || m.Journal.Records != 0 {
					t.Errorf("tracked/journaled: have %d/%d, want 0/0", m.Tracked, m.Journal.Records)
				}
				return
			}
			if m.Tracked != 1 || m.Journal.Records != 1 {
				t.Errorf("tracked/journaled: have %d/%d, want 1/1", m.Tracked, m.Journal.Records)
			}
			if have, want := m.Accepted+m.Deferred, uint64(1); have != want {
				t.Errorf("accepted+deferred: have %d, want %d", have, want)
			}
			h.wantState(tt.tx, tt.state, "")
		})
	}
}

func TestSubmitBatch(t *testing.T) {
	h := newHarness(t, nil)
	var txs []*types.Transaction
	for i := range 300 { // enough for parallel sender recovery
		txs = append(txs, transfer("batch", uint64(i)))
	}
	bad := types.MustSignNewTx(testKeys.key("alice"), types.HomesteadSigner{}, &types.LegacyTx{GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	batch := append([]*types.Transaction{bad}, txs...)
	batch = append(batch, txs[0]) // a duplicate: the pool knows it by then

	errs := h.in.Submit(context.Background(), batch)
	if !errors.Is(errs[0], errUnprotected) {
		t.Errorf("unprotected: have %v, want %v", errs[0], errUnprotected)
	}
	for i, err := range errs[1 : len(errs)-1] {
		if err != nil {
			t.Fatalf("tx %d: have %v, want nil", i, err)
		}
	}
	if err := errs[len(errs)-1]; !errors.Is(err, txpool.ErrAlreadyKnown) {
		t.Errorf("duplicate: have %v, want %v", err, txpool.ErrAlreadyKnown)
	}
	m := h.in.Metrics()
	if m.Accepted != 300 || m.Tracked != 300 || m.Journal.Records != 300 {
		t.Errorf("accepted/tracked/journaled: have %d/%d/%d, want 300/300/300", m.Accepted, m.Tracked, m.Journal.Records)
	}
	if m.Rejected[RejectKnown] != 1 || m.Rejected[RejectInvalid] != 1 {
		t.Errorf("rejected: have %v, want one known and one invalid", m.Rejected)
	}
}

// TestEvictedResubmitted is the 1.13 failure: the pool drops accepted
// transactions; the tracker must put them back.
func TestEvictedResubmitted(t *testing.T) {
	h := newHarness(t, nil)
	txs := []*types.Transaction{transfer("alice", 0), transfer("alice", 1), transfer("bob", 0)}
	h.submit(txs...)
	h.pool.remove(txs[0], txs[2])
	h.wantState(txs[0], StateQueued, "evicted from the pool")

	h.in.check()
	for _, tx := range txs {
		if !h.pool.Has(tx.Hash()) {
			t.Errorf("tx %x: have not in pool, want resubmitted", tx.Hash().Bytes()[:4])
		}
		h.wantState(tx, StatePending, "")
	}
	if have, want := h.in.Metrics().Resubmitted, uint64(2); have != want {
		t.Errorf("resubmitted: have %d, want %d", have, want)
	}
}

// TestHeldUntilRoom: transactions the full pool refused are accepted, held
// and resubmitted once there is room, oldest first.
func TestHeldUntilRoom(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.ResubmitBatch = 2 })
	h.pool.setLimit(1)
	txs := []*types.Transaction{transfer("alice", 0), transfer("bob", 0), transfer("carol", 0), transfer("dave", 0)}
	h.submit(txs...)
	h.wantState(txs[0], StatePending, "")
	for _, tx := range txs[1:] {
		h.wantState(tx, StateQueued, "txpool is full")
	}
	if m := h.in.Metrics(); m.Accepted != 1 || m.Deferred != 3 {
		t.Errorf("accepted/deferred: have %d/%d, want 1/3", m.Accepted, m.Deferred)
	}
	h.pool.setLimit(0)
	h.in.check() // batch of 2: the two oldest
	h.wantState(txs[1], StatePending, "")
	h.wantState(txs[2], StatePending, "")
	h.wantState(txs[3], StateQueued, "txpool is full")
	h.in.check()
	h.wantState(txs[3], StatePending, "")
}

func TestDropped(t *testing.T) {
	tests := []struct {
		name   string
		refuse error // the pool's answer to every resubmission
		checks int   // checks before the drop
		reason string
	}{
		{"permanent refusal drops at once", core.ErrInsufficientFunds, 1, "insufficient funds for gas * price + value"},
		{"gas limit lowered", txpool.ErrGasLimit, 1, "exceeds block gas limit"},
		{"full pool drops after max resubmissions", legacypool.ErrTxPoolOverflow, 4, "too many resubmissions (3): txpool is full"},
		{"replacement holds the nonce", txpool.ErrReplaceUnderpriced, 4, "too many resubmissions (3): replacement transaction underpriced"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			logs := captureLogs(t)
			h := newHarness(t, func(c *Config) { c.MaxResubmits = 3 })
			tx, other := transfer("alice", 0), transfer("bob", 0)
			h.submit(tx, other)
			h.pool.remove(tx)
			h.pool.setRefuse(tx, tt.refuse)

			for i := 1; i < tt.checks; i++ {
				h.in.check()
				h.wantState(tx, StateQueued, tt.refuse.Error())
			}
			h.in.check()
			h.wantState(tx, StateDropped, tt.reason)
			h.wantState(other, StatePending, "")
			if m := h.in.Metrics(); m.Dropped != 1 || m.Tracked != 1 {
				t.Errorf("dropped/tracked: have %d/%d, want 1/1", m.Dropped, m.Tracked)
			}
			if !hasLine(logs.String(), "Dropped transaction", tx.Hash().Hex(), tt.refuse.Error()) {
				t.Errorf("log: have %q, want a Dropped transaction line with hash and reason", logs)
			}
			// Dropped is final: later checks do not resubmit it.
			offers := h.pool.offers
			h.in.check()
			if h.pool.offers != offers {
				t.Errorf("offers after drop: have %d, want %d", h.pool.offers, offers)
			}
		})
	}
}

func TestMinedAndReplaced(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.FinalityDepth = 2 })
	a0, a1, b0 := transfer("alice", 0), transfer("alice", 1), transfer("bob", 0)
	h.submit(a0, a1, b0)

	block := h.chain.mine(a0)
	h.chain.useNonce("alice", 1) // a1's nonce taken by a transaction sent elsewhere
	h.in.check()

	st := h.wantState(a0, StateMined, "")
	if st.Block == nil || *st.Block != block {
		t.Errorf("block of a0: have %v, want %d", st.Block, block)
	}
	h.wantState(a1, StateReplaced, "nonce 1 used by another transaction")
	h.wantState(b0, StatePending, "")
	if have := h.in.Metrics().Tracked; have != 3 {
		t.Errorf("tracked before finality: have %d, want 3", have)
	}

	h.chain.mine() // head = a0's block + 2
	h.chain.mine()
	h.in.check()
	m := h.in.Metrics()
	if m.Tracked != 1 || m.Mined != 1 || m.Replaced != 1 {
		t.Errorf("tracked/mined/replaced: have %d/%d/%d, want 1/1/1", m.Tracked, m.Mined, m.Replaced)
	}
	// Outcomes outlive tracking.
	st = h.wantState(a0, StateMined, "")
	if st.Block == nil || *st.Block != block {
		t.Errorf("block of a0 after finality: have %v, want %d", st.Block, block)
	}
	h.wantState(a1, StateReplaced, "nonce 1")
	h.wantState(transfer("zed", 9), StateUnknown, "")
}

// TestReorgRevives: a transaction whose block a reorg removed is tracked
// again and resubmitted.
func TestReorgRevives(t *testing.T) {
	h := newHarness(t, nil)
	tx := transfer("alice", 0)
	h.submit(tx)
	h.chain.mine(tx)
	h.in.check()
	h.wantState(tx, StateMined, "")

	h.chain.unmine(tx)
	h.in.check()
	if !h.pool.Has(tx.Hash()) {
		t.Fatalf("pool: have not holding the reorged transaction, want resubmitted")
	}
	h.wantState(tx, StatePending, "")
}

func TestRestart(t *testing.T) {
	logs := captureLogs(t)
	h := newHarness(t, nil)
	mined, replaced := transfer("alice", 0), transfer("bob", 0)
	pending := []*types.Transaction{transfer("alice", 1), transfer("alice", 2), transfer("carol", 0)}
	held := transfer("dave", 0)
	h.submit(append([]*types.Transaction{mined, replaced}, pending...)...)
	h.pool.setLimit(h.pool.len())
	h.submit(held)
	h.chain.mine(mined)
	h.chain.useNonce("bob", 0)

	// A SIGKILL: no Stop, the pool's contents are gone, the chain stays.
	h.pool = newFakePool(h.chain)
	h.in = h.newIntake()
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	for _, tx := range append(pending, held) {
		if !h.pool.Has(tx.Hash()) {
			t.Errorf("tx %x: have not in pool after restart, want re-added", tx.Hash().Bytes()[:4])
		}
		h.wantState(tx, StatePending, "")
	}
	if h.pool.Has(mined.Hash()) || h.pool.Has(replaced.Hash()) {
		t.Errorf("pool: have settled transactions re-added, want them skipped")
	}
	h.wantState(mined, StateMined, "")
	h.wantState(replaced, StateReplaced, "")
	m := h.in.Metrics()
	// The mined and the replaced one stay tracked (settled) for FinalityDepth
	// blocks, in case a reorg revives them; the journal keeps the live ones.
	if m.Tracked != 6 || m.Journal.Records != 4 {
		t.Errorf("tracked/journaled after restart: have %d/%d, want 6/4 (journal compacted)", m.Tracked, m.Journal.Records)
	}
	if !hasLine(logs.String(), "Restored journaled transactions", "journaled=6", "readded=4", "mined=1", "replaced=1") {
		t.Errorf("log: have %q, want a Restored line with the counts", logs)
	}
}

// TestRestartDropsInvalid: a journaled transaction the pool now refuses for
// good is reported dropped, not lost and not retried.
func TestRestartDropsInvalid(t *testing.T) {
	h := newHarness(t, nil)
	tx := transfer("alice", 0)
	h.submit(tx)
	h.pool = newFakePool(h.chain)
	h.pool.setRefuse(tx, core.ErrInsufficientFunds)
	h.in = h.newIntake()
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	h.wantState(tx, StateDropped, "insufficient funds")
	if m := h.in.Metrics(); m.Tracked != 0 || m.Journal.Records != 0 {
		t.Errorf("tracked/journaled: have %d/%d, want 0/0", m.Tracked, m.Journal.Records)
	}
}

// TestCompaction: the journal is rewritten once most of it is settled.
func TestCompaction(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.CompactMin = 10; c.FinalityDepth = 0 })
	var txs []*types.Transaction
	for i := range 12 {
		txs = append(txs, transfer("alice", uint64(i)))
	}
	h.submit(txs...)
	h.chain.mine(txs[:5]...)
	h.in.check()
	if m := h.in.Metrics(); m.Journal.Records != 12 || m.Journal.Compacted != 0 {
		t.Errorf("records/compactions with 7 of 12 live: have %d/%d, want 12/0", m.Journal.Records, m.Journal.Compacted)
	}
	h.chain.mine(txs[5:10]...)
	h.in.check()
	if m := h.in.Metrics(); m.Journal.Records != 2 || m.Journal.Compacted != 1 {
		t.Errorf("records/compactions with 2 of 12 live: have %d/%d, want 2/1", m.Journal.Records, m.Journal.Compacted)
	}
	j, err := OpenJournal(h.cfg.Journal)
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	loaded, err := j.Load()
	if err != nil {
		t.Fatal(err)
	}
	if have, want := hashes(loaded), hashes(txs[10:]); len(have) != 2 || have[0] != want[0] || have[1] != want[1] {
		t.Errorf("journal: have %v, want %v", have, want)
	}
}

// TestCompactionBySize: a journal of few but large records is compacted
// once it passes CompactBytes (relayed ballot batches are ~116 KB each).
func TestCompactionBySize(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.CompactMin = 1_000; c.FinalityDepth = 0 })
	var txs []*types.Transaction
	for i := range 12 {
		txs = append(txs, transfer("alice", uint64(i)))
	}
	h.submit(txs...)
	size := h.in.journal.Size()
	h.in.cfg.CompactBytes = size + 1
	h.chain.mine(txs[:10]...)
	h.in.check()
	if m := h.in.Metrics(); m.Journal.Records != 12 || m.Journal.Compacted != 0 {
		t.Errorf("under both thresholds: records/compactions have %d/%d, want 12/0", m.Journal.Records, m.Journal.Compacted)
	}
	h.in.cfg.CompactBytes = size
	h.in.check()
	if m := h.in.Metrics(); m.Journal.Records != 2 || m.Journal.Compacted != 1 {
		t.Errorf("at CompactBytes with 2 of 12 live: records/compactions have %d/%d, want 2/1", m.Journal.Records, m.Journal.Compacted)
	}
}

// TestLoop: a started intake checks on new heads and on its timer.
func TestLoop(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Recheck = 20 * time.Millisecond; c.SyncInterval = 10 * time.Millisecond })
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	a, b := transfer("alice", 0), transfer("bob", 0)
	h.submit(a, b)
	h.chain.mine(a)
	h.pool.remove(b)
	waitFor(t, func() bool {
		return h.in.Status(a.Hash()).State == StateMined && h.pool.Has(b.Hash())
	})
	if err := h.in.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := h.in.Submit(context.Background(), []*types.Transaction{transfer("carol", 0)})[0]; !errors.Is(err, ErrStopped) {
		t.Errorf("Submit after Stop: have %v, want %v", err, ErrStopped)
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 5s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestNoJournal: without a journal path the intake tracks in memory.
func TestNoJournal(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.Journal = "" })
	tx := transfer("alice", 0)
	h.submit(tx)
	h.pool.remove(tx)
	h.in.check()
	h.wantState(tx, StatePending, "")
	if m := h.in.Metrics(); m.Journal != (JournalMetrics{}) {
		t.Errorf("journal metrics: have %+v, want zero", m.Journal)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string // part of the error; empty: valid
	}{
		{"defaults", func(*Config) {}, ""},
		{"no sync interval", func(c *Config) { c.SyncInterval = 0 }, "invalid SyncInterval: have 0s, want > 0"},
		{"no resubmits", func(c *Config) { c.MaxResubmits = 0 }, "invalid MaxResubmits: have 0, want >= 1"},
		{"negative fee cap", func(c *Config) { c.RPCTxFeeCap = -1 }, "invalid RPCTxFeeCap: have -1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := Defaults
			tt.mutate(&cfg)
			err := cfg.Validate()
			if tt.want == "" && err != nil || tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)) {
				t.Errorf("Validate: have %v, want %q", err, tt.want)
			}
		})
	}
}

// TestConcurrent runs submissions, status queries, evictions, blocks and
// the tracker at once (for the race detector) and then checks that every
// transaction ended up mined or back in the pool.
func TestConcurrent(t *testing.T) {
	h := newHarness(t, func(c *Config) {
		c.Recheck = time.Millisecond
		c.SyncInterval = time.Millisecond
		c.CompactMin = 8
		c.FinalityDepth = 1
	})
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	const senders, perSender = 4, 40
	var all []*types.Transaction
	var wg sync.WaitGroup
	for s := range senders {
		var txs []*types.Transaction
		for n := range perSender {
			txs = append(txs, transfer(fmt.Sprintf("conc%d", s), uint64(n)))
		}
		all = append(all, txs...)
		wg.Go(func() {
			for i := 0; i < len(txs); i += 4 {
				h.submit(txs[i : i+4]...)
				h.in.Status(txs[i].Hash())
				h.pool.remove(txs[i+1])
				if i%8 == 4 && i < 30 { // mines nonces 0-31 in order, leaves 32-39 pending
					h.chain.mine(txs[i-4 : i+4]...)
				}
				h.in.Metrics()
			}
		})
	}
	wg.Wait()
	waitFor(t, func() bool {
		for _, tx := range all {
			want := StatePending
			if tx.Nonce() < 32 {
				want = StateMined
			}
			if h.in.Status(tx.Hash()).State != want {
				return false
			}
		}
		return true
	})
	if m := h.in.Metrics(); m.Dropped != 0 || m.Journal.Errors != 0 {
		t.Errorf("dropped/journal errors: have %d/%d, want 0/0", m.Dropped, m.Journal.Errors)
	}
}

// TestSubmitAnnounces checks that the transactions the pool takes are announced
// at once to subscribers (the sealer), and refused ones are not.
func TestSubmitAnnounces(t *testing.T) {
	h := newHarness(t, nil)
	ch := make(chan core.NewTxsEvent, 4)
	sub := h.in.SubscribeTransactions(ch)
	defer sub.Unsubscribe()

	good := transfer("alice", 0)
	bad := types.MustSignNewTx(testKeys.key("alice"), types.HomesteadSigner{}, &types.LegacyTx{GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	h.in.Submit(context.Background(), []*types.Transaction{bad, good})
	select {
	case ev := <-ch:
		if len(ev.Txs) != 1 || ev.Txs[0].Hash() != good.Hash() {
			t.Fatalf("announced: have %d txs, want only the accepted %v", len(ev.Txs), good.Hash())
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no announcement within 5s of Submit")
	}
}

// TestKeylessSystemDeployment: of the unprotected transactions only the four
// system contracts' keyless deployments are admitted, and only once the head
// runs Shanghai rules (ADR 063); another unprotected transaction is still
// refused then.
func TestKeylessSystemDeployment(t *testing.T) {
	deploy := genesis.SystemDeployments()[0].Tx
	h := newHarness(t, nil)
	err := h.in.Submit(context.Background(), []*types.Transaction{deploy})[0]
	if !errors.Is(err, errUnprotected) || !strings.Contains(err.Error(), "only after Shanghai") {
		t.Fatalf("before Shanghai: have %v, want a refusal naming Shanghai", err)
	}
	shanghai := *testConfig()
	zero := uint64(0)
	shanghai.ShanghaiTime = &zero
	h.in.config = &shanghai
	if err := h.in.Submit(context.Background(), []*types.Transaction{deploy})[0]; err != nil {
		t.Fatalf("after Shanghai: %v", err)
	}
	other := types.MustSignNewTx(testKeys.key("alice"), types.HomesteadSigner{}, &types.LegacyTx{GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	if err := h.in.Submit(context.Background(), []*types.Transaction{other})[0]; !errors.Is(err, errUnprotected) || err.Error() != errUnprotected.Error() {
		t.Fatalf("another unprotected transaction after Shanghai: have %v, want %v", err, errUnprotected)
	}
}
