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
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// fakePolls answers the pool's probes and Polls.hasVoted: voter indices
// that are odd have voted, index 13 reverts. Calls wait for release.
type fakePolls struct {
	release chan struct{}
	inCall  atomic.Int64
}

func (f *fakePolls) ChainId() hexutil.Uint64     { return 7 }
func (f *fakePolls) BlockNumber() hexutil.Uint64 { return 100 }
func (f *fakePolls) GetBlockByNumber(tag string, full bool) map[string]any {
	return map[string]any{"number": hexutil.Uint64(100), "hash": common.Hash{1}, "timestamp": hexutil.Uint64(1000)}
}

func (f *fakePolls) Call(args map[string]any, tag string) (hexutil.Bytes, error) {
	f.inCall.Add(1)
	<-f.release
	data, err := hexutil.Decode(args["data"].(string))
	if err != nil || common.HexToAddress(args["to"].(string)) != contracts.PollsAddress || tag != "latest" {
		return nil, errors.New("unexpected call")
	}
	in, err := pollsABI.GetABI().Methods["hasVoted"].Inputs.Unpack(data[4:])
	if err != nil {
		return nil, err
	}
	poll, index := in[0].(*big.Int).Uint64(), in[1].(*big.Int).Uint64()
	if poll != 5 || index == 13 {
		return nil, errors.New("execution reverted")
	}
	return pollsABI.GetABI().Methods["hasVoted"].Outputs.Pack(index%2 == 1)
}

// TestVotedReaderBatches sends the reads that pile up while batches are on
// their way together, and answers each read with its own result.
func TestVotedReaderBatches(t *testing.T) {
	f := &fakePolls{release: make(chan struct{})}
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
			results[i].voted, results[i].err = v.HasVoted(context.Background(), 5, uint32(i))
		}()
	}
	// Every read is either held by the node (the first batches) or pending.
	deadline := time.Now().Add(10 * time.Second)
	for {
		v.mu.Lock()
		pending := len(v.pending)
		v.mu.Unlock()
		if int(f.inCall.Load())+pending == reads {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("reads not all pending after 10 s: %d at the node, %d pending", f.inCall.Load(), pending)
		}
		time.Sleep(time.Millisecond)
	}
	close(f.release)
	wg.Wait()

	for i, r := range results {
		switch {
		case i == 13 && r.err == nil:
			t.Errorf("read 13: no error, want the node's revert")
		case i != 13 && r.err != nil:
			t.Errorf("read %d: %v", i, r.err)
		case i != 13 && r.voted != (i%2 == 1):
			t.Errorf("read %d: voted %v, want %v", i, r.voted, i%2 == 1)
		}
	}
	// Two batches went at once; the 600 reads minus theirs waited, in
	// batches of at most 256.
	if n := batches.Load(); n > votedBatches+3 {
		t.Errorf("HTTP requests with eth_call: have %d, want at most %d for %d reads", n, votedBatches+3, reads)
	}
	if v.running != 0 || len(v.pending) != 0 {
		t.Errorf("after the reads: %d batches running, %d reads pending, want none", v.running, len(v.pending))
	}
}
