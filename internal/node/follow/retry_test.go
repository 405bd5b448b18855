package follow

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/beacon"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/p2p/enode"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/consensus/forkchoice"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/gossip"
)

// joinCall is one call of a fake Join hook.
type joinCall struct {
	peer   enode.ID
	hash   common.Hash
	number uint64
}

// freshFollower returns a follower on a chain at genesis whose Join hook
// sends each call on the returned channel and answers with join(n, ctx),
// n counting calls from 1.
func freshFollower(t *testing.T, hooks Hooks, join func(n int, ctx context.Context) error) (*Follower, <-chan joinCall) {
	t.Helper()
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Signers = 4242, []common.Address{{0x01}}
	gspec, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	db := rawdb.NewMemoryDatabase()
	chain, err := core.NewBlockChain(db, gspec, beacon.New(upstream.New(gspec.Config.Clique, db)), core.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(chain.Stop)
	fc, err := forkchoice.New(chain, clique.New(gspec.Config.Clique, db), db)
	if err != nil {
		t.Fatal(err)
	}
	calls := make(chan joinCall, 16)
	n := 0
	hooks.Join = func(ctx context.Context, peer enode.ID, hash common.Hash, number uint64) (bool, error) {
		n++ // calls never overlap: the syncing flag
		calls <- joinCall{peer, hash, number}
		return true, join(n, ctx)
	}
	return New(Config{Chain: chain, ForkChoice: fc}, hooks), calls
}

// awaitJoin returns the next Join call, failing the test after within.
func awaitJoin(t *testing.T, calls <-chan joinCall, within time.Duration, what string) joinCall {
	t.Helper()
	select {
	case c := <-calls:
		return c
	case <-time.After(within):
		t.Fatalf("%s: no Join call within %v", what, within)
		return joinCall{}
	}
}

// TestJoinRetried checks that a failed join is tried again with no new
// announcement (a chain whose signers seal nothing announces none): at the
// same peer while it is connected, at the best peer's head once it is not.
func TestJoinRetried(t *testing.T) {
	peer, other := enode.ID{0xaa}, enode.ID{0xbb}
	target := joinCall{peer, common.Hash{0x01}, 200}
	for _, tc := range []struct {
		name  string
		peers func() []gossip.PeerInfo
		want  joinCall
	}{
		{"no-peers-hook", nil, target},
		{"same-peer", func() []gossip.PeerInfo {
			return []gossip.PeerInfo{{ID: other, Head: common.Hash{0x03}, Number: 300}, {ID: peer, Head: common.Hash{0x02}, Number: 201}}
		}, joinCall{peer, common.Hash{0x02}, 201}},
		{"best-peer", func() []gossip.PeerInfo {
			return []gossip.PeerInfo{{ID: enode.ID{0xcc}, Head: common.Hash{0x04}, Number: 250}, {ID: other, Head: common.Hash{0x03}, Number: 300}}
		}, joinCall{other, common.Hash{0x03}, 300}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, calls := freshFollower(t, Hooks{Peers: tc.peers}, func(n int, _ context.Context) error {
				if n == 1 {
					return errors.New("connection dropped")
				}
				return nil
			})
			defer f.Stop()
			if err := f.SyncFrom(target.peer, target.hash, target.number); err != nil {
				t.Fatal(err)
			}
			if c := awaitJoin(t, calls, 10*time.Second, "first join"); c != target {
				t.Fatalf("first join: have %+v, want %+v", c, target)
			}
			if c := awaitJoin(t, calls, 10*time.Second, "retry after a failed join"); c != tc.want {
				t.Fatalf("retry: have %+v, want %+v", c, tc.want)
			}
		})
	}
}

// TestJoinBackoff checks that the wait before a retry doubles up to
// joinRetryMax and starts over after a join that succeeds.
func TestJoinBackoff(t *testing.T) {
	f := New(Config{}, Hooks{})
	var have []time.Duration
	for range 7 {
		have = append(have, f.nextRetryWait())
	}
	want := []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 8 * time.Second, 16 * time.Second, 30 * time.Second, 30 * time.Second}
	for i := range want {
		if have[i] != want[i] {
			t.Fatalf("waits: have %v, want %v", have, want)
		}
	}
}

// TestJoinNotRetriedAfterStop checks that a join failed by Stop, or failed
// before Stop and waiting for its retry, is not tried again.
func TestJoinNotRetriedAfterStop(t *testing.T) {
	t.Run("stop-during-join", func(t *testing.T) {
		var f *Follower
		var stop sync.Once
		f, calls := freshFollower(t, Hooks{}, func(_ int, ctx context.Context) error {
			// Stop waits for this sync to end: from another goroutine.
			go stop.Do(func() { f.Stop() })
			<-ctx.Done() // the follower's quit cancels the join
			return ctx.Err()
		})
		if err := f.SyncFrom(enode.ID{0xaa}, common.Hash{0x01}, 200); err != nil {
			t.Fatal(err)
		}
		awaitJoin(t, calls, 10*time.Second, "first join")
		expectNoJoin(t, calls, 2*f.retryFirst)
	})
	t.Run("stop-during-wait", func(t *testing.T) {
		f, calls := freshFollower(t, Hooks{}, func(int, context.Context) error { return errors.New("connection dropped") })
		f.retryFirst = time.Minute // Stop comes within the wait
		if err := f.SyncFrom(enode.ID{0xaa}, common.Hash{0x01}, 200); err != nil {
			t.Fatal(err)
		}
		awaitJoin(t, calls, 10*time.Second, "first join")
		awaitRetry(t, f, true, "a failed join's retry scheduled")
		f.Stop()
		awaitRetry(t, f, false, "the waiting retry given up on Stop")
		expectNoJoin(t, calls, time.Second)
	})
}

// awaitRetry waits up to 10 s until a retry of a failed join waits (want
// true) or no longer does (false).
func awaitRetry(t *testing.T, f *Follower, want bool, what string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for f.retrying.Load() != want {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within 10s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// expectNoJoin checks that Join is not called within d (after Stop).
func expectNoJoin(t *testing.T, calls <-chan joinCall, d time.Duration) {
	t.Helper()
	select {
	case c := <-calls:
		t.Fatalf("Join called after Stop: %+v", c)
	case <-time.After(d):
	}
}

// TestStopWaitsForSync checks that Stop returns only once a running sync has
// ended: the node closes the chain's database after its lifecycles stop, and
// a sync still writing then panicked ("pebble: closed").
func TestStopWaitsForSync(t *testing.T) {
	release := make(chan struct{})
	f, calls := freshFollower(t, Hooks{}, func(_ int, ctx context.Context) error {
		<-ctx.Done() // Stop cancels the join ...
		<-release    // ... whose last writes take a while
		return ctx.Err()
	})
	if err := f.SyncFrom(enode.ID{0xaa}, common.Hash{0x01}, 200); err != nil {
		t.Fatal(err)
	}
	awaitJoin(t, calls, 10*time.Second, "join")
	stopped := make(chan struct{})
	go func() {
		f.Stop()
		close(stopped)
	}()
	select {
	case <-stopped:
		t.Fatal("Stop returned while the sync was still running")
	case <-time.After(300 * time.Millisecond):
	}
	close(release)
	select {
	case <-stopped:
	case <-time.After(10 * time.Second):
		t.Fatal("Stop did not return within 10 s of the sync ending")
	}
	if err := f.SyncFrom(enode.ID{0xaa}, common.Hash{0x01}, 200); err != nil {
		t.Fatal(err)
	}
	expectNoJoin(t, calls, time.Second)
}

// TestStopTwiceThenNoWork checks what the quit channel alone now records:
// Stop may be called again (from several goroutines) without closing quit
// twice, and once it has been called no sync or held import may begin.
func TestStopTwiceThenNoWork(t *testing.T) {
	f, _ := freshFollower(t, Hooks{}, func(int, context.Context) error { return nil })
	if !f.begin() {
		t.Fatal("begin refused before Stop")
	}
	f.tasks.Done()
	var wg sync.WaitGroup
	for range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.Stop()
		}()
	}
	wg.Wait()
	if err := f.Stop(); err != nil {
		t.Fatalf("second Stop: %v", err)
	}
	if f.begin() {
		t.Fatal("begin let work start after Stop")
	}
	if !f.stopping() {
		t.Fatal("stopping is false after Stop")
	}
}
