package node_test

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"math/big"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/protocols/snap"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// snapBlocks is the source chain's length: above the downloader's 64 blocks
// executed after the pivot, so that the joining node takes a pivot's state.
const snapBlocks = 90

// snapSource starts a sealing dev node (period 0: a block as soon as a
// transaction waits) on 127.0.0.1 with tamper applied to its protocols
// (nil: none), and seals blocks blocks of three transfers each.
func snapSource(t *testing.T, blocks int, tamper func([]p2p.Protocol)) (*node.Node, *nodeChain) {
	t.Helper()
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4349, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{
		acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)},
		snapLogger:   {Balance: new(big.Int), Code: []byte{0x60, 0x00, 0x60, 0x00, 0xa0, 0x00}}, // LOG0(0, 0)
		snapReader:   {Balance: new(big.Int), Code: snapReaderCode, Storage: map[common.Hash]common.Hash{{}: common.BigToHash(big.NewInt(0x2a))}},
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.Defaults()
	cfg.Mode, cfg.DataDir, cfg.Genesis = node.ModeDev, t.TempDir(), g
	cfg.Signer, cfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
	cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
	src, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if tamper != nil {
		tamper(src.Stack().Server().Protocols)
	}
	if err := src.Start(); err != nil {
		src.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { src.Close() })
	nc := &nodeChain{t: t, n: src, key: acct, chainID: g.Config.ChainID, genesis: g}
	nc.seal(blocks)
	return src, nc
}

// nodeChain seals transfers on a dev node.
type nodeChain struct {
	t       *testing.T
	n       *node.Node
	key     genesis.DevAccount
	chainID *big.Int
	genesis *core.Genesis
	nonce   uint64
}

// snapLogger emits an empty log on every call: one call per block gives
// eth_getLogs something to find.
var snapLogger = common.HexToAddress("0x00000000000000000000000000000000000000c1")

// snapReader returns its storage slot 0 (0x2a from genesis) to any call: a
// contract read that needs the contract's code and storage synced.
var (
	snapReader     = common.HexToAddress("0x00000000000000000000000000000000000000c2")
	snapReaderCode = []byte{0x60, 0x00, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3} // mstore(0, sload(0)); return(0, 32)
)

// recipient i of the transfers.
func snapRecipient(i int) common.Address { return common.BigToAddress(big.NewInt(int64(0x5000 + i))) }

// seal mines blocks more rounds of two transfers and a call of snapLogger,
// one round at a time (each waits for its transactions to be mined).
func (c *nodeChain) seal(blocks int) {
	c.t.Helper()
	client := ethclient.NewClient(c.n.Stack().Attach())
	defer client.Close()
	signer := types.NewLondonSigner(c.chainID)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	for range blocks {
		for i := range 3 {
			to, gas := snapRecipient(int(c.nonce%7)+i), uint64(21000)
			if i == 2 {
				to, gas = snapLogger, 30000
			}
			tx := types.MustSignNewTx(c.key.Key, signer, &types.DynamicFeeTx{ChainID: c.chainID, Nonce: c.nonce, To: &to, Value: big.NewInt(int64(c.nonce + 1)), Gas: gas, GasFeeCap: big.NewInt(10_000_000_000), GasTipCap: big.NewInt(1)})
			if err := client.SendTransaction(ctx, tx); err != nil {
				c.t.Fatal(err)
			}
			c.nonce++
		}
		want := c.nonce
		waitFor(c.t, 20*time.Second, "transfers mined", func() bool {
			n, err := client.NonceAt(ctx, c.key.Address, nil)
			return err == nil && n == want
		})
	}
}

// joinNode starts a fresh node in mode with syncMode on src's genesis,
// peered with src.
func joinNode(t *testing.T, src *node.Node, g *core.Genesis, mode, syncMode string) *node.Node {
	t.Helper()
	cfg := node.Defaults()
	cfg.Mode, cfg.SyncMode, cfg.DataDir = mode, syncMode, t.TempDir()
	cfg.SyncPivot = node.PivotHead64 // go-ethereum's downloader, the fallback (the join driver: joindriver_test.go)
	cfg.Genesis = g
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	n.Stack().Server().AddPeer(src.Stack().Server().Self())
	return n
}

// TestSnapSync: a fresh rpc node (sync mode auto: snap) joins a 90-block
// chain, stores the early blocks and their receipts without executing them
// (it holds no state for them), takes the pivot's state from the peer,
// reaches the head with the source's balances and receipts, and then follows
// new blocks by gossip.
func TestSnapSync(t *testing.T) {
	src, sc := snapSource(t, snapBlocks, nil)
	join := joinNode(t, src, sc.genesis, node.ModeRPC, node.SyncAuto)
	srcChain, chain := src.Eth().BlockChain(), join.Eth().BlockChain()
	head := srcChain.CurrentBlock()
	waitFor(t, 60*time.Second, "the joining node at the source's head", func() bool {
		return chain.CurrentBlock().Number.Uint64() >= head.Number.Uint64()
	})
	if got := chain.GetHeaderByNumber(head.Number.Uint64()).Hash(); got != head.Hash() {
		t.Fatalf("head %d: have %x, want %x", head.Number, got, head.Hash())
	}
	pivot := rawdb.ReadLastPivotNumber(join.Eth().ChainDb())
	if pivot == nil || *pivot == 0 {
		t.Fatalf("no snap sync pivot recorded (have %v): the node did not snap-sync", pivot)
	}
	early := chain.GetBlockByNumber(5)
	if early == nil {
		t.Fatal("block 5 not stored")
	}
	if chain.HasState(early.Root()) {
		t.Error("the state of block 5 is held: the block was executed, not snap-synced")
	}
	checkSameState(t, srcChain.CurrentBlock(), src, join)
	checkSameReceipts(t, src, join, 5)
	checkSameReceipts(t, src, join, *pivot)
	checkSameLogs(t, src, join, head.Number.Uint64())

	// After the pivot the node imports new blocks as any follower does.
	sc.seal(3)
	next := srcChain.CurrentBlock()
	waitFor(t, 30*time.Second, "the joining node following new blocks", func() bool {
		return chain.CurrentBlock().Hash() == next.Hash()
	})
	checkSameState(t, next, src, join)
	if f := join.ForkChoice().Head(); f.Hash() != next.Hash() {
		t.Errorf("fork choice head %d %x, want %d %x", f.Number, f.Hash(), next.Number, next.Hash())
	}
}

// checkSameState compares the recipients' balances at h on both nodes.
func checkSameState(t *testing.T, h *types.Header, src, join *node.Node) {
	t.Helper()
	a, err := src.Eth().BlockChain().StateAt(h.Root, h.Number, h.Time)
	if err != nil {
		t.Fatalf("source state %x: %v", h.Root, err)
	}
	b, err := join.Eth().BlockChain().StateAt(h.Root, h.Number, h.Time)
	if err != nil {
		t.Fatalf("joining node's state %x: %v", h.Root, err)
	}
	for i := range 8 {
		addr := snapRecipient(i)
		if x, y := a.GetBalance(addr), b.GetBalance(addr); x.Cmp(y) != 0 || x.IsZero() {
			t.Errorf("balance of %s: joining node %v, source %v (want equal, not zero)", addr, y, x)
		}
	}
}

// checkSameReceipts compares block number's receipts on both nodes.
func checkSameReceipts(t *testing.T, src, join *node.Node, number uint64) {
	t.Helper()
	get := func(n *node.Node) types.Receipts {
		chain := n.Eth().BlockChain()
		return chain.GetReceiptsByHash(chain.GetCanonicalHash(number))
	}
	want, have := get(src), get(join)
	if len(want) == 0 || len(have) != len(want) {
		t.Fatalf("receipts of block %d: have %d, want %d (not 0)", number, len(have), len(want))
	}
	for i := range want {
		if have[i].TxHash != want[i].TxHash || have[i].CumulativeGasUsed != want[i].CumulativeGasUsed || have[i].Status != want[i].Status {
			t.Errorf("receipt %d of block %d: have %+v, want %+v", i, number, have[i], want[i])
		}
	}
}

// checkSameLogs compares eth_getLogs of snapLogger over blocks 1..to on both
// nodes: the joining node has the receipts of blocks it never executed.
func checkSameLogs(t *testing.T, src, join *node.Node, to uint64) {
	t.Helper()
	q := ethereum.FilterQuery{FromBlock: big.NewInt(1), ToBlock: new(big.Int).SetUint64(to), Addresses: []common.Address{snapLogger}}
	get := func(n *node.Node) []types.Log {
		c := ethclient.NewClient(n.Stack().Attach())
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
		defer cancel()
		logs, err := c.FilterLogs(ctx, q)
		if err != nil {
			t.Fatalf("eth_getLogs 1..%d: %v", to, err)
		}
		return logs
	}
	want, have := get(src), get(join)
	if len(want) == 0 || len(have) != len(want) {
		t.Fatalf("eth_getLogs 1..%d: joining node %d logs, source %d (not 0)", to, len(have), len(want))
	}
	for i := range want {
		if have[i].TxHash != want[i].TxHash || have[i].BlockNumber != want[i].BlockNumber || have[i].Index != want[i].Index {
			t.Errorf("log %d: have %+v, want %+v", i, have[i], want[i])
		}
	}
}

// TestSnapSyncRefusesWrongState: a peer that serves account ranges with a
// balance changed (a state other than the one its header's root commits to)
// is refused with a warning naming the failed proof, and the joining node
// does not finish the sync: it holds no state and stays at genesis.
func TestSnapSyncRefusesWrongState(t *testing.T) {
	warnings := captureWarnings(t)
	var tampered atomic.Int32
	src, sc := snapSource(t, snapBlocks, func(protos []p2p.Protocol) {
		tamperProtocol(protos, snap.ProtocolName, snap.AccountRangeMsg, func(b []byte) []byte {
			out, ok := inflateFirstAccount(b)
			if ok {
				tampered.Add(1)
			}
			return out
		})
	})
	join := joinNode(t, src, sc.genesis, node.ModeRPC, node.SyncSnap)
	waitFor(t, 60*time.Second, "a wrong account range served and refused", func() bool {
		return tampered.Load() > 0 && warnings.has("Account range failed proof")
	})
	waitFor(t, 10*time.Second, "the wrong peer dropped", func() bool {
		return join.Stack().Server().PeerCount() == 0
	})
	chain := join.Eth().BlockChain()
	if head := chain.CurrentBlock(); head.Number.Sign() != 0 {
		t.Errorf("joining node's head at %d on a peer serving a wrong state, want genesis", head.Number)
	}
	if pivot := rawdb.ReadLastPivotNumber(join.Eth().ChainDb()); pivot != nil {
		if h := chain.GetHeaderByNumber(*pivot); h != nil && chain.HasState(h.Root) {
			t.Errorf("joining node holds the pivot's state %x from a peer serving a wrong state", h.Root)
		}
	}
}

// tamperProtocol rewrites, with fn, every message of code that protocol
// name's handler sends.
func tamperProtocol(protos []p2p.Protocol, name string, code uint64, fn func([]byte) []byte) {
	for i := range protos {
		if protos[i].Name != name {
			continue
		}
		run := protos[i].Run
		protos[i].Run = func(p *p2p.Peer, rw p2p.MsgReadWriter) error {
			return run(p, tamperRW{MsgReadWriter: rw, code: code, fn: fn})
		}
	}
}

type tamperRW struct {
	p2p.MsgReadWriter
	code uint64
	fn   func([]byte) []byte
}

func (t tamperRW) WriteMsg(msg p2p.Msg) error {
	if msg.Code != t.code {
		return t.MsgReadWriter.WriteMsg(msg)
	}
	b, err := io.ReadAll(msg.Payload)
	if err != nil {
		return err
	}
	b = t.fn(b)
	return t.MsgReadWriter.WriteMsg(p2p.Msg{Code: msg.Code, Size: uint32(len(b)), Payload: bytes.NewReader(b)})
}

// inflateFirstAccount adds 1 wei to the first account of an AccountRange
// answer, keeping its proof: the range no longer matches the root.
func inflateFirstAccount(b []byte) ([]byte, bool) {
	var res snap.AccountRangePacket
	if err := rlp.DecodeBytes(b, &res); err != nil || len(res.Accounts) == 0 {
		return b, false
	}
	var acc types.SlimAccount
	if err := rlp.DecodeBytes(res.Accounts[0].Body, &acc); err != nil {
		return b, false
	}
	acc.Balance = new(uint256.Int).AddUint64(acc.Balance, 1)
	body, err := rlp.EncodeToBytes(&acc)
	if err != nil {
		return b, false
	}
	res.Accounts[0].Body = body
	out, err := rlp.EncodeToBytes(&res)
	if err != nil {
		return b, false
	}
	return out, true
}

// warningLog records the messages of warnings and errors logged while a test
// runs, and passes every record on to the logger it replaced (geth's logger is
// process-wide; these tests do not run in parallel).
type warningLog struct {
	mu   sync.Mutex
	msgs []string
	next slog.Handler
}

func captureWarnings(t *testing.T) *warningLog {
	prev := log.Root()
	w := &warningLog{next: prev.Handler()}
	log.SetDefault(log.NewLogger(w))
	t.Cleanup(func() { log.SetDefault(prev) })
	return w
}

// all returns the warnings logged so far.
func (w *warningLog) all() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return slices.Clone(w.msgs)
}

func (w *warningLog) has(sub string) bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	for _, m := range w.msgs {
		if strings.Contains(m, sub) {
			return true
		}
	}
	return false
}

func (w *warningLog) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelWarn || w.next.Enabled(ctx, l)
}

func (w *warningLog) Handle(ctx context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn {
		w.mu.Lock()
		w.msgs = append(w.msgs, r.Message)
		w.mu.Unlock()
	}
	if w.next.Enabled(ctx, r.Level) {
		return w.next.Handle(ctx, r)
	}
	return nil
}

func (w *warningLog) WithAttrs([]slog.Attr) slog.Handler { return w }
func (w *warningLog) WithGroup(string) slog.Handler      { return w }

// TestSnapSyncRefusesWrongReceipts: a peer that serves receipts other than
// those its headers' receipt roots commit to is refused with a warning, and
// the joining node does not finish the sync on them.
func TestSnapSyncRefusesWrongReceipts(t *testing.T) {
	warnings := captureWarnings(t)
	var tampered atomic.Int32
	src, sc := snapSource(t, snapBlocks, func(protos []p2p.Protocol) {
		tamperProtocol(protos, "eth", 0x10, func(b []byte) []byte { // ReceiptsMsg
			out, ok := inflateFirstReceipt(b)
			if ok {
				tampered.Add(1)
			}
			return out
		})
	})
	join := joinNode(t, src, sc.genesis, node.ModeRPC, node.SyncSnap)
	waitFor(t, 60*time.Second, "wrong receipts served and refused", func() bool {
		return tampered.Load() > 0 && warnings.has("Dropped a peer that served")
	})
	waitFor(t, 10*time.Second, "the wrong peer dropped", func() bool {
		return join.Stack().Server().PeerCount() == 0
	})
	chain := join.Eth().BlockChain()
	if head := chain.CurrentBlock(); head.Number.Sign() != 0 {
		t.Errorf("joining node's head at %d on a peer serving wrong receipts, want genesis", head.Number)
	}
	if snapHead := chain.CurrentSnapBlock(); snapHead.Number.Sign() != 0 {
		t.Errorf("joining node stored blocks up to %d with wrong receipts, want none", snapHead.Number)
	}
}

// inflateFirstReceipt adds 1 to the cumulative gas of the first receipt of a
// Receipts answer (eth/69: [id, [[receipt...]...]], eth/70 and later: [id,
// incomplete, [[receipt...]...]]; a receipt is [type, status, gas, logs]).
func inflateFirstReceipt(b []byte) ([]byte, bool) {
	var msg []any
	if err := rlp.DecodeBytes(b, &msg); err != nil || len(msg) < 2 {
		return b, false
	}
	blocks, ok := msg[len(msg)-1].([]any)
	if !ok {
		return b, false
	}
	for _, blk := range blocks {
		receipts, ok := blk.([]any)
		if !ok || len(receipts) == 0 {
			continue
		}
		fields, ok := receipts[0].([]any)
		if !ok || len(fields) < 3 {
			return b, false
		}
		gas, ok := fields[2].([]byte)
		if !ok {
			return b, false
		}
		fields[2] = new(big.Int).Add(new(big.Int).SetBytes(gas), big.NewInt(1)).Bytes()
		out, err := rlp.EncodeToBytes(msg)
		if err != nil {
			return b, false
		}
		return out, true
	}
	return b, false
}
