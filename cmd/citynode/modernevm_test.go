package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// compiledModern is testdata/Modern.sol compiled by the pinned solc-js with
// its default EVM version.
type compiledModern struct {
	EVMVersion string `json:"evmVersion"`
	Contracts  map[string]struct {
		ABI      json.RawMessage `json:"abi"`
		Bytecode string          `json:"bytecode"`
		Opcodes  string          `json:"opcodes"`
	} `json:"contracts"`
}

// compileModernJSON compiles testdata/Modern.sol with solc's default EVM version and returns
// the ABI parsed and as the compiler wrote it.
func compileModernJSON(t *testing.T) (abi.ABI, []byte, json.RawMessage) {
	t.Helper()
	src, err := os.ReadFile("testdata/Modern.sol")
	if err != nil {
		t.Fatal(err)
	}
	var out compiledModern
	if err := json.Unmarshal(proctest.NodeScript(t, "../../contracts", "compile-default.js", src), &out); err != nil {
		t.Fatal(err)
	}
	c, ok := out.Contracts["Modern"]
	if !ok {
		t.Fatalf("no Modern contract in the compiler's output")
	}
	// The compiler's default, and the opcodes London lacks, really are in it.
	if out.EVMVersion != "prague" {
		t.Fatalf("solc's default EVM version: have %q, want prague (the pinned 0.8.30)", out.EVMVersion)
	}
	ops := strings.Fields(c.Opcodes)
	for _, op := range []string{"PUSH0", "MCOPY", "TSTORE", "TLOAD"} {
		if !slices.Contains(ops, op) {
			t.Fatalf("compiled code has no %s", op)
		}
	}
	parsed, err := abi.JSON(bytes.NewReader(c.ABI))
	if err != nil {
		t.Fatal(err)
	}
	return parsed, common.FromHex(c.Bytecode), c.ABI
}

// startDev runs `citynode dev` on data dir dir with extra flags and returns
// a client.
func startDev(t *testing.T, dir string, extra ...string) (*proc, *ethclient.Client) {
	t.Helper()
	port := freeport.T(t)
	args := append([]string{"dev", "--datadir", dir, "--http.port", fmt.Sprint(port), "--period", "1"}, extra...)
	p := startProc(t, args...)
	return p, dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", port))
}

// sendAndWait signs a transaction from dev account 1 and waits for its receipt.
func sendAndWait(ctx context.Context, t *testing.T, client *ethclient.Client, nonce uint64, to *common.Address, gas uint64, data []byte) *types.Receipt {
	t.Helper()
	key := genesis.DevAccounts(2)[1].Key
	chainID, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := types.SignNewTx(key, types.LatestSignerForChainID(chainID), &types.DynamicFeeTx{
		ChainID: chainID, Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9), Gas: gas, To: to, Data: data,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send: %v", err)
	}
	var receipt *types.Receipt
	waitFor(t, 30*time.Second, "receipt of "+tx.Hash().Hex(), func() bool {
		receipt, _ = client.TransactionReceipt(ctx, tx.Hash())
		return receipt != nil
	})
	return receipt
}

// TestDevModernEVM: a contract compiled by the pinned solc-js with its
// default EVM version (Prague), using PUSH0, MCOPY and a transient variable,
// deploys and runs on `citynode dev`, whose blocks have the post-transition
// format (ADR 044); the same bytecode fails with an invalid opcode on
// `citynode dev --evm london`, so the rules really changed.
func TestDevModernEVM(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	parsed, code, abiJSON := compileModernJSON(t)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	from := genesis.DevAccounts(2)[1].Address
	payload := []byte("city of example: a document copied with mcopy")
	input, err := parsed.Pack("echo", payload)
	if err != nil {
		t.Fatal(err)
	}

	t.Run("prague", func(t *testing.T) {
		p, client := startDev(t, t.TempDir())
		defer p.stop()
		if !strings.Contains(p.output(), "prague rules") {
			waitFor(t, 10*time.Second, "the banner", func() bool { return strings.Contains(p.output(), "prague rules") })
		}
		deploy := sendAndWait(ctx, t, client, 0, nil, 1_000_000, code)
		if deploy.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("deploy status %d; logs:\n%s", deploy.Status, p.output())
		}
		addr := deploy.ContractAddress
		res, err := client.CallContract(ctx, ethereum.CallMsg{From: from, To: &addr, Data: input}, nil)
		if err != nil {
			t.Fatalf("eth_call echo: %v", err)
		}
		out, err := parsed.Unpack("echo", res)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(out[0].([]byte), payload) || out[1].(*big.Int).Int64() != 1 {
			t.Fatalf("echo: have (%q, %v), want (%q, 1)", out[0], out[1], payload)
		}
		call := sendAndWait(ctx, t, client, 1, &addr, 200_000, input)
		if call.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("echo transaction status %d", call.Status)
		}
		calls, err := client.CallContract(ctx, ethereum.CallMsg{To: &addr, Data: parsed.Methods["calls"].ID}, nil)
		if err != nil || new(big.Int).SetBytes(calls).Int64() != 1 {
			t.Fatalf("calls after one transaction: %x (%v), want 1", calls, err)
		}
		// The block that holds it has the post-transition format, sealed by
		// the dev signer, with PREVRANDAO from its parent's seal.
		header, err := client.HeaderByHash(ctx, call.BlockHash)
		if err != nil {
			t.Fatal(err)
		}
		parent, err := client.HeaderByHash(ctx, header.ParentHash)
		if err != nil {
			t.Fatal(err)
		}
		if header.Difficulty.Sign() != 0 || header.MixDigest != clique.Random(parent) || header.WithdrawalsHash == nil ||
			*header.WithdrawalsHash != types.EmptyWithdrawalsHash || header.RequestsHash == nil || header.ParentBeaconRoot == nil {
			t.Fatalf("block %d is not post-transition: %+v", header.Number, header)
		}
		// An ethers v6 client deploys and calls the same bytecode (account 2).
		port := p.cmd.Args[slices.Index(p.cmd.Args, "--http.port")+1]
		req, _ := json.Marshal(map[string]any{
			"rpc": "http://127.0.0.1:" + port, "key": "0x" + common.Bytes2Hex(crypto.FromECDSA(genesis.DevAccounts(3)[2].Key)),
			"abi": abiJSON, "bytecode": hexutil.Encode(code), "payload": hexutil.Encode(payload),
		})
		var res2 struct {
			DeployStatus, CallStatus int
			Echo, Seen, Calls        string
			BlockDifficulty          string
		}
		if err := json.Unmarshal(proctest.NodeScript(t, "../../contracts", "ethers-deploy.js", req), &res2); err != nil {
			t.Fatal(err)
		}
		if res2.DeployStatus != 1 || res2.CallStatus != 1 || res2.Echo != hexutil.Encode(payload) || res2.Seen != "1" || res2.Calls != "1" || res2.BlockDifficulty != "0" {
			t.Fatalf("ethers v6 on the Prague dev chain: %+v", res2)
		}
		hash, err := clique.SealHash(header)
		if err != nil {
			t.Fatal(err)
		}
		pub, err := crypto.SigToPub(hash.Bytes(), header.Extra[len(header.Extra)-clique.ExtraSeal:])
		if err != nil || crypto.PubkeyToAddress(*pub) != genesis.DevAccounts(1)[0].Address {
			t.Fatalf("block %d seal does not recover to the dev signer (%v)", header.Number, err)
		}
	})

	// Period 0: the sealer waits for a transaction before it prepares the
	// block, whose time the system calls write into the state. The chain is
	// exported and imported into a fresh data dir, where go-ethereum executes
	// every block again through the post-transition engine.
	t.Run("prague period 0, export and import", func(t *testing.T) {
		dir := t.TempDir()
		port := freeport.T(t)
		p := startProc(t, "dev", "--datadir", dir, "--http.port", fmt.Sprint(port), "--period", "0")
		client := dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", port))
		deploy := sendAndWait(ctx, t, client, 0, nil, 1_000_000, code)
		if deploy.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("deploy status %d", deploy.Status)
		}
		addr := deploy.ContractAddress
		for nonce := uint64(1); nonce <= 3; nonce++ {
			if r := sendAndWait(ctx, t, client, nonce, &addr, 200_000, input); r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("echo %d: status %d", nonce, r.Status)
			}
		}
		head := headNumber(t, client)
		p.stop()
		export := filepath.Join(t.TempDir(), "chain.rlp")
		if out, err := run(t, "export", "--datadir", dir, export); err != nil {
			t.Fatalf("export: %v\n%s", err, out)
		}
		fresh := t.TempDir()
		if out, err := run(t, "init", "--datadir", fresh, filepath.Join(dir, "genesis.json")); err != nil {
			t.Fatalf("init: %v\n%s", err, out)
		}
		if out, err := run(t, "import", "--datadir", fresh, export); err != nil {
			t.Fatalf("import of the post-transition chain: %v\n%s", err, out)
		}
		port2 := freeport.T(t)
		p2 := startProc(t, "dev", "--datadir", fresh, "--http.port", fmt.Sprint(port2), "--period", "0")
		defer p2.stop()
		c2 := dial(t, p2, fmt.Sprintf("http://127.0.0.1:%d", port2))
		if have := headNumber(t, c2); have != head {
			t.Fatalf("imported head %d, want %d", have, head)
		}
		calls, err := c2.CallContract(ctx, ethereum.CallMsg{To: &addr, Data: parsed.Methods["calls"].ID}, nil)
		if err != nil || new(big.Int).SetBytes(calls).Int64() != 3 {
			t.Fatalf("calls on the imported chain: %x (%v), want 3", calls, err)
		}
	})

	t.Run("london", func(t *testing.T) {
		dir := t.TempDir()
		p, client := startDev(t, dir, "--evm", "london")
		_, err := client.EstimateGas(ctx, ethereum.CallMsg{From: from, Data: code})
		if err == nil || !strings.Contains(err.Error(), "invalid opcode") {
			t.Fatalf("estimate of the deployment on a London chain: have %v, want an invalid opcode error", err)
		}
		deploy := sendAndWait(ctx, t, client, 0, nil, 1_000_000, code)
		if deploy.Status != types.ReceiptStatusFailed {
			t.Fatalf("deploy on a London chain: status %d, want failed", deploy.Status)
		}
		header, err := client.HeaderByHash(ctx, deploy.BlockHash)
		if err != nil || header.Difficulty.Sign() == 0 || header.WithdrawalsHash != nil {
			t.Fatalf("London dev block: %+v (%v)", header, err)
		}
		p.stop()
		// Resumed without --evm, the London dev chain keeps its rules.
		p2, _ := startDev(t, dir)
		waitFor(t, 20*time.Second, "the banner", func() bool { return strings.Contains(p2.output(), "dev chain (") })
		if !strings.Contains(p2.output(), "london rules") {
			t.Errorf("resumed London dev chain: banner without \"london rules\":\n%s", p2.output())
		}
		p2.stop()
	})
}
