package chainio_test

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/chainio"
)

// startNode starts an in-process node without RPC or peers on g: a sealing
// dev node if key is set, else a follower in mode.
func startNode(t testing.TB, g *core.Genesis, mode string, key []byte) *node.Node {
	t.Helper()
	cfg := node.Defaults()
	cfg.DataDir, cfg.Mode, cfg.Genesis = t.TempDir(), mode, g
	cfg.HTTP.Enabled, cfg.P2P.Addr = false, ""
	if key != nil {
		k, _ := crypto.ToECDSA(key)
		cfg.Signer, cfg.DevKey = crypto.PubkeyToAddress(k.PublicKey).Hex(), key
	}
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n
}

// sourceChain seals blocks with transfers to several accounts on a dev
// node and returns it.
func sourceChain(t *testing.T, blocks int) (*core.Genesis, *node.Node) {
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4348, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	src := startNode(t, g, node.ModeDev, crypto.FromECDSA(acct.Key))
	client := ethclient.NewClient(src.Stack().Attach())
	defer client.Close()
	signer := types.NewLondonSigner(g.Config.ChainID)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	nonce := uint64(0)
	for b := 1; b <= blocks; b++ {
		for i := range 3 {
			to := common.BigToAddress(big.NewInt(int64(1000 + b*10 + i)))
			tx := types.MustSignNewTx(acct.Key, signer, &types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonce, To: &to, Value: big.NewInt(int64(b)), Gas: 21000, GasFeeCap: big.NewInt(10_000_000_000), GasTipCap: big.NewInt(1)})
			if err := client.SendTransaction(ctx, tx); err != nil {
				t.Fatal(err)
			}
			nonce++
		}
		want := nonce
		deadline := time.Now().Add(20 * time.Second)
		for {
			n, err := client.NonceAt(ctx, acct.Address, nil)
			if err == nil && n == want {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("transactions of round %d not mined", b)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	return g, src
}

// TestExportImport exports a chain and imports it into fresh data dirs (a
// full node and an archive), which must reach the same head hash and state
// root; the gzip form too.
func TestExportImport(t *testing.T) {
	g, src := sourceChain(t, 4)
	chain := src.Eth().BlockChain()
	head := chain.CurrentBlock()
	if head.Number.Uint64() < 2 {
		t.Fatalf("source chain too short: %d blocks", head.Number)
	}
	var buf bytes.Buffer
	p, err := chainio.Export(&buf, chain, 0, head.Number.Uint64(), nil)
	if err != nil {
		t.Fatal(err)
	}
	if p.Blocks != head.Number.Uint64()+1 || p.Txs != 12 {
		t.Errorf("export: have %d blocks %d txs, want %d blocks 12 txs", p.Blocks, p.Txs, head.Number.Uint64()+1)
	}
	gzPath := filepath.Join(t.TempDir(), "chain.rlp.gz")
	w, err := chainio.Create(gzPath)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Write(buf.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	for _, mode := range []string{node.ModeRPC, node.ModeAuditor} {
		t.Run(mode, func(t *testing.T) {
			dst := startNode(t, g, mode, nil)
			r, err := chainio.Open(gzPath)
			if err != nil {
				t.Fatal(err)
			}
			defer r.Close()
			p, err := chainio.Import(r, dst.ForkChoice(), nil)
			if err != nil {
				t.Fatal(err)
			}
			if p.Known != 1 || p.Txs != 12 {
				t.Errorf("import: have %d known %d txs, want 1 known (genesis) 12 txs", p.Known, p.Txs)
			}
			got := dst.Eth().BlockChain().CurrentBlock()
			if got.Hash() != head.Hash() || got.Root != head.Root {
				t.Fatalf("head: have %d %s root %s, want %d %s root %s", got.Number, got.Hash(), got.Root, head.Number, head.Hash(), head.Root)
			}
			if td := dst.ForkChoice().TD(got.Hash()); td == nil {
				t.Error("fork choice has no total difficulty for the imported head")
			}
			// Importing again changes nothing.
			again, err := chainio.Import(bytes.NewReader(buf.Bytes()), dst.ForkChoice(), nil)
			if err != nil || again.Known != again.Blocks {
				t.Errorf("second import: have %+v (%v), want every block known", again, err)
			}
		})
	}
}

// TestImportTampered flips a byte inside a block of an export file, in the
// seal of the last block, and expects the import to stop there.
func TestImportTampered(t *testing.T) {
	g, src := sourceChain(t, 2)
	chain := src.Eth().BlockChain()
	head := chain.CurrentBlock()
	var buf bytes.Buffer
	if _, err := chainio.Export(&buf, chain, 0, head.Number.Uint64(), nil); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	seal := head.Extra[len(head.Extra)-65:]
	at := bytes.LastIndex(data, seal)
	if at < 0 {
		t.Fatal("seal of the head not found in the export")
	}
	data[at+10] ^= 0x01
	dst := startNode(t, g, node.ModeRPC, nil)
	_, err := chainio.Import(bytes.NewReader(data), dst.ForkChoice(), nil)
	if !errors.Is(err, chainio.ErrImport) {
		t.Fatalf("have %v, want %v", err, chainio.ErrImport)
	}
	if got := dst.Eth().BlockChain().CurrentBlock().Number.Uint64(); got != head.Number.Uint64()-1 {
		t.Errorf("head after the failed import: have %d, want %d (the blocks before the bad one stay)", got, head.Number.Uint64()-1)
	}
}

// TestImportPermissionsBlock: `citynode import` meets the permissions rule
// (ADR 048): a chain whose signer has no role in a Directory (here: none is
// deployed) imports up to the permissions block and stops at the first block
// from it holding a transaction, recorded as bad.
func TestImportPermissionsBlock(t *testing.T) {
	g, src := sourceChain(t, 3)
	chain := src.Eth().BlockChain()
	head := chain.CurrentBlock()
	var buf bytes.Buffer
	if _, err := chainio.Export(&buf, chain, 0, head.Number.Uint64(), nil); err != nil {
		t.Fatal(err)
	}
	from := uint64(2)
	cfg := node.Defaults()
	cfg.DataDir, cfg.Mode, cfg.Genesis, cfg.Extension = t.TempDir(), node.ModeRPC, g, genesis.Extension{PermissionsBlock: &from}
	cfg.HTTP.Enabled, cfg.P2P.Addr = false, ""
	dst, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := dst.Start(); err != nil {
		dst.Close()
		t.Fatal(err)
	}
	defer dst.Close()
	_, err = chainio.Import(bytes.NewReader(buf.Bytes()), dst.ForkChoice(), nil)
	if !errors.Is(err, chainio.ErrImport) || !strings.Contains(err.Error(), "not permitted") {
		t.Fatalf("import past the permissions block: have %v, want %v naming the account not permitted", err, chainio.ErrImport)
	}
	got := dst.Eth().BlockChain().CurrentBlock().Number.Uint64()
	if got != 1 {
		t.Errorf("head after the refused import: have %d, want 1 (the block before the permissions block)", got)
	}
	if bad := chain.GetHeaderByNumber(2).Hash(); rawdb.ReadBadBlock(dst.Eth().ChainDb(), bad) == nil {
		t.Error("block 2 not recorded as bad")
	}
}
