package docsrun

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// upgradeLead is how far ahead each stage's fork is scheduled: time for 4
// nodes to restart one by one on 2 busy cores.
const upgradeLead = 70 * time.Second

// TestUpgradeRunningChain runs docs/modern-evm.md's "Upgrading a running
// chain" as printed on a London network of 3 signers and an rpc node under a
// stream of transfers (ADR 063): Shanghai scheduled and each node restarted
// with it, a node with the old schedule reported meanwhile, the fork
// crossed; Cancun refused by `citynode init` before the system contracts
// exist; the contracts deployed; Cancun and Prague scheduled the same way and
// crossed. Then every transfer is mined, every node agrees, the block
// formats follow the forks, and a contract using PUSH0, MCOPY and transient
// storage deploys and runs.
func TestUpgradeRunningChain(t *testing.T) {
	t.Parallel() // the chain mostly waits for blocks and forks
	s := newSession(t, "docs/modern-evm.md")
	bin := binaries(t)
	modernABI, modernCode := compileModern(t)
	nw, err := testnet.Up(testnet.Config{Dir: filepath.Join(t.TempDir(), "net"), Binary: filepath.Join(bin, "citynode"), Signers: 3, RPC: 1, Period: 1, ChainID: 4331})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			for _, n := range nw.Nodes {
				if log, err := os.ReadFile(n.Log); err == nil {
					t.Logf("%s log tail:\n%s", n.Name, tail(string(log), 3000))
				}
			}
		}
		nw.Down()
	})
	data, err := os.ReadFile(nw.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	s.File("genesis.json", string(data))
	signer1 := dialNode(t, nw.Nodes[0])
	proctest.WaitFor(t, 60*time.Second, "block 2", func() bool {
		n, err := signer1.BlockNumber(t.Context())
		return err == nil && n >= 2
	})
	faucet, err := crypto.HexToECDSA(nw.Faucet)
	if err != nil {
		t.Fatal(err)
	}
	load := startLoad(t, nw, faucet)

	// Stage 1: Shanghai. A time in the past is refused first.
	cityctl := filepath.Join(bin, "cityctl")
	past := exec.Command(cityctl, "upgrade", "schedule", "--genesis", s.Path("genesis.json"), "--shanghai-time", rfc3339(time.Now().Add(-time.Minute)), "--out", s.Path("past.json"))
	if out, err := past.CombinedOutput(); exitCode(err) != 2 || !strings.Contains(string(out), "not in the future") {
		t.Fatalf("schedule in the past: exit %d, %s; want exit 2 naming the time", exitCode(err), out)
	}
	shanghai := time.Now().Add(upgradeLead).Truncate(time.Second)
	s.Set("2026-12-08T09:00:00Z", rfc3339(shanghai))
	s.Run("cityctl upgrade schedule --genesis genesis.json --shanghai-time 2026-12-08T09:00:00Z --out genesis-shanghai.json", "genesis-shanghai.json")
	// The deployments before Shanghai would burn the deployers' nonce 0:
	// refused before anything is sent.
	keystoreFor(t, s, faucet, "admin.json", "password")
	premature := exec.Command(cityctl, "upgrade", "deploy-system-contracts", "--rpc", nw.Nodes[0].RPC, "--keystore", s.Path("admin.json"), "--password", s.Path("password"))
	if out, err := premature.CombinedOutput(); exitCode(err) != 1 || !strings.Contains(string(out), "does not run Shanghai rules yet") {
		t.Fatalf("deploy before Shanghai: exit %d, %s; want exit 1 refusing", exitCode(err), out)
	}
	for i, n := range nw.Nodes {
		restartWith(t, s, nw, n, func() { s.Run("citynode init --datadir /var/lib/citynode genesis-shanghai.json") })
		if i == 0 {
			// signer1 has the schedule, the others not yet: reported.
			args := []string{"upgrade", "status"}
			for _, m := range nw.Nodes {
				args = append(args, "--node", m.RPC)
			}
			out, err := exec.Command(cityctl, args...).CombinedOutput()
			if exitCode(err) != 1 || !strings.Contains(string(out), "schedules differ") || !strings.Contains(string(out), nw.Nodes[1].RPC) {
				t.Fatalf("status with one node upgraded: exit %d, %s; want exit 1 naming the nodes that differ", exitCode(err), out)
			}
		}
	}
	s.Set("http://10.0.2.11:8545", nw.Nodes[0].RPC)
	s.Set("http://10.0.2.12:8545", nw.Nodes[1].RPC)
	s.Set("http://10.0.2.13:8545", nw.Nodes[3].RPC) // the rpc node
	s.Run("cityctl upgrade status --node http://10.0.2.11:8545 --node http://10.0.2.12:8545 --node http://10.0.2.13:8545", formatUTC(shanghai))
	waitHeadTime(t, signer1, shanghai, "Shanghai")

	// Cancun before the system contracts exist: refused by citynode init.
	rpc1 := nw.Nodes[3]
	if err := nw.Stop(rpc1.Name, false); err != nil {
		t.Fatal(err)
	}
	early := scheduleFile(t, s.Path("genesis-shanghai.json"), s.Path("early.json"), time.Now().Add(time.Hour))
	if out, err := exec.Command(filepath.Join(bin, "citynode"), "init", "--datadir", rpc1.DataDir, early).CombinedOutput(); err == nil || !strings.Contains(string(out), "has not its code at the head") {
		t.Fatalf("init with Cancun before the system contracts: %v, %s; want a refusal", err, out)
	}
	// Shanghai moved once the head is past it: go-ethereum's compatibility
	// check refuses.
	moved := moveShanghai(t, s.Path("genesis-shanghai.json"), s.Path("moved.json"), time.Now().Add(time.Hour))
	if out, err := exec.Command(filepath.Join(bin, "citynode"), "init", "--datadir", rpc1.DataDir, moved).CombinedOutput(); err == nil || !strings.Contains(string(out), "already past a fork") {
		t.Fatalf("init moving Shanghai after the head passed it: %v, %s; want a refusal", err, out)
	}
	startNode(t, nw, rpc1)

	// The system contracts, funded from the faucet (its keystore file).
	s.Set("/etc/citynode/admin.json", s.Path("admin.json"))
	s.Set("/etc/citynode/password", s.Path("password"))
	s.Set("http://127.0.0.1:8545", nw.Nodes[0].RPC)
	s.Run("cityctl upgrade deploy-system-contracts --rpc http://127.0.0.1:8545 --keystore /etc/citynode/admin.json --password /etc/citynode/password",
		"EIP-4788 beacon roots at", "EIP-7251 consolidation requests at", "deployed in block")

	// Stage 2: Cancun and Prague.
	prague := time.Now().Add(upgradeLead).Truncate(time.Second)
	s.Set("2026-12-15T09:00:00Z", rfc3339(prague))
	s.Run("cityctl upgrade schedule --genesis genesis-shanghai.json --cancun-time 2026-12-15T09:00:00Z --prague-time 2026-12-15T09:00:00Z --out genesis-prague.json", "genesis-prague.json")
	for _, n := range nw.Nodes {
		restartWith(t, s, nw, n, func() { s.Run("citynode init --datadir /var/lib/citynode genesis-prague.json") })
	}
	s.Run("cityctl upgrade status --node http://10.0.2.11:8545 --node http://10.0.2.12:8545 --node http://10.0.2.13:8545", formatUTC(prague))
	waitHeadTime(t, signer1, prague.Add(3*time.Second), "3 blocks past Prague")
	sent := load.stop()

	// Nothing lost, every node agrees, blocks follow the forks.
	checkMined(t, signer1, sent, 30*time.Second)
	deployed := deployModern(t, dialNode(t, rpc1), faucet, modernABI, modernCode)
	waitAgree(t, nw, deployed)
	checkFormats(t, signer1, deployed, uint64(shanghai.Unix()), uint64(prague.Unix()))
	t.Logf("%d transfers mined across both stages", len(sent))
}

// checkMined fails the test unless every transfer in sent is mined and
// succeeded. The last ones were sent just before the load stopped and may
// still be pending: each is waited for, all within within.
func checkMined(t *testing.T, c *ethclient.Client, sent []common.Hash, within time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(t.Context(), within)
	defer cancel()
	tick := time.NewTicker(200 * time.Millisecond)
	defer tick.Stop()
	for i, h := range sent {
		for {
			r, err := c.TransactionReceipt(ctx, h)
			if err == nil && r.Status == types.ReceiptStatusSuccessful {
				break
			}
			pending := errors.Is(err, ethereum.NotFound) || (err != nil && strings.Contains(err.Error(), "indexing is in progress"))
			if err == nil || !pending {
				t.Fatalf("transfer %d of %d (%s): receipt %+v, %v", i, len(sent), h, r, err)
			}
			select {
			case <-ctx.Done():
				t.Fatalf("transfer %d of %d (%s) not mined %v after the load stopped", i, len(sent), h, within)
			case <-tick.C:
			}
		}
	}
}

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// formatUTC is how cityctl prints a time.
func formatUTC(t time.Time) string { return rfc3339(t) }

func exitCode(err error) int {
	if err == nil {
		return 0
	}
	if ee, ok := err.(*exec.ExitError); ok {
		return ee.ExitCode()
	}
	return -1
}

func tail(s string, n int) string {
	if len(s) > n {
		return s[len(s)-n:]
	}
	return s
}

func dialNode(t *testing.T, n *testnet.Node) *ethclient.Client {
	t.Helper()
	c, err := ethclient.Dial(n.RPC)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// restartWith stops n, runs init (the document's init line) on its data dir
// and starts it again, waiting for its RPC.
func restartWith(t *testing.T, s *Session, nw *testnet.Network, n *testnet.Node, init func()) {
	t.Helper()
	if err := nw.Stop(n.Name, false); err != nil {
		t.Fatal(err)
	}
	s.Set("/var/lib/citynode", n.DataDir)
	init()
	startNode(t, nw, n)
}

func startNode(t *testing.T, nw *testnet.Network, n *testnet.Node) {
	t.Helper()
	if err := nw.Start(n.Name); err != nil {
		t.Fatal(err)
	}
	c := dialNode(t, n)
	proctest.WaitFor(t, 60*time.Second, n.Name+" answering", func() bool {
		_, err := c.BlockNumber(t.Context())
		return err == nil
	})
}

// waitHeadTime waits for a head at or after at, bounded by the time to it
// plus a minute.
func waitHeadTime(t *testing.T, c *ethclient.Client, at time.Time, what string) {
	t.Helper()
	proctest.WaitFor(t, time.Until(at)+time.Minute, "a head past "+what, func() bool {
		h, err := c.HeaderByNumber(t.Context(), nil)
		return err == nil && h.Time >= uint64(at.Unix())
	})
}

// scheduleFile writes the genesis at from with Cancun and Prague at at to
// the file to, as `cityctl upgrade schedule` would.
func scheduleFile(t *testing.T, from, to string, at time.Time) string {
	t.Helper()
	g, ext, err := genesis.LoadExtended(from)
	if err != nil {
		t.Fatal(err)
	}
	f := genesis.ForksOf(g.Config)
	ts := uint64(at.Unix())
	f.Cancun, f.Prague = &ts, &ts
	if err := genesis.ScheduleForks(g, f); err != nil {
		t.Fatal(err)
	}
	data, err := genesis.Encode(g, ext)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return to
}

// moveShanghai writes the genesis at from with Shanghai moved to at.
func moveShanghai(t *testing.T, from, to string, at time.Time) string {
	t.Helper()
	g, ext, err := genesis.LoadExtended(from)
	if err != nil {
		t.Fatal(err)
	}
	ts := uint64(at.Unix())
	if err := genesis.ScheduleForks(g, genesis.Forks{Shanghai: &ts}); err != nil {
		t.Fatal(err)
	}
	data, err := genesis.Encode(g, ext)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return to
}

func keystoreFor(t *testing.T, s *Session, priv *ecdsa.PrivateKey, name, pwName string) {
	t.Helper()
	key := &keystore.Key{Address: crypto.PubkeyToAddress(priv.PublicKey), PrivateKey: priv}
	blob, err := keystore.EncryptKey(key, "pw-"+name, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	s.File(name, string(blob))
	s.File(pwName, "pw-"+name+"\n")
}

// transferLoad sends a transfer every 200 ms from an account of its own to
// whichever node answers, retrying the same transaction on the next node
// while one restarts.
type transferLoad struct {
	mu   sync.Mutex
	sent []common.Hash
	quit chan struct{}
	done chan struct{}
}

func startLoad(t *testing.T, nw *testnet.Network, faucet *ecdsa.PrivateKey) *transferLoad {
	t.Helper()
	key, _ := crypto.GenerateKey()
	chainID := big.NewInt(int64(nw.ChainID))
	signer := types.LatestSignerForChainID(chainID)
	from := crypto.PubkeyToAddress(key.PublicKey)
	c := dialNode(t, nw.Nodes[0])
	nonce, err := c.PendingNonceAt(t.Context(), crypto.PubkeyToAddress(faucet.PublicKey))
	if err != nil {
		t.Fatal(err)
	}
	fund := types.MustSignNewTx(faucet, signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &from, Value: big.NewInt(1e18)})
	if err := c.SendTransaction(t.Context(), fund); err != nil {
		t.Fatal(err)
	}
	proctest.WaitFor(t, 30*time.Second, "the load account funded", func() bool {
		r, err := c.TransactionReceipt(t.Context(), fund.Hash())
		return err == nil && r != nil
	})
	clients := make([]*ethclient.Client, len(nw.Nodes))
	for i, n := range nw.Nodes {
		clients[i] = dialNode(t, n)
	}
	l := &transferLoad{quit: make(chan struct{}), done: make(chan struct{})}
	go func() {
		defer close(l.done)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		var n uint64
		next := 0
		for {
			select {
			case <-l.quit:
				return
			case <-tick.C:
			}
			to := common.Address{0xc1, 0x7e, byte(n >> 8), byte(n)}
			tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: n, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(1)})
			ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
			err := clients[next%len(clients)].SendTransaction(ctx, tx)
			cancel()
			if err != nil && !strings.Contains(err.Error(), "already known") {
				next++ // that node is restarting: the same transaction to the next one
				continue
			}
			l.mu.Lock()
			l.sent = append(l.sent, tx.Hash())
			l.mu.Unlock()
			n++
		}
	}()
	return l
}

// stop ends the load and returns the hashes of the accepted transfers.
func (l *transferLoad) stop() []common.Hash {
	close(l.quit)
	<-l.done
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.sent
}

// compileModern compiles cmd/citynode/testdata/Modern.sol (PUSH0, MCOPY,
// transient storage) with the pinned solc-js and its default EVM version.
func compileModern(t *testing.T) (abi.ABI, []byte) {
	t.Helper()
	src, err := os.ReadFile(filepath.Join(repoRoot, "cmd/citynode/testdata/Modern.sol"))
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		EVMVersion string `json:"evmVersion"`
		Contracts  map[string]struct {
			ABI      json.RawMessage `json:"abi"`
			Bytecode string          `json:"bytecode"`
		} `json:"contracts"`
	}
	if err := json.Unmarshal(proctest.NodeScript(t, filepath.Join(repoRoot, "contracts"), "compile-default.js", src), &out); err != nil {
		t.Fatal(err)
	}
	c := out.Contracts["Modern"]
	parsed, err := abi.JSON(bytes.NewReader(c.ABI))
	if err != nil || out.EVMVersion != "prague" {
		t.Fatalf("compiled Modern: EVM %q, abi %v", out.EVMVersion, err)
	}
	return parsed, common.FromHex(c.Bytecode)
}

// deployModern deploys Modern through c from key and calls its echo; it
// returns the deployment's block.
func deployModern(t *testing.T, c *ethclient.Client, key *ecdsa.PrivateKey, parsed abi.ABI, code []byte) uint64 {
	t.Helper()
	ctx := t.Context()
	chainID, err := c.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	from := crypto.PubkeyToAddress(key.PublicKey)
	nonce, err := c.PendingNonceAt(ctx, from)
	if err != nil {
		t.Fatal(err)
	}
	tx := types.MustSignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: 1_000_000, Data: code})
	if err := c.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("deploy Modern: %v", err)
	}
	var r *types.Receipt
	proctest.WaitFor(t, 30*time.Second, "Modern deployed", func() bool {
		r, _ = c.TransactionReceipt(ctx, tx.Hash())
		return r != nil
	})
	if r.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("Prague bytecode after the upgrade: status %d", r.Status)
	}
	input, _ := parsed.Pack("echo", []byte("after the upgrade"))
	res, err := c.CallContract(ctx, ethereum.CallMsg{From: from, To: &r.ContractAddress, Data: input}, nil)
	if err != nil {
		t.Fatalf("echo: %v", err)
	}
	if out, err := parsed.Unpack("echo", res); err != nil || !bytes.Equal(out[0].([]byte), []byte("after the upgrade")) {
		t.Fatalf("echo: %v (%v)", out, err)
	}
	return r.BlockNumber.Uint64()
}

// waitAgree waits until every node has the same block at top.
func waitAgree(t *testing.T, nw *testnet.Network, top uint64) {
	t.Helper()
	clients := make([]*ethclient.Client, len(nw.Nodes))
	for i, n := range nw.Nodes {
		clients[i] = dialNode(t, n)
	}
	proctest.WaitFor(t, 60*time.Second, "every node at the same block", func() bool {
		var first common.Hash
		for i, c := range clients {
			h, err := c.HeaderByNumber(t.Context(), new(big.Int).SetUint64(top))
			if err != nil {
				return false
			}
			if i == 0 {
				first = h.Hash()
			} else if h.Hash() != first {
				return false
			}
		}
		return true
	})
}

// checkFormats checks every block up to top: London before shanghai,
// difficulty 0 from it, the Prague requests hash from prague.
func checkFormats(t *testing.T, c *ethclient.Client, top, shanghai, prague uint64) {
	t.Helper()
	var london, modern, pragueBlocks int
	for n := uint64(1); n <= top; n++ {
		h, err := c.HeaderByNumber(t.Context(), new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		isModern := h.Difficulty.Sign() == 0
		if isModern != (h.Time >= shanghai) || (h.RequestsHash != nil) != (h.Time >= prague) {
			t.Fatalf("block %d at %d (shanghai %d, prague %d): difficulty %v, requests hash %v", n, h.Time, shanghai, prague, h.Difficulty, h.RequestsHash)
		}
		switch {
		case h.Time >= prague:
			pragueBlocks++
		case isModern:
			modern++
		default:
			london++
		}
	}
	if london == 0 || modern == 0 || pragueBlocks == 0 {
		t.Fatalf("have %d London, %d Shanghai and %d Prague blocks, want some of each", london, modern, pragueBlocks)
	}
}
