package main

import (
	"context"
	"fmt"
	"maps"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// binPath is the citynode binary built once for the process tests.
var binPath string

func TestMain(m *testing.M) { os.Exit(proctest.Main(m, ".", "citynode", &binPath)) }

// proc is a citynode process under test.
type proc struct {
	t    *testing.T
	cmd  *exec.Cmd
	logs proctest.Output
	done <-chan struct{}
}

func startProc(t *testing.T, args ...string) *proc {
	t.Helper()
	p := &proc{t: t, cmd: exec.Command(binPath, args...), done: make(chan struct{})}
	startCmd(t, p)
	return p
}

// startCmd starts p.cmd, collecting its output, and kills it at cleanup.
func startCmd(t *testing.T, p *proc) {
	t.Helper()
	done, err := proctest.Start(p.cmd, &p.logs)
	if err != nil {
		t.Fatal(err)
	}
	p.done = done
	t.Cleanup(func() { p.kill() })
}

func (p *proc) output() string { return p.logs.String() }

// kill ends the process with SIGKILL and waits for it.
func (p *proc) kill() {
	p.cmd.Process.Signal(syscall.SIGKILL)
	select {
	case <-p.done:
	case <-time.After(10 * time.Second):
		p.t.Errorf("citynode pid %d did not exit after SIGKILL", p.cmd.Process.Pid)
	}
}

// stop ends the process with SIGTERM and waits for a clean exit.
func (p *proc) stop() {
	p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-p.done:
	case <-time.After(30 * time.Second):
		p.t.Errorf("citynode did not stop within 30s of SIGTERM; logs:\n%s", p.output())
		p.kill()
	}
}

func waitFor(t *testing.T, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	proctest.WaitFor(t, timeout, what, cond)
}

func dial(t *testing.T, p *proc, url string) *ethclient.Client {
	t.Helper()
	var client *ethclient.Client
	waitFor(t, 60*time.Second, "JSON-RPC at "+url, func() bool {
		select {
		case <-p.done:
			t.Fatalf("citynode exited early; logs:\n%s", p.output())
		default:
		}
		c, err := ethclient.Dial(url)
		if err != nil {
			return false
		}
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if _, err := c.ChainID(ctx); err != nil {
			c.Close()
			return false
		}
		client = c
		return true
	})
	t.Cleanup(client.Close)
	return client
}

func headNumber(t *testing.T, c *ethclient.Client) uint64 {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	n, err := c.BlockNumber(ctx)
	if err != nil {
		return 0
	}
	return n
}

// TestDevProcess starts `citynode dev` as a real process: blocks advance, a
// signed transfer is mined, clique_getSigners answers, and after SIGKILL a
// restart on the same data dir keeps the chain and the pending transaction.
func TestDevProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir := t.TempDir()
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"dev", "--datadir", dir, "--http.port", fmt.Sprint(port), "--period", "1"}
	p := startProc(t, args...)
	client := dial(t, p, url)

	waitFor(t, 20*time.Second, "two blocks", func() bool { return headNumber(t, client) >= 2 })

	// A signed transfer from dev account 1 is mined.
	accounts := genesis.DevAccounts(devAccountCount)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	chainID, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	to := common.HexToAddress("0x00000000000000000000000000000000c17c0de5")
	send := func(nonce uint64) *types.Transaction {
		tx, err := types.SignNewTx(accounts[1].Key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
			ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9),
			Gas: 21000, To: &to, Value: big.NewInt(1e15),
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := client.SendTransaction(ctx, tx); err != nil { // client is swapped after the restart
			t.Fatalf("send transfer: %v", err)
		}
		return tx
	}
	tx := send(0)
	var receipt *types.Receipt
	waitFor(t, 20*time.Second, "transfer receipt", func() bool {
		receipt, _ = client.TransactionReceipt(ctx, tx.Hash())
		return receipt != nil
	})
	if receipt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("transfer status: have %d, want %d", receipt.Status, types.ReceiptStatusSuccessful)
	}
	bal, err := client.BalanceAt(ctx, to, nil)
	if err != nil || bal.Cmp(big.NewInt(1e15)) != 0 {
		t.Fatalf("recipient balance: have %v (err %v), want 1e15", bal, err)
	}

	// clique_getSigners names the dev signer.
	var signers []common.Address
	if err := client.Client().CallContext(ctx, &signers, "clique_getSigners", rpc.LatestBlockNumber); err != nil {
		t.Fatalf("clique_getSigners: %v", err)
	}
	if len(signers) != 1 || signers[0] != accounts[0].Address {
		t.Fatalf("signers: have %v, want [%v]", signers, accounts[0].Address)
	}

	// Kill without warning, then restart on the same data dir: the node
	// restarts at the head it was killed at. Every block the killed node
	// logged as sealed (stored, database synced) is there at once, with its
	// hash; the head seen over RPC last (possibly not synced yet when the kill
	// came) is there too, from the database or released again from the
	// signing guard; and no height was ever signed twice.
	waitFor(t, 20*time.Second, "block 5", func() bool { return headNumber(t, client) >= 5 })
	// A transaction that cannot be mined yet (nonce gap) waits in the pool.
	gapped := send(3)
	before := headNumber(t, client)
	beforeHeader, err := client.HeaderByNumber(ctx, new(big.Int).SetUint64(before))
	if err != nil {
		t.Fatal(err)
	}
	p.kill()
	sealed := sealedInLogs(t, p.output())
	if len(sealed) == 0 {
		t.Fatalf("no \"Sealed new block\" line in the killed node's logs:\n%s", p.output())
	}
	last := slices.Max(slices.Collect(maps.Keys(sealed)))

	p2 := startProc(t, args...)
	client2 := dial(t, p2, url)
	if after := headNumber(t, client2); after < last {
		t.Fatalf("head after SIGKILL restart: have %d, want >= %d, the last block logged as sealed; logs:\n%s", after, last, p2.output())
	}
	wantSealedKept(t, client2, sealed, p2.output())
	waitFor(t, 20*time.Second, fmt.Sprintf("block %d again", before), func() bool { return headNumber(t, client2) >= before })
	if h, err := client2.HeaderByNumber(ctx, new(big.Int).SetUint64(before)); err != nil || h.Hash() != beforeHeader.Hash() {
		t.Fatalf("block %d after the restart: have %v (err %v), want %v, the head seen before the kill", before, h, err, beforeHeader.Hash())
	}
	if r, err := client2.TransactionReceipt(ctx, tx.Hash()); err != nil || r.BlockNumber.Cmp(receipt.BlockNumber) != 0 {
		t.Fatalf("receipt after restart: have %v (err %v), want block %v; logs:\n%s", r, err, receipt.BlockNumber, p2.output())
	}
	waitFor(t, 20*time.Second, "sealing to resume", func() bool { return headNumber(t, client2) > before+1 })

	// The waiting transaction came back from the journal: once the gap is
	// filled it is mined.
	var status struct{ State string }
	if err := client2.Client().CallContext(ctx, &status, "city_transactionStatus", gapped.Hash()); err != nil || status.State != "queued" {
		t.Fatalf("status of the gapped transaction after restart: have %+v (err %v), want queued", status, err)
	}
	client = client2
	send(1)
	send(2)
	waitFor(t, 20*time.Second, "the restored transaction to be mined", func() bool {
		r, _ := client2.TransactionReceipt(ctx, gapped.Hash())
		return r != nil
	})
	for _, line := range strings.Split(p2.output(), "\n") {
		if strings.Contains(line, "unclean") || strings.Contains(line, "recovered") || strings.Contains(line, "missing") {
			t.Log(line)
		}
	}
	sealedInLogs(t, p.output(), p2.output()) // never two blocks at one height
	p2.stop()
}

// TestDevProcessBadInput checks that wrong invocations fail fast with a message
// naming the problem and its fix.
func TestDevProcessBadInput(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	// A port already in use.
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	port := l.Addr().(*net.TCPAddr).Port
	out, err := exec.Command(binPath, "dev", "--http.port", fmt.Sprint(port)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--http.port") {
		t.Fatalf("port in use: have err %v, output %q; want a failure naming --http.port", err, out)
	}
	// The control listener's port in use: refused naming its flag, before
	// any database is opened.
	out, err = exec.Command(binPath, "dev", "--datadir", t.TempDir(), "--http.port", fmt.Sprint(freeport.T(t)), "--authrpc.port", fmt.Sprint(port)).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "choose another port with --authrpc.port") || strings.Contains(string(out), "Allocated cache") {
		t.Fatalf("control port in use: have err %v, output %q; want a failure naming --authrpc.port before the database opens", err, out)
	}
	// A missing allowlist: refused naming the flag, before the database opens.
	key, _ := crypto.GenerateKey()
	dir := t.TempDir()
	if out, err := run(t, "init", "--datadir", dir, writeGenesis(t, 4246, crypto.PubkeyToAddress(key.PublicKey))); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	// --mode rpc: without it the missing --signer is refused first.
	out, err = exec.Command(binPath, "--mode", "rpc", "--datadir", dir, "--port", "0", "--p2p.allowlist", filepath.Join(dir, "no-such-members.txt")).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "check --p2p.allowlist") || strings.Contains(string(out), "Allocated cache") {
		t.Fatalf("missing allowlist: have err %v, output %q; want a failure naming --p2p.allowlist before the database opens", err, out)
	}
	// A data dir that was never initialised.
	out, err = exec.Command(binPath, "--mode", "rpc", "--datadir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "citynode init") {
		t.Fatalf("uninitialised data dir: have err %v, output %q; want a hint to run citynode init", err, out)
	}
	// A per-file log level that is not one.
	out, err = exec.Command(binPath, "--log.vmodule", "sealer", "--datadir", t.TempDir()).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "--log.vmodule") || !strings.Contains(string(out), "pattern=level") {
		t.Fatalf("bad --log.vmodule: have err %v, output %q; want a failure naming the flag and its form", err, out)
	}
}
