package node_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/node/txhashes"
)

// loggerCode emits LOG2(data = calldata[64:], topics calldata[0:32],
// calldata[32:64]) and then LOG1(no data, topic calldata[32:64]).
var loggerCode = []byte{
	0x36, 0x60, 0x40, 0x90, 0x03, // CALLDATASIZE PUSH1 64 SWAP1 SUB: size
	0x80, 0x60, 0x40, 0x60, 0x00, 0x37, // DUP1 PUSH1 64 PUSH1 0 CALLDATACOPY
	0x60, 0x20, 0x35, 0x60, 0x00, 0x35, 0x82, 0x60, 0x00, 0xa2, // t1 t0 size 0 LOG2
	0x60, 0x20, 0x35, 0x60, 0x00, 0x60, 0x00, 0xa1, 0x00, // t1 0 0 LOG1 STOP
}

// TestGetLogsFastPath checks the eth_getLogs fast path against geth's own
// eth_getLogs over HTTP: every filter is sent as it is and once more with
// "blockHash":null, which means the same to geth but is not for the fast
// path, and the two answers must be byte for byte the same. Filters of the
// fast path's shape must have been answered by it, the others by geth
// (block tags, ranges into the future or backwards, too many topics, bad
// input).
func TestGetLogsFastPath(t *testing.T) {
	loggerA, loggerB := common.HexToAddress("0xd0"), common.HexToAddress("0xd1")
	cfg, acct := devConfig(t, 4348, types.GenesisAlloc{
		loggerA: {Balance: new(big.Int), Code: loggerCode},
		loggerB: {Balance: new(big.Int), Code: loggerCode},
	})
	n := startNode(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	client, err := ethclient.DialContext(ctx, n.HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer client.Close()

	// Twelve transactions, two logs each, over the two loggers, with two
	// first topics, three second topics and data of 0, 3 and 40 bytes.
	topic := func(i int) common.Hash { return common.Hash{31: byte(i)} }
	signer := types.LatestSignerForChainID(big.NewInt(4348))
	var last *types.Transaction
	for i := range 12 {
		to := []common.Address{loggerA, loggerB}[i%2]
		data := append(append(topic(1+i%2).Bytes(), topic(10+i%3).Bytes()...), make([]byte, []int{0, 3, 40}[i%3])...)
		for j := 64; j < len(data); j++ {
			data[j] = byte(i + j)
		}
		var txdata types.TxData = &types.DynamicFeeTx{ChainID: big.NewInt(4348), Nonce: uint64(i), To: &to,
			Gas: 100_000, GasTipCap: big.NewInt(1e9), GasFeeCap: big.NewInt(1e12), Data: data}
		if i%4 == 3 { // legacy transactions too: their hashes are computed differently
			txdata = &types.LegacyTx{Nonce: uint64(i), To: &to, Gas: 100_000, GasPrice: big.NewInt(1e12), Data: data}
		}
		last = types.MustSignNewTx(acct.Key, signer, txdata)
		if err := client.SendTransaction(ctx, last); err != nil {
			t.Fatal(err)
		}
	}
	waitFor(t, 30*time.Second, "the last logger transaction's block", func() bool {
		r, err := client.TransactionReceipt(ctx, last.Hash())
		return err == nil && r.Status == types.ReceiptStatusSuccessful
	})
	head, err := client.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}

	post := func(body string) string {
		t.Helper()
		return string(postJSON(t, ctx, n.HTTPEndpoint(), body))
	}
	// same sends filter (the filter object's members) both ways, compares
	// the answers and returns the number of logs in it; fast says whether
	// the fast path must answer it.
	same := func(filter string, fast bool) int {
		t.Helper()
		served0, _ := n.GetLogsStats()
		direct := post(fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{%s}]}`, filter))
		served1, _ := n.GetLogsStats()
		viaGeth := post(fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{%s,"blockHash":null}]}`, filter))
		if direct != viaGeth {
			t.Errorf("filter {%s}:\nfast path: %s\ngeth:      %s", filter, direct, viaGeth)
		}
		if have := served1 - served0; fast && have != 1 || !fast && have != 0 {
			t.Errorf("filter {%s}: the fast path answered %d requests, want %v", filter, have, fast)
		}
		return strings.Count(direct, `"logIndex"`)
	}
	rng := func(from, to uint64) string { return fmt.Sprintf(`"fromBlock":"%#x","toBlock":"%#x"`, from, to) }
	all := rng(0, head)
	if got := same(all, true); got != 24 {
		t.Errorf("all logs: %d, want 24", got)
	}
	cases := []struct {
		filter string
		want   int // logs, or -1 for an answer without logs (an error or none)
		fast   bool
	}{
		{all + fmt.Sprintf(`,"address":"%s"`, loggerA), 12, true},
		{all + fmt.Sprintf(`,"address":["%s","%s"]`, loggerB, loggerA), 24, true},
		{all + `,"address":[]`, 24, true},
		{all + fmt.Sprintf(`,"topics":["%s"]`, topic(1)), 6, true},
		{all + fmt.Sprintf(`,"topics":[null,"%s"]`, topic(10)), 4, true},
		{all + fmt.Sprintf(`,"topics":[["%s","%s"]]`, topic(2), topic(11)), 10, true}, // LOG2 by topic 2, LOG1 by topic 11
		{all + fmt.Sprintf(`,"topics":[["%s"],["%s","%s"]]`, topic(1), topic(10), topic(12)), 4, true},
		{all + fmt.Sprintf(`,"topics":["%s",null,null]`, topic(1)), 0, true}, // more positions than any log has
		{all + fmt.Sprintf(`,"address":"%s","topics":["%s"]`, loggerB, topic(1)), 0, true},
		{all + `,"topics":[]`, 24, true},
		{rng(1, 1), -1, true},
		{rng(head, head), -1, true},
		{rng(0, 0), 0, true},                                // the genesis block: no logs
		{fmt.Sprintf(`"fromBlock":"%#x"`, head), -1, false}, // toBlock latest by default
		{`"fromBlock":"0x0","toBlock":"latest"`, 24, false},
		{`"fromBlock":"earliest","toBlock":"latest"`, 24, false},
		{`"fromBlock":"0x1","toBlock":"pending"`, -1, false},
		{`"fromBlock":"0x1","toBlock":"finalized"`, -1, false},
		{`"fromBlock":"0x1","toBlock":"safe"`, -1, false},
		{rng(head, head+1), -1, false},                            // into the future: geth's error
		{rng(head+5, head+9), -1, false},                          // wholly in the future
		{rng(2, 1), -1, false},                                    // backwards: geth's error
		{all + `,"topics":[null,null,null,null,null]`, -1, false}, // five positions
		{`"fromBlock":"0xzz","toBlock":"0x1"`, -1, false},
		{all + `,"address":"0x12"`, -1, false},
		{all + `,"topics":["0x12"]`, -1, false},
		{all + `,"limit":5`, 24, false},                 // a member the fast path does not read
		{`"FromBlock":"0x0","TOBLOCK":"0x1"`, -1, true}, // member names ignore case, as in geth
	}
	for _, c := range cases {
		got := same(c.filter, c.fast)
		if c.want >= 0 && got != c.want {
			t.Errorf("filter {%s}: %d logs, want %d", c.filter, got, c.want)
		}
	}
	wantGzip(t, ctx, n.HTTPEndpoint(), fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{%s}]}`, all),
		fmt.Sprintf(`{"jsonrpc":"2.0","id":3,"method":"eth_getLogs","params":[{%s,"blockHash":null}]}`, all))
	wantFromIndex(t, n, client, head, func() {
		for _, filter := range []string{all, all + fmt.Sprintf(`,"address":"%s"`, loggerB), all + fmt.Sprintf(`,"topics":[null,"%s"]`, topic(11))} {
			same(filter, true)
		}
	})
	// Other request shapes: geth's.
	for _, body := range []string{
		fmt.Sprintf(`[{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{%s}]}]`, all),
		fmt.Sprintf(`{"jsonrpc":"2.0","method":"eth_getLogs","params":[{%s}]}`, all),
		fmt.Sprintf(`{"jsonrpc":"2.0","id":{"a":1},"method":"eth_getLogs","params":[{%s}]}`, all),
		fmt.Sprintf(`{"jsonrpc":"2.0","id":1,"method":"eth_getLogs","params":[{%s},1]}`, all),
	} {
		served0, _ := n.GetLogsStats()
		post(body)
		if served1, _ := n.GetLogsStats(); served1 != served0 {
			t.Errorf("%s: answered by the fast path", body)
		}
	}
}

// wantFromIndex checks that the fast path named transactions from the
// transaction hash index (ADR 072), written as the node's blocks became
// canonical, then deletes every entry, as on a chain written before the
// index, and runs read (which compares answers with geth's): the blocks
// with logs must be answered from their bodies, filling their entries, and
// a second read from the entries again.
func wantFromIndex(t *testing.T, n *node.Node, client *ethclient.Client, head uint64, read func()) {
	t.Helper()
	if s := n.TxHashStats(); s.Written == 0 || s.Hits == 0 {
		t.Errorf("transaction hash index: %+v, want entries written as blocks were sealed and read by the fast path", s)
	}
	db := n.Eth().ChainDb()
	withLogs := uint64(0)
	for i := uint64(0); i <= head; i++ {
		header, err := client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(i))
		if err != nil {
			t.Fatal(err)
		}
		if header.Bloom != (types.Bloom{}) {
			withLogs++
		}
		if err := txhashes.Delete(db, header.Hash()); err != nil {
			t.Fatal(err)
		}
	}
	before := n.TxHashStats()
	read()
	filled := n.TxHashStats().Filled
	if filled-before.Filled != withLogs {
		t.Errorf("without entries: %d filled, want %d (the blocks with logs)", filled-before.Filled, withLogs)
	}
	read()
	if s := n.TxHashStats(); s.Filled != filled {
		t.Errorf("read again: %d more filled, want none", s.Filled-filled)
	}
}

// wantGzip posts body (for the fast path) and viaGeth (the same filter, for
// geth's server), each asking for gzip and for no encoding: the fast path
// must compress with gzip, stating the length, and every answer must
// decompress to the same bytes.
func wantGzip(t *testing.T, ctx context.Context, url, body, viaGeth string) {
	t.Helper()
	post := func(body, encoding string) (*http.Response, []byte) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept-Encoding", encoding) // set: the transport leaves the answer as sent
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		raw, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.Header.Get("Content-Encoding") != "gzip" {
			return resp, raw
		}
		if len(raw) > 8 {
			resp.Header.Set("X-Gzip-Xfl", fmt.Sprint(raw[8])) // 4: compressed at gzip's fastest level
		}
		zr, err := gzip.NewReader(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		plain, err := io.ReadAll(zr)
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		return resp, plain
	}
	resp, fast := post(body, "gzip")
	if resp.Header.Get("Content-Encoding") != "gzip" || resp.ContentLength <= 0 || resp.Header.Get("X-Gzip-Xfl") != "4" {
		t.Errorf("fast path asked for gzip: Content-Encoding %q, length %d, XFL %s; want gzip at the fastest level (XFL 4, geth's server compresses at the default, 0) with a length",
			resp.Header.Get("Content-Encoding"), resp.ContentLength, resp.Header.Get("X-Gzip-Xfl"))
	}
	if len(fast) < 1<<10 {
		t.Fatalf("answer of %d bytes: too small to be compressed, the check needs a larger one", len(fast))
	}
	_, plain := post(body, "identity")
	_, geth := post(viaGeth, "gzip")
	if !bytes.Equal(fast, plain) || !bytes.Equal(fast, geth) {
		t.Errorf("answers differ:\nfast path, gzip: %s\nfast path, plain: %s\ngeth, gzip: %s", fast, plain, geth)
	}
}
