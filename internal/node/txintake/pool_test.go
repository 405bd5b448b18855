package txintake

import (
	"context"
	"math/big"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/txpool"
	"github.com/ethereum/go-ethereum/core/txpool/legacypool"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
)

// realChain is a go-ethereum BlockChain and TxPool in memory, with a
// separate database to build blocks in. Blocks are made by core.GenerateChain
// with ethash's fake engine: the pool and the chain do not depend on the
// engine, and the chain config is citychain's Clique shape.
type realChain struct {
	t      *testing.T
	config *params.ChainConfig
	chain  *core.BlockChain
	pool   *txpool.TxPool
	genDB  ethdb.Database
	head   *types.Block
}

func newRealChain(t *testing.T, poolCfg legacypool.Config, funded ...string) *realChain {
	t.Helper()
	config := testConfig()
	alloc := types.GenesisAlloc{}
	for _, label := range funded {
		alloc[testKeys.addr(label)] = types.Account{Balance: new(big.Int).Mul(big.NewInt(params.Ether), big.NewInt(1000))}
	}
	// Clique extra-data: 32 bytes of vanity, one signer, 65 bytes for the seal.
	extra := append(make([]byte, 32), testKeys.addr("signer").Bytes()...)
	extra = append(extra, make([]byte, 65)...)
	genesis := &core.Genesis{Config: config, ExtraData: extra, GasLimit: 30_000_000, Difficulty: big.NewInt(1), Alloc: alloc}

	genDB := rawdb.NewMemoryDatabase()
	head := genesis.MustCommit(genDB, triedb.NewDatabase(genDB, triedb.HashDefaults))

	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), genesis, ethash.NewFaker(), core.DefaultConfig())
	if err != nil {
		t.Fatalf("NewBlockChain: %v", err)
	}
	poolCfg.NoLocals, poolCfg.Journal = true, ""
	pool, err := txpool.New(0, chain, []txpool.SubPool{legacypool.New(poolCfg, chain)})
	if err != nil {
		t.Fatalf("txpool.New: %v", err)
	}
	t.Cleanup(func() { pool.Close(); chain.Stop() })
	return &realChain{t: t, config: config, chain: chain, pool: pool, genDB: genDB, head: head}
}

// mineOne builds a block of up to limit pending pool transactions, inserts
// it and lets the pool catch up. It returns the transactions included.
func (c *realChain) mineOne(limit int) int {
	c.t.Helper()
	pending, _ := c.pool.Pending(txpool.PendingFilter{})
	var txs []*types.Transaction
	for _, list := range pending {
		for _, lazy := range list {
			if len(txs) == limit {
				break
			}
			txs = append(txs, lazy.Resolve())
		}
	}
	blocks, _ := core.GenerateChain(c.config, c.head, ethash.NewFaker(), c.genDB, 1, func(_ int, b *core.BlockGen) {
		for _, tx := range txs {
			b.AddTx(tx)
		}
	})
	if _, err := c.chain.InsertChain(blocks); err != nil {
		c.t.Fatalf("InsertChain: %v", err)
	}
	c.head = blocks[0]
	if err := c.pool.Sync(); err != nil {
		c.t.Fatalf("pool sync: %v", err)
	}
	return len(txs)
}

// TestRealPoolNothingLost replays the geth 1.13 failure in miniature against
// go-ethereum's own pool and chain: a pool with small limits refuses or
// evicts accepted transfers under load. Every accepted transfer must be
// mined, none dropped.
func TestRealPoolNothingLost(t *testing.T) {
	senders := []string{"s0", "s1", "s2", "s3", "s4", "s5"}
	poolCfg := legacypool.DefaultConfig
	poolCfg.GlobalSlots, poolCfg.AccountSlots = 6, 1
	poolCfg.GlobalQueue, poolCfg.AccountQueue = 4, 2
	c := newRealChain(t, poolCfg, senders...)

	cfg := Defaults
	cfg.Journal = filepath.Join(t.TempDir(), "txs.journal")
	cfg.FinalityDepth = 0
	in, err := New(cfg, c.config, c.pool, c.chain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Stop() })

	var txs []*types.Transaction
	for nonce := range 5 {
		for _, s := range senders {
			txs = append(txs, transfer(s, uint64(nonce)))
		}
	}
	for i, err := range in.Submit(context.Background(), txs) {
		if err != nil {
			t.Fatalf("Submit tx %d: %v", i, err)
		}
	}
	pooled := 0
	for _, tx := range txs {
		if c.pool.Has(tx.Hash()) {
			pooled++
		}
	}
	if pooled == len(txs) {
		t.Fatalf("pool: holds all %d transactions, want its limits to refuse some (the test would prove nothing)", pooled)
	}
	t.Logf("pool holds %d of %d accepted transactions", pooled, len(txs))

	for round := 0; round < 40 && in.Metrics().Tracked > 0; round++ {
		c.mineOne(4)
		in.check()
	}
	for _, tx := range txs {
		if st := in.Status(tx.Hash()); st.State != StateMined {
			t.Errorf("tx %x: have %+v, want mined", tx.Hash().Bytes()[:4], st)
		}
	}
	m := in.Metrics()
	if m.Dropped != 0 || m.Mined != uint64(len(txs)) || m.Resubmitted == 0 {
		t.Errorf("dropped/mined/resubmitted: have %d/%d/%d, want 0/%d/>0", m.Dropped, m.Mined, m.Resubmitted, len(txs))
	}
	// Mined transactions are in the chain at the block Status reports.
	for _, tx := range txs[:3] {
		lookup, _ := c.chain.GetCanonicalTransaction(tx.Hash())
		if st := in.Status(tx.Hash()); lookup == nil || st.Block == nil || *st.Block != lookup.BlockIndex {
			t.Errorf("tx %x: have status %+v, lookup %+v", tx.Hash().Bytes()[:4], st, lookup)
		}
	}
}

// TestRealPoolRejects checks that the real pool's permanent errors reach the
// client unchanged and nothing is tracked for them.
func TestRealPoolRejects(t *testing.T) {
	c := newRealChain(t, legacypool.DefaultConfig, "rich")
	in, err := New(Defaults, c.config, c.pool, c.chain)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { in.Stop() })

	tests := []struct {
		name string
		tx   *types.Transaction
		want string
	}{
		{"insufficient funds", transfer("poor", 0), "insufficient funds for gas * price + value"},
		{"tip above fee cap", transferFee("rich", 0, big.NewInt(params.GWei/2)), "max priority fee per gas higher than max fee per gas"},
		{"wrong chain id", types.MustSignNewTx(testKeys.key("rich"), types.LatestSignerForChainID(big.NewInt(1)), &types.DynamicFeeTx{ChainID: big.NewInt(1),
			GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2 * params.GWei), Gas: params.TxGas, To: &recipient}), "invalid sender: invalid chain id for signer"},
		{"intrinsic gas", types.MustSignNewTx(testKeys.key("rich"), testSigner, &types.DynamicFeeTx{ChainID: big.NewInt(testChainID),
			GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(2 * params.GWei), Gas: 20000, To: &recipient}), "intrinsic gas too low"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := in.Submit(context.Background(), []*types.Transaction{tt.tx})[0]
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Submit: have %v, want %q", err, tt.want)
			}
			if st := in.Status(tt.tx.Hash()); st.State != StateUnknown {
				t.Errorf("status: have %+v, want unknown", st)
			}
		})
	}
	if have := in.Metrics().Tracked; have != 0 {
		t.Errorf("tracked: have %d, want 0", have)
	}
}
