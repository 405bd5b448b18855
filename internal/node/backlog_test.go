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

// TestBuiltBeyond: the hold leaves out of the backlog only the part of the
// block being built beyond the last head block's size (ADR 101): a block as
// large as the last counts in full, as before; one growing past it (W1's
// ramp, 15:24: block 7 at 10,062 after one of 6,000) no longer holds every
// batch until it is handed over.
func TestBuiltBeyond(t *testing.T) {
	for _, c := range []struct{ building, headTxs, want int }{
		{0, 0, 0},
		{5000, 16000, 0}, // smaller than the last block: all counted
		{16000, 16000, 0},
		{10062, 6000, 4062},
		{10062, 0, 10062}, // the first block of a load
	} {
		if got := builtBeyond(c.building, c.headTxs); got != c.want {
			t.Errorf("builtBeyond(%d being built, last block %d) = %d, want %d", c.building, c.headTxs, got, c.want)
		}
	}
	// The ramp's hold: 10,062 being built after a block of 6,000, 500 not
	// applied yet: room now (it had none, counting the block in full).
	if pooled := 10062 + 500; backlogRoom(pooled, 6000, 1) || !backlogRoom(pooled-builtBeyond(10062, 6000), 6000, 1) {
		t.Errorf("a block of 10,062 being built after one of 6,000, 500 waiting: want held when counted in full, room with the excess left out")
	}
}

// TestHoldRoom: the hold decides from the pool's counts as poolRoom reads
// them. The backlog is the pool less the blocks leaving it (ADR 095) and less
// the part of the block being built beyond the last head block's size (ADR
// 101); each row names what it would get wrong without one of them. One
// signer after a block of 6,000: the bound is 10,000.
func TestHoldRoom(t *testing.T) {
	for _, c := range []struct {
		name string
		holdCounts
		room bool
	}{
		{"idle", holdCounts{}, true},
		{"not sealing, under the bound", holdCounts{pooled: 9999, headTxs: 6000, signers: 1}, true},
		{"not sealing, at the bound", holdCounts{pooled: 10000, headTxs: 6000, signers: 1}, false},
		// W1's ramp (15:24): block 7 at 10,062 after one of 6,000, 500 not
		// applied yet. Counted in full it held every batch until the
		// hand-over, the sealer idle for more.
		{"block growing past the last", holdCounts{pooled: 10562, building: 10062, headTxs: 6000, signers: 1}, true},
		// The first block of a load: nothing to compare with, all of it beyond.
		{"first block of a load", holdCounts{pooled: 12500, building: 12000, signers: 1}, true},
		// A block no larger than the last counts in full, so a steady load is
		// bounded as before (leaving it all out cost +15 to +38 MiB peak RSS).
		{"block the size of the last", holdCounts{pooled: 10500, building: 6000, headTxs: 6000, signers: 1}, false},
		{"block smaller than the last", holdCounts{pooled: 10500, building: 2000, headTxs: 6000, signers: 1}, false},
		// A block handed over and not taken out of the pool yet (ADR 095).
		{"block leaving", holdCounts{pooled: 10500, leaving: 600, headTxs: 6000, signers: 1}, true},
		{"block leaving, the rest at the bound", holdCounts{pooled: 16000, leaving: 6000, headTxs: 6000, signers: 1}, false},
		{"block leaving and one growing past the last", holdCounts{pooled: 17999, leaving: 6000, building: 8000, headTxs: 6000, signers: 1}, true},
		{"block leaving and one growing, backlog at the bound", holdCounts{pooled: 18000, leaving: 6000, building: 8000, headTxs: 6000, signers: 1}, false},
		// Three signers after a block of 3,000: the bound is 4,500.
		{"three signers, growing block, under the bound", holdCounts{pooled: 5400, building: 4000, headTxs: 3000, signers: 3}, true},
		{"three signers, growing block, at the bound", holdCounts{pooled: 5500, building: 4000, headTxs: 3000, signers: 3}, false},
	} {
		t.Run(c.name, func(t *testing.T) {
			if got := c.holdCounts.room(); got != c.room {
				t.Errorf("%+v: room() = %v, want %v", c.holdCounts, got, c.room)
			}
		})
	}
}
