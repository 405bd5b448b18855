package follow

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/citychain/citychain/genesis"
)

// TestKnownSenderCache checks that a sender cached through knownSender is
// accepted by a later types.Sender with the chain's signer, without recovery.
func TestKnownSenderCache(t *testing.T) {
	key, _ := crypto.GenerateKey()
	signer := types.NewLondonSigner(big.NewInt(4242))
	tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4242), Gas: 21000, GasFeeCap: big.NewInt(1), GasTipCap: big.NewInt(1)})
	want := crypto.PubkeyToAddress(key.PublicKey)

	// A fresh copy, as decoded from the database: no sender cached.
	data, _ := tx.MarshalBinary()
	fresh := new(types.Transaction)
	if err := fresh.UnmarshalBinary(data); err != nil {
		t.Fatal(err)
	}
	// A marker address, not the real sender: if a later call returns it, it
	// came from the cache and no signature was recovered.
	marker := common.Address{0xde, 0xad}
	if have, _ := types.Sender(knownSender{Signer: signer, from: marker}, fresh); have != marker {
		t.Fatalf("known sender: have %v, want %v", have, marker)
	}
	// The blob pool uses types.LatestSigner: a different value, equal signer.
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Signers = 4242, []common.Address{want}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	latest := types.LatestSigner(g.Config)
	if !latest.Equal(signer) {
		t.Fatalf("LatestSigner of a London chain is not equal to the London signer: the warm-up would not help")
	}
	have, err := types.Sender(latest, fresh)
	if err != nil || have != marker {
		t.Fatalf("sender with the chain's signer: have %v (err %v), want the cached %v", have, err, marker)
	}
	// The original keeps its own, recovered, sender.
	if have, _ := types.Sender(latest, tx); have != want {
		t.Fatalf("original: have %v, want %v", have, want)
	}
}

// mapPool is a TxLookup over a map.
type mapPool map[common.Hash]*types.Transaction

func (p mapPool) Get(hash common.Hash) *types.Transaction { return p[hash] }

// TestPreloadSenders checks that a received block's transactions take the
// senders cached on the pool's copies, and only for transactions in the pool.
func TestPreloadSenders(t *testing.T) {
	chainID := big.NewInt(4242)
	signer := types.NewLondonSigner(chainID)
	key, _ := crypto.GenerateKey()
	real := crypto.PubkeyToAddress(key.PublicKey)
	sign := func(nonce uint64) *types.Transaction {
		return types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, Gas: 21000, GasFeeCap: big.NewInt(1), GasTipCap: big.NewInt(1)})
	}
	// Each pooled copy carries a marker sender in its cache, not the real
	// one: a block transaction that answers with the marker got it from
	// the pool, one that answers with the real sender was recovered.
	markers := []common.Address{{0x01}, {0x02}, {0x03}}
	pool := mapPool{}
	var txs []*types.Transaction
	for i := range 4 {
		tx := sign(uint64(i))
		if i < len(markers) && i != 1 { // transaction 1 and 3 are not pooled
			types.Sender(knownSender{Signer: signer, from: markers[i]}, tx)
			pool[tx.Hash()] = tx
		}
		txs = append(txs, tx)
	}
	// The block as a peer sends it: decoded afresh, no senders cached.
	enc, err := rlp.EncodeToBytes(types.NewBlock(&types.Header{Number: big.NewInt(1)}, &types.Body{Transactions: txs}, nil, trie.NewStackTrie(nil)))
	if err != nil {
		t.Fatal(err)
	}
	block := new(types.Block)
	if err := rlp.DecodeBytes(enc, block); err != nil {
		t.Fatal(err)
	}

	if have, want := preloadSenders(pool, signer, block), 2; have != want {
		t.Fatalf("senders preloaded: have %d, want %d", have, want)
	}
	for i, want := range []common.Address{markers[0], real, markers[2], real} {
		t.Run(fmt.Sprintf("tx%d", i), func(t *testing.T) {
			have, err := types.Sender(signer, block.Transactions()[i]) // the signer of the import
			if err != nil || have != want {
				t.Fatalf("sender: have %v (err %v), want %v", have, err, want)
			}
		})
	}
}

// TestWarmBatch checks that after an import batch the block copies in geth's
// block cache, which geth's blob pool reads on each head change, answer the
// pool's signer (types.LatestSigner) from the senders of the inserted copies,
// with no recovery: on a London chain, and on one with Cancun scheduled but
// not reached, where the pool's signer is not the block's (ADR 083).
func TestWarmBatch(t *testing.T) {
	for _, scheduled := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancun-scheduled=%v", scheduled), func(t *testing.T) {
			chain, blocks := importedChain(t, scheduled)
			if scheduled && types.LatestSigner(chain.Config()).Equal(types.MakeSigner(chain.Config(), blocks[0].Number(), blocks[0].Time())) {
				t.Fatal("test setup: the pool's signer equals the block's; the scheduled fork is not in the config")
			}
			// The import's copies, with a marker sender per transaction in
			// place of the recovered one: a cached copy that answers the
			// marker was warmed; one that answers the real sender recovered it.
			copies := make([]*types.Block, len(blocks))
			markers := map[common.Hash]common.Address{}
			for i, b := range blocks {
				copies[i] = decodedCopy(t, b)
				signer := types.MakeSigner(chain.Config(), b.Number(), b.Time())
				for j, tx := range copies[i].Transactions() {
					m := common.Address{0xaa, byte(i), byte(j)}
					markers[tx.Hash()] = m
					types.Sender(knownSender{Signer: signer, from: m}, tx)
				}
			}
			WarmBatch(chain, copies)
			latest := types.LatestSigner(chain.Config())
			n := 0
			for _, b := range blocks {
				for _, tx := range chain.GetBlock(b.Hash(), b.NumberU64()).Transactions() {
					if have, err := types.Sender(latest, tx); err != nil || have != markers[tx.Hash()] {
						t.Fatalf("block %d tx %x: the pool's signer has %v (err %v), want the warmed %v", b.NumberU64(), tx.Hash(), have, err, markers[tx.Hash()])
					}
					n++
				}
			}
			if n == 0 {
				t.Fatal("test setup: no transactions in the batch")
			}
		})
	}
}

// TestWarmSendersSharesTransactions checks that after WarmSenders the block
// copy in geth's block cache holds the inserted copy's transaction objects,
// not the ones it decoded from the database (which held every transaction of
// the cached blocks a second time), and that they answer the blob pool's
// signer with the inserted copy's senders, with no recovery, also while a fork
// is scheduled but not reached (ADR 083).
func TestWarmSendersSharesTransactions(t *testing.T) {
	for _, scheduled := range []bool{false, true} {
		t.Run(fmt.Sprintf("cancun-scheduled=%v", scheduled), func(t *testing.T) {
			chain, blocks := importedChain(t, scheduled)
			latest := types.LatestSigner(chain.Config())
			n := 0
			for i, b := range blocks {
				inserted := decodedCopy(t, b)
				signer := types.MakeSigner(chain.Config(), b.Number(), b.Time())
				for j, tx := range inserted.Transactions() {
					types.Sender(knownSender{Signer: signer, from: common.Address{0xaa, byte(i), byte(j)}}, tx)
				}
				WarmSenders(chain, inserted)
				cached := chain.GetBlock(b.Hash(), b.NumberU64())
				if cached == inserted {
					t.Fatal("test setup: the cache holds the inserted block itself")
				}
				for j, tx := range cached.Transactions() {
					if tx != inserted.Transactions()[j] {
						t.Fatalf("block %d tx %d: the cached copy holds a transaction object of its own, want the inserted copy's", b.NumberU64(), j)
					}
					want := common.Address{0xaa, byte(i), byte(j)}
					if have, err := types.Sender(latest, tx); err != nil || have != want {
						t.Fatalf("block %d tx %d: the pool's signer has %v (err %v), want the inserted copy's %v", b.NumberU64(), j, have, err, want)
					}
					n++
				}
			}
			if n == 0 {
				t.Fatal("test setup: no transactions in the blocks")
			}
		})
	}
}

// importedChain returns a chain with 3 blocks of transfers inserted in one
// InsertChain call, and those blocks.
func importedChain(t *testing.T, cancunScheduled bool) (*core.BlockChain, []*types.Block) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	zero := big.NewInt(0)
	config := params.ChainConfig{ChainID: big.NewInt(4242), HomesteadBlock: zero, EIP150Block: zero, EIP155Block: zero, EIP158Block: zero,
		ByzantiumBlock: zero, ConstantinopleBlock: zero, PetersburgBlock: zero, IstanbulBlock: zero, BerlinBlock: zero, LondonBlock: zero, Ethash: new(params.EthashConfig)}
	if cancunScheduled {
		future := uint64(1 << 40)
		config.ShanghaiTime, config.CancunTime = &future, &future
		config.BlobScheduleConfig = &params.BlobScheduleConfig{Cancun: params.DefaultCancunBlobConfig}
	}
	gspec := &core.Genesis{Config: &config, Alloc: types.GenesisAlloc{from: {Balance: big.NewInt(1e18)}}, BaseFee: big.NewInt(params.InitialBaseFee)}
	signer := types.LatestSigner(&config)
	_, blocks, _ := core.GenerateChainWithGenesis(gspec, ethash.NewFaker(), 3, func(i int, g *core.BlockGen) {
		for range 2 {
			tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: config.ChainID, Nonce: g.TxNonce(from), Gas: 21000, GasFeeCap: big.NewInt(1e10), GasTipCap: big.NewInt(1), To: &common.Address{1}, Value: big.NewInt(1)})
			g.AddTx(tx)
		}
	})
	chain, err := core.NewBlockChain(rawdb.NewMemoryDatabase(), gspec, ethash.NewFaker(), core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(chain.Stop)
	if n, err := chain.InsertChain(blocks); err != nil {
		t.Fatalf("insert block %d: %v", n, err)
	}
	return chain, blocks
}

// decodedCopy returns b decoded afresh from its encoding: no sender cached.
func decodedCopy(t *testing.T, b *types.Block) *types.Block {
	t.Helper()
	enc, err := rlp.EncodeToBytes(b)
	if err != nil {
		t.Fatal(err)
	}
	out := new(types.Block)
	if err := rlp.DecodeBytes(enc, out); err != nil {
		t.Fatal(err)
	}
	return out
}
