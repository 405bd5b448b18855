package node_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/node"
)

var (
	recipient = common.HexToAddress("0x00000000000000000000000000000000000000a1")
	// balanceOf returns the balance of recipient: PUSH20 recipient BALANCE
	// PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN. eth_call on it at an old block
	// executes against that block's state.
	balanceOf     = common.HexToAddress("0x00000000000000000000000000000000000000b0")
	balanceOfCode = append(append([]byte{0x73}, recipient.Bytes()...), 0x31, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3)
)

// prunedAfter is how many blocks after block 1 a full node surely no longer
// serves block 1's state: geth's path scheme keeps 128 blocks' state.
const prunedAfter = 130

// startPair starts a signer that seals on demand and an auditor peered with
// it over devp2p on 127.0.0.1, the auditor serving HTTP and WS on a free port
// with admin namespaces listed (they must be dropped).
func startPair(t *testing.T) (signer, auditor *node.Node, key []byte, signerCfg node.Config) {
	t.Helper()
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4346, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{
		acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)},
		balanceOf:    {Balance: new(big.Int), Code: balanceOfCode},
	}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	start := func(cfg *node.Config) *node.Node {
		cfg.DataDir = t.TempDir()
		cfg.Genesis = g
		cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover = "127.0.0.1", 0, true
		n, err := node.New(*cfg)
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
	scfg := node.Defaults()
	scfg.Mode = node.ModeDev
	scfg.Signer, scfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
	signer = start(&scfg)

	acfg := node.Defaults()
	acfg.Mode = node.ModeAuditor
	acfg.HTTP.Enabled, acfg.HTTP.WS, acfg.HTTP.Port = true, true, 0
	acfg.HTTP.APIs = []string{"eth", "net", "web3", "txpool", "clique", "city", "admin", "debug", "miner", "personal"}
	auditor = start(&acfg)
	auditor.Stack().Server().AddPeer(signer.Stack().Server().Self())
	return signer, auditor, crypto.FromECDSA(acct.Key), scfg
}

// waitFor polls cond every 20 ms for at most timeout.
func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out after %v waiting for %s", timeout, what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestAuditorMode checks, over HTTP and over WebSocket, that an auditor
// refuses every method that submits, signs or controls the node with a clear
// JSON-RPC error, and serves reads, including eth_getProof and eth_call at an
// old block, which a pruning node no longer has.
func TestAuditorMode(t *testing.T) {
	signer, auditor, rawKey, signerCfg := startPair(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	// Blocks 1..3 each pay the recipient 1 wei more.
	sc := ethclient.NewClient(signer.Stack().Attach())
	defer sc.Close()
	key, _ := crypto.ToECDSA(rawKey)
	chainID := signer.Eth().BlockChain().Config().ChainID
	for i := range 3 {
		tx := types.MustSignNewTx(key, types.NewLondonSigner(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: uint64(i), To: &recipient, Value: big.NewInt(1), Gas: 21000,
			GasFeeCap: big.NewInt(10_000_000_000), GasTipCap: big.NewInt(1),
		})
		if err := sc.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		want := uint64(i + 1)
		waitFor(t, 20*time.Second, "block with the transfer", func() bool { return signer.Eth().BlockChain().CurrentBlock().Number.Uint64() >= want })
	}
	head := signer.Eth().BlockChain().CurrentBlock()
	waitFor(t, 30*time.Second, "the auditor to sync", func() bool {
		return auditor.Eth().BlockChain().CurrentBlock().Hash() == head.Hash()
	})
	if !auditor.Eth().ArchiveMode() {
		t.Error("auditor is not an archive node")
	}

	endpoint := auditor.HTTPEndpoint()
	for _, url := range []string{endpoint, "ws" + strings.TrimPrefix(endpoint, "http")} {
		t.Run(strings.SplitN(url, ":", 2)[0], func(t *testing.T) {
			c, err := rpc.DialContext(ctx, url)
			if err != nil {
				t.Fatal(err)
			}
			defer c.Close()
			checkRefusals(t, ctx, c)
			checkReads(t, ctx, c, auditor, head)
		})
	}
	// A full node (path scheme) keeps the state of its last 128 blocks only
	// (geth's TriesInMemory): once the chain is that far past block 1, the
	// signer no longer serves block 1's state, and the auditor still does.
	// That is what the archive is for.
	for i := range prunedAfter {
		nonce := uint64(3 + i)
		tx := types.MustSignNewTx(key, types.NewLondonSigner(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, To: &common.Address{0xee}, Value: big.NewInt(1), Gas: 21000,
			GasFeeCap: big.NewInt(10_000_000_000), GasTipCap: big.NewInt(1),
		})
		if err := sc.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		waitFor(t, 20*time.Second, "block with the transfer", func() bool { return signer.Eth().BlockChain().CurrentBlock().Number.Uint64() > nonce })
	}
	if bal, err := sc.BalanceAt(ctx, recipient, big.NewInt(1)); err == nil {
		t.Errorf("the signer's balance at block 1, %d blocks later: have %v, want an error (state pruned)", prunedAfter, bal)
	}
	head = signer.Eth().BlockChain().CurrentBlock()
	waitFor(t, 30*time.Second, "the auditor to sync", func() bool {
		return auditor.Eth().BlockChain().CurrentBlock().Hash() == head.Hash()
	})
	ac, err := ethclient.DialContext(ctx, endpoint)
	if err != nil {
		t.Fatal(err)
	}
	defer ac.Close()
	if bal, err := ac.BalanceAt(ctx, recipient, big.NewInt(1)); err != nil || bal.Int64() != 1 {
		t.Errorf("the auditor's balance at block 1, %d blocks later: have %v (err %v), want 1", prunedAfter, bal, err)
	}
	// The signer's data dir (path scheme, with state on disk) cannot become
	// an auditor's: the error names the fix.
	signer.Close()
	cfg := signerCfg
	cfg.Mode, cfg.Signer, cfg.DevKey, cfg.P2P.Addr = node.ModeAuditor, "", nil, ""
	if n, err := node.New(cfg); err == nil {
		n.Close()
		t.Error("auditor on a full node's data dir: no error")
	} else if !strings.Contains(err.Error(), "init --mode auditor") {
		t.Errorf("auditor on a full node's data dir: have %v, want the fix named", err)
	}
}

func checkRefusals(t *testing.T, ctx context.Context, c *rpc.Client) {
	raw := hexutil.Bytes{0x02, 0xf8}
	call := map[string]any{"from": recipient, "to": recipient}
	tests := []struct {
		method   string
		args     []any
		readOnly bool // our read-only message, else geth's "not available"
	}{
		{"eth_sendRawTransaction", []any{raw}, true},
		{"eth_sendRawTransactionSync", []any{raw}, true},
		{"eth_sendTransaction", []any{call}, true},
		{"eth_sign", []any{recipient, hexutil.Bytes{1}}, true},
		{"eth_signTransaction", []any{call}, true},
		{"eth_signTypedData", []any{recipient, map[string]any{}}, true},
		{"eth_signTypedData_v4", []any{recipient, map[string]any{}}, true},
		{"eth_fillTransaction", []any{call}, true},
		{"eth_resend", []any{call, "0x1", "0x1"}, true},
		{"city_sendRawTransactions", []any{[]hexutil.Bytes{raw}}, true},
		{"clique_propose", []any{recipient, true}, true},
		{"clique_discard", []any{recipient}, true},
		{"admin_addPeer", []any{"enode://x"}, false},
		{"admin_nodeInfo", nil, false},
		{"admin_reloadAllowlist", nil, false},
		{"admin_startHTTP", nil, false},
		{"debug_setHead", []any{"0x1"}, false},
		{"debug_traceTransaction", []any{common.Hash{}}, false},
		{"personal_unlockAccount", []any{recipient, "pw", 0}, false},
		{"personal_listAccounts", nil, false},
		{"miner_start", nil, false},
		{"miner_setExtra", []any{"x"}, false},
	}
	for _, tt := range tests {
		var out any
		err := c.CallContext(ctx, &out, tt.method, tt.args...)
		var rerr rpc.Error
		if !errors.As(err, &rerr) {
			t.Errorf("%s: have %v, want a JSON-RPC error", tt.method, err)
			continue
		}
		if rerr.ErrorCode() != -32601 {
			t.Errorf("%s: code have %d, want -32601 (%v)", tt.method, rerr.ErrorCode(), err)
		}
		if want := "auditor mode is read-only: " + tt.method + " is refused"; tt.readOnly && !strings.Contains(err.Error(), want) {
			t.Errorf("%s: have %q, want it to say %q", tt.method, err, want)
		}
	}
}

func checkReads(t *testing.T, ctx context.Context, c *rpc.Client, auditor *node.Node, head *types.Header) {
	ec := ethclient.NewClient(c)
	if n, err := ec.BlockNumber(ctx); err != nil || n != head.Number.Uint64() {
		t.Errorf("eth_blockNumber: have %d (%v), want %d", n, err, head.Number)
	}
	for block := int64(0); block <= 3; block++ {
		bal, err := ec.BalanceAt(ctx, recipient, big.NewInt(block))
		if err != nil || bal.Int64() != block {
			t.Errorf("eth_getBalance at block %d: have %v (%v), want %d", block, bal, err, block)
		}
		out, err := ec.CallContract(ctx, ethereum.CallMsg{To: &balanceOf}, big.NewInt(block))
		if err != nil || new(big.Int).SetBytes(out).Int64() != block {
			t.Errorf("eth_call at block %d: have %x (%v), want %d", block, out, err, block)
		}
	}
	var signers []common.Address
	if err := c.CallContext(ctx, &signers, "clique_getSigners", hexutil.Uint64(1)); err != nil || len(signers) != 1 {
		t.Errorf("clique_getSigners: have %v (%v), want one signer", signers, err)
	}
	// A proof of block 1's state, verified offline against block 1's hash.
	p, err := audit.Prove(ctx, c, audit.ProveRequest{Address: recipient, Block: 1})
	if err != nil {
		t.Fatalf("prove at block 1: %v", err)
	}
	trusted := auditor.Eth().BlockChain().GetHeaderByNumber(1).Hash()
	if err := p.Verify(trusted, nil); err != nil || p.Account.Balance.ToInt().Int64() != 1 {
		t.Errorf("proof at block 1: balance %v, err %v; want 1, nil", p.Account.Balance, err)
	}
}

func TestAuditorConfig(t *testing.T) {
	cfg := node.Defaults()
	cfg.Mode = node.ModeAuditor
	cfg.DataDir = t.TempDir()
	cfg.Signer, cfg.PasswordFile = "0x00000000000000000000000000000000000000a1", "pw"
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "auditor never seals") {
		t.Errorf("auditor with --signer: have %v, want a refusal", err)
	}
	g, err := genesis.Build(func() genesis.Spec {
		s := genesis.DefaultSpec()
		s.ChainID, s.Signers = 4347, []common.Address{recipient}
		return s
	}())
	if err != nil {
		t.Fatal(err)
	}
	// `init --mode auditor` makes an archive data dir.
	dir := t.TempDir()
	if _, err := node.Init(dir, "pebble", g, genesis.Extension{}, true); err != nil {
		t.Fatal(err)
	}
	cfg = node.Defaults()
	cfg.Mode, cfg.DataDir, cfg.P2P.Addr = node.ModeAuditor, dir, ""
	n, err := node.New(cfg)
	if err != nil {
		t.Fatalf("auditor on an archive data dir: %v", err)
	}
	n.Close()
}

// TestDataDirMode opens data dirs with the wrong mode: an archive made by
// `init --mode auditor` as a full node (geth would run it pruning, silently),
// and a full node's dir as an auditor. Both are refused before anything runs,
// with the flag or command to use.
func TestDataDirMode(t *testing.T) {
	g, err := genesis.Build(func() genesis.Spec {
		s := genesis.DefaultSpec()
		s.ChainID, s.Signers = 4349, []common.Address{recipient}
		// Some state: a genesis without accounts has no trie node to tell the scheme by.
		s.Alloc = types.GenesisAlloc{recipient: {Balance: big.NewInt(1)}}
		return s
	}())
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		archive bool   // made by init --mode auditor
		mode    string // opened with
		want    string // in the error; "" for no error
	}{
		{"archive as rpc", true, node.ModeRPC, "pass --mode auditor"},
		{"archive as signer", true, node.ModeSigner, "pass --mode auditor"},
		{"archive as auditor", true, node.ModeAuditor, ""},
		{"full as auditor", false, node.ModeAuditor, "citynode init --mode auditor"},
		{"full as rpc", false, node.ModeRPC, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			if _, err := node.Init(dir, "pebble", g, genesis.Extension{}, tt.archive); err != nil {
				t.Fatal(err)
			}
			cfg := node.Defaults()
			cfg.Mode, cfg.DataDir, cfg.P2P.Addr, cfg.HTTP.Enabled = tt.mode, dir, "", false
			n, err := node.New(cfg)
			if n != nil {
				n.Close()
			}
			switch {
			case tt.want == "" && err != nil:
				t.Fatalf("have %v, want no error", err)
			case tt.want != "" && !errors.Is(err, node.ErrWrongMode):
				t.Fatalf("have %v, want %v", err, node.ErrWrongMode)
			case tt.want != "" && !strings.Contains(err.Error(), tt.want):
				t.Errorf("have %q, want it to say %q", err, tt.want)
			}
		})
	}
}
