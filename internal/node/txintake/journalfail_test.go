package txintake

import (
	"context"
	"errors"
	"os"
	"strings"
	"syscall"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// fillDisk makes every write to h's journal fail as on a full disk: the
// journal's file is swapped for /dev/full, whose writes fail with ENOSPC. The
// returned function puts the journal's own file back, as freeing space would.
func fillDisk(t *testing.T, h *harness) (free func()) {
	t.Helper()
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Fatalf("open /dev/full (Linux's always-full device, used to fill the disk): %v", err)
	}
	j := h.in.journal
	j.mu.Lock()
	own := j.f
	j.f = full
	j.mu.Unlock()
	return func() {
		j.mu.Lock()
		j.f, j.broken = own, nil
		j.mu.Unlock()
		full.Close()
	}
}

// TestJournalFailureNotAcknowledged: when the journal cannot be written, the
// client gets an error naming the cause for every transaction of the batch,
// whether the pool took it or held it for later, and none is acknowledged:
// not tracked, not counted accepted, not in the journal, so a restart does not
// pretend to have it. Sent again once the disk has room, a transaction the
// pool kept meanwhile is acknowledged and journaled.
func TestJournalFailureNotAcknowledged(t *testing.T) {
	h := newHarness(t, nil)
	taken, held := transfer("alice", 0), transfer("bob", 0)
	h.pool.setLimit(1) // taken fits, held is refused for now (pool full)
	free := fillDisk(t, h)

	errs := h.in.Submit(context.Background(), []*types.Transaction{taken, held})
	for i, err := range errs {
		if !errors.Is(err, errNotJournaled) || !errors.Is(err, syscall.ENOSPC) && !strings.Contains(err.Error(), "no space left on device") {
			t.Errorf("tx %d: have %v, want %v naming the full disk", i, err, errNotJournaled)
		}
	}
	m := h.in.Metrics()
	if m.Accepted != 0 || m.Deferred != 0 || m.Tracked != 0 || m.Journal.Errors != 1 {
		t.Errorf("accepted/deferred/tracked/journal errors: have %d/%d/%d/%d, want 0/0/0/1", m.Accepted, m.Deferred, m.Tracked, m.Journal.Errors)
	}
	free()
	if m := h.in.Metrics(); m.Journal.Records != 0 {
		t.Errorf("journal records after the failed write: have %d, want 0", m.Journal.Records)
	}

	// The pool kept taken; sent again, it is acknowledged this time.
	if !h.pool.Has(taken.Hash()) {
		t.Fatal("pool: have not holding the transaction it took, want it kept")
	}
	h.pool.setLimit(0)
	h.submit(taken, held)
	if m := h.in.Metrics(); m.Tracked != 2 || m.Journal.Records != 2 {
		t.Errorf("tracked/journaled after the retry: have %d/%d, want 2/2", m.Tracked, m.Journal.Records)
	}
	// A transaction the pool knows that never failed to journal is still
	// refused as known, as geth does.
	if err := h.in.Submit(context.Background(), []*types.Transaction{taken})[0]; err == nil {
		t.Error("a duplicate of an acknowledged transaction: have nil, want already known")
	}

	// After a crash the journal gives back exactly the acknowledged ones.
	h.pool = newFakePool(h.chain)
	h.in = h.newIntake()
	if err := h.in.Start(); err != nil {
		t.Fatal(err)
	}
	for _, tx := range []*types.Transaction{taken, held} {
		if !h.pool.Has(tx.Hash()) {
			t.Errorf("tx %x after restart: have not in pool, want restored from the journal", tx.Hash().Bytes()[:4])
		}
	}
}

// TestJournalFailureOverRPC: eth_sendRawTransaction answers a journal failure
// with an error, not a hash.
func TestJournalFailureOverRPC(t *testing.T) {
	h := newHarness(t, nil)
	client := rpcClient(t, h.in)
	defer fillDisk(t, h)()
	var hash common.Hash
	err := client.Call(&hash, "eth_sendRawTransaction", hexutil.Bytes(encode(t, transfer("alice", 0))))
	if err == nil || !strings.Contains(err.Error(), "not acknowledged") || !strings.Contains(err.Error(), "no space left on device") {
		t.Fatalf("eth_sendRawTransaction on a full disk: have hash %v, error %v; want an error saying it is not acknowledged and why", hash, err)
	}
	var results []SendResult
	if err := client.Call(&results, "city_sendRawTransactions", []hexutil.Bytes{encode(t, transfer("bob", 0))}); err != nil {
		t.Fatal(err)
	}
	if len(results) != 1 || results[0].Hash != nil || !strings.Contains(results[0].Error, "not acknowledged") {
		t.Fatalf("city_sendRawTransactions on a full disk: have %+v, want one error result", results)
	}
}
