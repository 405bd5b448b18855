package main

import (
	"crypto/ecdsa"
	"math/big"
	"testing"
	"time"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/follow"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// transferSpec is the genesis of the chains the join and snap-sync process
// tests sync: three signers, period 1, an hour old, and one sender funded
// with 1,000 ether (extra accounts added by the caller).
func transferSpec(chainID uint64) (genesis.Spec, []*ecdsa.PrivateKey, genesis.DevAccount) {
	signers := sortedSignerKeys(3)
	sender := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = chainID, 1
	spec.Timestamp = uint64(time.Now().Add(-time.Hour).Unix())
	for _, k := range signers {
		spec.Signers = append(spec.Signers, crypto.PubkeyToAddress(k.PublicKey))
	}
	spec.Alloc = types.GenesisAlloc{sender.Address: {Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}}
	return spec, signers, sender
}

// transferBlocks is how many blocks sealTransfers seals: well above the
// shortest chain a node snap-syncs.
const transferBlocks = follow.SnapMinTarget + 72

// sealTransfers seals transferBlocks blocks on the feeder, signers in turn,
// each with three transfers from sender to new accounts (0x7000 + nonce,
// value nonce + 1) followed by extra's transaction if extra is not nil,
// inserts them and returns the head and the sender's next nonce (without
// extra, the number of transfers: recipients transferTo(0..nonce-1)).
func sealTransfers(t *testing.T, f *feeder, g *core.Genesis, sender genesis.DevAccount, extra func(nonce uint64) types.TxData) (*types.Block, uint64) {
	t.Helper()
	signer := types.LatestSignerForChainID(g.Config.ChainID)
	parent := f.n.Eth().BlockChain().Genesis()
	var nonce uint64
	next := func(data types.TxData) *types.Transaction {
		nonce++
		return types.MustSignNewTx(sender.Key, signer, data)
	}
	for n := 1; n <= transferBlocks; n++ {
		var txs []*types.Transaction
		for range 3 {
			to := transferTo(nonce)
			txs = append(txs, next(&types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonce,
				GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10e9), Gas: 21000, To: &to, Value: big.NewInt(int64(nonce + 1))}))
		}
		if extra != nil {
			txs = append(txs, next(extra(nonce)))
		}
		parent = f.block(parent, n%len(f.signers), txs)
		if _, err := f.n.ForkChoice().Insert(parent); err != nil {
			t.Fatalf("block %d: %v", n, err)
		}
	}
	return parent, nonce
}

// transferTo is the recipient of sealTransfers' transfer with nonce i.
func transferTo(i uint64) common.Address { return common.BigToAddress(big.NewInt(int64(0x7000 + i))) }
