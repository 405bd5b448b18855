package main

import (
	"bufio"
	"context"
	"fmt"
	"math/big"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// pathLayers is the number of state-changing blocks whose state go-ethereum's
// path scheme always keeps in memory only (pathdb's maxDiffLayers).
const pathLayers = 128

// reexecLine is recoverHead's log line after an unclean shutdown.
var reexecLine = regexp.MustCompile(`Re-executing blocks written before an unclean shutdown.*blocks=(\d+)`)

// TestRestartBoundProcess: a sealing dev node under load, killed with SIGKILL
// after many state-changing blocks, executes at most 128 + 2 x --history.state
// blocks again when it restarts (ADR 088), says so in its log and in
// citychain_chain_blocks_since_state_persist beforehand, and keeps every block
// it sealed. Without the bound (--history.state 0) it executes the whole
// chain again, which the block count below exceeds.
func TestRestartBoundProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	const history = 8
	bound := uint64(pathLayers + 2*history)
	dir := t.TempDir()
	port, mport := freeport.T(t), freeport.T(t)
	args := []string{"dev", "--datadir", dir, "--http.port", fmt.Sprint(port), "--period", "0",
		"--history.state", fmt.Sprint(history), "--metrics", "--metrics.port", fmt.Sprint(mport)}
	p := startProc(t, args...)
	url := fmt.Sprintf("http://127.0.0.1:%d", port)
	client := dial(t, p, url)

	// One block per round (period 0: sealed as soon as transactions are
	// pending), each holding a batch of transfers, until the chain is well
	// past the bound.
	load := newTransferLoad(t, client)
	target := bound + 60
	for head := headNumber(t, client); head < target; {
		load.send(t, 20)
		prev := head
		waitFor(t, 20*time.Second, fmt.Sprintf("a block above %d", prev), func() bool {
			head = headNumber(t, client)
			return head > prev
		})
	}
	behind := scrapeGauge(t, mport, "citychain_chain_blocks_since_state_persist")
	if behind < pathLayers || behind > bound {
		t.Fatalf("citychain_chain_blocks_since_state_persist at head %d: have %d, want %d..%d (128 + 2 x --history.state)", headNumber(t, client), behind, pathLayers, bound)
	}
	load.send(t, 20) // killed under load: these may be sealed or not
	p.kill()
	sealed := sealedInLogs(t, p.output())
	last := uint64(0)
	for n := range sealed {
		last = max(last, n)
	}
	if last < target {
		t.Fatalf("last block logged as sealed %d, want >= %d", last, target)
	}

	start := time.Now()
	p2 := startProc(t, args...)
	client2 := dial(t, p2, url)
	t.Logf("answering %.1f s after the restart; %d blocks sealed before the kill, citychain_chain_blocks_since_state_persist %d before it", time.Since(start).Seconds(), last, behind)
	m := reexecLine.FindStringSubmatch(p2.output())
	if m == nil {
		t.Fatalf("no %q line after SIGKILL at head %d; logs:\n%s", reexecLine, last, p2.output())
	}
	t.Log(strings.TrimSpace(m[0]))
	if n, _ := strconv.ParseUint(m[1], 10, 64); n > bound || n < pathLayers {
		t.Fatalf("blocks executed again after SIGKILL: have %d, want %d..%d (128 + 2 x --history.state)", n, pathLayers, bound)
	}
	if after := headNumber(t, client2); after < last {
		t.Fatalf("head after SIGKILL restart: have %d, want >= %d, the last block logged as sealed; logs:\n%s", after, last, p2.output())
	}
	wantSealedKept(t, client2, sealed, p2.output())
	sealedInLogs(t, p.output(), p2.output()) // never two blocks at one height
	p2.stop()
}

// transferLoad signs transfers from the dev accounts other than the signer's.
type transferLoad struct {
	client  *ethclient.Client
	chainID *big.Int
	nonces  []uint64
	next    int
}

func newTransferLoad(t *testing.T, client *ethclient.Client) *transferLoad {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	id, err := client.ChainID(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return &transferLoad{client: client, chainID: id, nonces: make([]uint64, devAccountCount)}
}

// send posts n transfers in one JSON-RPC batch, round robin over the senders.
func (l *transferLoad) send(t *testing.T, n int) {
	t.Helper()
	accounts := genesis.DevAccounts(devAccountCount)
	to := common.HexToAddress("0x00000000000000000000000000000000c17c0de5")
	batch := make([]rpc.BatchElem, n)
	for i := range batch {
		from := 1 + l.next%(devAccountCount-1)
		l.next++
		tx, err := types.SignNewTx(accounts[from].Key, types.LatestSignerForChainID(l.chainID), &types.DynamicFeeTx{
			ChainID: l.chainID, Nonce: l.nonces[from], GasTipCap: big.NewInt(1), GasFeeCap: big.NewInt(100e9),
			Gas: 21000, To: &to, Value: big.NewInt(1),
		})
		if err != nil {
			t.Fatal(err)
		}
		l.nonces[from]++
		raw, _ := tx.MarshalBinary()
		batch[i] = rpc.BatchElem{Method: "eth_sendRawTransaction", Args: []any{hexutil.Bytes(raw)}, Result: new(common.Hash)}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := l.client.Client().BatchCallContext(ctx, batch); err != nil {
		t.Fatalf("send transfers: %v", err)
	}
	for _, e := range batch {
		if e.Error != nil {
			t.Fatalf("send transfer: %v", e.Error)
		}
	}
}

// scrapeGauge reads one unlabelled metric from the node's /metrics.
func scrapeGauge(t *testing.T, port int, name string) uint64 {
	t.Helper()
	c := http.Client{Timeout: 10 * time.Second}
	resp, err := c.Get(fmt.Sprintf("http://127.0.0.1:%d/metrics", port))
	if err != nil {
		t.Fatalf("scrape metrics: %v", err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), name+" "); ok {
			f, err := strconv.ParseFloat(v, 64)
			if err != nil {
				t.Fatalf("metric %s: %q: %v", name, v, err)
			}
			return uint64(f)
		}
	}
	t.Fatalf("metric %s not served (err %v)", name, sc.Err())
	return 0
}
