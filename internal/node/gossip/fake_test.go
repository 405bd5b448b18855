package gossip

import (
	"bytes"
	"fmt"
	"io"
	"math/big"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
)

// invalidTag in a header's extra data makes the fake chain reject the block
// as breaking a rule.
var invalidTag = []byte("invalid")

// testNetwork is the network id of every test service.
const testNetwork = 1337

// genesis is the genesis block of every test chain.
var genesis = types.NewBlockWithHeader(&types.Header{
	Number:     new(big.Int),
	Difficulty: big.NewInt(1),
	GasLimit:   30_000_000,
	Extra:      []byte("genesis"),
})

// extend returns n blocks on top of parent, tagged so that forks differ.
func extend(parent *types.Block, n int, tag string) []*types.Block {
	blocks := make([]*types.Block, 0, n)
	for range n {
		header := &types.Header{
			ParentHash: parent.Hash(),
			Number:     new(big.Int).Add(parent.Number(), common.Big1),
			Difficulty: big.NewInt(2),
			GasLimit:   parent.GasLimit(),
			Time:       parent.Time() + 1,
			Extra:      []byte(tag),
		}
		parent = types.NewBlockWithHeader(header)
		blocks = append(blocks, parent)
	}
	return blocks
}

// syncCall is one call of Backend.SyncFrom.
type syncCall struct {
	peer   enode.ID
	hash   common.Hash
	number uint64
}

// fakeChain is an in-memory Backend: it holds blocks by hash, takes the
// highest-numbered block as head, and rejects blocks tagged invalidTag.
type fakeChain struct {
	mu       sync.Mutex
	blocks   map[common.Hash]*types.Block
	td       map[common.Hash]*big.Int
	head     *types.Block
	imported []*types.Block // accepted by Import, in order
	imports  int            // Import calls
	syncs    chan syncCall
}

func newFakeChain(blocks ...*types.Block) *fakeChain {
	c := &fakeChain{
		blocks: map[common.Hash]*types.Block{genesis.Hash(): genesis},
		td:     map[common.Hash]*big.Int{genesis.Hash(): genesis.Difficulty()},
		head:   genesis,
		syncs:  make(chan syncCall, 64),
	}
	for _, b := range blocks {
		if err := c.add(b); err != nil {
			panic(err)
		}
	}
	return c
}

// add stores a block whose parent is present.
func (c *fakeChain) add(b *types.Block) error {
	parentTD, ok := c.td[b.ParentHash()]
	if !ok {
		return fmt.Errorf("fake chain: block %d: %w", b.NumberU64(), ErrUnknownParent)
	}
	c.blocks[b.Hash()] = b
	c.td[b.Hash()] = new(big.Int).Add(parentTD, b.Difficulty())
	if b.NumberU64() > c.head.NumberU64() {
		c.head = b
	}
	return nil
}

// Head implements Backend.
func (c *fakeChain) Head() (*types.Header, *big.Int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.head.Header(), new(big.Int).Set(c.td[c.head.Hash()])
}

// Block implements Backend.
func (c *fakeChain) Block(hash common.Hash) *types.Block {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.blocks[hash]
}

// Import implements Backend.
func (c *fakeChain) Import(b *types.Block) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.imports++
	if bytes.Equal(b.Extra(), invalidTag) {
		return fmt.Errorf("fake chain: block %d: bad seal: %w", b.NumberU64(), ErrInvalidBlock)
	}
	// The test chain's blocks carry no transactions: one that does is a copy
	// whose body was changed on the way (TestForgedBodyDropsPeerNotHash).
	if len(b.Transactions()) > 0 && types.DeriveSha(b.Transactions(), trie.NewStackTrie(nil)) != b.TxHash() {
		return fmt.Errorf("fake chain: block %d: transaction root: %w", b.NumberU64(), ErrBodyMismatch)
	}
	if _, ok := c.blocks[b.Hash()]; ok {
		return nil
	}
	if err := c.add(b); err != nil {
		return err
	}
	c.imported = append(c.imported, b)
	return nil
}

// SyncFrom implements Backend.
func (c *fakeChain) SyncFrom(peer enode.ID, hash common.Hash, number uint64) error {
	c.syncs <- syncCall{peer, hash, number}
	return nil
}

// importedHashes returns the hashes of the imported blocks, in order.
func (c *fakeChain) importedHashes() []common.Hash {
	c.mu.Lock()
	defer c.mu.Unlock()
	hashes := make([]common.Hash, len(c.imported))
	for i, b := range c.imported {
		hashes[i] = b.Hash()
	}
	return hashes
}

func (c *fakeChain) importCalls() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.imports
}

// hashes returns the blocks' hashes.
func hashes(blocks ...*types.Block) []common.Hash {
	out := make([]common.Hash, len(blocks))
	for i, b := range blocks {
		out[i] = b.Hash()
	}
	return out
}

// testTimeout bounds every wait in the tests; nothing should come close.
const testTimeout = 5 * time.Second

// testConfig returns fast settings for tests.
func testConfig() Config {
	cfg := Defaults
	cfg.NetworkID = testNetwork
	cfg.Genesis = genesis.Hash()
	cfg.HandshakeTimeout = testTimeout
	cfg.RequestTimeout = testTimeout
	return cfg
}

// newService returns a started service over chain, stopped at the end of the test.
func newService(t *testing.T, cfg Config, chain Backend) *Service {
	t.Helper()
	s, err := New(cfg, chain)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Stop() })
	return s
}

// nodeID returns a deterministic node id for a label.
func nodeID(label string) enode.ID {
	return enode.ID(crypto.Keccak256Hash([]byte("gossip test node " + label)))
}

// testPeer is the remote end of a connection to a service, driven by the test.
type testPeer struct {
	t    *testing.T
	id   enode.ID
	rw   *p2p.MsgPipeRW
	done chan error // Run's result
}

// connect runs the service's protocol for a new peer over a message pipe.
func connect(t *testing.T, s *Service, label string) *testPeer {
	t.Helper()
	local, remote := p2p.MsgPipe()
	t.Cleanup(func() { local.Close() })
	id := nodeID(label)
	peer := p2p.NewPeerPipe(id, label, []p2p.Cap{{Name: ProtocolName, Version: ProtocolVersion}}, local)
	tp := &testPeer{t: t, id: id, rw: remote, done: make(chan error, 1)}
	go func() { tp.done <- s.Protocols()[0].Run(peer, local) }()
	return tp
}

// status returns a status matching the test network with the given head.
func status(head *types.Block, td int64) *statusPacket {
	return &statusPacket{NetworkID: testNetwork, Genesis: genesis.Hash(), Head: head.Hash(), Number: head.NumberU64(), TD: big.NewInt(td)}
}

// handshake reads the service's status and answers with st; it returns the
// service's status.
func (tp *testPeer) handshake(st *statusPacket) *statusPacket {
	tp.t.Helper()
	ours := tp.expect(statusMsg).(*statusPacket)
	tp.send(statusMsg, st)
	return ours
}

// send encodes and sends a message.
func (tp *testPeer) send(code uint64, v any) {
	tp.t.Helper()
	payload, err := rlp.EncodeToBytes(v)
	if err != nil {
		tp.t.Fatal(err)
	}
	tp.sendRaw(code, payload)
}

// sendRaw sends a message with the given payload.
func (tp *testPeer) sendRaw(code uint64, payload []byte) {
	tp.t.Helper()
	if err := tp.rw.WriteMsg(p2p.Msg{Code: code, Size: uint32(len(payload)), Payload: bytes.NewReader(payload)}); err != nil {
		tp.t.Fatalf("have send error %v, want nil", err)
	}
}

// read returns the next message's code and decoded payload.
func (tp *testPeer) read() (uint64, any) {
	tp.t.Helper()
	type result struct {
		code uint64
		v    any
		err  error
	}
	ch := make(chan result, 1)
	go func() {
		msg, err := tp.rw.ReadMsg()
		if err != nil {
			ch <- result{err: err}
			return
		}
		payload := make([]byte, msg.Size)
		if _, err := io.ReadFull(msg.Payload, payload); err != nil {
			ch <- result{err: err}
			return
		}
		msg.Discard()
		v, err := decode(msg.Code, payload)
		ch <- result{msg.Code, v, err}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			tp.t.Fatalf("have read error %v, want a message", r.err)
		}
		return r.code, r.v
	case <-time.After(testTimeout):
		tp.t.Fatal("have no message, want one")
		return 0, nil
	}
}

// expect reads the next message and checks its code.
func (tp *testPeer) expect(code uint64) any {
	tp.t.Helper()
	have, v := tp.read()
	if have != code {
		tp.t.Fatalf("have message %#x (%+v), want %#x", have, v, code)
	}
	return v
}

// result waits for the service's Run to return.
func (tp *testPeer) result() error {
	tp.t.Helper()
	select {
	case err := <-tp.done:
		return err
	case <-time.After(testTimeout):
		tp.t.Fatal("have Run still running, want it to return")
		return nil
	}
}

// waitSync returns the next SyncFrom call.
func waitSync(t *testing.T, chain *fakeChain) syncCall {
	t.Helper()
	select {
	case c := <-chain.syncs:
		return c
	case <-time.After(testTimeout):
		t.Fatal("have no SyncFrom call, want one")
		return syncCall{}
	}
}

// waitFor polls cond until it holds.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(testTimeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("have no %s, want it within %v", what, testTimeout)
		}
		time.Sleep(time.Millisecond)
	}
}
