// Package gethclique starts a real geth 1.13.15 Clique network on 127.0.0.1
// for tests that need an external proof-of-authority chain (the anchoring
// tests of issue 19): signer nodes peered with admin_addPeer, a short epoch,
// votes through clique_propose. geth comes from .bench/bin/geth of the
// repository (scripts/build-geth113.sh; `make test` builds it) or $GETH113.
package gethclique

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Version is the geth release the network runs.
const Version = "1.13.15-stable"

// Geth returns the path of geth 1.13.15: $GETH113, or .bench/bin/geth at the
// repository root. Missing, it fails the test under CI and skips it
// elsewhere, saying how to build it.
func Geth(t testing.TB) string {
	t.Helper()
	path := os.Getenv("GETH113")
	if path == "" {
		path = filepath.Join(repoRoot(t), ".bench", "bin", "geth")
	}
	out, err := exec.Command(path, "version").Output()
	if err == nil && strings.Contains(string(out), Version) {
		return path
	}
	msg := fmt.Sprintf("geth %s not found at %s: build it with scripts/build-geth113.sh (make test does)", Version, path)
	if proctest.UnderCI() {
		t.Fatal(msg + " (CI is set: a missing tool fails the test)")
	}
	t.Skip(msg)
	return ""
}

func repoRoot(t testing.TB) string {
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			t.Fatal("no go.mod above the test's directory")
		}
		dir = parent
	}
}

// Config describes a network.
type Config struct {
	ChainID uint64
	Period  uint64 // seconds between blocks
	Epoch   uint64
	Signers int // nodes whose key is in the genesis signer list
	Extra   int // further sealing nodes, outside the list until voted in
}

// Node is one geth process.
type Node struct {
	URL     string
	Key     *ecdsa.PrivateKey
	Address common.Address
	Client  *rpc.Client
	Eth     *ethclient.Client
	cmd     *exec.Cmd
	done    chan struct{}
	logPath string
}

// Network is a running geth Clique network.
type Network struct {
	Config  Config
	Nodes   []*Node
	Genesis string            // the genesis.json file
	Funded  *ecdsa.PrivateKey // an account with ether in the genesis
}

// Start starts the network and waits until it has sealed block 1.
func Start(t *testing.T, cfg Config) *Network {
	t.Helper()
	geth := Geth(t)
	dir := t.TempDir()
	n := &Network{Config: cfg}
	var err error
	if n.Funded, err = crypto.GenerateKey(); err != nil {
		t.Fatal(err)
	}
	for range cfg.Signers + cfg.Extra {
		key, err := crypto.GenerateKey()
		if err != nil {
			t.Fatal(err)
		}
		n.Nodes = append(n.Nodes, &Node{Key: key, Address: crypto.PubkeyToAddress(key.PublicKey), done: make(chan struct{})})
	}
	n.Genesis = filepath.Join(dir, "genesis.json")
	writeGenesis(t, n.Genesis, cfg, n.signerAddrs(), crypto.PubkeyToAddress(n.Funded.PublicKey))
	pw := filepath.Join(dir, "password")
	if err := os.WriteFile(pw, []byte("gethclique\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for i, node := range n.Nodes {
		node.start(t, geth, filepath.Join(dir, fmt.Sprintf("g%d", i)), n.Genesis, pw, cfg.ChainID)
	}
	n.peer(t)
	proctest.WaitFor(t, 60*time.Second, "geth to seal block 1", func() bool { return n.Head(t) >= 1 })
	return n
}

func (n *Network) signerAddrs() []common.Address {
	var out []common.Address
	for _, node := range n.Nodes[:n.Config.Signers] {
		out = append(out, node.Address)
	}
	return out
}

// Head returns node 0's head number (0 while it does not answer).
func (n *Network) Head(t testing.TB) uint64 {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	h, err := n.Nodes[0].Eth.BlockNumber(ctx)
	if err != nil {
		return 0
	}
	return h
}

// WaitHead waits until node 0's head is at least number.
func (n *Network) WaitHead(t testing.TB, number uint64, timeout time.Duration) {
	t.Helper()
	proctest.WaitFor(t, timeout, fmt.Sprintf("geth to reach block %d", number), func() bool { return n.Head(t) >= number })
}

// Propose makes every current signer vote on subject (clique_propose).
func (n *Network) Propose(t testing.TB, subject common.Address, authorize bool) {
	t.Helper()
	for _, node := range n.Nodes {
		if err := node.Client.Call(nil, "clique_propose", subject, authorize); err != nil {
			t.Fatalf("clique_propose on %s: %v", node.URL, err)
		}
	}
}

// SetSealing starts (miner_start) or stops (miner_stop) sealing on the node.
func (node *Node) SetSealing(t testing.TB, on bool) {
	t.Helper()
	method := "miner_stop"
	if on {
		method = "miner_start"
	}
	if err := node.Client.Call(nil, method); err != nil {
		t.Fatalf("%s on %s: %v", method, node.URL, err)
	}
}

// SealNext makes node seal the next block alone: it starts node's sealing,
// waits until node 0's head passes the head it saw, and stops node's sealing
// again (Clique's recent-signer limit keeps node from sealing the block after
// its own, so nothing else slips through). No other node may be sealing. It
// returns node 0's new head.
func (n *Network) SealNext(t testing.TB, node *Node, timeout time.Duration) uint64 {
	t.Helper()
	h := n.Head(t)
	node.SetSealing(t, true)
	n.WaitHead(t, h+1, timeout)
	node.SetSealing(t, false)
	return n.Head(t)
}

// Sealer returns the signer of block number on node 0 (clique_getSigner).
func (n *Network) Sealer(t testing.TB, number uint64) common.Address {
	t.Helper()
	var a common.Address
	if err := n.Nodes[0].Client.Call(&a, "clique_getSigner", fmt.Sprintf("%#x", number)); err != nil {
		t.Fatalf("clique_getSigner %d: %v", number, err)
	}
	return a
}

// Signers returns node 0's signer set at its head (clique_getSigners).
func (n *Network) Signers(t testing.TB) []common.Address {
	t.Helper()
	var set []common.Address
	if err := n.Nodes[0].Client.Call(&set, "clique_getSigners", "latest"); err != nil {
		t.Fatal(err)
	}
	return set
}

// peer connects every node to every other with admin_addPeer and waits until
// each has a peer.
func (n *Network) peer(t *testing.T) {
	if len(n.Nodes) < 2 {
		return
	}
	enodes := make([]string, len(n.Nodes))
	for i, node := range n.Nodes {
		var info struct{ Enode string }
		if err := node.Client.Call(&info, "admin_nodeInfo"); err != nil {
			t.Fatal(err)
		}
		enodes[i] = info.Enode
	}
	for i, node := range n.Nodes {
		for j, e := range enodes {
			if i != j {
				var ok bool
				if err := node.Client.Call(&ok, "admin_addPeer", e); err != nil {
					t.Fatal(err)
				}
			}
		}
	}
	// A dial that fails (under load, a handshake past its deadline, or the two
	// nodes dialling each other at once) is retried only after geth 1.13's dial
	// history expires, 35 s later (p2p/dial.go, dialHistoryExpiration): the
	// bound leaves room for two retries. CI failed at 30 s at load ~30.
	for _, node := range n.Nodes {
		proctest.WaitFor(t, 90*time.Second, "geth nodes to peer", func() bool {
			var peers []json.RawMessage
			return node.Client.Call(&peers, "admin_peers") == nil && len(peers) >= len(n.Nodes)-1
		})
	}
}

func (node *Node) start(t *testing.T, geth, dir, genesis, pw string, chainID uint64) {
	t.Helper()
	data := filepath.Join(dir, "data")
	if out, err := exec.Command(geth, "init", "--datadir", data, genesis).CombinedOutput(); err != nil {
		t.Fatalf("geth init: %v\n%s", err, out)
	}
	keyFile := filepath.Join(dir, "key")
	if err := os.WriteFile(keyFile, []byte(hex.EncodeToString(crypto.FromECDSA(node.Key))), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(geth, "account", "import", "--datadir", data, "--password", pw, keyFile).CombinedOutput(); err != nil {
		t.Fatalf("geth account import: %v\n%s", err, out)
	}
	http := freeport.T(t)
	node.URL = fmt.Sprintf("http://127.0.0.1:%d", http)
	node.logPath = filepath.Join(dir, "geth.log")
	logFile, err := os.Create(node.logPath)
	if err != nil {
		t.Fatal(err)
	}
	addr := node.Address.Hex()
	node.cmd = exec.Command(geth, "--datadir", data, "--networkid", fmt.Sprint(chainID), "--port", fmt.Sprint(freeport.T(t)),
		"--nodiscover", "--nat", "none", "--ipcdisable", "--authrpc.port", fmt.Sprint(freeport.T(t)),
		"--http", "--http.addr", "127.0.0.1", "--http.port", fmt.Sprint(http), "--http.api", "eth,net,web3,txpool,clique,admin,debug,miner",
		"--syncmode", "full", "--verbosity", "3",
		"--mine", "--miner.etherbase", addr, "--unlock", addr, "--password", pw, "--allow-insecure-unlock")
	node.cmd.Stdout, node.cmd.Stderr = logFile, logFile
	if err := node.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { node.cmd.Wait(); logFile.Close(); close(node.done) }()
	t.Cleanup(func() { node.stop(t) })
	proctest.WaitFor(t, 60*time.Second, "geth to answer on "+node.URL, func() bool {
		select {
		case <-node.done:
			out, _ := os.ReadFile(node.logPath)
			t.Fatalf("geth exited early:\n%s", out)
		default:
		}
		c, err := rpc.Dial(node.URL)
		if err != nil {
			return false
		}
		var id string
		if c.Call(&id, "eth_chainId") != nil {
			c.Close()
			return false
		}
		node.Client, node.Eth = c, ethclient.NewClient(c)
		return true
	})
}

func (node *Node) stop(t *testing.T) {
	if node.Client != nil {
		node.Client.Close()
	}
	node.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-node.done:
	case <-time.After(20 * time.Second):
		node.cmd.Process.Kill()
		<-node.done
	}
	if t.Failed() {
		out, _ := os.ReadFile(node.logPath)
		if len(out) > 4000 {
			out = out[len(out)-4000:]
		}
		t.Logf("geth log tail (%s):\n%s", node.URL, out)
	}
}

// writeGenesis writes a geth 1.13 Clique genesis: every fork through London
// at block 0, the signer list in extra-data, ether for funded.
func writeGenesis(t *testing.T, path string, cfg Config, signers []common.Address, funded common.Address) {
	extra := make([]byte, 32)
	for _, s := range signers {
		extra = append(extra, s.Bytes()...)
	}
	extra = append(extra, make([]byte, 65)...)
	config := map[string]any{"chainId": cfg.ChainID, "clique": map[string]uint64{"period": cfg.Period, "epoch": cfg.Epoch}}
	for _, fork := range []string{"homesteadBlock", "eip150Block", "eip155Block", "eip158Block", "byzantiumBlock", "constantinopleBlock", "petersburgBlock", "istanbulBlock", "berlinBlock", "londonBlock"} {
		config[fork] = 0
	}
	ether := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)
	g := map[string]any{
		"config": config, "difficulty": "0x1", "gasLimit": "0x1c9c380", "extraData": "0x" + hex.EncodeToString(extra),
		"alloc": map[string]any{funded.Hex(): map[string]string{"balance": "0x" + ether.Text(16)}},
	}
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
