package sealer

import (
	"errors"
	"math/big"
	"math/rand/v2"
	"path/filepath"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/testkit/powercut"
)

// guardBlock is a block at height n; fork tells apart blocks at one height.
func guardBlock(n uint64, fork byte) *types.Block {
	extra := make([]byte, 97)
	extra[0] = fork
	return types.NewBlockWithHeader(&types.Header{Number: new(big.Int).SetUint64(n), Difficulty: big.NewInt(2), Extra: extra})
}

// TestFileGuardAcrossPowerCut: a block the file guard saved (Save returned)
// is still recorded after a power cut, in a directory the guard created
// itself, and a different block at its height is refused after the restart.
func TestFileGuardAcrossPowerCut(t *testing.T) {
	fs := powercut.TempT(t)
	path := filepath.Join(fs.Dir(), "instance", "sealer-guard.rlp")
	for n := uint64(1); n <= 3; n++ {
		if err := NewFileGuard(path).Save(guardBlock(n, 0)); err != nil {
			t.Fatal(err)
		}
	}
	fs = powercut.CutAndRemount(t, fs)
	g := NewFileGuard(filepath.Join(fs.Dir(), "instance", "sealer-guard.rlp"))
	loaded, err := g.Load()
	if err != nil || loaded == nil || loaded.Hash() != guardBlock(3, 0).Hash() {
		t.Fatalf("guard after the cut: have %v (err %v), want block 3 as saved before it", loaded, err)
	}
	if err := g.Save(guardBlock(3, 1)); !errors.Is(err, errDoubleSign) {
		t.Fatalf("a different block 3 after the cut: have %v, want errDoubleSign", err)
	}
}

// TestFileGuardPowerCutWhileSaving cuts the power at random moments while the
// guard saves block after block: after each cut the guard holds a block it
// was given, whole, at or above the last height whose Save had returned.
func TestFileGuardPowerCutWhileSaving(t *testing.T) {
	fs := powercut.TempT(t)
	for round := range 5 {
		path := filepath.Join(fs.Dir(), "sealer-guard.rlp")
		acked := saveUntilCut(t, fs, NewFileGuard(path), time.Duration(rand.IntN(20))*time.Millisecond)
		fs = powercut.RemountT(t, fs)
		loaded, err := NewFileGuard(path).Load()
		if err != nil {
			t.Fatalf("round %d: guard after the cut: %v", round, err)
		}
		if acked > 0 && (loaded == nil || loaded.NumberU64() < acked || loaded.Hash() != guardBlock(loaded.NumberU64(), 0).Hash()) {
			t.Fatalf("round %d: guard after the cut: have %v, want a saved block at height %d or above (Save had returned for it)", round, loaded, acked)
		}
		t.Logf("round %d: Save returned up to height %d; the guard holds height %d after the cut", round, acked, heightOf(loaded))
	}
}

// saveUntilCut saves blocks of rising height until the power is cut after
// delay; it returns the last height whose Save returned before the cut.
func saveUntilCut(t *testing.T, fs *powercut.FS, g *FileGuard, delay time.Duration) uint64 {
	t.Helper()
	start := uint64(1)
	if b, err := g.Load(); err == nil && b != nil {
		start = b.NumberU64() + 1
	}
	acked := make(chan uint64, 1)
	stop := make(chan struct{})
	go func() {
		defer close(acked)
		var last uint64
		for n := start; ; n++ {
			select {
			case <-stop:
				acked <- last
				return
			default:
			}
			if g.Save(guardBlock(n, 0)) != nil {
				acked <- last // the cut: Save fails from now on
				return
			}
			last = n
		}
	}()
	time.Sleep(delay) // the random moment of the cut, not a wait for an event
	fs.Cut()
	close(stop)
	select {
	case n := <-acked:
		return n
	case <-time.After(10 * time.Second):
		t.Fatal("saver did not stop within 10 s of the cut")
		return 0
	}
}

func heightOf(b *types.Block) uint64 {
	if b == nil {
		return 0
	}
	return b.NumberU64()
}
