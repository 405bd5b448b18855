package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// compactMin is the node's journal size (records) from which the intake
// compacts (txintake.Defaults.CompactMin).
const compactMin = 10_000

// feeder is an in-process, non-sealing node on the same genesis as the
// process under test: the test builds blocks itself, signed with the
// signers' keys, and hands them to it; its block gossip carries them to the
// process. That makes forks, and so reorgs, exactly as the test wants them.
type feeder struct {
	t       *testing.T
	n       *node.Node
	signers []*ecdsa.PrivateKey // sorted by address: block k is in turn for [k % len]
}

// startFeeder starts the feeder node on g.
func startFeeder(t *testing.T, g *core.Genesis, signers []*ecdsa.PrivateKey) *feeder {
	t.Helper()
	return startFeederWith(t, g, signers, nil)
}

// startFeederWith is startFeeder with before (nil: nothing) applied to the
// node before it starts (a test wraps its protocols).
func startFeederWith(t *testing.T, g *core.Genesis, signers []*ecdsa.PrivateKey, before func(*node.Node)) *feeder {
	t.Helper()
	cfg := node.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.Mode = node.ModeDev // a configured genesis, no keystore; no --signer: it never seals
	cfg.Genesis = g
	cfg.HTTP.Enabled = false
	cfg.P2P.Addr, cfg.P2P.Port, cfg.P2P.NoDiscover, cfg.P2P.MaxPeers = "127.0.0.1", 0, true, 4
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if before != nil {
		before(n)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return &feeder{t: t, n: n, signers: signers}
}

func (f *feeder) enode() string { return f.n.Stack().Server().Self().URLv4() }

// block builds block parent+1 holding txs, signed by signers[signer], one
// period after its parent.
func (f *feeder) block(parent *types.Block, signer int, txs []*types.Transaction) *types.Block {
	f.t.Helper()
	chain := f.n.Eth().BlockChain()
	config := chain.Config()
	key := f.signers[signer]
	addr := crypto.PubkeyToAddress(key.PublicKey)
	header := &types.Header{ParentHash: parent.Hash(), Number: new(big.Int).Add(parent.Number(), common.Big1), GasLimit: parent.GasLimit()}
	header.BaseFee = eip1559.CalcBaseFee(config, parent.Header())
	if err := f.n.Engine().Prepare(chain, header, addr); err != nil {
		f.t.Fatal(err)
	}
	header.Time = parent.Time() + config.Clique.Period // the genesis is in the past: so is every block
	statedb, err := chain.StateAt(parent.Root(), parent.Number(), parent.Time())
	if err != nil {
		f.t.Fatal(err)
	}
	evm := vm.NewEVM(core.NewEVMBlockContext(header, chain, &addr), statedb, config, vm.Config{})
	gasPool := core.NewGasPool(header.GasLimit)
	var receipts []*types.Receipt
	for i, tx := range txs {
		statedb.SetTxContext(tx.Hash(), i, uint32(i+1))
		receipt, _, err := core.ApplyTransaction(context.Background(), evm, gasPool, statedb, header, tx)
		if err != nil {
			f.t.Fatalf("block %d, tx %d: %v", header.Number, i, err)
		}
		receipts = append(receipts, receipt)
	}
	header.GasUsed = gasPool.Used()
	block := core.AssembleBlock(chain, header, statedb, &types.Body{Transactions: txs}, receipts, nil)
	sealed, err := f.n.Engine().Seal(block.Header(), addr, func(_ common.Address, hash []byte) ([]byte, error) { return crypto.Sign(hash, key) })
	if err != nil {
		f.t.Fatal(err)
	}
	return block.WithSeal(sealed)
}

// feed hands block to the feeder's fork choice and gossips it.
func (f *feeder) feed(block *types.Block) {
	f.t.Helper()
	f.n.Gossip().Propagate(block)
	if _, err := f.n.ForkChoice().Insert(block); err != nil {
		f.t.Fatalf("feed block %d: %v", block.NumberU64(), err)
	}
}

// txStatus returns city_transactionStatus's state for hash, or "" on error.
func txStatus(c *rpc.Client, hash common.Hash) string {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var st struct{ State string }
	if err := c.CallContext(ctx, &st, "city_transactionStatus", hash); err != nil {
		return ""
	}
	return st.State
}

// TestReorgAfterCompactionCrashProcess: an acknowledged transaction survives
// compaction, a reorg and a SIGKILL of a real citynode. The node (rpc mode,
// fed blocks by an in-process peer) takes 10,000 transfers; block 1a mines
// them all, so the intake compacts its journal to nothing; block 1b (in turn,
// heavier, without one transfer T) replaces 1a; the intake must journal T
// again, because the node is then killed with SIGKILL. After the restart T is
// back in the pool, and a block on 1b mines it.
func TestReorgAfterCompactionCrashProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	signers := sortedSignerKeys(3)
	senders := genesis.DevAccounts(4) // T from senders[0], the rest from the others
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4545, 1
	spec.GasLimit = 300_000_000 // 10,000 transfers in one block
	spec.Timestamp = uint64(time.Now().Add(-time.Hour).Unix())
	for _, k := range signers {
		spec.Signers = append(spec.Signers, crypto.PubkeyToAddress(k.PublicKey))
	}
	spec.Alloc = types.GenesisAlloc{}
	for _, a := range senders {
		spec.Alloc[a.Address] = types.Account{Balance: new(big.Int).Mul(big.NewInt(1e18), big.NewInt(1000))}
	}
	g, gpath := writeSpecGenesis(t, spec)

	// The transfers: T and compactMin-1 others.
	signer := types.LatestSignerForChainID(g.Config.ChainID)
	to := common.HexToAddress("0x00000000000000000000000000000000c17c0de5")
	transfer := func(from int, nonce uint64) *types.Transaction {
		return types.MustSignNewTx(senders[from].Key, signer, &types.DynamicFeeTx{ChainID: g.Config.ChainID, Nonce: nonce,
			GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10e9), Gas: 21000, To: &to, Value: big.NewInt(1)})
	}
	revived := transfer(0, 0)
	others := make([]*types.Transaction, 0, compactMin-1)
	for i := range compactMin - 1 {
		others = append(others, transfer(1+i%3, uint64(i/3)))
	}

	f := startFeeder(t, g, signers)
	dir := t.TempDir()
	if out, err := run(t, "init", "--datadir", dir, gpath); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	port := freeport.T(t)
	args := []string{"--datadir", dir, "--mode", "rpc", "--http", "--http.port", fmt.Sprint(port),
		"--port", fmt.Sprint(freeport.T(t)), "--nodiscover", "--staticnodes", f.enode()}
	p := startProc(t, args...)
	client := dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", port)).Client()

	// Every transfer acknowledged, in one call.
	inputs := make([]hexutil.Bytes, 0, compactMin)
	for _, tx := range append([]*types.Transaction{revived}, others...) {
		b, _ := tx.MarshalBinary()
		inputs = append(inputs, b)
	}
	var results []struct {
		Hash  *common.Hash
		Error string
	}
	if err := client.Call(&results, "city_sendRawTransactions", inputs); err != nil {
		t.Fatal(err)
	}
	for i, r := range results {
		if r.Hash == nil {
			t.Fatalf("transfer %d: have error %q, want acknowledged", i, r.Error)
		}
	}
	journal := filepath.Join(dir, "citynode", "transactions.journal")
	revivedBytes, _ := revived.MarshalBinary()
	journalHolds := func() bool {
		data, err := os.ReadFile(journal)
		return err == nil && bytes.Contains(data, revivedBytes)
	}
	if !journalHolds() {
		t.Fatalf("journal %s: have no record of the acknowledged transfer", journal)
	}

	// Block 1a (out of turn) mines every transfer; the intake settles them
	// and compacts its journal, dropping T's record.
	genesisBlock := f.n.Eth().BlockChain().Genesis()
	b1a := f.block(genesisBlock, 0, append([]*types.Transaction{revived}, others...))
	f.feed(b1a)
	waitFor(t, 60*time.Second, "T mined in block 1a and its journal record compacted away", func() bool {
		return txStatus(client, revived.Hash()) == "mined" && !journalHolds()
	})

	// Block 1b (in turn, so heavier) without T: the reorg revives T, and the
	// intake must journal it again before the crash.
	b1b := f.block(genesisBlock, 1, others)
	f.feed(b1b)
	waitFor(t, 60*time.Second, "the reorg to block 1b", func() bool {
		var head *types.Header
		err := client.Call(&head, "eth_getBlockByNumber", "latest", false)
		return err == nil && head != nil && head.Hash() == b1b.Hash()
	})
	waitFor(t, 30*time.Second, "the revived transfer journaled again", journalHolds)
	p.kill()

	p = startProc(t, args...)
	client = dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", port)).Client()
	if st := txStatus(client, revived.Hash()); st != "pending" {
		t.Fatalf("status of T after the restart: have %q, want pending (restored from the journal); logs:\n%s", st, p.output())
	}
	// And it is mined on the new branch. The restarted node may not have
	// peered with the feeder yet when block 2 is first sent (seen under a load
	// average of 17): send it again until it is in.
	b2 := f.block(b1b, 2, []*types.Transaction{revived})
	f.feed(b2)
	waitFor(t, 60*time.Second, "T mined in block 2", func() bool {
		if txStatus(client, revived.Hash()) == "mined" {
			return true
		}
		f.n.Gossip().Propagate(b2)
		return false
	})
	p.stop()
}

// sealedLine matches the sealer's log line for a block it signed and stored
// ("Sealed new block", logged once fork choice has stored the block and
// synced the database) or re-released after a restart.
var sealedLine = regexp.MustCompile(`(Sealed new block|Releasing block signed before restart)\s.*\bnumber=(\d+)\b.*\bhash=(\S+)`)

// sealedInLogs returns the blocks a citynode's logs say it sealed, number to
// hash in geth's terminal form; it fails the test if the logs name two
// different blocks at one height.
func sealedInLogs(t *testing.T, logs ...string) map[uint64]string {
	t.Helper()
	sealed := make(map[uint64]string)
	for _, out := range logs {
		for _, m := range sealedLine.FindAllStringSubmatch(out, -1) {
			n, err := strconv.ParseUint(m[2], 10, 64)
			if err != nil {
				t.Fatalf("log line %q: %v", m[0], err)
			}
			if h, ok := sealed[n]; ok && h != m[3] {
				t.Fatalf("two blocks signed at height %d: %s and %s", n, h, m[3])
			}
			sealed[n] = m[3]
		}
	}
	return sealed
}

// wantSealedKept checks that a restarted node holds every block the killed one
// logged as sealed, at its head or below: none lost, none replaced.
func wantSealedKept(t *testing.T, client *ethclient.Client, sealed map[uint64]string, logs string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for n, want := range sealed {
		h, err := client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil || h.Hash().TerminalString() != want {
			have := "none"
			if h != nil {
				have = h.Hash().TerminalString()
			}
			t.Fatalf("block %d after the restart: have %s (err %v), want %s, sealed before the kill; logs:\n%s", n, have, err, want, logs)
		}
	}
}
