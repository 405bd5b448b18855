package intake

import (
	"encoding/binary"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/testkit/powercut"
)

// TestStoreAcrossPowerCut: every ballot whose Add returned (what citygate
// answers 202 after) is in the store after a power cut, in a store directory
// made by OpenStore on the mount; the power is cut at random moments while
// four writers add ballots, three times.
func TestStoreAcrossPowerCut(t *testing.T) {
	disk := powercut.TempT(t)
	var acked []*Record
	for cut := range 3 {
		dir := filepath.Join(disk.Dir(), "gateway", "ballots")
		s, err := OpenStore(dir)
		if err != nil {
			t.Fatalf("open the store after cut %d: %v", cut, err)
		}
		wantStored(t, s, acked, cut)
		acked = append(acked, addUntilCut(t, s, disk, cut)...)
		s.Close() // fails after the cut: nothing more can be synced
		disk = powercut.RemountT(t, disk)
	}
	s, err := OpenStore(filepath.Join(disk.Dir(), "gateway", "ballots"))
	if err != nil {
		t.Fatalf("open the store after the last cut: %v", err)
	}
	defer s.Close()
	wantStored(t, s, acked, 3)
}

// addUntilCut adds ballots from four writers and cuts the power after a
// random while; it returns the ballots whose Add returned before the cut.
func addUntilCut(t *testing.T, s *Store, disk *powercut.FS, round int) []*Record {
	t.Helper()
	var (
		mu    sync.Mutex
		acked []*Record
		wg    sync.WaitGroup
	)
	stop := make(chan struct{})
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				r := testBallot(round, w, i)
				if s.Add(r) != nil {
					return // the cut
				}
				mu.Lock()
				acked = append(acked, r)
				mu.Unlock()
			}
		}()
	}
	time.Sleep(time.Duration(50+rand.IntN(400)) * time.Millisecond) // the random moment of the cut
	mu.Lock()
	before := append([]*Record(nil), acked...) // Add returned for these before the cut
	disk.Cut()
	mu.Unlock()
	close(stop)
	wg.Wait()
	t.Logf("cut %d: %d ballots stored before it", round, len(before))
	return before
}

// testBallot is ballot i of writer w in round r, with an id of its own.
func testBallot(r, w, i int) *Record {
	var id common.Hash
	binary.BigEndian.PutUint64(id[:8], uint64(r<<40|w<<32|i))
	id[31] = 1
	return &Record{ID: id, Poll: 1, Voter: common.BytesToAddress(id[:8]), VoterIndex: uint32(i), Signature: make([]byte, 65)}
}

// wantStored fails unless every ballot in acked is in s.
func wantStored(t *testing.T, s *Store, acked []*Record, cut int) {
	t.Helper()
	for _, r := range acked {
		have, err := s.Get(r.ID)
		if err != nil || have == nil || have.ID != r.ID {
			t.Fatalf("after cut %d: ballot %x: have %v (err %v), want it stored (Add had returned before the cut)", cut, r.ID, have, err)
		}
	}
}
