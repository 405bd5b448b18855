package forkchoice

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"math/big"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/pebble"
	"github.com/ethereum/go-ethereum/params"
	"github.com/holiman/uint256"
)

// payer funds the transfers of the tests that need blocks changing state.
var payer = func() *ecdsa.PrivateKey {
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("citychain forkchoice payer")))
	if err != nil {
		panic(err)
	}
	return key
}()

// newStateTestnet is a testnet whose genesis funds the payer.
func newStateTestnet(t *testing.T, n int) *testnet {
	t.Helper()
	addr := crypto.PubkeyToAddress(payer.PublicKey)
	return newTestnetAlloc(t, n, 1, types.GenesisAlloc{addr: {Balance: new(big.Int).Mul(big.NewInt(1e6), big.NewInt(params.Ether))}})
}

// buildTransfer seals a block by signer on parent holding one transfer of
// value wei from the payer (with nonce), executed on the builder's state. It
// returns the block, its receipts and its post-state, as the sealer has them,
// without storing the block anywhere.
func (net *testnet) buildTransfer(parent *types.Block, signer string, nonce uint64, value int64) (*types.Block, types.Receipts, *state.StateDB) {
	net.t.Helper()
	return net.buildTransferOn(net.builder, parent, signer, nonce, value)
}

// buildTransferOn is buildTransfer on the state of chain, as a node's sealer
// builds its block.
func (net *testnet) buildTransferOn(chain *core.BlockChain, parent *types.Block, signer string, nonce uint64, value int64) (*types.Block, types.Receipts, *state.StateDB) {
	net.t.Helper()
	header, err := net.prepare(parent, signer)
	if err != nil {
		net.t.Fatal(err)
	}
	statedb, err := chain.StateAt(parent.Root(), parent.Number(), parent.Time())
	if err != nil {
		net.t.Fatalf("builder state at %d: %v", parent.NumberU64(), err)
	}
	to := common.Address{0xc1}
	tx := types.MustSignNewTx(payer, types.LatestSigner(net.gspec.Config), &types.DynamicFeeTx{
		ChainID: net.gspec.Config.ChainID, Nonce: nonce, GasTipCap: big.NewInt(0), GasFeeCap: big.NewInt(params.GWei * 10),
		Gas: params.TxGas, To: &to, Value: big.NewInt(value),
	})
	evm := vm.NewEVM(core.NewEVMBlockContext(header, net.builder, &header.Coinbase), statedb, net.gspec.Config, vm.Config{})
	gp := core.NewGasPool(header.GasLimit)
	statedb.SetTxContext(tx.Hash(), 0, 1)
	receipt, _, err := core.ApplyTransaction(context.Background(), evm, gp, statedb, header, tx)
	if err != nil {
		net.t.Fatalf("apply transfer: %v", err)
	}
	header.GasUsed = gp.Used()
	receipts := types.Receipts{receipt}
	block := core.AssembleBlock(net.builder, header, statedb, &types.Body{Transactions: types.Transactions{tx}}, receipts, nil)
	block = block.WithSeal(net.seal(block.Header(), signer).Header())
	return block, receipts, statedb
}

// store puts a built block into the builder chain, so that later blocks can
// be built on it, and records its total difficulty.
func (net *testnet) store(block *types.Block) {
	net.t.Helper()
	if _, err := net.builder.InsertBlockWithoutSetHead(context.Background(), block, false); err != nil {
		net.t.Fatalf("builder stores block %d: %v", block.NumberU64(), err)
	}
	parentTD := net.tds[block.ParentHash()]
	net.tds[block.Hash()] = new(big.Int).Add(parentTD, block.Difficulty())
}

// newDiskNode returns a node on a database in a temporary directory, with
// the freezer that go-ethereum keeps state history in: rolling the disk state
// back to an older block (a reorganisation onto a branch whose state was
// flushed away) needs it, and an in-memory database has none.
func (net *testnet) newDiskNode() *node {
	net.t.Helper()
	dir := net.t.TempDir()
	kv, err := pebble.New(filepath.Join(dir, "chaindata"), 16, 16, "", false)
	if err != nil {
		net.t.Fatal(err)
	}
	db, err := rawdb.Open(kv, rawdb.OpenOptions{Ancient: filepath.Join(dir, "ancient")})
	if err != nil {
		net.t.Fatal(err)
	}
	nd := net.openNode(db)
	net.t.Cleanup(func() { nd.chain.Stop(); db.Close() })
	return nd
}

// flush writes the node's head state to disk the way the node does after
// every head (internal/node, ADR 004), dropping the state of other branches.
func (nd *node) flush() {
	nd.t.Helper()
	if err := nd.chain.TrieDB().Commit(nd.chain.CurrentBlock().Root, false); err != nil {
		nd.t.Fatalf("flush head state: %v", err)
	}
}

// TestSealedBlockStoredWithItsState: a block the local sealer built goes in
// with the state the sealer computed (no second execution); the head has it,
// its receipts and the payee's balance.
func TestSealedBlockStoredWithItsState(t *testing.T) {
	net := newStateTestnet(t, 3)
	nd := net.newNode()
	b1, receipts, statedb := net.buildTransferOn(nd.chain, net.genesis, "B", 0, 7)
	if err := nd.fc.InsertSealed(b1, receipts, statedb); err != nil {
		t.Fatal(err)
	}
	if have := nd.fc.Stats().StoredWithState; have != 1 {
		t.Fatalf("blocks stored with the sealer's state: have %d, want 1", have)
	}
	if head := nd.chain.CurrentBlock(); head.Hash() != b1.Hash() {
		t.Fatalf("head: have %s, want %s", net.name(head), net.name(b1.Header()))
	}
	st, err := nd.chain.State()
	if err != nil {
		t.Fatalf("head state: %v", err)
	}
	if have := st.GetBalance(common.Address{0xc1}).Uint64(); have != 7 {
		t.Fatalf("payee balance: have %d, want 7", have)
	}
	stored := nd.chain.GetReceiptsByHash(b1.Hash())
	if len(stored) != 1 || stored[0].Status != types.ReceiptStatusSuccessful || stored[0].TxHash != b1.Transactions()[0].Hash() {
		t.Fatalf("receipts: have %+v, want the transfer's", stored)
	}
	if td := nd.fc.TD(b1.Hash()); td == nil || td.Uint64() != 3 {
		t.Fatalf("total difficulty: have %v, want 3", td)
	}
}

// TestSealedBlockWrongStateExecuted: a post-state that does not match the
// block (a bug in the sealer) is not stored: the block is executed instead.
func TestSealedBlockWrongStateExecuted(t *testing.T) {
	net := newStateTestnet(t, 3)
	nd := net.newNode()
	b1, receipts, statedb := net.buildTransferOn(nd.chain, net.genesis, "B", 0, 7)
	statedb.AddBalance(common.Address{0xee}, uint256One, 0)
	if err := nd.fc.InsertSealed(b1, receipts, statedb); err != nil {
		t.Fatal(err)
	}
	if head := nd.chain.CurrentBlock(); head.Hash() != b1.Hash() || !nd.chain.HasState(head.Root) {
		t.Fatalf("head: have %s (state %v), want %s with state", net.name(head), nd.chain.HasState(head.Root), net.name(b1.Header()))
	}
	if have := nd.fc.Stats().StoredWithState; have != 0 {
		t.Fatalf("blocks stored with the sealer's state: have %d, want 0", have)
	}
	st, _ := nd.chain.State()
	if have := st.GetBalance(common.Address{0xee}); !have.IsZero() {
		t.Fatalf("stray balance from the wrong state: have %v, want 0", have)
	}
}

// TestSideBlockKeepsHeadState is the regression test of a stall seen on a
// 3-signer network: a side block whose parent's state had been flushed away
// was executed, go-ethereum rolled its disk state back to that parent, and
// the head's state was gone ("missing trie node" when sealing on the head).
// Such a block is now stored without executing it; if its branch wins later,
// it is executed then.
func TestSideBlockKeepsHeadState(t *testing.T) {
	net := newStateTestnet(t, 3)
	nd := net.newDiskNode()

	b1, _, _ := net.buildTransfer(net.genesis, "B", 0, 1) // in turn at 1
	net.store(b1)
	c2, _, _ := net.buildTransfer(b1, "C", 1, 2) // in turn at 2
	net.store(c2)
	a2, _, _ := net.buildTransfer(b1, "A", 1, 3) // out of turn at 2: loses to c2
	net.store(a2)
	nd.insert(b1)
	nd.insert(c2)
	nd.flush() // the state of b1 is no longer held

	if res := nd.insert(a2); res.Status != StatusSide {
		t.Fatalf("a2: have %v, want side", res.Status)
	}
	head := nd.chain.CurrentBlock()
	if head.Hash() != c2.Hash() || !nd.chain.HasState(head.Root) {
		t.Fatalf("head: have %s (state %v), want %s with its state", net.name(head), nd.chain.HasState(head.Root), net.name(c2.Header()))
	}
	if nd.chain.HasState(a2.Root()) {
		t.Fatal("a2 was executed; want it stored without state")
	}
	// A's branch grows past C's: a2 is executed on the reorganisation.
	b3, _, _ := net.buildTransfer(a2, "B", 2, 4) // out of turn at 3 (C is in turn)
	net.store(b3)
	c4, _, _ := net.buildTransfer(b3, "C", 3, 5) // TD 2+1+1+2 = 6 > 5
	net.store(c4)
	nd.insert(b3)
	if res := nd.insert(c4); res.Status != StatusReorged {
		t.Fatalf("c4: have %v, want reorged", res.Status)
	}
	head = nd.chain.CurrentBlock()
	if head.Hash() != c4.Hash() || !nd.chain.HasState(head.Root) {
		t.Fatalf("head after reorg: have %s (state %v), want %s with its state", net.name(head), nd.chain.HasState(head.Root), net.name(c4.Header()))
	}
	st, _ := nd.chain.State()
	if have := st.GetBalance(common.Address{0xc1}).Uint64(); have != 1+3+4+5 {
		t.Fatalf("payee balance on A's branch: have %d, want %d", have, 1+3+4+5)
	}
}

// TestInvalidStatelessSideBlock: a side block with a wrong state root, stored
// without executing it, is refused once its branch would win, and the head
// keeps its state.
func TestInvalidStatelessSideBlock(t *testing.T) {
	net := newStateTestnet(t, 3)
	nd := net.newDiskNode()

	b1, _, _ := net.buildTransfer(net.genesis, "B", 0, 1)
	net.store(b1)
	c2, _, _ := net.buildTransfer(b1, "C", 1, 2)
	net.store(c2)
	nd.insert(b1)
	nd.insert(c2)
	nd.flush()

	// a2 claims a state root it does not have: the builder cannot store it,
	// so it is built by hand on b1.
	good, _, _ := net.buildTransfer(b1, "A", 1, 3)
	header := good.Header()
	header.Root = common.Hash{0xba, 0xd}
	bad := types.NewBlockWithHeader(net.seal(header, "A").Header()).WithBody(*good.Body())
	if res := nd.insert(bad); res.Status != StatusSide {
		t.Fatalf("bad a2: have %v, want side", res.Status)
	}
	// Children that make its branch win (TD 3+1+1+1 = 6 > 5): executing it
	// then fails.
	hc3, err := net.prepareOn(nd.chain, nd.engine, bad.Header(), "C")
	if err != nil {
		t.Fatal(err)
	}
	c3 := net.seal(hc3, "C")
	if res := nd.insert(c3); res.Status != StatusSide {
		t.Fatalf("c3: have %v, want side", res.Status)
	}
	ha4, err := net.prepareOn(nd.chain, nd.engine, c3.Header(), "A")
	if err != nil {
		t.Fatal(err)
	}
	a4 := net.seal(ha4, "A")
	if _, err := nd.fc.Insert(a4); !errors.Is(err, ErrInvalidBlock) {
		t.Fatalf("block on an invalid side block: have %v, want ErrInvalidBlock", err)
	}
	head := nd.chain.CurrentBlock()
	if head.Hash() != c2.Hash() || !nd.chain.HasState(head.Root) {
		t.Fatalf("head: have %s (state %v), want %s with its state", net.name(head), nd.chain.HasState(head.Root), net.name(c2.Header()))
	}
	if rawdb.ReadBadBlock(nd.db, bad.Hash()) == nil {
		t.Fatal("the invalid side block is not recorded as bad")
	}
}

var uint256One = uint256.NewInt(1)

// TestReorgOverSealedBlock: a block stored with its sealer's state, flushed
// to disk, is rolled back correctly when another branch wins (go-ethereum
// rolls its disk state back with the state history the flush wrote).
func TestReorgOverSealedBlock(t *testing.T) {
	net := newStateTestnet(t, 3)
	nd := net.newDiskNode()

	b1, _, _ := net.buildTransfer(net.genesis, "B", 0, 1)
	net.store(b1)
	nd.insert(b1)
	// A seals out of turn at 2 on this node, with its own state.
	a2, receipts, statedb := net.buildTransferOn(nd.chain, b1, "A", 1, 3)
	if err := nd.fc.InsertSealed(a2, receipts, statedb); err != nil {
		t.Fatal(err)
	}
	if nd.fc.Stats().StoredWithState != 1 || nd.chain.CurrentBlock().Hash() != a2.Hash() {
		t.Fatalf("a2 not stored with its state as the head")
	}
	net.store(a2)
	nd.flush()
	// C's in-turn block 2 arrives and wins: a2 is rolled back.
	c2, _, _ := net.buildTransfer(b1, "C", 1, 2)
	net.store(c2)
	if res := nd.insert(c2); res.Status != StatusReorged {
		t.Fatalf("c2: have %v, want reorged", res.Status)
	}
	st, err := nd.chain.State()
	if err != nil {
		t.Fatal(err)
	}
	if have := st.GetBalance(common.Address{0xc1}).Uint64(); have != 1+2 {
		t.Fatalf("payee balance on C's branch: have %d, want 3", have)
	}
	if have := st.GetBalance(crypto.PubkeyToAddress(payer.PublicKey)); have.IsZero() {
		t.Fatal("payer balance lost in the rollback")
	}
	// And the chain goes on from there.
	a3, _, _ := net.buildTransfer(c2, "A", 2, 4)
	net.store(a3)
	if res := nd.insert(a3); res.Status != StatusExtended {
		t.Fatalf("a3: have %v, want extended", res.Status)
	}
}

// TestAfterHead: the hook runs once for every head change and not for side
// blocks, with the new head.
func TestAfterHead(t *testing.T) {
	net := newTestnet(t, 3, 1)
	nd := net.newNode()
	var heads []common.Hash
	nd.fc.AfterHead(func(h *types.Header) { heads = append(heads, h.Hash()) })

	a1 := net.build(net.genesis, "A") // out of turn
	b1 := net.build(net.genesis, "B") // in turn: wins
	c1 := net.build(net.genesis, "C") // out of turn: loses
	for _, b := range []*types.Block{a1, b1, c1} {
		nd.insert(b)
	}
	want := []common.Hash{a1.Hash(), b1.Hash()}
	if len(heads) != len(want) || heads[0] != want[0] || heads[1] != want[1] {
		t.Fatalf("heads passed to AfterHead: have %d (%x), want a1 then b1", len(heads), heads)
	}
}
