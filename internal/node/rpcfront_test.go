package node_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

var (
	// contextCode returns COINBASE, TIMESTAMP, NUMBER, BASEFEE, GASPRICE,
	// GAS, BLOCKHASH(NUMBER-1), CHAINID, ORIGIN, CALLER, DIFFICULTY, GASLIMIT,
	// BALANCE(recipient) and CALLDATASIZE: what an eth_call sees of its block
	// and message.
	contextAddr = common.HexToAddress("0x00000000000000000000000000000000000000c0")
	contextCode = func() []byte {
		var code []byte
		slot := 0
		put := func(ops ...byte) {
			code = append(code, ops...)
			code = append(code, 0x61, byte(slot>>8), byte(slot), 0x52) // PUSH2 slot MSTORE
			slot += 32
		}
		put(0x41)                                                              // COINBASE
		put(0x42)                                                              // TIMESTAMP
		put(0x43)                                                              // NUMBER
		put(0x48)                                                              // BASEFEE
		put(0x3a)                                                              // GASPRICE
		put(0x5a)                                                              // GAS
		put(0x60, 0x01, 0x43, 0x03, 0x40)                                      // PUSH1 1 NUMBER SUB BLOCKHASH
		put(0x46)                                                              // CHAINID
		put(0x32)                                                              // ORIGIN
		put(0x33)                                                              // CALLER
		put(0x44)                                                              // DIFFICULTY
		put(0x45)                                                              // GASLIMIT
		put(append(append([]byte{0x73}, recipient.Bytes()...), 0x31)...)       // PUSH20 recipient BALANCE
		put(0x36)                                                              // CALLDATASIZE
		return append(code, 0x61, byte(slot>>8), byte(slot), 0x60, 0x00, 0xf3) // PUSH2 size PUSH1 0 RETURN
	}()
	// revertCode reverts with the word 42.
	revertAddr = common.HexToAddress("0x00000000000000000000000000000000000000c1")
	revertCode = []byte{0x60, 0x2a, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xfd}
	// loopCode loops until its gas runs out.
	loopAddr = common.HexToAddress("0x00000000000000000000000000000000000000c2")
	loopCode = []byte{0x5b, 0x60, 0x00, 0x56}
	// sloadCode returns the storage word at the slot given as call data.
	sloadAddr = common.HexToAddress("0x00000000000000000000000000000000000000c3")
	sloadCode = []byte{0x60, 0x00, 0x35, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3}
)

// TestEthCallFastPath checks the eth_call fast path against geth's own
// eth_call over HTTP: every request is sent as it is and once more with
// "value":"0x0", which means the same to geth but is not for the fast path,
// and the two answers must be byte for byte the same; the fast path must have
// answered the calls that succeed and handed the others to geth.
func TestEthCallFastPath(t *testing.T) {
	cfg, acct := devConfig(t, 4347, types.GenesisAlloc{
		contextAddr: {Balance: new(big.Int), Code: contextCode},
		revertAddr:  {Balance: new(big.Int), Code: revertCode},
		loopAddr:    {Balance: new(big.Int), Code: loopCode},
		sloadAddr:   {Balance: new(big.Int), Code: sloadCode, Storage: map[common.Hash]common.Hash{{31: 7}: {31: 0x77}}},
	})
	cfg.Metrics.Enabled, cfg.Metrics.Port = true, 0
	n := startNode(t, cfg)
	url := n.HTTPEndpoint()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	post := func(body string) string {
		t.Helper()
		out, header := postJSONHeader(t, ctx, url, body)
		if ct := header.Get("Content-Type"); ct != "application/json" {
			t.Errorf("%s: content type %q", body, ct)
		}
		return string(out)
	}
	// same sends call (the call object's members, without braces) both ways and
	// compares the answers; fast says whether the fast path must answer it.
	same := func(id, call, tail string, fast bool) string {
		t.Helper()
		served0, fallback0 := n.EthCallStats()
		direct := post(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"eth_call","params":[{%s}%s]}`, id, call, tail))
		served1, fallback1 := n.EthCallStats()
		viaGeth := post(fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"eth_call","params":[{%s,"value":"0x0"}%s]}`, id, call, tail))
		if direct != viaGeth {
			t.Errorf("call {%s}%s:\nfast path: %s\ngeth:      %s", call, tail, direct, viaGeth)
		}
		if have := served1 - served0; fast && have != 1 || !fast && have != 0 {
			t.Errorf("call {%s}%s: the fast path answered %d calls, want %v", call, tail, have, fast)
		}
		if !fast && fallback1-fallback0 != 1 {
			t.Errorf("call {%s}%s: handed %d calls to geth, want 1", call, tail, fallback1-fallback0)
		}
		return direct
	}
	ctxCall := fmt.Sprintf(`"to":"%s","data":"0x0102"`, contextAddr)
	calls := func() float64 { // eth_calls in the node's RPC metrics
		t.Helper()
		families, err := n.Metrics().Gather()
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range families {
			if f.GetName() != "citychain_rpc_requests_total" {
				continue
			}
			for _, m := range f.GetMetric() {
				for _, l := range m.GetLabel() {
					if l.GetName() == "method" && l.GetValue() == "eth_call" {
						return m.GetCounter().GetValue()
					}
				}
			}
		}
		return 0
	}
	counted := calls()
	first := same("1", ctxCall, `,"latest"`, true)
	if have := calls() - counted; have != 2 {
		t.Errorf("eth_call metrics: have %v more calls, want 2 (one answered here, one by geth)", have)
	}
	same(`"req-7"`, ctxCall, ``, true)
	same("-3", fmt.Sprintf(`"from":"%s","to":"%s","input":"0x01"`, acct.Address, contextAddr), `,"latest"`, true)
	same("4", fmt.Sprintf(`"from":"%s","to":"%s","gas":"0x186a0","data":"0x"`, recipient, contextAddr), ``, true)
	same("5", fmt.Sprintf(`"to":"%s","data":"0x%064x"`, sloadAddr, 7), ``, true)
	same("6", fmt.Sprintf(`"to":"%s"`, recipient), ``, true) // no code: an empty answer
	// Failures are geth's to answer, with its errors.
	same("7", fmt.Sprintf(`"to":"%s"`, revertAddr), ``, false)
	same("8", fmt.Sprintf(`"to":"%s","gas":"0x30d40"`, loopAddr), ``, false)
	same("9", fmt.Sprintf(`"to":"%s","gas":"0x2"`, contextAddr), ``, false)             // below intrinsic gas
	same("10", fmt.Sprintf(`"to":"%s","gas":"0xffffffffffff"`, contextAddr), ``, false) // above the gas cap
	// Other shapes never reach the fast path.
	same("11", ctxCall, `,"pending"`, false)
	same("12", ctxCall, `,"0x0"`, false)
	same("13", ctxCall, `,"latest",{}`, false)
	if out := post(fmt.Sprintf(`[{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{%s}]},{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}]`, ctxCall)); !strings.HasPrefix(out, `[{"jsonrpc":"2.0","id":1,"result":"0x`) {
		t.Errorf("batch: %s", out)
	}

	var resp struct{ Result hexutil.Bytes }
	if err := json.Unmarshal([]byte(first), &resp); err != nil || len(resp.Result) != 14*32 {
		t.Fatalf("context call: %s (%v)", first, err)
	}
	word := func(b []byte, i int) *big.Int { return new(big.Int).SetBytes(b[i*32 : i*32+32]) }

	// A new head: the next call reads the new block and state.
	client, err := ethclient.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()
	head, _ := client.BlockNumber(ctx)
	signer := types.LatestSignerForChainID(big.NewInt(4347))
	tx := types.MustSignNewTx(acct.Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4347), Nonce: 0, To: &recipient,
		Value: big.NewInt(5), Gas: 21000, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e12)})
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatal(err)
	}
	waitFor(t, 30*time.Second, "the transfer's block", func() bool {
		r, err := client.TransactionReceipt(ctx, tx.Hash())
		return err == nil && r.BlockNumber.Uint64() > head
	})
	after := same("14", ctxCall, ``, true)
	if err := json.Unmarshal([]byte(after), &resp); err != nil {
		t.Fatal(err)
	}
	// The answer is the new block's and the message's view.
	if number, balance := word(resp.Result, 2), word(resp.Result, 12); number.Uint64() <= head || balance.Int64() != 5 {
		t.Errorf("after the transfer: NUMBER %v (head was %d), BALANCE %v, want a later block and 5", number, head, balance)
	}
	if coinbase := common.BytesToAddress(resp.Result[12:32]); coinbase != acct.Address {
		t.Errorf("COINBASE: have %s, want the signer %s", coinbase, acct.Address)
	}
	for i, want := range map[int]int64{3: 0, 4: 0, 7: 4347, 13: 2} { // BASEFEE, GASPRICE, CHAINID, CALLDATASIZE
		if have := word(resp.Result, i); have.Int64() != want {
			t.Errorf("word %d: have %v, want %d", i, have, want)
		}
	}

	// The server behind the fast path has the configured modules only.
	if out := post(`{"jsonrpc":"2.0","id":1,"method":"admin_peers","params":[]}`); !strings.Contains(out, `"code":-32601`) {
		t.Errorf("admin_peers over HTTP without the admin module: %s", out)
	}
	if out := post(`{"jsonrpc":"2.0","id":1,"method":"debug_getRawHeader","params":["latest"]}`); !strings.Contains(out, `"code":-32601`) {
		t.Errorf("debug_getRawHeader over HTTP without the debug module: %s", out)
	}
	var modules map[string]string
	if err := client.Client().CallContext(ctx, &modules, "rpc_modules"); err != nil {
		t.Fatal(err)
	}
	for _, m := range cfg.HTTP.APIs {
		if _, ok := modules[m]; !ok && m != "city" {
			t.Errorf("rpc_modules %v lacks configured module %q", modules, m)
		}
	}
	if _, ok := modules["admin"]; ok {
		t.Errorf("rpc_modules %v lists admin", modules)
	}
	if out := post(`not json`); !bytes.Contains([]byte(out), []byte(`"code":-32700`)) {
		t.Errorf("invalid JSON: %s", out)
	}
}
