package intake

import (
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func testID(i int) common.Hash {
	return crypto.Keccak256Hash([]byte{byte(i >> 16), byte(i >> 8), byte(i)})
}

// TestKnownFilter: the filter of stored ids never calls a stored ballot
// absent (before or after a restart, its scan at open included), calls
// nearly every other id absent once ready, and nothing before.
func TestKnownFilter(t *testing.T) {
	dir := t.TempDir()
	s, err := OpenStore(dir)
	if err != nil {
		t.Fatal(err)
	}
	<-s.known.done
	const stored = 300
	for i := range stored {
		r := &Record{ID: testID(i), Poll: 1, Voter: common.Address{byte(i)}, VoterIndex: uint32(i), Signature: make([]byte, 65)}
		if err := s.Add(r); err != nil {
			t.Fatal(err)
		}
	}
	checkKnown(t, s, stored, "after adds")
	s.Close()

	if s, err = OpenStore(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if s.known.absent(testID(stored + 1)) {
		// Only a scan that already finished may answer.
		select {
		case <-s.known.done:
		default:
			t.Fatal("the filter answered absent before its scan of the stored ids ended")
		}
	}
	<-s.known.done
	checkKnown(t, s, stored, "after reopen")
}

// checkKnown checks s's filter and Get for ids 0..stored-1 (stored) and the
// next 10,000 (not stored).
func checkKnown(t *testing.T, s *Store, stored int, when string) {
	t.Helper()
	if !s.known.ready.Load() {
		t.Fatalf("%s: the filter is not ready", when)
	}
	for i := range stored {
		if s.known.absent(testID(i)) {
			t.Fatalf("%s: stored ballot %d called absent", when, i)
		}
		if r, err := s.Get(testID(i)); err != nil || r == nil {
			t.Fatalf("%s: Get of stored ballot %d: %v, %v", when, i, r, err)
		}
	}
	maybe := 0
	for i := stored; i < stored+10_000; i++ {
		if !s.known.absent(testID(i)) {
			maybe++
		}
		if r, err := s.Get(testID(i)); err != nil || r != nil {
			t.Fatalf("%s: Get of unknown ballot %d: %v, %v", when, i, r, err)
		}
	}
	if maybe > 10 {
		t.Errorf("%s: %d of 10,000 unknown ids not called absent, want about none", when, maybe)
	}
}
