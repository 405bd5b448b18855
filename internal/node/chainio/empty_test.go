package chainio_test

import (
	"bytes"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/chainio"
)

// emptyChain returns a genesis with one signer and an export of n empty
// blocks it sealed in turn, one second apart, all in the past: the shape of
// a long-running Clique network's history, where the cost per block, not per
// transaction, sets the import time.
func emptyChain(tb testing.TB, n int) (*core.Genesis, []byte) {
	tb.Helper()
	key, _ := crypto.ToECDSA(crypto.Keccak256([]byte("citychain chainio empty chain signer")))
	signer := crypto.PubkeyToAddress(key.PublicKey)
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period, spec.Signers = 4351, 1, []common.Address{signer}
	spec.Alloc = types.GenesisAlloc{signer: {Balance: big.NewInt(1)}}
	spec.Timestamp = uint64(time.Now().Unix()) - uint64(n) - 60
	g, err := genesis.Build(spec)
	if err != nil {
		tb.Fatal(err)
	}
	var buf bytes.Buffer
	parent := g.ToBlock().Header()
	for i := 1; i <= n; i++ {
		h := &types.Header{
			ParentHash: parent.Hash(), UncleHash: types.EmptyUncleHash, Root: parent.Root,
			TxHash: types.EmptyTxsHash, ReceiptHash: types.EmptyReceiptsHash,
			Difficulty: big.NewInt(2), Number: big.NewInt(int64(i)), GasLimit: parent.GasLimit,
			Time: parent.Time + 1, Extra: make([]byte, clique.ExtraVanity+clique.ExtraSeal),
			BaseFee: eip1559.CalcBaseFee(g.Config, parent),
		}
		sig, err := crypto.Sign(upstream.SealHash(h).Bytes(), key)
		if err != nil {
			tb.Fatal(err)
		}
		copy(h.Extra[clique.ExtraVanity:], sig)
		block := types.NewBlockWithHeader(h)
		if err := block.EncodeRLP(&buf); err != nil {
			tb.Fatal(err)
		}
		parent = h
	}
	return g, buf.Bytes()
}

// BenchmarkImportEmptyBlocks imports 2,000 empty blocks into a fresh full
// node per iteration and reports blocks per second.
func BenchmarkImportEmptyBlocks(b *testing.B) {
	const blocks = 2000
	g, data := emptyChain(b, blocks)
	for b.Loop() {
		b.StopTimer()
		n := startNode(b, g, node.ModeRPC, nil)
		b.StartTimer()
		p, err := chainio.Import(bytes.NewReader(data), n.ForkChoice(), nil)
		if err != nil {
			b.Fatal(err)
		}
		b.ReportMetric(p.BlocksPerSecond(), "blocks/s")
		b.StopTimer()
		n.Close()
		b.StartTimer()
	}
}
