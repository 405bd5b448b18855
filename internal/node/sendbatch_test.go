package node_test

import (
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

// TestSendBatchPath checks the batch path of eth_sendRawTransaction on a
// running node: a batch of transfers is answered by it, call by call (hashes,
// and geth's error for a transaction the pool already holds, the same error
// geth's server gives for it), and its transactions are mined.
func TestSendBatchPath(t *testing.T) {
	cfg, acct := devConfig(t, 4349, nil)
	n := startNode(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := ethclient.DialContext(ctx, n.HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	signer := types.LatestSignerForChainID(big.NewInt(4349))
	to := common.Address{0xee}
	var txs []*types.Transaction
	var calls []string
	for i := range 5 {
		tx := types.MustSignNewTx(acct.Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4349), Nonce: uint64(i), To: &to,
			Gas: 21_000, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e12), Value: big.NewInt(int64(i + 1))})
		raw, err := tx.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		txs = append(txs, tx)
		calls = append(calls, fmt.Sprintf(`{"jsonrpc":"2.0","id":%d,"method":"eth_sendRawTransaction","params":["%s"]}`, i+1, hexutil.Encode(raw)))
	}
	// The first transaction twice: the second copy is refused by the pool.
	body := "[" + strings.Join(append(calls, strings.Replace(calls[0], `"id":1`, `"id":6`, 1)), ",") + "]"
	answers := postBatch(ctx, t, n.HTTPEndpoint(), body)
	if b, c, fb := n.SendBatchStats(); b != 1 || c != 6 || fb != 0 {
		t.Fatalf("batch path: %d batches, %d calls, %d fallbacks; want 1, 6, 0", b, c, fb)
	}
	for i, tx := range txs {
		if answers[i].Error != nil || answers[i].Result != tx.Hash().Hex() {
			t.Errorf("call %d: result %s, error %s; want hash %s", i+1, answers[i].Result, answers[i].Error, tx.Hash().Hex())
		}
	}
	if answers[5].Error == nil {
		t.Fatalf("the repeated transaction: result %s, want the pool's refusal", answers[5].Result)
	}
	// A repeat sent with another method in the batch goes to geth's server,
	// which must refuse it with the batch path's error. The transaction
	// repeated is one the node cannot mine (its nonce leaves a gap), so both
	// refusals meet the same pool: the first five may be mined at any moment,
	// and geth then says "nonce too low" where the batch path said "already known".
	gapped := types.MustSignNewTx(acct.Key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4349), Nonce: 50, To: &to,
		Gas: 21_000, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e12), Value: big.NewInt(1)})
	rawGapped, err := gapped.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	gapCall := fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["%s"]}`, hexutil.Encode(rawGapped))
	if first := postBatch(ctx, t, n.HTTPEndpoint(), "["+gapCall+"]"); first[0].Error != nil || first[0].Result != gapped.Hash().Hex() {
		t.Fatalf("the gapped transaction: result %s, error %s; want hash %s", first[0].Result, first[0].Error, gapped.Hash().Hex())
	}
	viaBatch := postBatch(ctx, t, n.HTTPEndpoint(), "["+gapCall+"]")
	viaGeth := postBatch(ctx, t, n.HTTPEndpoint(), "["+gapCall+`,{"jsonrpc":"2.0","id":9,"method":"eth_blockNumber"}]`)
	if _, _, fb := n.SendBatchStats(); fb != 1 {
		t.Fatalf("a mixed batch: %d fallbacks, want 1", fb)
	}
	if viaBatch[0].Error == nil || string(viaGeth[0].Error) != string(viaBatch[0].Error) {
		t.Errorf("the repeated gapped transaction: batch path error %s, geth's %s; want the same refusal", viaBatch[0].Error, viaGeth[0].Error)
	}
	for _, tx := range txs {
		if r, err := waitReceipt(ctx, client, tx.Hash()); err != nil || r.Status != types.ReceiptStatusSuccessful {
			t.Fatalf("transaction %d: receipt %v, err %v", tx.Nonce(), r, err)
		}
	}
}

type batchAnswer struct {
	Result string          `json:"result"`
	Error  json.RawMessage `json:"error"`
}

func postBatch(ctx context.Context, t *testing.T, url, body string) []batchAnswer {
	t.Helper()
	out := postJSON(t, ctx, url, body)
	var answers []batchAnswer
	if err := json.Unmarshal(out, &answers); err != nil {
		t.Fatalf("answer %s: %v", out, err)
	}
	return answers
}
