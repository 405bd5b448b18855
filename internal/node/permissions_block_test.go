package node_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/gossip"
)

// TestPermissionsBlockRefusedFromPeer runs the consensus rule of ADR 048
// between real nodes over devp2p: a signer whose data dir has no
// permissions block (an operator who did not update) seals a stranger's
// transfers; a node whose chain has the rule from block 2 accepts the
// stranger's block 1 (before the rule) and refuses block 2, records it as
// bad, keeps its head and drops the signer as a gossip peer. A node without
// the rule accepts both.
func TestPermissionsBlockRefusedFromPeer(t *testing.T) {
	accts := genesis.DevAccounts(2)
	admin, stranger := accts[0], accts[1]
	const chainID = 4352
	g := taxOfficeGenesis(t, chainID, accts)
	start := func(key *genesis.DevAccount, ext genesis.Extension) *node.Node {
		cfg := node.Defaults()
		cfg.Mode, cfg.DataDir, cfg.Genesis, cfg.Extension = node.ModeDev, t.TempDir(), g, ext
		cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
		cfg.HTTP.Enabled, cfg.HTTP.Port = true, 0
		if key != nil {
			cfg.Signer, cfg.DevKey = key.Address.Hex(), crypto.FromECDSA(key.Key)
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
	two := uint64(2)
	signer := start(&admin, genesis.Extension{})
	ruled := start(nil, genesis.Extension{PermissionsBlock: &two})
	plain := start(nil, genesis.Extension{})
	signerID := signer.Stack().Server().Self().ID()
	for _, n := range []*node.Node{ruled, plain} {
		n.Stack().Server().AddPeer(signer.Stack().Server().Self())
		waitFor(t, 30*time.Second, "the signer to become a gossip peer", func() bool { return gossipPeer(n, signerID) })
	}

	ec, err := ethclient.Dial(signer.Stack().HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	txSigner := types.LatestSignerForChainID(big.NewInt(chainID))
	transfer := func(nonce uint64) {
		tx := types.MustSignNewTx(stranger.Key, txSigner, &types.DynamicFeeTx{ChainID: big.NewInt(chainID), Nonce: nonce,
			GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 21000, To: &recipient})
		if err := ec.SendTransaction(ctx, tx); err != nil {
			t.Fatalf("stranger's transfer %d to the signer without the rule: %v", nonce, err)
		}
	}
	head := func(n *node.Node) uint64 { return n.Eth().BlockChain().CurrentBlock().Number.Uint64() }

	// Block 1, before the permissions block: every node accepts it.
	transfer(0)
	waitFor(t, 30*time.Second, "block 1 on every node", func() bool { return head(ruled) == 1 && head(plain) == 1 })

	// Block 2, at the permissions block: refused by the node with the rule.
	transfer(1)
	waitFor(t, 30*time.Second, "block 2 on the signer and the node without the rule", func() bool { return head(signer) == 2 && head(plain) == 2 })
	bad := signer.Eth().BlockChain().GetHeaderByNumber(2).Hash()
	waitFor(t, 30*time.Second, "the node with the rule to drop the signer", func() bool {
		return ruled.Gossip().Metrics().Dropped[gossip.DropInvalidBlock] > 0
	})
	if h := head(ruled); h != 1 {
		t.Errorf("head of the node with the rule: have %d, want 1", h)
	}
	if rawdb.ReadBadBlock(ruled.Eth().ChainDb(), bad) == nil {
		t.Error("the node with the rule did not record block 2 as bad")
	}
	if ruled.ForkChoice().Stats().Invalid == 0 {
		t.Error("fork choice of the node with the rule counted no invalid block")
	}
	if d := plain.Gossip().Metrics().Dropped[gossip.DropInvalidBlock]; d != 0 {
		t.Errorf("the node without the rule dropped %d peers for invalid blocks, want 0", d)
	}
	// Its intake follows the rule too, with --permissions.accounts off: the
	// next block is past the permissions block.
	rc, err := ethclient.Dial(ruled.Stack().HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	tx := types.MustSignNewTx(stranger.Key, txSigner, &types.DynamicFeeTx{ChainID: big.NewInt(chainID), Nonce: 1,
		GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 21000, To: &recipient})
	if err := rc.SendTransaction(ctx, tx); err == nil || !strings.Contains(err.Error(), "is not permitted on this network") {
		t.Errorf("stranger's transfer to the node with the rule: have %v, want a refusal", err)
	}
}

// TestInitSchedulesPermissionsBlock is how an existing chain turns the rule
// on: `citynode init` with the genesis file carrying a permissions block on
// the stopped node's data dir. go-ethereum's fork rule decides: a block at or
// below the head is refused, naming the head; one above it is stored, and
// the node started again enforces it.
func TestInitSchedulesPermissionsBlock(t *testing.T) {
	accts := genesis.DevAccounts(1)
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4353, 0
	spec.Signers = []common.Address{accts[0].Address}
	spec.Alloc = types.GenesisAlloc{accts[0].Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if _, err := node.Init(dir, "pebble", g, genesis.Extension{}, false); err != nil {
		t.Fatal(err)
	}
	// Three blocks, sealed by a dev node on the data dir.
	cfg := node.Defaults()
	cfg.Mode, cfg.DataDir, cfg.Genesis = node.ModeDev, dir, g
	cfg.Signer, cfg.DevKey = accts[0].Address.Hex(), crypto.FromECDSA(accts[0].Key)
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSignerForChainID(big.NewInt(4353))
	for i := range uint64(3) {
		tx := types.MustSignNewTx(accts[0].Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4353), Nonce: i,
			GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 21000, To: &recipient})
		if err := n.Eth().TxPool().Add([]*types.Transaction{tx}, true)[0]; err != nil {
			t.Fatal(err)
		}
		waitFor(t, 30*time.Second, "a block", func() bool { return n.Eth().BlockChain().CurrentBlock().Number.Uint64() == i+1 })
	}
	n.Close()

	for _, b := range []uint64{0, 2, 3} {
		if _, err := node.Init(dir, "pebble", g, genesis.Extension{PermissionsBlock: &b}, false); !errors.Is(err, genesis.ErrIncompatible) || !strings.Contains(err.Error(), "head is block 3") {
			t.Errorf("init with permissions block %d at head 3: have %v, want %v naming the head", b, err, genesis.ErrIncompatible)
		}
	}
	four := uint64(4)
	if _, err := node.Init(dir, "pebble", g, genesis.Extension{PermissionsBlock: &four}, false); err != nil {
		t.Fatalf("init with permissions block 4 at head 3: %v", err)
	}
	_, ext, _, err := node.ReadGenesis(dir)
	if err != nil || ext.PermissionsBlock == nil || *ext.PermissionsBlock != 4 {
		t.Fatalf("stored config.citychain: have %v (%v), want permissionsBlock 4", ext, err)
	}
	// The node started again (as an rpc node, no genesis given) enforces it
	// at its intake: the next block is 4.
	cfg = node.Defaults()
	cfg.Mode, cfg.DataDir = node.ModeRPC, dir
	cfg.HTTP.Enabled, cfg.HTTP.Port = true, 0
	n, err = node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	defer n.Close()
	stranger := genesis.DevAccounts(2)[1]
	tx := types.MustSignNewTx(stranger.Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4353), Nonce: 0,
		GasTipCap: big.NewInt(params.GWei), GasFeeCap: big.NewInt(10 * params.GWei), Gas: 21000, To: &recipient})
	ec, err := ethclient.Dial(n.Stack().HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer ec.Close()
	if err := ec.SendTransaction(context.Background(), tx); err == nil || !strings.Contains(err.Error(), "is not permitted on this network") {
		t.Errorf("stranger's transfer after the permissions block was scheduled: have %v, want a refusal", err)
	}
}
