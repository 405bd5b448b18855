package node

import "testing"

// TestBacklogRoom: batches are held while the pool holds a block and a half
// of the last head block's size, or 10,000 transactions divided among the
// signers if that is more. One signer keeps its backlog of 10,000 (W1 filled
// its blocks from it); three signers hold at 3,333: at 10,000 their pool
// stayed two to three blocks deep under a client sending as fast as it was
// answered, and each transaction waited that long for a block
// (docs/benchmarks.md, 2026-12-06).
func TestBacklogRoom(t *testing.T) {
	for _, c := range []struct {
		pooled, headTxs, signers int
		room                     bool
	}{
		{0, 0, 1, true},
		{9999, 0, 1, true}, // one signer: W1's backlog, as before
		{10000, 0, 1, false},
		{9999, 0, 0, true}, // signers not known yet: as one
		{3332, 0, 3, true}, // three signers: a third of it
		{3333, 0, 3, false},
		{5000, 1000, 3, false}, // five blocks of 1,000 deep: held
		{4499, 3000, 3, true},  // under one and a half blocks
		{4500, 3000, 3, false},
		{2499, 0, 4, true}, // the compose network's four
		{11999, 8000, 1, true},
		{12000, 8000, 1, false},
	} {
		if got := backlogRoom(c.pooled, c.headTxs, c.signers); got != c.room {
			t.Errorf("backlogRoom(%d pooled, last block %d, %d signers) = %v, want %v", c.pooled, c.headTxs, c.signers, got, c.room)
		}
	}
}
