package main

import (
	"context"
	"fmt"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node/txintake"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/powercut"
)

// powerCuts is how many times TestPowerCutSignerProcess cuts the power.
const powerCuts = 3

// TestPowerCutSignerProcess: a sealing dev node (one signer) with its data
// dir on a power-cut file system (internal/testkit/powercut, ADR 102), under a
// load of transfers, loses power at a random moment, three times. After each
// cut the node starts on a consistent chain (every block's parent is the
// block below it), holds every block its log said it sealed and every block
// an RPC observer saw before the cut, at the same hash (the guard never lets
// it sign another block at a height it signed), and seals new blocks above
// them. Transfers acknowledged before the cut survive unless acknowledged
// within the intake's SyncInterval (plus an allowance for the fsync itself)
// before it; the test logs how many were lost and how old the oldest was.
func TestPowerCutSignerProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	disk := powercut.TempT(t)
	port := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	args := []string{"dev", "--datadir", filepath.Join(disk.Dir(), "data"), "--http.port", fmt.Sprint(port), "--period", "0"}
	var logs []string
	seen := map[uint64]common.Hash{} // blocks the observer saw, by height
	var acked []ack
	for cut := 0; ; cut++ {
		p := startProc(t, args...)
		client := dial(t, p, url)
		sealed := sealedInLogs(t, append(logs, p.output())...) // never two blocks at one height
		wantConsistentChain(t, client, p)
		wantSealedKept(t, client, sealed, p.output())
		wantSeenKept(t, client, seen, p.output())
		wantAckedKept(t, client, acked, cut)
		if cut > 0 && (len(sealed) == 0 || len(seen) == 0) {
			t.Fatalf("before cut %d: %d blocks logged as sealed, %d seen: want some of each (has the log line changed? %v)", cut, len(sealed), len(seen), sealedLine)
		}
		t.Logf("restart %d: chain consistent, the %d blocks logged as sealed and the %d seen before the cuts kept", cut, len(sealed), len(seen))
		top := uint64(0)
		for n := range sealed {
			top = max(top, n)
		}
		if cut == powerCuts {
			newCutLoad(t, client).send(20)
			waitFor(t, 30*time.Second, fmt.Sprintf("a block sealed above %d after the last cut", top), func() bool { return headNumber(t, client) > top })
			p.stop()
			return
		}
		acked = loadAndCut(t, client, disk, seen, top, p)
		p.kill()
		logs = append(logs, p.output())
		disk = powercut.RemountT(t, disk)
	}
}

// ack is a transfer the node acknowledged, and when.
type ack struct {
	hash common.Hash
	at   time.Time
	cut  time.Time // the power cut after it
}

// loadAndCut sends transfers until a new block above top is sealed and then
// for a random while, observing the head, and cuts the power: it returns the
// transfers acknowledged before the cut.
func loadAndCut(t *testing.T, client *ethclient.Client, disk *powercut.FS, seen map[uint64]common.Hash, top uint64, p *proc) []ack {
	t.Helper()
	load := newCutLoad(t, client)
	stop := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(2)
	go func() { defer wg.Done(); load.run(stop) }()
	var mu sync.Mutex
	go func() { defer wg.Done(); observe(client, seen, &mu, stop) }()
	waitFor(t, 30*time.Second, fmt.Sprintf("a block sealed above %d (the highest before the cut)", top), func() bool {
		select {
		case <-p.done:
			t.Fatalf("citynode exited; logs:\n%s", p.output())
		default:
		}
		return headNumber(t, client) > top
	})
	time.Sleep(time.Duration(200+rand.IntN(1800)) * time.Millisecond) // the random moment of the cut
	cutAt := time.Now()
	disk.Cut()
	close(stop)
	wg.Wait()
	var before []ack
	for _, a := range load.acked() {
		if a.at.Before(cutAt) {
			a.cut = cutAt
			before = append(before, a)
		}
	}
	t.Logf("power cut at head %d, %d transfers acknowledged before it", headNumber(t, client), len(before))
	return before
}

// observe records each head the node serves, until stop.
func observe(client *ethclient.Client, seen map[uint64]common.Hash, mu *sync.Mutex, stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		case <-time.After(20 * time.Millisecond):
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		h, err := client.HeaderByNumber(ctx, nil)
		cancel()
		if err == nil {
			mu.Lock()
			seen[h.Number.Uint64()] = h.Hash()
			mu.Unlock()
		}
	}
}

// wantConsistentChain checks every block from the head down to the genesis
// is the parent's child.
func wantConsistentChain(t *testing.T, client *ethclient.Client, p *proc) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatalf("head after the restart: %v; logs:\n%s", err, p.output())
	}
	for h := head; h.Number.Sign() > 0; {
		parent, err := client.HeaderByNumber(ctx, new(big.Int).Sub(h.Number, common.Big1))
		if err != nil || parent.Hash() != h.ParentHash {
			t.Fatalf("chain after the restart: block %d's parent is %x, the block below it %v (err %v); logs:\n%s", h.Number, h.ParentHash, parent, err, p.output())
		}
		h = parent
	}
}

// wantSeenKept checks the node holds every block the observer saw, unchanged.
func wantSeenKept(t *testing.T, client *ethclient.Client, seen map[uint64]common.Hash, logs string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	for n, want := range seen {
		h, err := client.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil || h.Hash() != want {
			t.Fatalf("block %d after the cut: have %v (err %v), want %x, served before the cut; logs:\n%s", n, h, err, want, logs)
		}
	}
}

// syncSlack is what wantAckedKept allows beyond SyncInterval: the fsync's
// own duration on the power-cut file system, which copies the journal.
const syncSlack = 500 * time.Millisecond

// wantAckedKept checks transfers acknowledged before the cut are known to
// the node (pending, queued or mined), except those acknowledged within
// SyncInterval (+ syncSlack) of it, and logs what was lost.
func wantAckedKept(t *testing.T, client *ethclient.Client, acked []ack, cut int) {
	t.Helper()
	bound := txintake.Defaults.SyncInterval + syncSlack
	lost, oldest := 0, time.Duration(0)
	for _, a := range acked {
		state := txStatus(client.Client(), a.hash)
		switch state {
		case "pending", "queued", "mined":
			continue
		case "":
			t.Fatalf("transaction %x: no status after the restart", a.hash)
		}
		lost++
		age := a.cut.Sub(a.at)
		oldest = max(oldest, age)
		if age > bound {
			t.Errorf("transaction %x acknowledged %v before cut %d: have %q after it, want it kept (SyncInterval %v)", a.hash, age, cut, state, txintake.Defaults.SyncInterval)
		}
	}
	if len(acked) > 0 {
		t.Logf("cut %d: %d of %d acknowledged transfers lost, acknowledged at most %v before the cut", cut, lost, len(acked), oldest.Round(time.Millisecond))
	}
}

// cutLoad sends transfers in batches and records when each was acknowledged;
// it stops at the first error (the cut).
type cutLoad struct {
	client  *ethclient.Client
	chainID *big.Int
	nonces  []uint64
	next    int

	mu   sync.Mutex
	acks []ack
}

// newCutLoad starts from the nonces the node has pending.
func newCutLoad(t *testing.T, client *ethclient.Client) *cutLoad {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	l := &cutLoad{client: client, chainID: id, nonces: make([]uint64, devAccountCount)}
	for i, a := range genesis.DevAccounts(devAccountCount) {
		if l.nonces[i], err = client.PendingNonceAt(ctx, a.Address); err != nil {
			t.Fatal(err)
		}
	}
	return l
}

// run sends batches of 20 transfers until stop or an error.
func (l *cutLoad) run(stop <-chan struct{}) {
	for {
		select {
		case <-stop:
			return
		default:
		}
		if l.send(20) != nil {
			return
		}
	}
}

// send posts n transfers in one JSON-RPC batch, round robin over the dev
// accounts other than the signer's, and records those acknowledged.
func (l *cutLoad) send(n int) error {
	accounts := genesis.DevAccounts(devAccountCount)
	to := common.HexToAddress("0x00000000000000000000000000000000c17c0de5")
	batch := make([]rpc.BatchElem, n)
	hashes := make([]common.Hash, n)
	for i := range batch {
		from := 1 + l.next%(devAccountCount-1)
		l.next++
		tx, err := types.SignNewTx(accounts[from].Key, types.LatestSignerForChainID(l.chainID), &types.DynamicFeeTx{
			ChainID: l.chainID, Nonce: l.nonces[from], GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9),
			Gas: 21000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			return err
		}
		l.nonces[from]++
		raw, _ := tx.MarshalBinary()
		hashes[i] = tx.Hash()
		batch[i] = rpc.BatchElem{Method: "eth_sendRawTransaction", Args: []any{hexutil.Bytes(raw)}, Result: new(common.Hash)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := l.client.Client().BatchCallContext(ctx, batch); err != nil {
		return err
	}
	at := time.Now()
	l.mu.Lock()
	defer l.mu.Unlock()
	for i, e := range batch {
		if e.Error != nil {
			return e.Error
		}
		l.acks = append(l.acks, ack{hash: hashes[i], at: at})
	}
	return nil
}

// acked returns the transfers acknowledged so far.
func (l *cutLoad) acked() []ack {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]ack(nil), l.acks...)
}
