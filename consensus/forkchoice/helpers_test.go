package forkchoice

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strconv"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
)

// genesisTime is the fixed genesis time of the test chains, far enough in the
// past that blocks timed parent + period are never in the future, and fixed so
// that every run builds the same blocks (rule 4 compares hashes).
const genesisTime = 1_700_000_000

// keyring holds the keys of the test signers. Labels "A", "B", ... are given
// in the order of the addresses, so "A" is index 0 of the sorted signer list,
// "B" index 1 and so on: the signer in turn at block n is the label at n % N,
// as in EIP-3436's examples ("addresses sort to the same order as their
// designation").
type keyring struct {
	keys   map[string]*ecdsa.PrivateKey
	labels map[common.Address]string
}

// newKeyring returns the keys of the labels "A" up to the n-th letter.
func newKeyring(n int) *keyring {
	keys := make([]*ecdsa.PrivateKey, n)
	for i := range keys {
		key, err := crypto.ToECDSA(crypto.Keccak256([]byte("citychain forkchoice test key " + strconv.Itoa(i))))
		if err != nil {
			panic(err) // a keccak output is a valid key with overwhelming probability
		}
		keys[i] = key
	}
	slices.SortFunc(keys, func(a, b *ecdsa.PrivateKey) int {
		return crypto.PubkeyToAddress(a.PublicKey).Cmp(crypto.PubkeyToAddress(b.PublicKey))
	})
	k := &keyring{keys: make(map[string]*ecdsa.PrivateKey), labels: make(map[common.Address]string)}
	for i, key := range keys {
		label := string(rune('A' + i))
		k.keys[label] = key
		k.labels[crypto.PubkeyToAddress(key.PublicKey)] = label
	}
	return k
}

// address returns the address of label; it panics on an unknown label.
func (k *keyring) address(label string) common.Address {
	key, ok := k.keys[label]
	if !ok {
		panic("unknown signer label " + label)
	}
	return crypto.PubkeyToAddress(key.PublicKey)
}

// label returns the label of address, or its hex form.
func (k *keyring) label(address common.Address) string {
	if label, ok := k.labels[address]; ok {
		return label
	}
	return address.Hex()
}

// sign is a clique.SignerFn over the keyring.
func (k *keyring) sign(signer common.Address, hash []byte) ([]byte, error) {
	label, ok := k.labels[signer]
	if !ok {
		return nil, fmt.Errorf("no key for %s", signer)
	}
	return crypto.Sign(hash, k.keys[label])
}

// testnet is a set of signers and a genesis, with a builder chain that holds
// every block the test builds (canonical or not), so that blocks can be
// prepared on any parent. Nodes each have their own database, chain, engine
// and fork choice, and receive the built blocks in whatever order the test
// delivers them.
type testnet struct {
	t       testing.TB
	keys    *keyring
	gspec   *core.Genesis
	period  uint64
	builder *core.BlockChain
	engine  *clique.Engine // the builder's engine
	genesis *types.Block
	tds     map[common.Hash]*big.Int // total difficulty of every built block
}

// newTestnet returns a network of n signers ("A"...) with the given period.
func newTestnet(t testing.TB, n int, period uint64) *testnet {
	t.Helper()
	return newTestnetAlloc(t, n, period, nil)
}

// newModernTestnet is newTestnet on a chain whose blocks all have the
// post-transition format (Shanghai, Cancun and Prague at genesis, ADR 044):
// nodes run go-ethereum's chain with clique.ChainEngine, as the node does.
func newModernTestnet(t testing.TB, n int, period uint64) *testnet {
	t.Helper()
	return newTestnetWith(t, n, period, nil, genesis.ForksAt(genesisTime))
}

// newTestnetAlloc is newTestnet with accounts funded in the genesis.
func newTestnetAlloc(t testing.TB, n int, period uint64, alloc types.GenesisAlloc) *testnet {
	t.Helper()
	return newTestnetWith(t, n, period, alloc, genesis.Forks{})
}

// newTestnetWith is newTestnetAlloc with the transition's forks.
func newTestnetWith(t testing.TB, n int, period uint64, alloc types.GenesisAlloc, forks genesis.Forks) *testnet {
	t.Helper()
	keys := newKeyring(n)
	spec := genesis.DefaultSpec()
	spec.Forks = forks
	maps.Copy(spec.Alloc, alloc)
	spec.ChainID = 4242
	spec.Period = period
	spec.Timestamp = genesisTime
	for label := range keys.keys {
		spec.Signers = append(spec.Signers, keys.address(label))
	}
	gspec, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	net := &testnet{t: t, keys: keys, gspec: gspec, period: period, tds: make(map[common.Hash]*big.Int)}
	nd := net.newNode()
	net.builder, net.engine = nd.chain, nd.engine
	net.genesis = nd.chain.Genesis()
	net.tds[net.genesis.Hash()] = new(big.Int).Set(net.genesis.Difficulty())
	return net
}

// node is one citychain node: database, go-ethereum chain verifying with
// upstream Clique in the beacon wrapper (as eth.New sets it up), our engine
// and fork choice.
type node struct {
	t      testing.TB
	db     ethdb.Database
	chain  *core.BlockChain
	engine *clique.Engine
	fc     *ForkChoice
}

// newNode returns a fresh node on the testnet's genesis.
func (net *testnet) newNode() *node {
	net.t.Helper()
	return net.openNode(rawdb.NewMemoryDatabase())
}

// openNode returns a node on db, which may hold a chain already.
func (net *testnet) openNode(db ethdb.Database) *node {
	net.t.Helper()
	// The path-based state scheme, as citynode runs (geth's default), not
	// core.DefaultConfig's hash scheme: which states a node holds differs.
	cfg := core.DefaultConfig()
	cfg.StateScheme = rawdb.PathScheme
	engine := clique.New(net.gspec.Config.Clique, db)
	var chainEngine consensus.Engine = beacon.New(upstream.New(net.gspec.Config.Clique, db))
	if genesis.ForksOf(net.gspec.Config).Any() {
		chainEngine = clique.NewChainEngine(engine, chainEngine)
	}
	chain, err := core.NewBlockChain(db, net.gspec, chainEngine, cfg)
	if err != nil {
		net.t.Fatalf("create chain: %v", err)
	}
	net.t.Cleanup(chain.Stop)
	fc, err := New(chain, engine, db)
	if err != nil {
		net.t.Fatalf("create fork choice: %v", err)
	}
	return &node{t: net.t, db: db, chain: chain, engine: engine, fc: fc}
}

// build seals an empty block by signer on parent, timed parent + period, and
// stores it in the builder chain. Prepare checks that signer may seal there.
func (net *testnet) build(parent *types.Block, signer string) *types.Block {
	net.t.Helper()
	return net.buildWith(parent, signer, nil)
}

// buildWith is build with a change to the prepared header before sealing.
func (net *testnet) buildWith(parent *types.Block, signer string, change func(*types.Header)) *types.Block {
	net.t.Helper()
	block, err := net.tryBuild(parent, signer, change)
	if err != nil {
		net.t.Fatalf("build block %d by %s: %v", parent.NumberU64()+1, signer, err)
	}
	return block
}

// tryBuild is buildWith returning Prepare's error (a signer that may not
// seal on parent).
func (net *testnet) tryBuild(parent *types.Block, signer string, change func(*types.Header)) (*types.Block, error) {
	header, err := net.prepare(parent, signer)
	if err != nil {
		return nil, err
	}
	if change != nil {
		change(header)
	}
	block := net.seal(net.execute(net.builder, parent.Header(), header, nil), signer)
	if _, err := net.builder.InsertBlockWithoutSetHead(context.Background(), block, false); err != nil {
		return nil, fmt.Errorf("builder stores block: %w", err)
	}
	weight, err := net.engine.Weight(net.builder, block.Header(), nil)
	if err != nil {
		return nil, err
	}
	net.tds[block.Hash()] = new(big.Int).Add(net.tds[parent.Hash()], weight)
	return block, nil
}

// execute returns header with the state root and requests hash of an empty
// post-transition block on parent, whose system calls change the state
// (ADR 044), with withdrawals in its body; a London header as it is.
func (net *testnet) execute(chain *core.BlockChain, parent, header *types.Header, withdrawals []*types.Withdrawal) *types.Header {
	net.t.Helper()
	if !clique.IsModern(header) {
		return header
	}
	config := net.gspec.Config
	statedb, err := chain.StateAt(parent.Root, parent.Number, parent.Time)
	if err != nil {
		net.t.Fatalf("state of block %d: %v", parent.Number, err)
	}
	author := common.Address{}
	evm := vm.NewEVM(core.NewEVMBlockContext(header, chain, &author), statedb, config, vm.Config{})
	core.PreExecution(context.Background(), header.ParentBeaconRoot, parent, config, evm, header.Number, header.Time)
	requests, _, err := core.PostExecution(context.Background(), config, header.Number, header.Time, nil, withdrawals, evm, 1)
	if err != nil {
		net.t.Fatalf("system calls of block %d: %v", header.Number, err)
	}
	if requests != nil {
		hash := types.CalcRequestsHash(requests)
		header.RequestsHash = &hash
	}
	if withdrawals == nil {
		withdrawals = []*types.Withdrawal{}
	}
	return core.AssembleBlock(chain, header, statedb, &types.Body{Withdrawals: withdrawals}, nil, nil).Header()
}

// prepare returns the header of an empty block by signer on parent, filled in
// by our engine's Prepare and timed parent + period.
func (net *testnet) prepare(parent *types.Block, signer string) (*types.Header, error) {
	return net.prepareOn(net.builder, net.engine, parent.Header(), signer)
}

// prepareOn is prepare on a node's chain and engine.
func (net *testnet) prepareOn(chain consensus.ChainHeaderReader, engine *clique.Engine, parent *types.Header, signer string) (*types.Header, error) {
	header := &types.Header{
		ParentHash:  parent.Hash(),
		Number:      new(big.Int).Add(parent.Number, common.Big1),
		GasLimit:    parent.GasLimit,
		Root:        parent.Root,
		TxHash:      types.EmptyTxsHash,
		ReceiptHash: types.EmptyReceiptsHash,
		BaseFee:     eip1559.CalcBaseFee(net.gspec.Config, parent),
		Extra:       []byte("citychain forkchoice test"),
	}
	if err := engine.Prepare(chain, header, net.keys.address(signer)); err != nil {
		return nil, err
	}
	header.Time = parent.Time + net.period
	engine.PrepareModern(net.gspec.Config, parent, header) // Prepare's time was now
	return header, nil
}

// seal seals header with our engine's Seal by signer and returns its block,
// without storing it anywhere.
func (net *testnet) seal(header *types.Header, signer string) *types.Block {
	net.t.Helper()
	sealed, err := net.engine.Seal(header, net.keys.address(signer), net.keys.sign)
	if err != nil {
		net.t.Fatalf("seal block %d by %s: %v", header.Number, signer, err)
	}
	block := types.NewBlockWithHeader(sealed)
	if clique.IsModern(sealed) {
		block = block.WithBody(types.Body{Withdrawals: []*types.Withdrawal{}})
	}
	return block
}

// chain builds a chain of blocks on parent, sealed by signers in order.
func (net *testnet) chain(parent *types.Block, signers ...string) []*types.Block {
	net.t.Helper()
	blocks := make([]*types.Block, 0, len(signers))
	for _, signer := range signers {
		parent = net.build(parent, signer)
		blocks = append(blocks, parent)
	}
	return blocks
}

// candidate returns a block as a Candidate, computed from the builder
// independently of the fork choice code under test.
func (net *testnet) candidate(block *types.Block) Candidate {
	net.t.Helper()
	c := testCandidate{hash: block.Hash(), number: block.NumberU64(), td: net.tds[block.Hash()]}
	if block.NumberU64() == 0 {
		return c
	}
	signer, err := net.engine.Author(block.Header())
	if err != nil {
		net.t.Fatal(err)
	}
	snap, err := net.engine.Snapshot(net.builder, block.NumberU64()-1, block.ParentHash(), nil)
	if err != nil {
		net.t.Fatal(err)
	}
	for s := range snap.Signers {
		if s.Cmp(signer) < 0 {
			c.index++
		}
	}
	c.signers = uint64(len(snap.Signers))
	return c
}

// best returns the best of blocks by Compare.
func (net *testnet) best(blocks []*types.Block) *types.Block {
	net.t.Helper()
	best := blocks[0]
	for _, b := range blocks[1:] {
		if Compare(net.candidate(b), net.candidate(best)) < 0 {
			best = b
		}
	}
	return best
}

// name returns a short readable name of a block: number, signer, hash prefix.
func (net *testnet) name(header *types.Header) string {
	if header.Number.Sign() == 0 {
		return "genesis"
	}
	signer, err := net.engine.Author(header)
	if err != nil {
		return fmt.Sprintf("%d?%x", header.Number, header.Hash().Bytes()[:3])
	}
	return fmt.Sprintf("%s%d(%x)", net.keys.label(signer), header.Number, header.Hash().Bytes()[:3])
}

// insert inserts block into the node and fails the test on an error.
func (nd *node) insert(block *types.Block) Result {
	nd.t.Helper()
	res, err := nd.fc.Insert(block)
	if err != nil {
		nd.t.Fatalf("insert block %d %x: %v", block.NumberU64(), block.Hash(), err)
	}
	return res
}

// deliver inserts blocks in the given order. A block whose parent has not
// arrived waits until it has, as gossip and sync would make it; every block
// must end up inserted.
func (nd *node) deliver(blocks []*types.Block) {
	nd.t.Helper()
	if refused := nd.deliverStale(blocks); len(refused) > 0 {
		nd.t.Fatalf("%d blocks refused: they conflict with the finalized block", len(refused))
	}
}

// deliverStale is deliver for arrival orders in which a block may come after
// the node finalized a block of a competing branch: such a block, and any of
// its descendants, is refused with ErrFinalizedConflict and returned.
func (nd *node) deliverStale(blocks []*types.Block) (refused map[common.Hash]bool) {
	nd.t.Helper()
	refused = make(map[common.Hash]bool)
	var waiting []*types.Block
	// try inserts block and reports whether it is settled (in, or refused).
	try := func(block *types.Block) bool {
		if refused[block.ParentHash()] {
			refused[block.Hash()] = true
			return true
		}
		_, err := nd.fc.Insert(block)
		switch {
		case errors.Is(err, ErrUnknownParent):
			return false
		case errors.Is(err, ErrFinalizedConflict):
			refused[block.Hash()] = true
		case err != nil:
			nd.t.Fatalf("insert block %d %x: %v", block.NumberU64(), block.Hash(), err)
		}
		return true
	}
	for _, block := range blocks {
		if !try(block) {
			waiting = append(waiting, block)
			continue
		}
		for progress := true; progress; {
			progress = false
			for i, w := range waiting {
				if try(w) {
					waiting = slices.Delete(waiting, i, i+1)
					progress = true
					break
				}
			}
		}
	}
	if len(waiting) > 0 {
		nd.t.Fatalf("%d blocks never found their parent", len(waiting))
	}
	return refused
}

// testCandidate is a Candidate made of plain values.
type testCandidate struct {
	hash    common.Hash
	number  uint64
	td      *big.Int
	index   uint64
	signers uint64
}

func (c testCandidate) Hash() common.Hash             { return c.hash }
func (c testCandidate) NumberU64() uint64             { return c.number }
func (c testCandidate) TotalDifficulty() *big.Int     { return c.td }
func (c testCandidate) Turn() (index, signers uint64) { return c.index, c.signers }

// permutations calls fn with every ordering of blocks (Heap's algorithm).
func permutations(blocks []*types.Block, fn func([]*types.Block)) {
	a := slices.Clone(blocks)
	c := make([]int, len(a))
	fn(slices.Clone(a))
	for i := 0; i < len(a); {
		if c[i] < i {
			if i%2 == 0 {
				a[0], a[i] = a[i], a[0]
			} else {
				a[c[i]], a[i] = a[i], a[c[i]]
			}
			fn(slices.Clone(a))
			c[i]++
			i = 0
		} else {
			c[i] = 0
			i++
		}
	}
}
