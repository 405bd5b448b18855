package txintake

import (
	"bytes"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/event"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
)

// testChainID is the chain id of every test transaction.
const testChainID = 1337

// testConfig returns the chain config of a citychain genesis.
func testConfig() *params.ChainConfig {
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = testChainID, 1
	spec.Signers = []common.Address{{0x51}}
	g, err := genesis.Build(spec)
	if err != nil {
		panic(err)
	}
	return g.Config
}

// keyring maps labels ("alice", "bob") to deterministic keys.
type keyring struct {
	mu   sync.Mutex
	keys map[string]*ecdsa.PrivateKey
}

func newKeyring() *keyring { return &keyring{keys: make(map[string]*ecdsa.PrivateKey)} }

func (k *keyring) key(label string) *ecdsa.PrivateKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[label]; ok {
		return key
	}
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("txintake test key " + label)))
	if err != nil {
		panic(err)
	}
	k.keys[label] = key
	return key
}

func (k *keyring) addr(label string) common.Address {
	return crypto.PubkeyToAddress(k.key(label).PublicKey)
}

var (
	testKeys   = newKeyring()
	testSigner = types.LatestSigner(testConfig())
	recipient  = common.HexToAddress("0x00000000000000000000000000000000c17ec17e")
)

// transfer returns a signed EIP-1559 transfer from label with the nonce.
func transfer(label string, nonce uint64) *types.Transaction {
	return transferFee(label, nonce, big.NewInt(2*params.GWei))
}

// transferFee returns a signed EIP-1559 transfer with the given fee cap.
func transferFee(label string, nonce uint64, feeCap *big.Int) *types.Transaction {
	return types.MustSignNewTx(testKeys.key(label), testSigner, &types.DynamicFeeTx{
		ChainID:   big.NewInt(testChainID),
		Nonce:     nonce,
		GasTipCap: big.NewInt(params.GWei),
		GasFeeCap: feeCap,
		Gas:       params.TxGas,
		To:        &recipient,
		Value:     big.NewInt(1),
	})
}

// fakeChain is an in-memory Chain: a head number, account nonces at the head
// and the blocks transactions were mined in. Its heads are linked headers, so
// that the tracker can tell a block on top of the last head from a reorg.
type fakeChain struct {
	mu     sync.Mutex
	number uint64
	head   *types.Header // at number; nil at genesis
	nonces map[common.Address]uint64
	mined  map[common.Hash]uint64
	feed   event.Feed
	pool   *fakePool // mined transactions leave it, as they leave a real pool
	looked int       // calls of GetCanonicalTransaction
}

func newFakeChain() *fakeChain {
	return &fakeChain{nonces: make(map[common.Address]uint64), mined: make(map[common.Hash]uint64)}
}

func (c *fakeChain) CurrentBlock() *types.Header {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.head == nil {
		return &types.Header{Number: new(big.Int), Root: types.EmptyRootHash}
	}
	return types.CopyHeader(c.head)
}

// nextHeadLocked makes a new head on top of parent (nil: the current head)
// and returns a copy of it for an event.
func (c *fakeChain) nextHeadLocked(parent *types.Header) *types.Header {
	if parent == nil {
		parent = c.head
		if parent == nil {
			parent = &types.Header{Number: new(big.Int), Root: types.EmptyRootHash}
		}
	}
	c.number++
	c.head = &types.Header{ParentHash: parent.Hash(), Number: new(big.Int).SetUint64(c.number), Root: types.EmptyRootHash}
	return types.CopyHeader(c.head)
}

func (c *fakeChain) StateAt(root common.Hash, number *big.Int, time uint64) (*state.StateDB, error) {
	statedb, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	for addr, n := range c.nonces {
		statedb.SetNonce(addr, n, tracing.NonceChangeUnspecified)
	}
	return statedb, nil
}

func (c *fakeChain) GetCanonicalTransaction(hash common.Hash) (*rawdb.LegacyTxLookupEntry, *types.Transaction) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.looked++
	n, ok := c.mined[hash]
	if !ok {
		return nil, nil
	}
	return &rawdb.LegacyTxLookupEntry{BlockIndex: n}, nil
}

func (c *fakeChain) SubscribeChainEvent(ch chan<- core.ChainEvent) event.Subscription {
	return c.feed.Subscribe(ch)
}

func (c *fakeChain) nonce(addr common.Address) uint64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.nonces[addr]
}

// mine adds a block holding txs and announces it.
func (c *fakeChain) mine(txs ...*types.Transaction) uint64 {
	c.mu.Lock()
	header := c.nextHeadLocked(nil)
	for _, tx := range txs {
		from, _ := types.Sender(testSigner, tx)
		c.mined[tx.Hash()] = c.number
		c.nonces[from] = max(c.nonces[from], tx.Nonce()+1)
	}
	number := c.number
	c.mu.Unlock()
	if c.pool != nil {
		c.pool.remove(txs...)
	}
	c.feed.Send(core.ChainEvent{Header: header, Transactions: txs})
	return number
}

// useNonce adds a block in which another transaction of label used nonce.
func (c *fakeChain) useNonce(label string, nonce uint64) {
	c.mu.Lock()
	c.nextHeadLocked(nil)
	addr := testKeys.addr(label)
	c.nonces[addr] = max(c.nonces[addr], nonce+1)
	c.mu.Unlock()
}

// unmine reverts a block holding txs (a reorg to a branch without them).
func (c *fakeChain) unmine(txs ...*types.Transaction) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nextHeadLocked(nil)
	for _, tx := range txs {
		from, _ := types.Sender(testSigner, tx)
		delete(c.mined, tx.Hash())
		c.nonces[from] = min(c.nonces[from], tx.Nonce())
	}
}

// reorg replaces the head by a block of another branch (its parent is not
// the old head) that holds txs, taking away the blocks that held gone, and
// announces it as go-ethereum does: one event, for the new head.
func (c *fakeChain) reorg(gone []*types.Transaction, txs ...*types.Transaction) uint64 {
	c.mu.Lock()
	for _, tx := range gone {
		from, _ := types.Sender(testSigner, tx)
		delete(c.mined, tx.Hash())
		c.nonces[from] = min(c.nonces[from], tx.Nonce())
	}
	fork := &types.Header{Number: new(big.Int).SetUint64(c.number), Root: types.EmptyRootHash, Extra: []byte("fork")}
	header := c.nextHeadLocked(fork)
	for _, tx := range txs {
		from, _ := types.Sender(testSigner, tx)
		c.mined[tx.Hash()] = c.number
		c.nonces[from] = max(c.nonces[from], tx.Nonce()+1)
	}
	number := c.number
	c.mu.Unlock()
	if c.pool != nil {
		c.pool.remove(txs...)
	}
	c.feed.Send(core.ChainEvent{Header: header, Transactions: txs})
	return number
}

// setNonce moves an account's nonce at the head without a block naming it
// (an EIP-7702 delegation's code creating a contract, say).
func (c *fakeChain) setNonce(label string, nonce uint64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.nonces[testKeys.addr(label)] = nonce
}

// fakePool is an in-memory Pool with a capacity; tests evict from it and
// make it refuse chosen transactions.
type fakePool struct {
	mu     sync.Mutex
	chain  *fakeChain
	txs    map[common.Hash]*types.Transaction
	limit  int                   // transactions held at most; 0 is no limit, negative is full
	refuse map[common.Hash]error // errors Add returns for these transactions
	offers int                   // transactions offered to Add
	asked  int                   // calls of Has
}

func newFakePool(chain *fakeChain) *fakePool {
	p := &fakePool{chain: chain, txs: make(map[common.Hash]*types.Transaction), refuse: make(map[common.Hash]error)}
	chain.pool = p
	return p
}

// Add validates like a pool would: signature, chain id, nonce, capacity.
func (p *fakePool) Add(txs []*types.Transaction, sync bool) []error {
	errs := make([]error, len(txs))
	for i, tx := range txs {
		from, err := types.Sender(testSigner, tx)
		p.mu.Lock()
		p.offers++
		hash := tx.Hash()
		switch {
		case err != nil:
			errs[i] = fmt.Errorf("%w: %v", txpool.ErrInvalidSender, err)
		case p.refuse[hash] != nil:
			errs[i] = p.refuse[hash]
		case p.txs[hash] != nil:
			errs[i] = txpool.ErrAlreadyKnown
		case tx.Nonce() < p.chain.nonce(from):
			errs[i] = core.ErrNonceTooLow
		case p.limit < 0, p.limit > 0 && len(p.txs) >= p.limit:
			errs[i] = legacypool.ErrTxPoolOverflow
		default:
			p.txs[hash] = tx
		}
		p.mu.Unlock()
	}
	return errs
}

func (p *fakePool) Has(hash common.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.asked++
	return p.txs[hash] != nil
}

// hasCalls returns the calls of Has so far.
func (p *fakePool) hasCalls() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.asked
}

func (p *fakePool) Status(hash common.Hash) txpool.TxStatus {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.txs[hash] != nil {
		return txpool.TxStatusPending
	}
	return txpool.TxStatusUnknown
}

// remove evicts txs, as a pool does when full, after a block, or on a whim.
func (p *fakePool) remove(txs ...*types.Transaction) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, tx := range txs {
		delete(p.txs, tx.Hash())
	}
}

func (p *fakePool) setRefuse(tx *types.Transaction, err error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.refuse[tx.Hash()] = err
}

func (p *fakePool) setLimit(n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.limit = n
}

func (p *fakePool) len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.txs)
}

// logBuffer captures log lines for the duration of a test.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLogs sends log output (Info and above) to a buffer until the test
// ends. Tests using it must not run in parallel.
func captureLogs(t *testing.T) *logBuffer {
	t.Helper()
	buf := new(logBuffer)
	old := log.Root()
	log.SetDefault(log.NewLogger(log.LogfmtHandlerWithLevel(buf, log.LevelInfo)))
	t.Cleanup(func() { log.SetDefault(old) })
	return buf
}

// hasLine reports whether a captured log line contains every part.
func hasLine(logs string, parts ...string) bool {
	for _, line := range strings.Split(logs, "\n") {
		ok := true
		for _, p := range parts {
			ok = ok && strings.Contains(line, p)
		}
		if ok {
			return true
		}
	}
	return false
}
