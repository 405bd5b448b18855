package txintake

import (
	"context"
	"encoding/json"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rpc"
)

// errGethPath is what the stand-in for geth's eth service answers, so a test
// sees when a call reached geth instead of the intake.
var errGethPath = errors.New("reached geth's eth_sendRawTransaction")

// gethEth stands in for geth's eth namespace service.
type gethEth struct{}

func (gethEth) SendRawTransaction(ctx context.Context, input hexutil.Bytes) (common.Hash, error) {
	return common.Hash{}, errGethPath
}

func (gethEth) ChainId() hexutil.Big { return hexutil.Big(*big.NewInt(testChainID)) }

// rpcClient serves the intake's APIs, registered after a stand-in for geth's
// eth service as the node does, over an in-process RPC connection.
func rpcClient(t *testing.T, in *Intake) *rpc.Client {
	t.Helper()
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", gethEth{}); err != nil {
		t.Fatal(err)
	}
	for _, api := range in.APIs() {
		if err := srv.RegisterName(api.Namespace, api.Service); err != nil {
			t.Fatal(err)
		}
	}
	client := rpc.DialInProc(srv)
	t.Cleanup(func() { client.Close(); srv.Stop() })
	return client
}

func encode(t *testing.T, tx *types.Transaction) hexutil.Bytes {
	t.Helper()
	b, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestSendRawTransaction(t *testing.T) {
	unprotected := types.MustSignNewTx(testKeys.key("alice"), types.HomesteadSigner{}, &types.LegacyTx{
		GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})
	garbage := hexutil.Bytes{0x02, 0xc0, 0x01}
	var decodeErr string
	if err := new(types.Transaction).UnmarshalBinary(garbage); err != nil {
		decodeErr = err.Error()
	}
	tests := []struct {
		name    string
		input   hexutil.Bytes
		want    common.Hash // on success
		wantErr string      // exact message clients see
	}{
		{"accepted", encode(t, transfer("alice", 0)), transfer("alice", 0).Hash(), ""},
		{"undecodable", garbage, common.Hash{}, decodeErr},
		{"empty", hexutil.Bytes{}, common.Hash{}, "typed transaction too short"},
		{"unprotected", encode(t, unprotected), common.Hash{}, "only replay-protected (EIP-155) transactions allowed over RPC"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newHarness(t, nil)
			client := rpcClient(t, h.in)
			var hash common.Hash
			err := client.Call(&hash, "eth_sendRawTransaction", tt.input)
			if tt.wantErr != "" {
				if err == nil || err.Error() != tt.wantErr {
					t.Fatalf("error: have %v, want %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatalf("eth_sendRawTransaction: %v", err)
			}
			if hash != tt.want {
				t.Errorf("hash: have %x, want %x", hash, tt.want)
			}
			if !h.pool.Has(hash) || h.in.Metrics().Journal.Records != 1 {
				t.Errorf("pool/journal: have %v/%d, want the transaction pooled and journaled", h.pool.Has(hash), h.in.Metrics().Journal.Records)
			}
			// geth's other eth methods survive the override.
			var id hexutil.Big
			if err := client.Call(&id, "eth_chainId"); err != nil || id.ToInt().Int64() != testChainID {
				t.Errorf("eth_chainId: have %v, %v, want %d", id.ToInt(), err, testChainID)
			}
		})
	}
}

func TestSendRawTransactions(t *testing.T) {
	h := newHarness(t, func(c *Config) { c.MaxBatch = 4 })
	client := rpcClient(t, h.in)
	good1, good2 := transfer("alice", 0), transfer("bob", 0)
	unprotected := types.MustSignNewTx(testKeys.key("carol"), types.HomesteadSigner{}, &types.LegacyTx{
		GasPrice: big.NewInt(params.GWei), Gas: params.TxGas, To: &recipient})

	var results []SendResult
	err := client.Call(&results, "city_sendRawTransactions", []hexutil.Bytes{encode(t, good1), {0x01}, encode(t, unprotected), encode(t, good2)})
	if err != nil {
		t.Fatalf("city_sendRawTransactions: %v", err)
	}
	want := []struct {
		hash common.Hash
		err  string
	}{
		{good1.Hash(), ""},
		{common.Hash{}, "typed transaction too short"},
		{common.Hash{}, "only replay-protected (EIP-155) transactions allowed over RPC"},
		{good2.Hash(), ""},
	}
	if len(results) != len(want) {
		t.Fatalf("results: have %d, want %d", len(results), len(want))
	}
	for i, w := range want {
		r := results[i]
		switch {
		case w.err == "" && (r.Hash == nil || *r.Hash != w.hash || r.Error != ""):
			t.Errorf("result %d: have %+v, want hash %x", i, r, w.hash)
		case w.err != "" && (r.Hash != nil || r.Error != w.err):
			t.Errorf("result %d: have %+v, want error %q", i, r, w.err)
		}
	}

	tooMany := make([]hexutil.Bytes, 5)
	err = client.Call(&results, "city_sendRawTransactions", tooMany)
	if err == nil || !strings.Contains(err.Error(), "too many transactions in one call: have 5, want <= 4") {
		t.Errorf("oversized batch: have %v, want the batch limit error", err)
	}
}

func TestTransactionStatusJSON(t *testing.T) {
	h := newHarness(t, nil)
	client := rpcClient(t, h.in)
	mined, pending := transfer("alice", 0), transfer("bob", 0)
	h.submit(mined, pending)
	h.chain.mine(mined)
	h.in.check()

	tests := []struct {
		name string
		hash common.Hash
		want string
	}{
		{"mined", mined.Hash(), `{"state":"mined","block":1}`},
		{"pending", pending.Hash(), `{"state":"pending"}`},
		{"unknown", common.Hash{1}, `{"state":"unknown"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var raw json.RawMessage
			if err := client.Call(&raw, "city_transactionStatus", tt.hash); err != nil {
				t.Fatal(err)
			}
			if string(raw) != tt.want {
				t.Errorf("status: have %s, want %s", raw, tt.want)
			}
		})
	}
}
