package gossiptx

import (
	"bytes"
	"crypto/ecdsa"
	"errors"
	"io"
	"math/big"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/eth"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
)

var chainConfig = func() *params.ChainConfig {
	c := *params.AllDevChainProtocolChanges
	c.ChainID = big.NewInt(4343)
	return &c
}()

// signed returns n transfers from key with nonces from, to, ...
func signed(t *testing.T, key *ecdsa.PrivateKey, from, n int) []*types.Transaction {
	t.Helper()
	signer := types.LatestSigner(chainConfig)
	txs := make([]*types.Transaction, n)
	for i := range txs {
		tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{
			ChainID: chainConfig.ChainID, Nonce: uint64(from + i), GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(100 * params.GWei),
			Gas: 21000, To: &common.Address{0x70}, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		txs[i] = tx
	}
	return txs
}

func newKey(t *testing.T) *ecdsa.PrivateKey {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	return key
}

// message encodes txs as an eth Transactions message, or PooledTransactions
// with the request id if id is not zero.
func message(t *testing.T, id uint64, txs []*types.Transaction) (uint64, []byte) {
	t.Helper()
	var (
		payload []byte
		err     error
	)
	if id == 0 {
		payload, err = rlp.EncodeToBytes(txs)
	} else {
		payload, err = rlp.EncodeToBytes(struct {
			ID  uint64
			Txs []*types.Transaction
		}{id, txs})
	}
	if err != nil {
		t.Fatal(err)
	}
	if id == 0 {
		return eth.TransactionsMsg, payload
	}
	return eth.PooledTransactionsMsg, payload
}

// decode decodes a message's transactions as geth's handler does.
func decode(t *testing.T, code uint64, payload []byte) []*types.Transaction {
	t.Helper()
	if code == eth.TransactionsMsg {
		var txs []*types.Transaction
		if err := rlp.DecodeBytes(payload, &txs); err != nil {
			t.Fatal(err)
		}
		return txs
	}
	var msg struct {
		ID  uint64
		Txs []*types.Transaction
	}
	if err := rlp.DecodeBytes(payload, &msg); err != nil {
		t.Fatal(err)
	}
	return msg.Txs
}

// countingSigner is the pool's signer, counting the senders it recovers.
type countingSigner struct {
	types.Signer
	n *atomic.Int64
}

func (s countingSigner) Sender(tx *types.Transaction) (common.Address, error) {
	s.n.Add(1)
	return s.Signer.Sender(tx)
}

func (s countingSigner) Equal(other types.Signer) bool {
	if o, ok := other.(countingSigner); ok {
		other = o.Signer
	}
	return s.Signer.Equal(other)
}

// fakePool records what it is given and refuses what refuse says.
type fakePool struct {
	signer types.Signer
	mu     sync.Mutex
	have   map[common.Hash]bool
	adds   [][]*types.Transaction
	refuse func(*types.Transaction) error
}

func (p *fakePool) Has(hash common.Hash) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.have[hash]
}

func (p *fakePool) Add(txs []*types.Transaction, _ bool) []error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.adds = append(p.adds, txs)
	errs := make([]error, len(txs))
	for i, tx := range txs {
		if _, err := types.Sender(p.signer, tx); err != nil {
			errs[i] = err
			continue
		}
		if p.refuse != nil {
			if errs[i] = p.refuse(tx); errs[i] != nil {
				continue
			}
		}
		if p.have[tx.Hash()] {
			errs[i] = txpool.ErrAlreadyKnown
			continue
		}
		p.have[tx.Hash()] = true
	}
	return errs
}

// pipe is messages to read on a MsgReadWriter; what is written is kept.
type pipe struct {
	msgs    []p2p.Msg
	written []p2p.Msg
}

func (p *pipe) ReadMsg() (p2p.Msg, error) {
	if len(p.msgs) == 0 {
		return p2p.Msg{}, io.EOF
	}
	msg := p.msgs[0]
	p.msgs = p.msgs[1:]
	return msg, nil
}

func (p *pipe) WriteMsg(msg p2p.Msg) error {
	payload, err := io.ReadAll(msg.Payload)
	if err != nil {
		return err
	}
	msg.Payload = bytes.NewReader(payload)
	p.written = append(p.written, msg)
	return nil
}

// through reads one message of code and payload through a's reader and
// returns what geth's handler would get, which must be a message of the
// same code.
func through(t *testing.T, a *Admitter, code uint64, payload []byte) []byte {
	t.Helper()
	got, out := throughAs(t, a, eth.ETH69, code, payload)
	if got != code {
		t.Fatalf("message code %d, sent %d", got, code)
	}
	return out
}

// throughAs reads one message of code and payload through a's reader on eth
// version and returns the code and payload geth's handler would get.
func throughAs(t *testing.T, a *Admitter, version uint, code uint64, payload []byte) (uint64, []byte) {
	t.Helper()
	r := &reader{MsgReadWriter: &pipe{msgs: []p2p.Msg{{Code: code, Size: uint32(len(payload)), Payload: bytes.NewReader(payload)}}}, admitter: a, version: version}
	msg, err := r.ReadMsg()
	if err != nil {
		t.Fatal(err)
	}
	out, err := io.ReadAll(msg.Payload)
	if err != nil {
		t.Fatal(err)
	}
	if int(msg.Size) != len(out) {
		t.Fatalf("message size %d, payload %d bytes", msg.Size, len(out))
	}
	return msg.Code, out
}

// announced decodes an announcement geth's handler got on eth version and
// checks that it announces txs, in order, with their types and sizes.
func announced(t *testing.T, version uint, code uint64, payload []byte, txs []*types.Transaction) {
	t.Helper()
	if code != eth.NewPooledTransactionHashesMsg {
		t.Fatalf("geth's handler got message %d, want an announcement (%d)", code, eth.NewPooledTransactionHashesMsg)
	}
	var ann eth.NewPooledTransactionHashesPacket71
	if version >= eth.ETH72 {
		var ann72 eth.NewPooledTransactionHashesPacket72
		if err := rlp.DecodeBytes(payload, &ann72); err != nil {
			t.Fatalf("announcement on eth/%d: %v", version, err)
		}
		ann = eth.NewPooledTransactionHashesPacket71{Types: ann72.Types, Sizes: ann72.Sizes, Hashes: ann72.Hashes}
	} else if err := rlp.DecodeBytes(payload, &ann); err != nil {
		t.Fatalf("announcement on eth/%d: %v", version, err)
	}
	if len(ann.Hashes) != len(txs) || len(ann.Types) != len(txs) || len(ann.Sizes) != len(txs) {
		t.Fatalf("announcement of %d/%d/%d hashes/types/sizes, want %d", len(ann.Hashes), len(ann.Types), len(ann.Sizes), len(txs))
	}
	for i, tx := range txs {
		if ann.Hashes[i] != tx.Hash() || ann.Types[i] != tx.Type() || uint64(ann.Sizes[i]) != tx.Size() {
			t.Fatalf("announcement %d: %x type %d size %d, want %x type %d size %d", i, ann.Hashes[i], ann.Types[i], ann.Sizes[i], tx.Hash(), tx.Type(), tx.Size())
		}
	}
}

func newAdmitter(accept bool, refuse func(*types.Transaction) error) (*Admitter, *fakePool, *atomic.Int64) {
	n := new(atomic.Int64)
	signer := countingSigner{Signer: types.LatestSigner(chainConfig), n: n}
	pool := &fakePool{signer: signer, have: map[common.Hash]bool{}, refuse: refuse}
	return New(signer, pool, func() bool { return accept }), pool, n
}

// TestAdmitsWithSendersOnce: a gossiped message's transactions reach the
// pool in one Add before geth's handler gets the message; each sender is
// recovered once, the pool finding it cached. A PooledTransactions message
// (the answer to geth's request) reaches geth's handler unchanged; a
// Transactions message, all of it pooled, as an announcement of the same
// transactions (geth marks them known to the peer, without decoding them
// again), encoded for the connection's eth version. Without the admitter,
// geth's handler is the first to add them and the pool recovers each sender
// on the handler's goroutine.
func TestAdmitsWithSendersOnce(t *testing.T) {
	for _, c := range []struct {
		id      uint64
		version uint
	}{{0, eth.ETH69}, {0, eth.ETH72}, {7, eth.ETH69}} {
		a, pool, recovered := newAdmitter(true, nil)
		txs := signed(t, newKey(t), 0, 300)
		code, payload := message(t, c.id, txs)
		got, out := throughAs(t, a, c.version, code, payload)
		if code == eth.TransactionsMsg {
			announced(t, c.version, got, out, txs)
		} else if got != code || !bytes.Equal(out, payload) {
			t.Fatalf("message %d: changed on its way to geth's handler", code)
		}
		if len(pool.adds) != 1 || len(pool.adds[0]) != len(txs) {
			t.Fatalf("message %d: pool got %d calls, want one with %d transactions", code, len(pool.adds), len(txs))
		}
		for i, tx := range pool.adds[0] {
			if tx.Hash() != txs[i].Hash() {
				t.Fatalf("message %d: transaction %d added out of order", code, i)
			}
		}
		if got := recovered.Load(); got != int64(len(txs)) {
			t.Fatalf("message %d: %d sender recoveries for %d transactions, want one each", code, got, len(txs))
		}
		want := Stats{Added: uint64(len(txs))}
		if code == eth.TransactionsMsg {
			want.Announced = uint64(len(txs))
		}
		if st := a.Stats(); st != want {
			t.Fatalf("message %d: stats %+v, want %+v", code, st, want)
		}
	}
}

// TestKnownNotDecoded: transactions the pool already holds are neither
// decoded nor recovered again; only the others are added.
func TestKnownNotDecoded(t *testing.T) {
	a, pool, recovered := newAdmitter(true, nil)
	txs := signed(t, newKey(t), 0, 10)
	for _, tx := range txs[:6] {
		pool.have[tx.Hash()] = true
	}
	code, payload := message(t, 7, txs)
	if out := through(t, a, code, payload); !bytes.Equal(out, payload) {
		t.Fatal("message changed although nothing was refused")
	}
	if len(pool.adds) != 1 || len(pool.adds[0]) != 4 || pool.adds[0][0].Hash() != txs[6].Hash() {
		t.Fatalf("pool got %v, want one call with the 4 transactions it did not hold", pool.adds)
	}
	if got := recovered.Load(); got != 4 {
		t.Fatalf("%d sender recoveries, want 4", got)
	}
	if st := a.Stats(); st.Added != 4 || st.Known != 6 {
		t.Fatalf("stats %+v, want 4 added, 6 known", st)
	}
	// A message of known transactions only: the pool is not called, and a
	// Transactions message reaches geth's handler as an announcement.
	pool.adds = nil
	code, payload = message(t, 0, txs)
	got, out := throughAs(t, a, eth.ETH69, code, payload)
	if len(pool.adds) != 0 {
		t.Fatalf("pool called %d times for transactions it holds", len(pool.adds))
	}
	announced(t, eth.ETH69, got, out, txs)
}

// TestRefusedMinorityDropped: transactions the pool refused for a fault of
// theirs are taken out of the message (geth would recover their senders
// again only to refuse them), underpriced ones stay for geth's fetcher to
// remember, and the PooledTransactions request id is kept. When the refused
// are more than a quarter of the message, it goes to geth as it came, which
// slows the peer down.
func TestRefusedMinorityDropped(t *testing.T) {
	key := newKey(t)
	txs := signed(t, key, 0, 20)
	stale, cheap := txs[3].Hash(), txs[5].Hash()
	a, _, _ := newAdmitter(true, func(tx *types.Transaction) error {
		switch tx.Hash() {
		case stale:
			return core.ErrNonceTooLow
		case cheap:
			return txpool.ErrUnderpriced
		}
		return nil
	})
	code, payload := message(t, 9, txs)
	out := through(t, a, code, payload)
	var msg struct {
		ID  uint64
		Txs []*types.Transaction
	}
	if err := rlp.DecodeBytes(out, &msg); err != nil {
		t.Fatal(err)
	}
	if msg.ID != 9 || len(msg.Txs) != 19 {
		t.Fatalf("geth's handler got request %d with %d transactions, want 9 with 19", msg.ID, len(msg.Txs))
	}
	for _, tx := range msg.Txs {
		if tx.Hash() == stale {
			t.Fatal("the refused transaction reached geth's handler")
		}
	}
	if st := a.Stats(); st.Added != 18 || st.Refused != 2 || st.Dropped != 1 {
		t.Fatalf("stats %+v, want 18 added, 2 refused, 1 dropped", st)
	}

	// Six refused of twenty: more than a quarter, the message is unchanged.
	bad := map[common.Hash]bool{}
	more := signed(t, newKey(t), 0, 20)
	for _, tx := range more[:6] {
		bad[tx.Hash()] = true
	}
	a, _, _ = newAdmitter(true, func(tx *types.Transaction) error {
		if bad[tx.Hash()] {
			return core.ErrNonceTooLow
		}
		return nil
	})
	code, payload = message(t, 0, more)
	if out := through(t, a, code, payload); !bytes.Equal(out, payload) {
		t.Fatal("a message with more than a quarter refused was changed: geth's fetcher would not slow the peer down")
	}
	if st := a.Stats(); st.Refused != 6 || st.Dropped != 0 {
		t.Fatalf("stats %+v, want 6 refused, none dropped", st)
	}
}

// TestLeftToGeth: while geth does not accept transactions (not synced), for
// other messages, blob transactions and messages that do not parse, the
// pool is not called and geth's handler gets the message as it came.
func TestLeftToGeth(t *testing.T) {
	txs := signed(t, newKey(t), 0, 5)
	code, payload := message(t, 0, txs)

	a, pool, _ := newAdmitter(false, nil)
	if out := through(t, a, code, payload); !bytes.Equal(out, payload) || len(pool.adds) != 0 {
		t.Fatal("transactions admitted while geth does not accept them")
	}

	a, pool, _ = newAdmitter(true, nil)
	for _, c := range []struct {
		name    string
		code    uint64
		payload []byte
	}{
		{"other message", eth.NewPooledTransactionHashesMsg, payload},
		{"truncated", code, payload[:len(payload)-3]},
		{"trailing bytes", code, append(append([]byte{}, payload...), 0x80)},
		{"not a transaction", code, []byte{0xc2, 0xc1, 0x80}},
		{"blob transaction", code, blobMessage(t)},
	} {
		if out := through(t, a, c.code, c.payload); !bytes.Equal(out, c.payload) {
			t.Errorf("%s: changed on its way to geth", c.name)
		}
	}
	if len(pool.adds) != 0 {
		t.Fatalf("pool called %d times", len(pool.adds))
	}
}

// blobMessage is a Transactions message holding one blob transaction.
func blobMessage(t *testing.T) []byte {
	t.Helper()
	tx, err := types.SignNewTx(newKey(t), types.LatestSigner(chainConfig), &types.BlobTx{Gas: 21000})
	if err != nil {
		t.Fatal(err)
	}
	_, payload := message(t, 0, []*types.Transaction{tx})
	return payload
}

// TestRealPoolKnowsThem: with go-ethereum's pool, a PooledTransactions
// message admitted here and then handled by geth as its eth handler does
// (decoded again, added again) finds every transaction known, pending with
// its sender: geth's pool checks what it holds before it recovers a sender,
// so the second add recovers none. A Transactions message then announces
// transactions the pool holds, which geth's fetcher does not fetch.
func TestRealPoolKnowsThem(t *testing.T) {
	key := newKey(t)
	from := crypto.PubkeyToAddress(key.PublicKey)
	pool := realPool(t, from)
	a := New(types.LatestSigner(chainConfig), pool, func() bool { return true })

	txs := signed(t, key, 0, 300)
	code, payload := message(t, 3, txs[:200])
	out := through(t, a, code, payload)
	if st := a.Stats(); st.Added != 200 {
		t.Fatalf("stats %+v, want 200 added", st)
	}
	for i, err := range pool.Add(decode(t, code, out), false) {
		if !errors.Is(err, txpool.ErrAlreadyKnown) {
			t.Fatalf("geth's add of transaction %d: %v, want already known", i, err)
		}
	}
	code, payload = message(t, 0, txs[100:])
	got, out := throughAs(t, a, eth.ETH69, code, payload)
	announced(t, eth.ETH69, got, out, txs[100:])
	for _, tx := range txs[100:] {
		if !pool.Has(tx.Hash()) {
			t.Fatalf("announced transaction %x not pooled: geth's fetcher would fetch it", tx.Hash())
		}
	}
	pending, _ := pool.Stats()
	if pending != 300 {
		t.Fatalf("%d pending, want 300", pending)
	}
	if got, _ := pool.Pending(txpool.PendingFilter{}); len(got[from]) != 300 {
		t.Fatalf("%d pending for the sender, want 300", len(got[from]))
	}
}

// realPool is go-ethereum's transaction pool on an in-memory chain in which
// funded has ether.
func realPool(t *testing.T, funded common.Address) *txpool.TxPool {
	t.Helper()
	genesis := &core.Genesis{Config: chainConfig, GasLimit: 30_000_000, Difficulty: big.NewInt(1), BaseFee: big.NewInt(params.InitialBaseFee),
		Alloc: types.GenesisAlloc{funded: {Balance: new(big.Int).Mul(big.NewInt(params.Ether), big.NewInt(1000))}}}
	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), genesis, ethash.NewFaker(), core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	cfg := legacypool.DefaultConfig
	cfg.NoLocals, cfg.Journal = true, ""
	cfg.AccountSlots = 1000
	pool, err := txpool.New(0, chain, []txpool.SubPool{legacypool.New(cfg, chain)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { pool.Close(); chain.Stop() })
	return pool
}

// TestNotSentBack: transactions a peer sent are left out of the
// Transactions messages and announcements written to it afterwards, and a
// message left empty is not written, as geth's mark of the peer would have
// done had geth's handler marked them before the pool broadcast them. Other
// messages (a PooledTransactions answer) are written as they are. Without
// it, the admitted transactions went back to the peer that sent them.
func TestNotSentBack(t *testing.T) {
	for _, version := range []uint{eth.ETH69, eth.ETH72} {
		a, _, _ := newAdmitter(true, nil)
		txs := signed(t, newKey(t), 0, 10)
		code, payload := message(t, 0, txs[:6])
		conn := &pipe{msgs: []p2p.Msg{{Code: code, Size: uint32(len(payload)), Payload: bytes.NewReader(payload)}}}
		r := &reader{MsgReadWriter: conn, admitter: a, version: version, received: newReceived(receivedKept)}
		if _, err := r.ReadMsg(); err != nil {
			t.Fatal(err)
		}
		write := func(code uint64, payload []byte) {
			t.Helper()
			if err := r.WriteMsg(p2p.Msg{Code: code, Size: uint32(len(payload)), Payload: bytes.NewReader(payload)}); err != nil {
				t.Fatal(err)
			}
		}
		announce := func(txs []*types.Transaction) []byte {
			ann := &eth.NewPooledTransactionHashesPacket71{}
			for _, tx := range txs {
				ann.Types, ann.Sizes, ann.Hashes = append(ann.Types, tx.Type()), append(ann.Sizes, uint32(tx.Size())), append(ann.Hashes, tx.Hash())
			}
			var enc []byte
			var err error
			if version >= eth.ETH72 {
				enc, err = rlp.EncodeToBytes(&eth.NewPooledTransactionHashesPacket72{Types: ann.Types, Sizes: ann.Sizes, Hashes: ann.Hashes})
			} else {
				enc, err = rlp.EncodeToBytes(ann)
			}
			if err != nil {
				t.Fatal(err)
			}
			return enc
		}

		_, all := message(t, 0, txs)
		write(eth.TransactionsMsg, all)     // 6 of 10 came from the peer
		_, theirs := message(t, 0, txs[:6]) // all 6 came from the peer
		write(eth.TransactionsMsg, theirs)  // not written
		write(eth.NewPooledTransactionHashesMsg, announce(txs[4:]))
		write(eth.NewPooledTransactionHashesMsg, announce(txs[:3])) // not written
		_, answer := message(t, 5, txs[:6])
		write(eth.PooledTransactionsMsg, answer)

		if len(conn.written) != 3 {
			t.Fatalf("eth/%d: %d messages written, want 3", version, len(conn.written))
		}
		got, _ := io.ReadAll(conn.written[0].Payload)
		if sent := decode(t, eth.TransactionsMsg, got); len(sent) != 4 || sent[0].Hash() != txs[6].Hash() {
			t.Fatalf("eth/%d: Transactions written with %d transactions, want the 4 the peer did not send", version, len(sent))
		}
		got, _ = io.ReadAll(conn.written[1].Payload)
		announced(t, version, conn.written[1].Code, got, txs[6:])
		got, _ = io.ReadAll(conn.written[2].Payload)
		if conn.written[2].Code != eth.PooledTransactionsMsg || !bytes.Equal(got, answer) {
			t.Fatalf("eth/%d: the PooledTransactions answer was changed", version)
		}
		if st := a.Stats(); st.SentBack != 6+6+2+3 {
			t.Fatalf("eth/%d: %d left out, want 17", version, st.SentBack)
		}
	}
}
