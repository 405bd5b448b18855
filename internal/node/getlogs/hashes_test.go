package getlogs_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/getlogs"
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

// TestHashesThroughReorg checks the fast path's answers, transaction hashes
// from the index (package txhashes), against the logs of go-ethereum's own
// derived receipts (Receipts.DeriveFields: transaction hash and index, log
// index, removed false), byte for byte as geth encodes them, on a chain
// whose blocks mix transactions with and without logs:
//   - blocks indexed from geth's chain events as they were inserted;
//   - after a reorg to a branch inserted without setting the head and made
//     canonical at its tip (geth announces only the tip; the entries of the
//     blocks reorganised away stay, keyed by their hashes);
//   - with every entry deleted (a chain written before the index existed),
//     then answered from the bodies, which fills the entries;
//   - with an entry that does not fit its block's receipts.
func TestHashesThroughReorg(t *testing.T) {
	key, _ := crypto.GenerateKey()
	from := crypto.PubkeyToAddress(key.PublicKey)
	loggerA, loggerB, payee := common.HexToAddress("0xd0"), common.HexToAddress("0xd1"), common.HexToAddress("0xe0")
	cfg := genesis.ChainConfig(4351, 0, 30000)
	cfg.Clique, cfg.Ethash = nil, new(params.EthashConfig)
	g := &core.Genesis{Config: cfg, GasLimit: 30_000_000, Difficulty: big.NewInt(1), BaseFee: big.NewInt(params.InitialBaseFee),
		Alloc: types.GenesisAlloc{
			from:    {Balance: new(big.Int).Lsh(big.NewInt(1), 80)},
			loggerA: {Balance: new(big.Int), Code: loggerCode},
			loggerB: {Balance: new(big.Int), Code: loggerCode},
		}}
	signer := types.LatestSigner(cfg)
	nonce := uint64(0)
	// fill puts four transactions in a block: a logger call, a transfer
	// (no log), a legacy logger call, and every third block nothing at all.
	fill := func(salt byte) func(int, *core.BlockGen) {
		return func(i int, b *core.BlockGen) {
			if i%3 == 2 {
				return
			}
			for j, to := range []common.Address{loggerA, payee, loggerB, loggerA} {
				data := []byte(nil)
				if to != payee {
					data = append(append(common.Hash{31: byte(1 + j%2)}.Bytes(), common.Hash{30: salt, 31: byte(i)}.Bytes()...), salt, byte(j))
				}
				var tx types.TxData = &types.DynamicFeeTx{ChainID: cfg.ChainID, Nonce: nonce, To: &to, Value: big.NewInt(1),
					Gas: 100_000, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10 * params.GWei), Data: data}
				if j == 2 {
					tx = &types.LegacyTx{Nonce: nonce, To: &to, Gas: 100_000, GasPrice: big.NewInt(10 * params.GWei), Data: data}
				}
				b.AddTx(types.MustSignNewTx(key, signer, tx))
				nonce++
			}
		}
	}
	genDB, canon, _ := core.GenerateChainWithGenesis(g, ethash.NewFaker(), 6, fill(1))
	nonce = 2 * 4 // the branch starts on block 2: two blocks of four
	branch, _ := core.GenerateChain(cfg, canon[1], ethash.NewFaker(), genDB, 6, fill(2))

	db := rawdb.NewMemoryDatabase()
	chain, err := core.NewBlockChain(db, g, ethash.NewFaker(), core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	defer chain.Stop()
	index := txhashes.New(db, chain)
	if err := index.Start(); err != nil {
		t.Fatal(err)
	}
	defer index.Stop()
	// settle waits until the index has written every block announced so far.
	settle := func() {
		t.Helper()
		if err := index.Stop(); err != nil {
			t.Fatal(err)
		}
		if err := index.Start(); err != nil {
			t.Fatal(err)
		}
	}
	geth := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request handed to geth's server: the fast path must answer it")
	})
	h := getlogs.New(chain, geth, getlogs.Config{Hashes: index})

	filters := []struct {
		members string
		match   func(*types.Log) bool
	}{
		{"", func(*types.Log) bool { return true }},
		{fmt.Sprintf(`,"address":"%s"`, loggerB), func(l *types.Log) bool { return l.Address == loggerB }},
		{fmt.Sprintf(`,"topics":["%s"]`, common.Hash{31: 2}), func(l *types.Log) bool { return len(l.Topics) > 0 && l.Topics[0] == (common.Hash{31: 2}) }},
	}
	// check compares every filter's answer over the whole chain with geth's
	// derived logs and returns the logs of the first (all).
	check := func(stage string) int {
		t.Helper()
		head := chain.CurrentBlock().Number.Uint64()
		logs := 0
		for fi, f := range filters {
			var want []*types.Log
			for n := uint64(0); n <= head; n++ {
				header := chain.GetHeaderByNumber(n)
				for _, r := range chain.GetReceiptsByHash(header.Hash()) {
					want = append(want, slices.DeleteFunc(slices.Clone(r.Logs), func(l *types.Log) bool { return !f.match(l) })...)
				}
			}
			result, err := json.Marshal(want)
			if err != nil {
				t.Fatal(err)
			}
			if len(want) == 0 {
				result = []byte("[]")
			}
			body := fmt.Sprintf(`{"jsonrpc":"2.0","id":7,"method":"eth_getLogs","params":[{"fromBlock":"0x0","toBlock":"%#x"%s}]}`, head, f.members)
			req := httptest.NewRequestWithContext(context.Background(), http.MethodPost, "/", strings.NewReader(body))
			req.Header.Set("Content-Type", "application/json")
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, req)
			if have, wantBody := rec.Body.String(), `{"jsonrpc":"2.0","id":7,"result":`+string(result)+"}"; have != wantBody {
				t.Errorf("%s, filter {%s}:\nhave %s\nwant %s", stage, f.members, have, wantBody)
			}
			if fi == 0 {
				logs = len(want)
			}
		}
		return logs
	}
	withLogs := func(blocks []*types.Block) (n uint64) {
		for _, b := range blocks {
			if len(b.Transactions()) > 0 {
				n++
			}
		}
		return n
	}

	// Inserted as geth inserts a batch (downloader, import): every block
	// announced, so every block with logs indexed before it is read.
	if _, err := chain.InsertChain(canon); err != nil {
		t.Fatal(err)
	}
	settle()
	if have, want := index.Stats(), (txhashes.Stats{Written: withLogs(canon)}); have != want {
		t.Fatalf("after inserting the chain: have %+v, want %+v", have, want)
	}
	if n := check("indexed at insertion"); n != 6*int(withLogs(canon)) {
		t.Fatalf("indexed at insertion: %d logs, want %d (two per logger call, three calls a block)", n, 6*withLogs(canon))
	}
	if have := index.Stats(); have.Filled != 0 || have.Hits != 3*withLogs(canon) {
		t.Fatalf("after reading: have %+v, want every block's hashes from the index (%d hits, none filled)", have, 3*withLogs(canon))
	}

	// The reorg, as fork choice makes one: the branch's blocks inserted
	// without setting the head, then its tip made canonical.
	for _, b := range branch {
		if _, err := chain.InsertBlockWithoutSetHead(context.Background(), b, false); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := chain.SetCanonical(branch[len(branch)-1]); err != nil {
		t.Fatal(err)
	}
	settle()
	if have := chain.CurrentBlock().Hash(); have != branch[len(branch)-1].Hash() {
		t.Fatalf("head after the reorg: have %s, want the branch's tip", have)
	}
	before := index.Stats()
	check("after the reorg")
	// Only the tip was announced: the branch's other blocks with logs were
	// filled by the reader; the blocks reorganised away keep their entries.
	if have := index.Stats(); have.Filled-before.Filled != withLogs(branch[:len(branch)-1]) {
		t.Fatalf("after the reorg: filled %d entries, want %d", have.Filled-before.Filled, withLogs(branch[:len(branch)-1]))
	}
	for _, b := range canon[2:] {
		if _, ok := txhashes.Read(db, b.Hash()); !ok && len(b.Transactions()) > 0 {
			t.Errorf("block %d reorganised away: its entry is gone", b.NumberU64())
		}
	}
	before = index.Stats()
	check("after the reorg, read again")
	if have := index.Stats(); have.Filled != before.Filled {
		t.Fatalf("read again: filled %d entries more, want none", have.Filled-before.Filled)
	}

	// A chain written before the index: no entry at all.
	head := chain.CurrentBlock().Number.Uint64()
	for n := uint64(0); n <= head; n++ {
		if err := txhashes.Delete(db, chain.GetHeaderByNumber(n).Hash()); err != nil {
			t.Fatal(err)
		}
	}
	before = index.Stats()
	check("without entries")
	canonWithLogs := withLogs(append(slices.Clone(canon[:2]), branch...))
	if have := index.Stats(); have.Filled-before.Filled != canonWithLogs {
		t.Fatalf("without entries: filled %d, want %d (every canonical block with logs)", have.Filled-before.Filled, canonWithLogs)
	}

	// An entry that does not fit the block (another block's): not used.
	if err := txhashes.Write(db, branch[0].Hash(), txhashes.Entry(make([]byte, 4+32))); err != nil {
		t.Fatal(err)
	}
	check("with an entry that does not fit")
}
