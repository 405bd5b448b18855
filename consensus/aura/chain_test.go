package aura

import (
	"context"
	"crypto/ecdsa"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// testDuration is the step duration of the generated chains, in seconds.
const testDuration = 5

// validator is a test key.
type validator struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

func validators(t testing.TB, n int) []validator {
	t.Helper()
	vs := make([]validator, n)
	for i := range vs {
		k, err := crypto.ToECDSA(crypto.Keccak256([]byte{'a', 'u', 'r', 'a', byte(i)}))
		if err != nil {
			t.Fatal(err)
		}
		vs[i] = validator{k, crypto.PubkeyToAddress(k.PublicKey)}
	}
	return vs
}

func addrs(vs ...validator) []common.Address {
	out := make([]common.Address, len(vs))
	for i, v := range vs {
		out[i] = v.addr
	}
	return out
}

// genesisHeader is block 0 of a generated chain at step 1,000.
func genesisHeader() *Header {
	return &Header{UncleHash: types.EmptyUncleHash, TxHash: types.EmptyRootHash, ReceiptHash: types.EmptyRootHash,
		Difficulty: big.NewInt(0x20000), GasLimit: 8_000_000, Time: 1000 * testDuration, Step: 1000}
}

// child returns parent's child sealed by v at step, as an Aura validator
// seals it (timestamp at the step's start, the score as difficulty).
func child(t testing.TB, parent *Header, step uint64, v validator) *Header {
	t.Helper()
	h := &Header{ParentHash: parent.Hash(), UncleHash: types.EmptyUncleHash, Coinbase: v.addr, TxHash: types.EmptyRootHash,
		ReceiptHash: types.EmptyRootHash, Difficulty: score(parent.Step, step), Number: parent.Number + 1,
		GasLimit: parent.GasLimit, Time: step * testDuration, Extra: []byte("citychain aura test")}
	reseal(t, h, step, v)
	return h
}

// reseal signs h again for step with v's key.
func reseal(t testing.TB, h *Header, step uint64, v validator) {
	t.Helper()
	if err := h.Sign(step, func(hash []byte) ([]byte, error) { return crypto.Sign(hash, v.key) }); err != nil {
		t.Fatal(err)
	}
}

// rotation builds n blocks on parent, each sealed by the validator whose
// turn its step is in set (steps parent+1, parent+2, ... or with gaps
// where skip says).
func rotation(t testing.TB, parent *Header, set []validator, n int, skip func(i int) bool) []*Header {
	t.Helper()
	var hs []*Header
	step := parent.Step
	for i := 0; len(hs) < n; i++ {
		step++
		if skip != nil && skip(i) {
			continue
		}
		h := child(t, parent, step, set[step%uint64(len(set))])
		hs, parent = append(hs, h), h
	}
	return hs
}

// listSpec is the spec of a chain with a fixed list.
func listSpec(vs []validator) *Spec {
	return &Spec{StepDuration: testDuration, Sets: []SetConfig{{List: addrs(vs...)}}}
}

// fixedNow is a clock far after the generated chains' steps.
func fixedNow() time.Time { return time.Unix(1_000_000_000, 0) }

// fakeChain serves getValidators() and InitiateChange from maps keyed by
// block hash.
type fakeChain struct {
	sets      map[common.Hash][]common.Address
	signalled map[common.Hash][]common.Address
}

func (c *fakeChain) Validators(_ context.Context, _ common.Address, at common.Hash) ([]common.Address, error) {
	return slices.Clone(c.sets[at]), nil
}

func (c *fakeChain) Signalled(_ context.Context, _ common.Address, h *Header) ([]common.Address, error) {
	return c.signalled[h.Hash()], nil
}

func bigOf(n int64) *big.Int { return big.NewInt(n) }
