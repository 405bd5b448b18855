package stalls

import (
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

func applicants(n int) []common.Address {
	out := make([]common.Address, n)
	for i := range out {
		out[i] = common.BytesToAddress(crypto.Keccak256([]byte{byte(i), byte(i >> 8)}))
	}
	return out
}

func TestShufflePermutes(t *testing.T) {
	for _, n := range []int{0, 1, 2, 7, 100} {
		in := applicants(n)
		out := Shuffle(in, common.Hash{1})
		a, b := slices.Clone(in), slices.Clone(out)
		cmp := func(x, y common.Address) int { return x.Cmp(y) }
		slices.SortFunc(a, cmp)
		slices.SortFunc(b, cmp)
		if !slices.Equal(a, b) {
			t.Errorf("n=%d: shuffle is not a permutation", n)
		}
		if !slices.Equal(Shuffle(in, common.Hash{1}), out) {
			t.Errorf("n=%d: shuffle is not deterministic", n)
		}
	}
	if in := applicants(20); slices.Equal(Shuffle(in, common.Hash{1}), Shuffle(in, common.Hash{2})) {
		t.Error("two randomness values gave the same order of 20")
	}
}

func TestDraw(t *testing.T) {
	in := applicants(10)
	a := Draw(common.Hash{7}, common.Hash{8}, in, 4)
	if len(a.Winners) != 4 || len(a.Waitlist) != 6 {
		t.Fatalf("have %d winners and %d waitlisted, want 4 and 6", len(a.Winners), len(a.Waitlist))
	}
	if a.Randomness != Randomness(common.Hash{7}, common.Hash{8}) {
		t.Error("randomness differs")
	}
	if few := Draw(common.Hash{7}, common.Hash{8}, in[:2], 4); len(few.Winners) != 2 || len(few.Waitlist) != 0 {
		t.Errorf("fewer applicants than stalls: have %d winners, %d waitlisted", len(few.Winners), len(few.Waitlist))
	}
	if Commitment(common.Hash{7}) != crypto.Keccak256Hash(common.Hash{7}.Bytes()) {
		t.Error("commitment differs")
	}
}
