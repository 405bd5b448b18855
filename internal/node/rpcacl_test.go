package node_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// startListed starts a dev node (period 0: a block per transaction) with
// HTTP, WebSocket and metrics, and the given per-method lists.
func startListed(t *testing.T, chainID int64, allow, deny []string) (*node.Node, genesis.DevAccount) {
	t.Helper()
	cfg, acct := devConfig(t, uint64(chainID), nil)
	cfg.HTTP.WS = true
	cfg.HTTP.RPCAllow, cfg.HTTP.RPCDeny = allow, deny
	cfg.Metrics.Enabled, cfg.Metrics.Port = true, 0
	cfg.AuthRPC.Enabled = false
	return startNode(t, cfg), acct
}

// transfer signs a transfer of 1 wei from acct to recipient.
func transfer(t *testing.T, acct genesis.DevAccount, chainID int64, nonce uint64) *types.Transaction {
	t.Helper()
	tx, err := types.SignNewTx(acct.Key, types.LatestSignerForChainID(big.NewInt(chainID)), &types.DynamicFeeTx{
		ChainID: big.NewInt(chainID), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(1e10),
		Gas: 21000, To: &recipient, Value: big.NewInt(1),
	})
	if err != nil {
		t.Fatal(err)
	}
	return tx
}

// wantRefused checks err is the -32601 refusal naming flag.
func wantRefused(t *testing.T, what string, err error, flag string) {
	t.Helper()
	var rerr rpc.Error
	if !errors.As(err, &rerr) || rerr.ErrorCode() != -32601 || !strings.Contains(err.Error(), "refused by "+flag) {
		t.Errorf("%s: have %v, want a -32601 error naming %s", what, err, flag)
	}
}

// TestMethodDenyList: with --http.rpc-deny, a denied method is refused with
// an error naming the flag over HTTP and WebSocket, alone and inside a batch
// whose other calls are answered; the fast paths (eth_call, eth_getLogs) obey
// the list; nothing changes (no transaction enters, the balance stays); the
// refusals are counted by method.
func TestMethodDenyList(t *testing.T) {
	const chainID = 4361
	n, acct := startListed(t, chainID, nil, []string{"eth_sendRawTransaction", "eth_call", "eth_getLogs"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := ethclient.DialContext(ctx, n.HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	wantRefused(t, "eth_sendRawTransaction over HTTP", client.SendTransaction(ctx, transfer(t, acct, chainID, 0)), "--http.rpc-deny")
	_, err = client.CallContract(ctx, ethereum.CallMsg{To: &recipient}, nil)
	wantRefused(t, "eth_call over HTTP (fast path)", err, "--http.rpc-deny")
	_, err = client.FilterLogs(ctx, ethereum.FilterQuery{})
	wantRefused(t, "eth_getLogs over HTTP (fast path)", err, "--http.rpc-deny")
	if s, f := n.EthCallStats(); s+f != 0 {
		t.Errorf("eth_call fast path: served %d, handed on %d; want no call to reach it", s, f)
	}
	if s, f := n.GetLogsStats(); s+f != 0 {
		t.Errorf("eth_getLogs fast path: served %d, handed on %d; want no call to reach it", s, f)
	}

	// A batch over HTTP: the denied call refused in place, the others answered.
	raw, _ := transfer(t, acct, chainID, 0).MarshalBinary()
	body := fmt.Sprintf(`[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_sendRawTransaction","params":["0x%x"]},{"jsonrpc":"2.0","id":3,"method":"eth_blockNumber"}]`, raw)
	checkBatch(t, postJSON(t, ctx, n.HTTPEndpoint(), body))

	// WebSocket: alone and in a batch.
	ws, err := rpc.DialContext(ctx, n.WSEndpoint())
	if err != nil {
		t.Fatalf("WebSocket at %s: %v", n.WSEndpoint(), err)
	}
	defer ws.Close()
	wantRefused(t, "eth_sendRawTransaction over WebSocket", ethclient.NewClient(ws).SendTransaction(ctx, transfer(t, acct, chainID, 0)), "--http.rpc-deny")
	var id, hash, number string
	batch := []rpc.BatchElem{
		{Method: "eth_chainId", Result: &id},
		{Method: "eth_sendRawTransaction", Args: []any{fmt.Sprintf("0x%x", raw)}, Result: &hash},
		{Method: "eth_blockNumber", Result: &number},
	}
	if err := ws.BatchCallContext(ctx, batch); err != nil {
		t.Fatalf("batch over WebSocket: %v", err)
	}
	if batch[0].Error != nil || id != fmt.Sprintf("0x%x", chainID) || batch[2].Error != nil || number != "0x0" {
		t.Errorf("batch over WebSocket: have chainId %q (%v), blockNumber %q (%v); want 0x%x and 0x0", id, batch[0].Error, number, batch[2].Error, chainID)
	}
	wantRefused(t, "eth_sendRawTransaction in a WebSocket batch", batch[1].Error, "--http.rpc-deny")
	heads := make(chan *types.Header, 1)
	sub, err := ethclient.NewClient(ws).SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Errorf("eth_subscribe over WebSocket with lists: %v", err)
	} else {
		sub.Unsubscribe()
	}

	// Nothing changed.
	if bal, err := client.BalanceAt(ctx, recipient, nil); err != nil || bal.Sign() != 0 {
		t.Errorf("recipient's balance after refused transfers: have %v (%v), want 0", bal, err)
	}
	if head, err := client.BlockNumber(ctx); err != nil || head != 0 {
		t.Errorf("head after refused transfers: have %d (%v), want 0: no transaction entered", head, err)
	}
	if pending, err := client.PendingNonceAt(ctx, acct.Address); err != nil || pending != 0 {
		t.Errorf("pending nonce after refused transfers: have %d (%v), want 0", pending, err)
	}

	// Counted by method: eth_sendRawTransaction over HTTP, in the HTTP
	// batch, over WebSocket and in the WebSocket batch.
	metrics := get(t, ctx, n.MetricsURL())
	for _, line := range []string{
		`citychain_rpc_refused_total{method="eth_sendRawTransaction"} 4`,
		`citychain_rpc_refused_total{method="eth_call"} 1`,
		`citychain_rpc_refused_total{method="eth_getLogs"} 1`,
	} {
		if !strings.Contains(metrics, line) {
			t.Errorf("metrics: want %q", line)
		}
	}
}

// checkBatch checks the answers to [eth_chainId, eth_sendRawTransaction
// (denied), eth_blockNumber]: three, the middle one refused.
func checkBatch(t *testing.T, out []byte) {
	t.Helper()
	var answers []struct {
		ID     int             `json:"id"`
		Result json.RawMessage `json:"result"`
		Error  *struct {
			Code    int    `json:"code"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := json.Unmarshal(out, &answers); err != nil || len(answers) != 3 {
		t.Fatalf("batch over HTTP: have %s (%v), want three answers", out, err)
	}
	for _, a := range answers {
		refused := a.Error != nil && a.Error.Code == -32601 && strings.Contains(a.Error.Message, "--http.rpc-deny")
		if a.ID == 2 && !refused || a.ID != 2 && (a.Error != nil || len(a.Result) == 0) {
			t.Errorf("batch over HTTP, answer %d: %s; want the call refused by --http.rpc-deny only for id 2", a.ID, out)
		}
	}
}

// TestMethodAllowList: with --http.rpc-allow, only what it names is served
// (names and namespace_*), deny wins over allow, and the allowed transaction
// goes through (the same transfer a deny list refuses).
func TestMethodAllowList(t *testing.T) {
	const chainID = 4362
	allow := []string{"eth_chainId", "eth_sendRawTransaction", "eth_getBalance", "eth_getTransactionReceipt", "net_*", "eth_blockNumber"}
	n, acct := startListed(t, chainID, allow, []string{"net_peerCount"})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	c, err := rpc.DialContext(ctx, n.HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var s string
	for _, m := range []string{"eth_chainId", "net_version", "net_listening"} {
		var v any
		if err := c.CallContext(ctx, &v, m); err != nil {
			t.Errorf("%s, allowed: %v", m, err)
		}
	}
	wantRefused(t, "net_peerCount (allowed by net_*, denied)", c.CallContext(ctx, &s, "net_peerCount"), "--http.rpc-deny")
	for _, m := range []string{"eth_gasPrice", "web3_clientVersion", "rpc_modules", "txpool_status", "eth_call", "nosuch_method"} {
		wantRefused(t, m+" (not allowed)", c.CallContext(ctx, &s, m), "--http.rpc-allow")
	}
	client := ethclient.NewClient(c)
	tx := transfer(t, acct, chainID, 0)
	if err := client.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("allowed eth_sendRawTransaction: %v", err)
	}
	for {
		if r, err := client.TransactionReceipt(ctx, tx.Hash()); err == nil {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("transfer failed: %+v", r)
			}
			break
		}
		select {
		case <-ctx.Done():
			t.Fatal("no receipt for the allowed transfer")
		case <-time.After(20 * time.Millisecond):
		}
	}
	if bal, err := client.BalanceAt(ctx, recipient, nil); err != nil || bal.Cmp(big.NewInt(1)) != 0 {
		t.Errorf("recipient's balance after the allowed transfer: have %v (%v), want 1", bal, err)
	}
}
