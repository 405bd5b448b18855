package testnet

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/audit"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// TestNetworkCrossesTransition runs 3 signers and an rpc node of a chain
// whose genesis schedules Shanghai, Cancun and Prague a little after start
// (ADR 044), under a steady stream of transfers sent to the rpc node: blocks
// before the transition have the London format, blocks after it the
// post-transition one; no block comes more than 2 periods after its parent;
// every transfer is mined; a signer killed before the transition and
// restarted after it catches up; every node agrees; the signer audit replays
// both sides; a contract compiled with solc's default EVM (Prague) deploys
// and runs through the rpc node after the transition.
func TestNetworkCrossesTransition(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	const period = 2
	modernABI, modernCode := compileModern(t)
	// Far enough ahead for 4 processes to start on 2 busy cores (34-57 s
	// seen with other tests running) and seal London blocks first.
	start := time.Now()
	transition := uint64(start.Unix()) + 75
	nw, err := Up(Config{Dir: t.TempDir(), Binary: binPath, Signers: 3, RPC: 1, Period: period, ChainID: 4323, Forks: genesis.ForksAt(transition)})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			dumpNetwork(t, nw)
		}
		nw.Down()
	})
	t.Logf("network up in %v", time.Since(start))
	signer1, rpc1 := nw.Nodes[0], nw.Nodes[3]
	client, signerClient := dial(t, rpc1), dial(t, signer1)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	waitFor(t, 60*time.Second, "every node at the same block 2", func() bool { return sameHashAt(nw, 2) })
	if h, err := signerClient.HeaderByNumber(ctx, big.NewInt(1)); err != nil || h.Time >= transition {
		t.Fatalf("block 1 already past the transition (%v): the network took %v to start", err, time.Since(start))
	}

	// Transfers from the faucet through the rpc node, 5 a second, until the
	// test has seen enough.
	key, err := crypto.HexToECDSA(nw.Faucet)
	if err != nil {
		t.Fatal(err)
	}
	chainID := big.NewInt(int64(nw.ChainID))
	signer := types.LatestSignerForChainID(chainID)
	var (
		mu    sync.Mutex
		sent  []common.Hash
		nonce uint64
		stop  = make(chan struct{})
		done  = make(chan struct{})
	)
	go func() {
		defer close(done)
		tick := time.NewTicker(200 * time.Millisecond)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
			}
			to := common.Address{0xc1, 0x7e, byte(nonce)}
			tx := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{
				ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: 21000, To: &to, Value: big.NewInt(1),
			})
			if err := client.SendTransaction(ctx, tx); err != nil {
				t.Errorf("transfer %d: %v", nonce, err)
				return
			}
			mu.Lock()
			sent, nonce = append(sent, tx.Hash()), nonce+1
			mu.Unlock()
		}
	}()

	// signer3 stops a little before the transition and comes back after it.
	headTime := func(c *ethclient.Client) uint64 {
		h, err := c.HeaderByNumber(ctx, nil)
		if err != nil {
			return 0
		}
		return h.Time
	}
	// The transition is up to 75 s away (less the start-up): wait for it, bounded.
	untilTransition := time.Until(time.Unix(int64(transition), 0))
	waitFor(t, untilTransition+30*time.Second, "a few seconds before the transition", func() bool { return headTime(signerClient)+2*period >= transition })
	if err := nw.Stop("signer3", true); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "3 periods past the transition", func() bool { return headTime(signerClient) >= transition+3*period })
	if err := nw.Start("signer3"); err != nil {
		t.Fatal(err)
	}
	signer3, _ := nw.Node("signer3")
	if err := waitRPC(signer3, startTimeout); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 60*time.Second, "8 periods past the transition", func() bool { return headTime(signerClient) >= transition+8*period })

	// Today's bytecode through the rpc node, on the post-transition chain.
	mu.Lock()
	close(stop)
	mu.Unlock()
	<-done
	faucet := crypto.PubkeyToAddress(key.PublicKey)
	deploy := types.MustSignNewTx(key, signer, &types.DynamicFeeTx{ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: 1_000_000, Data: modernCode})
	if err := client.SendTransaction(ctx, deploy); err != nil {
		t.Fatalf("deploy: %v", err)
	}
	var receipt *types.Receipt
	waitFor(t, 30*time.Second, "the deployment mined", func() bool {
		receipt, _ = client.TransactionReceipt(ctx, deploy.Hash())
		return receipt != nil
	})
	if receipt.Status != types.ReceiptStatusSuccessful {
		t.Fatalf("deployment of Prague bytecode after the transition: status %d", receipt.Status)
	}
	input, _ := modernABI.Pack("echo", []byte("after the transition"))
	res, err := client.CallContract(ctx, ethereum.CallMsg{From: faucet, To: &receipt.ContractAddress, Data: input}, nil)
	if err != nil {
		t.Fatalf("eth_call on the rpc node: %v", err)
	}
	if out, err := modernABI.Unpack("echo", res); err != nil || !bytes.Equal(out[0].([]byte), []byte("after the transition")) {
		t.Fatalf("echo: %v (%v)", out, err)
	}

	// Every transfer mined, once.
	for i, h := range sent {
		if r, err := signerClient.TransactionReceipt(ctx, h); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transfer %d of %d (%s) not mined on signer1: %v", i, len(sent), h, err)
		}
	}
	// Every node agrees, signer3 included.
	top := receipt.BlockNumber.Uint64()
	waitFor(t, 60*time.Second, fmt.Sprintf("every node at the same block %d", top), func() bool { return sameHashAt(nw, top) })

	// The chain: London blocks, then post-transition ones; no gap above 2
	// periods.
	var london, modern int
	parent, err := signerClient.HeaderByNumber(ctx, big.NewInt(0))
	if err != nil {
		t.Fatal(err)
	}
	for n := uint64(1); n <= top; n++ {
		h, err := signerClient.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil {
			t.Fatal(err)
		}
		if isModern := h.Difficulty.Sign() == 0; isModern != (h.Time >= transition) {
			t.Fatalf("block %d at %d (transition %d): difficulty %v", n, h.Time, transition, h.Difficulty)
		} else if isModern {
			modern++
		} else {
			london++
		}
		if gap := h.Time - parent.Time; n > 1 && gap > 2*period {
			t.Errorf("block %d came %d s after its parent, more than 2 periods", n, gap)
		}
		parent = h
	}
	if london == 0 || modern < 8 {
		t.Fatalf("have %d London and %d post-transition blocks, want some of each (8+ after)", london, modern)
	}
	t.Logf("%d London blocks, %d post-transition blocks, %d transfers", london, modern, len(sent))

	// The signer audit replays both sides from the genesis.
	g, err := genesis.Load(nw.Genesis)
	if err != nil {
		t.Fatal(err)
	}
	rc, err := rpc.Dial(rpc1.RPC)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	a, err := audit.AuditSigners(ctx, g, audit.RPCHeaders{Client: rc}, 1, top, nil)
	if err != nil {
		t.Fatalf("signer audit across the transition: %v", err)
	}
	inTurn := 0
	for _, s := range a.Sealers {
		inTurn += s.InTurn
	}
	if len(a.Blocks) != int(top) || inTurn == 0 {
		t.Errorf("audit: %d blocks, %d in turn; want %d blocks, some in turn", len(a.Blocks), inTurn, top)
	}
}

// compileModern compiles cmd/citynode/testdata/Modern.sol (PUSH0, MCOPY,
// transient storage) with the pinned solc-js and its default EVM version.
func compileModern(t *testing.T) (abi.ABI, []byte) {
	t.Helper()
	src, err := os.ReadFile("../../../cmd/citynode/testdata/Modern.sol")
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
	if err := json.Unmarshal(proctest.NodeScript(t, "../../../contracts", "compile-default.js", src), &out); err != nil {
		t.Fatal(err)
	}
	c := out.Contracts["Modern"]
	parsed, err := abi.JSON(bytes.NewReader(c.ABI))
	if err != nil || out.EVMVersion != "prague" {
		t.Fatalf("compiled Modern: EVM %q, abi %v", out.EVMVersion, err)
	}
	return parsed, common.FromHex(c.Bytecode)
}
