package sendbatch

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"
)

// codedError is a refusal with its own JSON-RPC code and data, like the
// permission gate's.
type codedError struct{}

func (codedError) Error() string          { return "sender not permitted <here>" }
func (codedError) ErrorCode() int         { return -32003 }
func (codedError) ErrorData() interface{} { return map[string]string{"reason": "listed"} }

// fakeIntake refuses nonce 7 plainly and nonce 8 with a coded error, and
// records every Submit call's size.
type fakeIntake struct {
	mu      sync.Mutex
	submits []int
}

func (f *fakeIntake) Submit(_ context.Context, txs []*types.Transaction) []error {
	f.mu.Lock()
	f.submits = append(f.submits, len(txs))
	f.mu.Unlock()
	errs := make([]error, len(txs))
	for i, tx := range txs {
		switch tx.Nonce() {
		case 7:
			errs[i] = errors.New("nonce too low: next nonce 9, tx nonce 7")
		case 8:
			errs[i] = codedError{}
		}
	}
	return errs
}

func (f *fakeIntake) sizes() []int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]int(nil), f.submits...)
}

// ethService answers eth_sendRawTransaction one call at a time, as
// txintake.EthAPI does: decode, submit, return the hash.
type ethService struct{ in Submitter }

func (s *ethService) SendRawTransaction(ctx context.Context, input hexutil.Bytes) (common.Hash, error) {
	tx := new(types.Transaction)
	if err := tx.UnmarshalBinary(input); err != nil {
		return common.Hash{}, err
	}
	if err := s.in.Submit(ctx, []*types.Transaction{tx})[0]; err != nil {
		return common.Hash{}, err
	}
	return tx.Hash(), nil
}

func (s *ethService) BlockNumber() hexutil.Uint64 { return 5 }

// server is geth's JSON-RPC server with the service, the handler in front.
func server(t *testing.T, in Submitter, batchLimit int) (*Handler, *rpc.Server) {
	t.Helper()
	srv := rpc.NewServer()
	srv.SetBatchLimits(batchLimit, 25<<20)
	if err := srv.RegisterName("eth", &ethService{in: in}); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Stop)
	return New(in, srv, Config{BodyLimit: 5 << 20, BatchLimit: batchLimit}), srv
}

func post(t *testing.T, h http.Handler, body string) string {
	t.Helper()
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d for %s: %s", rec.Code, body, rec.Body)
	}
	out, err := io.ReadAll(rec.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(bytes.TrimRight(out, "\n"))
}

func signed(t testing.TB, key *ecdsa.PrivateKey, nonce uint64) string {
	t.Helper()
	signer := types.LatestSignerForChainID(big.NewInt(4242))
	to := common.Address{1}
	tx, err := types.SignNewTx(key, signer, &types.DynamicFeeTx{ChainID: big.NewInt(4242), Nonce: nonce, GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(10), Gas: 21000, To: &to, Value: big.NewInt(1)})
	if err != nil {
		t.Fatal(err)
	}
	raw, err := tx.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	return hexutil.Encode(raw)
}

func batch(calls ...string) string { return "[" + strings.Join(calls, ",") + "]" }

func send(id, raw string) string {
	return fmt.Sprintf(`{"jsonrpc":"2.0","id":%s,"method":"eth_sendRawTransaction","params":["%s"]}`, id, raw)
}

// TestAnswersAsGeth checks that a batch answered here is answered byte for
// byte as geth's server answers it, accepted and refused calls alike, and
// that its transactions reach the intake in one submission.
func TestAnswersAsGeth(t *testing.T) {
	key, _ := crypto.GenerateKey()
	in := &fakeIntake{}
	h, srv := server(t, in, 1000)
	body := batch(
		send("1", signed(t, key, 0)),
		send(`"a-b_c.d:e"`, signed(t, key, 1)),
		send("3", signed(t, key, 7)),   // refused: plain error
		send("4", signed(t, key, 8)),   // refused: coded error with data
		send("5", "0x"),                // not a transaction
		send("6", "0x02c0"),            // a typed transaction that does not decode
		send("7e0", signed(t, key, 2)), // a number id as written
	)
	fast := post(t, h, body)
	if b, calls, fb := h.Stats(); b != 1 || calls != 7 || fb != 0 {
		t.Fatalf("stats: %d batches, %d calls, %d fallbacks; want 1, 7, 0", b, calls, fb)
	}
	if got := in.sizes(); len(got) != 1 || got[0] != 5 {
		t.Fatalf("submissions %v, want one of the 5 decoded transactions", got)
	}
	geth := post(t, srv, body)
	if fast != geth {
		t.Fatalf("answers differ\nhere: %s\ngeth: %s", fast, geth)
	}
}

// TestOtherRequestsGoToGeth checks that every request this handler cannot
// answer exactly as geth would reaches geth's server unchanged.
func TestOtherRequestsGoToGeth(t *testing.T) {
	key, _ := crypto.GenerateKey()
	raw := signed(t, key, 0)
	for name, tc := range map[string]struct {
		body     string
		fallback uint64 // counted as a batch naming the method
	}{
		"single call":        {send("1", raw), 0},
		"other method":       {batch(send("1", raw), `{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}`), 1},
		"notification":       {batch(send("1", raw), `{"jsonrpc":"2.0","method":"eth_sendRawTransaction","params":["`+raw+`"]}`), 1},
		"null id":            {batch(send("null", raw)), 1},
		"escaped id":         {batch(send(`"<a>"`, raw)), 1},
		"two params":         {batch(`{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction","params":["` + raw + `","0x"]}`), 1},
		"bad hex":            {batch(send("1", "0xzz")), 1},
		"no version":         {batch(`{"id":1,"method":"eth_sendRawTransaction","params":["` + raw + `"]}`), 1},
		"over the limit":     {batch(send("1", raw), send("2", raw), send("3", raw), send("4", raw)), 1},
		"broken json":        {`[{"jsonrpc":"2.0","id":1,"method":"eth_sendRawTransaction"`, 1},
		"empty batch":        {`[]`, 0},
		"batch of eth calls": {batch(`{"jsonrpc":"2.0","id":2,"method":"eth_blockNumber"}`), 0},
	} {
		t.Run(name, func(t *testing.T) {
			in := &fakeIntake{}
			h, srv := server(t, in, 3)
			fast := post(t, h, tc.body)
			if b, _, fb := h.Stats(); b != 0 || fb != tc.fallback {
				t.Fatalf("stats: %d batches answered, %d fallbacks; want 0, %d", b, fb, tc.fallback)
			}
			if geth := post(t, srv, tc.body); fast != geth {
				t.Fatalf("answers differ\nhere: %s\ngeth: %s", fast, geth)
			}
		})
	}
}

// TestLargeBodyGoesToGeth checks that a body over the limit is geth's to
// refuse.
func TestLargeBodyGoesToGeth(t *testing.T) {
	key, _ := crypto.GenerateKey()
	in := &fakeIntake{}
	srv := rpc.NewServer()
	srv.SetHTTPBodyLimit(100)
	if err := srv.RegisterName("eth", &ethService{in: in}); err != nil {
		t.Fatal(err)
	}
	defer srv.Stop()
	h := New(in, srv, Config{BodyLimit: 100})
	req := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(batch(send("1", signed(t, key, 0)))))
	req.Header.Set("Content-Type", "application/json")
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusRequestEntityTooLarge {
		t.Fatalf("status %d, want %d from geth's server", rec.Code, http.StatusRequestEntityTooLarge)
	}
	if b, _, _ := h.Stats(); b != 0 || len(in.sizes()) != 0 {
		t.Fatalf("answered %d batches and submitted %v, want nothing", b, in.sizes())
	}
}

// TestHeldWhilePoolFull checks that a batch waits while the pool has no
// room, is submitted once a head change brings room, and is submitted after
// MaxWait when none comes.
func TestHeldWhilePoolFull(t *testing.T) {
	key, _ := crypto.GenerateKey()
	body := batch(send("1", signed(t, key, 0)), send("2", signed(t, key, 1)))
	t.Run("until a head brings room", func(t *testing.T) {
		in := &fakeIntake{}
		var room atomic.Bool
		h, _ := server(t, in, 1000)
		h.cfg.Room, h.cfg.MaxWait = room.Load, time.Minute
		done := make(chan string)
		go func() { done <- post(t, h, body) }()
		waitUntil(t, func() bool { return h.Held() == 1 })
		if got := in.sizes(); len(got) != 0 {
			t.Fatalf("submitted %v while the pool had no room", got)
		}
		room.Store(true)
		h.HeadChanged()
		select {
		case out := <-done:
			if !strings.Contains(out, `"id":2,"result"`) {
				t.Fatalf("answer %s", out)
			}
		case <-time.After(30 * time.Second):
			t.Fatal("the batch was not submitted after the pool had room")
		}
	})
	t.Run("at most MaxWait", func(t *testing.T) {
		in := &fakeIntake{}
		h, _ := server(t, in, 1000)
		h.cfg.Room, h.cfg.MaxWait = func() bool { return false }, 100*time.Millisecond
		start := time.Now()
		out := post(t, h, body)
		if took := time.Since(start); took < 100*time.Millisecond {
			t.Errorf("answered after %v, before MaxWait", took)
		}
		if got := in.sizes(); len(got) != 1 || got[0] != 2 || !strings.Contains(out, `"id":1,"result"`) {
			t.Fatalf("submissions %v, answer %s; want the batch submitted after MaxWait", got, out)
		}
	})
	t.Run("never with MaxWait 0", func(t *testing.T) {
		in := &fakeIntake{}
		h, _ := server(t, in, 1000)
		asked := false
		h.cfg.Room, h.cfg.MaxWait = func() bool { asked = true; return false }, 0
		out := post(t, h, body)
		if h.Held() != 0 || asked {
			t.Errorf("held %d batches (pool asked: %v) with MaxWait 0, want none", h.Held(), asked)
		}
		if got := in.sizes(); len(got) != 1 || got[0] != 2 || !strings.Contains(out, `"id":1,"result"`) {
			t.Fatalf("submissions %v, answer %s; want the batch submitted at once", got, out)
		}
	})
}

// waitUntil polls cond for up to 30 s.
func waitUntil(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal("condition not met within 30 s")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// TestHeldInOrder checks that held batches are submitted in the order they
// came, one turn after the other: a client's batches carry its accounts'
// nonces in order, and one submitted before an earlier one leaves a nonce
// gap in the pool. The pool here has room for one batch at a time.
func TestHeldInOrder(t *testing.T) {
	key, _ := crypto.GenerateKey()
	in := &fakeIntake{}
	var allowed atomic.Int64
	h, _ := server(t, in, 1000)
	h.cfg.Room = func() bool { return int(allowed.Load()) > len(in.sizes()) }
	h.cfg.MaxWait = time.Minute
	const batches = 5
	done := make(chan struct{}, batches)
	nonce := uint64(0)
	for i := 1; i <= batches; i++ {
		calls := make([]string, i) // batch i holds i transactions: its size names it
		for k := range calls {
			calls[k] = send(fmt.Sprint(k+1), signed(t, key, nonce))
			nonce++
		}
		body := batch(calls...)
		go func() { post(t, h, body); done <- struct{}{} }()
		waitUntil(t, func() bool { return h.Held() == uint64(i) })
	}
	for i := 1; i <= batches; i++ {
		allowed.Store(int64(i))
		h.HeadChanged()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			t.Fatalf("batch %d not submitted after the pool had room for it", i)
		}
	}
	if got, want := fmt.Sprint(in.sizes()), "[1 2 3 4 5]"; got != want {
		t.Fatalf("submitted batches of sizes %s, want %s (the order they came)", got, want)
	}
}
