package relayer

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/bindings/polls"
)

// TestPackRelay writes the same call data as the ABI binding for batches of
// one and many ballots, with proofs of different depths (none included) and
// the largest values of each field.
func TestPackRelay(t *testing.T) {
	ballot := func(i int, depth int) polls.PollsSignedBallot {
		b := polls.PollsSignedBallot{Poll: uint64(i) + 1, Option: uint32(i % 4), VoterIndex: uint32(1000 + i), Voter: common.BytesToAddress([]byte{byte(i), 0xee})}
		b.R[0], b.R[31], b.Vs[0], b.Vs[31] = byte(i), 0x11, 0x80|byte(i), 0x22
		for d := range depth {
			var h [32]byte
			h[0], h[31] = byte(d), byte(i)
			b.Proof = append(b.Proof, h)
		}
		return b
	}
	maxed := polls.PollsSignedBallot{Poll: ^uint64(0), Option: ^uint32(0), VoterIndex: ^uint32(0), Voter: common.HexToAddress("0xffffffffffffffffffffffffffffffffffffffff"), Proof: [][32]byte{{0xff}}}
	var many []polls.PollsSignedBallot
	for i := range 130 {
		many = append(many, ballot(i, 17+i%5))
	}
	for name, tc := range map[string]struct {
		poll    uint64
		ballots []polls.PollsSignedBallot
	}{
		"one":          {1, []polls.PollsSignedBallot{ballot(0, 20)}},
		"no proof":     {2, []polls.PollsSignedBallot{ballot(1, 0), ballot(2, 3)}},
		"largest":      {^uint64(0), []polls.PollsSignedBallot{maxed}},
		"130 ballots":  {7, many},
		"empty (call)": {3, nil},
	} {
		want := pollsABI.PackRelay(new(big.Int).SetUint64(tc.poll), tc.ballots)
		if have := packRelay(tc.poll, tc.ballots); !bytes.Equal(have, want) {
			t.Errorf("%s: call data differs from the binding's (have %d bytes, want %d)", name, len(have), len(want))
		}
	}
}

// BenchmarkPackRelay packs a batch of 100 ballots with proofs of depth 21.
func BenchmarkPackRelay(b *testing.B) {
	batch := make([]polls.PollsSignedBallot, 100)
	for i := range batch {
		batch[i].Proof = make([][32]byte, 21)
	}
	b.Run("binding", func(b *testing.B) {
		for b.Loop() {
			pollsABI.PackRelay(big.NewInt(1), batch)
		}
	})
	b.Run("packRelay", func(b *testing.B) {
		for b.Loop() {
			packRelay(1, batch)
		}
	})
}
