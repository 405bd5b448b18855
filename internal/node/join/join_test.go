package join

import (
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/consensus/clique"
)

// fakeChain is a line of headers, each sealed by signers[i] (by Extra).
type fakeChain struct {
	consensus.ChainHeaderReader
	headers []*types.Header
}

func newFakeChain(sealers ...byte) *fakeChain {
	c := &fakeChain{headers: []*types.Header{{Number: big.NewInt(0)}}}
	for i, s := range sealers {
		c.headers = append(c.headers, &types.Header{Number: big.NewInt(int64(i + 1)), ParentHash: c.headers[i].Hash(), Extra: []byte{s}})
	}
	return c
}

func (c *fakeChain) GetHeader(hash common.Hash, number uint64) *types.Header {
	if number < uint64(len(c.headers)) && c.headers[number].Hash() == hash {
		return c.headers[number]
	}
	return nil
}

func (c *fakeChain) head() *types.Header { return c.headers[len(c.headers)-1] }

// fakeEngine: the signer of a header is its Extra byte; the signer set is
// fixed.
type fakeEngine struct{ signers []byte }

func (e fakeEngine) Author(h *types.Header) (common.Address, error) {
	if len(h.Extra) != 1 {
		return common.Address{}, errors.New("no signer")
	}
	return common.BytesToAddress(h.Extra), nil
}

func (e fakeEngine) Snapshot(consensus.ChainHeaderReader, uint64, common.Hash, []*types.Header) (*clique.Snapshot, error) {
	s := &clique.Snapshot{Signers: make(map[common.Address]struct{})}
	for _, b := range e.signers {
		s.Signers[common.BytesToAddress([]byte{b})] = struct{}{}
	}
	return s, nil
}

// TestFinalizedPivot: the pivot is the newest block on top of which
// floor(N/2)+1 distinct signers sealed (ADR 005), as fork choice finalizes.
func TestFinalizedPivot(t *testing.T) {
	for _, tc := range []struct {
		name    string
		signers []byte
		sealers []byte
		want    uint64
	}{
		{"lone signer: the head", []byte{1}, []byte{1, 1, 1, 1}, 4},
		{"three signers in turn: two below the head", []byte{1, 2, 3}, []byte{1, 2, 3, 1, 2, 3, 1}, 5},
		{"three signers, one silent: same", []byte{1, 2, 3}, []byte{1, 2, 1, 2, 1, 2}, 4},
		{"five signers: three below the head", []byte{1, 2, 3, 4, 5}, []byte{1, 2, 3, 4, 5, 1, 2, 3}, 5},
		{"one signer sealing alone of three: nothing above it is final but genesis", []byte{1, 2, 3}, []byte{1, 1, 1}, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := newFakeChain(tc.sealers...)
			got, err := finalized(c, fakeEngine{tc.signers}, c.head())
			if tc.want == 0 {
				if err == nil {
					t.Fatalf("pivot %d, want an error (no final block above genesis)", got.Number)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got.Number.Uint64() != tc.want {
				t.Errorf("pivot %d, want %d", got.Number, tc.want)
			}
		})
	}
}
