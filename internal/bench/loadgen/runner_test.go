package loadgen

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// fakeNode is an in-memory JSON-RPC node: it checks every raw transaction's signature
// and chain id, and seals all pending transactions into a block every interval.
type fakeNode struct {
	chainID *big.Int
	signer  types.Signer
	known   map[common.Address]bool
	reject  func(n int) string  // non-empty: reject the n-th transaction with this message
	drop    func(n int) bool    // accept the n-th transaction but never mine it
	hide    func(n int) bool    // mine the n-th transaction in a block that lists it only after a lookup (as after a reorg)
	balance string              // of every account; "0x1" when empty
	outage  func(post int) bool // take the post-th batch of transactions in, then close the connection unanswered
	forget  func(n int) bool    // mine the n-th transaction, then lose its block: no receipt (a crash's rewind)
	noScan  bool                // answer batches of block requests (the final scan) with 503
	stuck   func(n int) bool    // accept the n-th transaction and hold it unmined (a pool that never seals it)
	reads   map[uint64]int      // eth_getBlockByNumber reads per block

	mu      sync.Mutex
	blocks  [][]common.Hash
	pending []common.Hash
	count   int
	hidden  map[common.Hash]bool   // accepted transactions to hide
	where   map[common.Hash]uint64 // hidden transaction -> its block
	posts   int                    // batches of transactions received
	cut     map[string]bool        // the batches cut off (outage), by their body
	have    map[common.Hash]bool   // every transaction taken in
	lost    map[common.Hash]bool   // mined, then lost (forget)
	held    map[common.Hash]bool   // accepted, held, never mined (stuck)
}

func newFakeNode(t *testing.T, accounts []Account, interval time.Duration) (*fakeNode, string) {
	f := &fakeNode{chainID: big.NewInt(4242), known: make(map[common.Address]bool), blocks: [][]common.Hash{nil},
		hidden: make(map[common.Hash]bool), where: make(map[common.Hash]uint64),
		have: make(map[common.Hash]bool), lost: make(map[common.Hash]bool), cut: make(map[string]bool),
		reads: make(map[uint64]int), held: make(map[common.Hash]bool)}
	f.signer = types.LatestSignerForChainID(f.chainID)
	for _, a := range accounts {
		f.known[a.Address] = true
	}
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	stop := make(chan struct{})
	done := make(chan struct{})
	go func() {
		defer close(done)
		tick := time.NewTicker(interval)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				f.mu.Lock()
				var listed []common.Hash
				for _, h := range f.pending {
					if f.hidden[h] {
						f.where[h] = uint64(len(f.blocks))
					} else {
						listed = append(listed, h)
					}
				}
				f.blocks = append(f.blocks, listed)
				f.pending = nil
				f.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() { close(stop); <-done; srv.Close() })
	return f, srv.URL
}

func (f *fakeNode) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	var reqs []request
	batch := strings.HasPrefix(strings.TrimSpace(string(body)), "[")
	if batch {
		_ = json.Unmarshal(body, &reqs)
	} else {
		var one request
		_ = json.Unmarshal(body, &one)
		reqs = []request{one}
	}
	type resp struct {
		Version string    `json:"jsonrpc"`
		ID      int       `json:"id"`
		Result  any       `json:"result,omitempty"`
		Error   *RPCError `json:"error,omitempty"`
	}
	out := make([]resp, len(reqs))
	sends := len(reqs) > 0 && reqs[0].Method == "eth_sendRawTransaction"
	for i, req := range reqs {
		res, err := f.call(req.Method, req.Params)
		out[i] = resp{Version: "2.0", ID: req.ID, Result: res}
		if err != "" {
			out[i].Error = &RPCError{Code: -32000, Message: err}
		}
	}
	if f.noScan && batch && len(reqs) > 0 && reqs[0].Method == "eth_getBlockByNumber" {
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	}
	if sends && f.cutOff(body) {
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
		return
	}
	// Answer batches in reverse: the client must match responses by id.
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	w.Header().Set("Content-Type", "application/json")
	if batch {
		_ = json.NewEncoder(w).Encode(out)
	} else {
		_ = json.NewEncoder(w).Encode(out[0])
	}
}

// cutOff counts a batch of transactions and reports whether it is to go unanswered.
func (f *fakeNode) cutOff(body []byte) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.posts++
	if f.outage == nil || !f.outage(f.posts) {
		return false
	}
	f.cut[string(body)] = true
	return true
}

// cutBatches returns how many distinct batches were cut off.
func (f *fakeNode) cutBatches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.cut)
}

func (f *fakeNode) call(method string, params []any) (any, string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	switch method {
	case "eth_chainId":
		return (*hexutil.Big)(f.chainID), ""
	case "web3_clientVersion":
		return "fake/v0", ""
	case "eth_blockNumber":
		return hexutil.Uint64(len(f.blocks) - 1), ""
	case "eth_getBalance":
		if f.balance != "" {
			return f.balance, ""
		}
		return "0x1", ""
	case "eth_getTransactionCount":
		return "0x0", ""
	case "txpool_status":
		return map[string]string{"pending": hexutil.EncodeUint64(uint64(len(f.pending))), "queued": "0x0"}, ""
	case "eth_getTransactionByHash":
		s, _ := params[0].(string)
		if n, ok := f.where[common.HexToHash(s)]; ok {
			return map[string]any{"hash": s, "blockNumber": hexutil.Uint64(n)}, ""
		}
		if f.held[common.HexToHash(s)] {
			return map[string]any{"hash": s, "blockNumber": nil}, ""
		}
		return nil, ""
	case "eth_getBlockByNumber":
		n := uint64(len(f.blocks) - 1)
		if s, _ := params[0].(string); s != "latest" {
			v, err := hexutil.DecodeUint64(s)
			if err != nil || v > n {
				return nil, ""
			}
			n = v
		}
		// A forgotten transaction is listed the first time its block is read
		// (the generator's watch sees it mined), then gone: a block lost to a rewind.
		f.reads[n]++
		txs := []common.Hash{}
		for _, h := range f.blocks[n] {
			if !f.lost[h] || f.reads[n] == 1 {
				txs = append(txs, h)
			}
		}
		return map[string]any{"number": hexutil.Uint64(n), "timestamp": hexutil.Uint64(1000 + n),
			"gasUsed": hexutil.Uint64(21000 * len(txs)), "baseFeePerGas": "0x7", "transactions": txs}, ""
	case "eth_sendRawTransaction":
		s, _ := params[0].(string)
		raw, err := hexutil.Decode(s)
		if err != nil {
			return nil, "invalid hex"
		}
		var tx types.Transaction
		if err := tx.UnmarshalBinary(raw); err != nil {
			return nil, "invalid transaction: " + err.Error()
		}
		from, err := types.Sender(f.signer, &tx)
		if err != nil || !f.known[from] {
			return nil, fmt.Sprintf("invalid sender: %v", err)
		}
		if f.have[tx.Hash()] {
			return nil, "already known"
		}
		f.count++
		if f.reject != nil {
			if msg := f.reject(f.count); msg != "" {
				return nil, msg
			}
		}
		switch {
		case f.stuck != nil && f.stuck(f.count):
			f.held[tx.Hash()] = true
		case f.drop == nil || !f.drop(f.count):
			f.pending = append(f.pending, tx.Hash())
		}
		if f.hide != nil && f.hide(f.count) {
			f.hidden[tx.Hash()] = true
		}
		if f.drop == nil || !f.drop(f.count) {
			f.have[tx.Hash()] = true
		}
		if f.forget != nil && f.forget(f.count) {
			f.lost[tx.Hash()] = true
		}
		return tx.Hash(), ""
	}
	return nil, "the method " + method + " does not exist/is not available"
}

func testConfig(url string) Config {
	cfg := Defaults
	cfg.RPC = url
	cfg.Seed = "test"
	cfg.Accounts = 10
	cfg.Txs = 1000
	cfg.Batch = 100
	cfg.Workers = 3
	cfg.Poll = 5 * time.Millisecond
	cfg.Stall = 300 * time.Millisecond
	cfg.Timeout = 20 * time.Second
	cfg.Progress = time.Hour
	return cfg
}

func TestRunFakeNode(t *testing.T) {
	accounts, _ := DeriveAccounts("test", 10)
	tests := []struct {
		name       string
		maxPending int
		rate       int // the last of 10 batches of 100 goes at 900/rate s
		reject     func(int) string
		drop       func(int) bool
		rejected   int
		neverMined int
	}{
		{name: "all mined"},
		{name: "bounded in flight", maxPending: 200},
		{name: "steady rate", rate: 2000},
		{name: "rejections", reject: func(n int) string {
			if n%100 == 0 {
				return "txpool is full"
			}
			return ""
		}, rejected: 10},
		{name: "lost transactions", drop: func(n int) bool { return n%250 == 0 }, neverMined: 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			node, url := newFakeNode(t, accounts, 20*time.Millisecond)
			node.reject, node.drop = tt.reject, tt.drop
			cfg := testConfig(url)
			cfg.MaxPending = tt.maxPending
			cfg.Rate = tt.rate
			rep, err := Run(context.Background(), cfg, Transfers{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.rate > 0 {
				if min := float64(cfg.Txs-cfg.Batch) / float64(tt.rate); rep.SendSeconds < min || rep.Rate != tt.rate {
					t.Errorf("at %d/s: have sends over %.3f s (rate %d in the report), want at least %.3f s", tt.rate, rep.SendSeconds, rep.Rate, min)
				}
			}
			if rep.Sent != cfg.Txs || rep.Rejected != tt.rejected || rep.NeverMined != tt.neverMined {
				t.Fatalf("have sent %d, rejected %d, never mined %d; want %d, %d, %d",
					rep.Sent, rep.Rejected, rep.NeverMined, cfg.Txs, tt.rejected, tt.neverMined)
			}
			if want := cfg.Txs - tt.rejected - tt.neverMined; rep.Mined != want || rep.Latency.Count != want {
				t.Errorf("have mined %d (latencies %d), want %d", rep.Mined, rep.Latency.Count, want)
			}
			if want := cfg.Txs - tt.rejected; rep.AnswerLatency.Count != want || rep.AnswerLatency.Max <= 0 {
				t.Errorf("have answer latencies %+v, want %d of them, above zero", rep.AnswerLatency, want)
			}
			for _, b := range rep.Blocks {
				if b.Workload > 0 && (b.OldestSent < 0 || b.OldestSent > b.Seen) {
					t.Errorf("block %d: have oldest sent %.3f s, want between 0 and its sighting at %.3f s", b.Number, b.OldestSent, b.Seen)
				}
			}
			checkTxTimes(t, rep, cfg.Txs-tt.rejected, tt.neverMined)
			if complete := tt.neverMined == 0; rep.Complete != complete {
				t.Errorf("have complete %v, want %v", rep.Complete, complete)
			}
			if rep.TxType != TxTypeDynamic || rep.Throughput.Blocks == 0 || rep.Throughput.EndToEnd <= 0 {
				t.Errorf("have type %s, throughput %+v; want dynamic and a positive rate", rep.TxType, rep.Throughput)
			}
			if tt.rejected > 0 && rep.RejectReasons["txpool is full"] != tt.rejected {
				t.Errorf("have reasons %v, want %d× txpool is full", rep.RejectReasons, tt.rejected)
			}
			if tt.neverMined > 0 && !strings.Contains(strings.Join(rep.Notes, "\n"), "unknown to the node") {
				t.Errorf("have notes %q, want a diagnosis of the lost transactions", rep.Notes)
			}
		})
	}
}

// checkTxTimes reads rep's per-transaction CSV back: one line per accepted
// transaction, sent before answered, and each mined one seen after its
// send in a block the report lists; unseen ones without a block.
func checkTxTimes(t *testing.T, rep *Report, accepted, unseen int) {
	t.Helper()
	var buf bytes.Buffer
	if err := rep.WriteTxTimes(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != accepted+1 || strings.Join(rows[0], ",") != "hash,sent_s,answered_s,block,seen_s" {
		t.Fatalf("tx times: have %d lines, header %q; want %d and the header", len(rows), rows[0], accepted+1)
	}
	blocks := map[string]bool{}
	for _, b := range rep.Blocks {
		blocks[strconv.FormatUint(b.Number, 10)] = true
	}
	nSeen := 0
	for _, r := range rows[1:] {
		sent, _ := strconv.ParseFloat(r[1], 64)
		answered, _ := strconv.ParseFloat(r[2], 64)
		if len(r[0]) != 66 || sent < 0 || answered < sent {
			t.Fatalf("tx times line %q: want a hash, sent >= 0, answered >= sent", r)
		}
		if r[3] == "" {
			if r[4] != "" {
				t.Fatalf("tx times line %q: a sighting without a block", r)
			}
			continue
		}
		nSeen++
		if seen, _ := strconv.ParseFloat(r[4], 64); !blocks[r[3]] || seen < sent {
			t.Fatalf("tx times line %q: want a block of the report, seen after the send", r)
		}
	}
	if nSeen != accepted-unseen {
		t.Errorf("tx times: %d seen in a block, want %d", nSeen, accepted-unseen)
	}
}

// TestRunLooksUpHiddenTransactions checks that transactions the generator did
// not see in a block (a reorg replaced the block it had read) are looked up
// soon after the sends, not only after the whole stall timeout.
func TestRunLooksUpHiddenTransactions(t *testing.T) {
	defer func(d time.Duration) { lookupAfter = d }(lookupAfter)
	lookupAfter = 100 * time.Millisecond

	accounts, _ := DeriveAccounts("test", 10)
	node, url := newFakeNode(t, accounts, 20*time.Millisecond)
	node.hide = func(n int) bool { return n%100 == 0 }
	cfg := testConfig(url)
	cfg.Stall = 10 * time.Second
	rep, err := Run(context.Background(), cfg, Transfers{})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Complete || rep.Mined != cfg.Txs || rep.NeverMined != 0 {
		t.Fatalf("have complete %v, mined %d, never mined %d; want true, %d, 0", rep.Complete, rep.Mined, rep.NeverMined, cfg.Txs)
	}
	if rep.RunSeconds >= cfg.Stall.Seconds() {
		t.Errorf("have run of %.1f s, want less than the stall timeout %v: the hidden transactions were not looked up early", rep.RunSeconds, cfg.Stall)
	}
	if !strings.Contains(strings.Join(rep.Notes, "\n"), "10 transactions found only by lookup") {
		t.Errorf("have notes %q, want 10 transactions found by lookup", rep.Notes)
	}
}

func TestRunRefusesUnfundedAccounts(t *testing.T) {
	node, url := newFakeNode(t, nil, time.Second)
	node.balance = "0x0"
	if _, err := Run(context.Background(), testConfig(url), Transfers{}); !errors.Is(err, errUnfunded) {
		t.Fatalf("have %v, want %v", err, errUnfunded)
	}
}

// TestRunResendsThroughOutages checks the crash benchmark's mode: batches whose
// connection closed unanswered (the node killed) are posted again, those the
// node had taken in count as accepted when it says "already known", and every
// accepted transaction's receipt is checked at the end.
func TestRunResendsThroughOutages(t *testing.T) {
	defer func(w [2]time.Duration) { resendWait = w }(resendWait)
	resendWait = [2]time.Duration{time.Millisecond, 10 * time.Millisecond}
	accounts, _ := DeriveAccounts("test", 10)
	outage := func(post int) bool { return post%3 == 0 && post < 20 } // posts 3, 6, ..., 18 cut off
	// run starts a fake node set up by arrange and runs the load against it,
	// with Resend as given.
	run := func(t *testing.T, resend bool, arrange func(*fakeNode)) (*fakeNode, Config, *Report) {
		node, url := newFakeNode(t, accounts, 20*time.Millisecond)
		arrange(node)
		cfg := testConfig(url)
		cfg.Resend = resend
		rep, err := Run(context.Background(), cfg, Transfers{})
		if err != nil {
			t.Fatal(err)
		}
		return node, cfg, rep
	}

	t.Run("without resend", func(t *testing.T) {
		_, _, rep := run(t, false, func(n *fakeNode) { n.outage = outage })
		if rep.Rejected != 300 || rep.Confirmed || rep.ResentBatches != 0 {
			t.Fatalf("have rejected %d, confirmed %v, resent %d; want the 3 cut-off batches (300) rejected, no crash check",
				rep.Rejected, rep.Confirmed, rep.ResentBatches)
		}
	})
	t.Run("resend", func(t *testing.T) {
		node, cfg, rep := run(t, true, func(n *fakeNode) { n.outage = outage })
		if cut := node.cutBatches(); rep.Accepted != cfg.Txs || rep.Rejected != 0 || cut == 0 || rep.ResentBatches != cut {
			t.Fatalf("have accepted %d, rejected %d (%v), resent %d; want %d, 0, the %d batches cut off",
				rep.Accepted, rep.Rejected, rep.RejectReasons, rep.ResentBatches, cfg.Txs, cut)
		}
		if !rep.Confirmed || rep.Lost != 0 || !rep.Complete {
			t.Fatalf("have confirmed %v, lost %d, complete %v; want true, 0, true (notes %q)", rep.Confirmed, rep.Lost, rep.Complete, rep.Notes)
		}
	})
	t.Run("lost after mining", func(t *testing.T) {
		_, cfg, rep := run(t, true, func(n *fakeNode) {
			n.outage = outage
			n.forget = func(i int) bool { return i%200 == 7 } // 5 mined, then their block lost
		})
		// The watch saw all of them mined; the final chain, the authority, lacks 5.
		if !rep.Confirmed || rep.Lost != 5 || rep.Complete || rep.NeverMined != 5 || rep.Mined != cfg.Txs {
			t.Fatalf("have confirmed %v, lost %d, complete %v, never mined %d, seen mined %d; want true, 5, false, 5, %d",
				rep.Confirmed, rep.Lost, rep.Complete, rep.NeverMined, rep.Mined, cfg.Txs)
		}
		if !strings.Contains(strings.Join(rep.Notes, "\n"), "in no block of its chain") {
			t.Errorf("have notes %q, want the lost transactions named", rep.Notes)
		}
	})
	t.Run("still pending", func(t *testing.T) {
		_, _, rep := run(t, true, func(n *fakeNode) { n.stuck = func(i int) bool { return i%250 == 3 } }) // 4 held, never mined
		if rep.Confirmed || rep.Lost != 0 || rep.PendingAtEnd != 4 || rep.Complete {
			t.Fatalf("have confirmed %v, lost %d, pending %d, complete %v; want false, 0 (the node still holds them), 4, false",
				rep.Confirmed, rep.Lost, rep.PendingAtEnd, rep.Complete)
		}
	})
	t.Run("chain unreadable", func(t *testing.T) {
		_, cfg, rep := run(t, true, func(n *fakeNode) { n.noScan = true })
		if rep.Confirmed || rep.Lost != 0 || rep.Unconfirmed != cfg.Txs || rep.Complete {
			t.Fatalf("have confirmed %v, lost %d, unconfirmed %d, complete %v; want false, 0 (an unread chain is not a loss), %d, false",
				rep.Confirmed, rep.Lost, rep.Unconfirmed, rep.Complete, cfg.Txs)
		}
		if !strings.Contains(strings.Join(rep.Notes, "\n"), "503") {
			t.Errorf("have notes %q, want the node's answer quoted", rep.Notes)
		}
	})
}
