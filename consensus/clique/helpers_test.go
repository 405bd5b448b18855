package clique

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
)

// keyring maps the signer labels of the tests ("A", "B", ...) to keys made on
// demand. Keys derive from the label, so runs are reproducible.
type keyring struct {
	mu     sync.Mutex
	keys   map[string]*ecdsa.PrivateKey
	labels map[common.Address]string
}

func newKeyring() *keyring {
	return &keyring{keys: make(map[string]*ecdsa.PrivateKey), labels: make(map[common.Address]string)}
}

// key returns the key of label.
func (k *keyring) key(label string) *ecdsa.PrivateKey {
	k.mu.Lock()
	defer k.mu.Unlock()
	if key, ok := k.keys[label]; ok {
		return key
	}
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("citychain clique test key " + label)))
	if err != nil {
		panic(err) // a keccak output is a valid key with overwhelming probability
	}
	k.keys[label] = key
	k.labels[crypto.PubkeyToAddress(key.PublicKey)] = label
	return key
}

// address returns the address of label; "" is the zero address (no vote).
func (k *keyring) address(label string) common.Address {
	if label == "" {
		return common.Address{}
	}
	return crypto.PubkeyToAddress(k.key(label).PublicKey)
}

// addresses returns the addresses of labels in ascending order.
func (k *keyring) addresses(labels ...string) []common.Address {
	list := make([]common.Address, 0, len(labels))
	for _, label := range labels {
		list = append(list, k.address(label))
	}
	slices.SortFunc(list, common.Address.Cmp)
	return list
}

// sorted returns labels in the order of their addresses: the signer at
// index n % len is in turn at block n.
func (k *keyring) sorted(labels ...string) []string {
	out := slices.Clone(labels)
	slices.SortFunc(out, func(a, b string) int { return k.address(a).Cmp(k.address(b)) })
	return out
}

// names returns the labels of addresses, for readable failure messages.
func (k *keyring) names(addresses []common.Address) []string {
	k.mu.Lock()
	defer k.mu.Unlock()
	names := make([]string, 0, len(addresses))
	for _, a := range addresses {
		name, ok := k.labels[a]
		if !ok {
			name = a.Hex()
		}
		names = append(names, name)
	}
	slices.Sort(names)
	return names
}

// sign seals header in place with the key of label, without any check.
func (k *keyring) sign(header *types.Header, label string) {
	sig, err := crypto.Sign(upstream.SealHash(header).Bytes(), k.key(label))
	if err != nil {
		panic(err)
	}
	copy(header.Extra[len(header.Extra)-ExtraSeal:], sig)
}

// signFn is a SignerFn over the keyring.
func (k *keyring) signFn() SignerFn {
	return func(signer common.Address, hash []byte) ([]byte, error) {
		k.mu.Lock()
		label, ok := k.labels[signer]
		k.mu.Unlock()
		if !ok {
			return nil, fmt.Errorf("no key for %s", signer)
		}
		return crypto.Sign(hash, k.key(label))
	}
}

// testChainConfig is a Clique chain as citychain runs it: London from block
// 0, a terminal total difficulty that is never reached, nothing after London.
func testChainConfig(period, epoch uint64) *params.ChainConfig {
	config := *params.AllCliqueProtocolChanges
	config.TerminalTotalDifficulty = new(big.Int).Lsh(big.NewInt(1), 255)
	config.Clique = &params.CliqueConfig{Period: period, Epoch: epoch}
	return &config
}

// testGenesis returns a genesis with the given signers whose time lies far
// enough in the past that back-dated test blocks are never in the future.
func testGenesis(config *params.ChainConfig, signers []common.Address) *core.Genesis {
	extra := &Extra{Signers: signers}
	copy(extra.Vanity[:], "citychain test genesis")
	return &core.Genesis{
		Config:     config,
		Timestamp:  uint64(time.Now().Add(-24 * time.Hour).Unix()),
		ExtraData:  extra.Encode(),
		GasLimit:   30_000_000,
		Difficulty: big.NewInt(1),
		BaseFee:    big.NewInt(params.InitialBaseFee),
		Alloc:      types.GenesisAlloc{},
	}
}

// nextHeader returns an unsealed, vote-less header of an empty block on top
// of parent, timed parent.Time+period, with room for the seal. The caller
// sets the difficulty, or lets Prepare fill the consensus fields.
func nextHeader(config *params.ChainConfig, parent *types.Header) *types.Header {
	return &types.Header{
		ParentHash:  parent.Hash(),
		UncleHash:   types.EmptyUncleHash,
		Root:        parent.Root,
		TxHash:      types.EmptyTxsHash,
		ReceiptHash: types.EmptyReceiptsHash,
		Number:      new(big.Int).Add(parent.Number, common.Big1),
		GasLimit:    parent.GasLimit,
		Time:        parent.Time + config.Clique.Period,
		Extra:       make([]byte, ExtraVanity+ExtraSeal),
		BaseFee:     eip1559.CalcBaseFee(config, parent),
		Difficulty:  new(big.Int).Set(diffNoTurn),
	}
}

// testChain is an in-memory consensus.ChainHeaderReader: a canonical list of
// headers, without bodies or state.
type testChain struct {
	config    *params.ChainConfig
	canonical []*types.Header
	byHash    map[common.Hash]*types.Header
	hide      func(number uint64) bool // makes headers look missing, if set
}

func newTestChain(config *params.ChainConfig, genesis *types.Header) *testChain {
	c := &testChain{config: config, byHash: make(map[common.Hash]*types.Header)}
	c.insert(genesis)
	return c
}

// insert appends header to the canonical chain.
func (c *testChain) insert(header *types.Header) {
	if n := header.Number.Uint64(); n != uint64(len(c.canonical)) {
		panic(fmt.Sprintf("insert block %d on a chain of %d", n, len(c.canonical)))
	}
	c.canonical = append(c.canonical, header)
	c.byHash[header.Hash()] = header
}

func (c *testChain) visible(h *types.Header) *types.Header {
	if h == nil || (c.hide != nil && c.hide(h.Number.Uint64())) {
		return nil
	}
	return h
}

func (c *testChain) Config() *params.ChainConfig  { return c.config }
func (c *testChain) CurrentHeader() *types.Header { return c.canonical[len(c.canonical)-1] }

func (c *testChain) GetHeader(hash common.Hash, number uint64) *types.Header {
	if h := c.byHash[hash]; h != nil && h.Number.Uint64() == number {
		return c.visible(h)
	}
	return nil
}

func (c *testChain) GetHeaderByNumber(number uint64) *types.Header {
	if number >= uint64(len(c.canonical)) {
		return nil
	}
	return c.visible(c.canonical[number])
}

func (c *testChain) GetHeaderByHash(hash common.Hash) *types.Header {
	return c.visible(c.byHash[hash])
}

// snapshotAt is the engine's snapshot at header (by its number and hash),
// looking up any parent it needs in chain.
func snapshotAt(engine *Engine, chain consensus.ChainHeaderReader, header *types.Header) (*Snapshot, error) {
	return engine.Snapshot(chain, header.Number.Uint64(), header.Hash(), nil)
}

// newUpstreamChain returns a core.BlockChain verifying with upstream Clique
// wrapped in the beacon engine, as eth.New sets it up.
func newUpstreamChain(t testing.TB, genesis *core.Genesis) *core.BlockChain {
	t.Helper()
	engine := beacon.New(upstream.New(genesis.Config.Clique, rawdb.NewMemoryDatabase()))
	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), genesis, engine, nil)
	if err != nil {
		t.Fatalf("create upstream chain: %v", err)
	}
	t.Cleanup(chain.Stop)
	return chain
}
