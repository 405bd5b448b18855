package follow

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
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
