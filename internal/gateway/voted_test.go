package gateway

import (
	"bytes"
	"context"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm/runtime"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// fakePolls answers the pool's probes, and eth_call by running the call in
// an EVM over a state holding the Polls contract's code, in which voters
// of poll 5 with odd indices have voted (the bits of Polls' _voted, slot 7).
// A read of poll 6 fails. Calls wait for release.
type fakePolls struct {
	release chan struct{}
	inCall  atomic.Int64
	state   *state.StateDB
	mu      sync.Mutex
}

func newFakePolls(t *testing.T) *fakePolls {
	st, err := state.New(types.EmptyRootHash, state.NewDatabaseForTesting())
	if err != nil {
		t.Fatal(err)
	}
	st.SetCode(contracts.PollsAddress, contracts.MustLoad("Polls").DeployedBytecode, tracing.CodeChangeUnspecified)
	// _voted[5][word] for the words of indices 0..1023: bits 1, 3, 5...
	base := crypto.Keccak256(common.BigToHash(big.NewInt(5)).Bytes(), common.BigToHash(big.NewInt(7)).Bytes())
	for word := range int64(4) {
		slot := crypto.Keccak256Hash(common.BigToHash(big.NewInt(word)).Bytes(), base)
		st.SetState(contracts.PollsAddress, slot, common.HexToHash("0xaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"))
	}
	return &fakePolls{release: make(chan struct{}), state: st}
}

func (f *fakePolls) ChainId() hexutil.Uint64     { return 7 }
func (f *fakePolls) BlockNumber() hexutil.Uint64 { return 100 }
func (f *fakePolls) GetBlockByNumber(tag string, full bool) map[string]any {
	return map[string]any{"number": hexutil.Uint64(100), "hash": common.Hash{1}, "timestamp": hexutil.Uint64(1000)}
}

func (f *fakePolls) Call(args map[string]any, tag string) (hexutil.Bytes, error) {
	data, err := hexutil.Decode(args["data"].(string))
	if err != nil || tag != "latest" {
		return nil, errors.New("unexpected call")
	}
	if _, ok := args["to"]; ok || len(data) < votedLen+32 {
		f.inCall.Add(1)
	} else {
		f.inCall.Add(int64(len(data)-votedLen-32) / 32) // the reads it carries
	}
	<-f.release
	if to, ok := args["to"].(string); ok {
		return f.run(common.HexToAddress(to), data)
	}
	if len(data) > votedLen+32 && new(big.Int).SetBytes(data[votedLen:votedLen+32]).Uint64() == 6 {
		return nil, errors.New("execution reverted")
	}
	return f.run(common.Address{}, data)
}

// run calls to with data (a creation if to is zero) on a copy of the state.
func (f *fakePolls) run(to common.Address, data []byte) ([]byte, error) {
	f.mu.Lock()
	cfg := &runtime.Config{State: f.state.Copy(), GasLimit: 50_000_000}
	f.mu.Unlock()
	if to == (common.Address{}) {
		out, _, _, err := runtime.Create(data, cfg)
		return out, err
	}
	out, _, err := runtime.Call(to, data, cfg)
	return out, err
}

// TestVotedCode runs the multi-read's code in an EVM over Polls' code and
// compares each answer with Polls.hasVoted called alone.
func TestVotedCode(t *testing.T) {
	f := newFakePolls(t)
	close(f.release)
	indices := []uint32{0, 1, 2, 3, 255, 256, 257, 511, 700, 1023, 1024, 4_000_000_000}
	out, err := f.Call(map[string]any{"data": hexutil.Encode(votedCall(5, indices))}, "latest")
	if err != nil {
		t.Fatal(err)
	}
	voted, err := votedAnswers(out, len(indices))
	if err != nil {
		t.Fatal(err)
	}
	yes := 0
	for i, index := range indices {
		one, err := f.Call(map[string]any{"to": contracts.PollsAddress.Hex(), "data": hexutil.Encode(pollsABI.PackHasVoted(big.NewInt(5), new(big.Int).SetUint64(uint64(index))))}, "latest")
		if err != nil {
			t.Fatal(err)
		}
		want, err := pollsABI.UnpackHasVoted(one)
		if err != nil {
			t.Fatal(err)
		}
		if voted[i] != want {
			t.Errorf("voter %d: the multi-read says %v, Polls.hasVoted %v", index, voted[i], want)
		}
		if want {
			yes++
		}
	}
	if yes != 6 { // 1, 3, 255, 257, 511, 1023
		t.Errorf("Polls.hasVoted said yes to %d of the voters, want 6: the test's state is not what it means", yes)
	}
	if _, err := votedAnswers(out, len(indices)+1); err == nil {
		t.Error("an answer of the wrong length was taken")
	}
}

// pollOf is the poll of TestVotedReaderBatches' read i: 6 (whose reads
// fail) for one in fifty, 5 for the others.
func pollOf(i int) uint64 {
	if i%50 == 13 {
		return 6
	}
	return 5
}

// TestVotedReaderBatches sends the reads that pile up while batches are on
// their way together, one eth_call per poll in a batch, and answers each
// read with its own result; a poll's failed call fails its reads only.
func TestVotedReaderBatches(t *testing.T) {
	f := newFakePolls(t)
	srv := rpc.NewServer()
	if err := srv.RegisterName("eth", f); err != nil {
		t.Fatal(err)
	}
	var batches atomic.Int64
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if bytes.Contains(body, []byte("eth_call")) {
			batches.Add(1)
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
		srv.ServeHTTP(w, r)
	}))
	defer hs.Close()
	defer srv.Stop()
	// A read still held at the node when the test fails would keep
	// hs.Close waiting for ever (ci22 hung here for 12 minutes).
	var release sync.Once
	defer release.Do(func() { close(f.release) })
	cfg := upstream.Defaults
	cfg.URLs, cfg.ProbeInterval, cfg.CallTimeout = []string{hs.URL}, time.Hour, 10*time.Second
	pool, err := upstream.New(cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := pool.Start(); err != nil {
		t.Fatal(err)
	}
	defer pool.Stop()
	v := &votedReader{pool: pool}

	const reads = 600
	type result struct {
		voted bool
		err   error
	}
	results := make([]result, reads)
	var wg sync.WaitGroup
	for i := range reads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i].voted, results[i].err = v.HasVoted(context.Background(), pollOf(i), uint32(i))
		}()
	}
	// Every read is either held by the node (the first batches) or pending.
	deadline := time.Now().Add(30 * time.Second)
	for {
		v.mu.Lock()
		pending := len(v.pending)
		v.mu.Unlock()
		if int(f.inCall.Load())+pending == reads {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reads not all pending after 30 s: %d at the node, %d pending, of %d", f.inCall.Load(), pending, reads)
		}
		time.Sleep(time.Millisecond)
	}
	release.Do(func() { close(f.release) })
	wg.Wait()

	for i, r := range results {
		failing := pollOf(i) == 6
		switch {
		case failing && r.err == nil:
			t.Errorf("read %d of poll 6: no error, want the node's revert", i)
		case !failing && r.err != nil:
			t.Errorf("read %d: %v", i, r.err)
		case !failing && r.voted != (i%2 == 1):
			t.Errorf("read %d: voted %v, want %v", i, r.voted, i%2 == 1)
		}
	}
	// Two batches went at once; the 600 reads minus theirs waited, in
	// batches of at most 256.
	if n := batches.Load(); n > votedBatches+3 {
		t.Errorf("HTTP requests with eth_call: have %d, want at most %d for %d reads", n, votedBatches+3, reads)
	}
	// A batch's reads are answered before its flush loop looks for more and
	// counts itself out, so wait (bounded) for the count under the lock.
	deadline = time.Now().Add(10 * time.Second)
	for {
		v.mu.Lock()
		running, pending := v.running, len(v.pending)
		v.mu.Unlock()
		if running == 0 && pending == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("10 s after the reads: %d batches running, %d reads pending, want none", running, pending)
		}
		time.Sleep(time.Millisecond)
	}
}
