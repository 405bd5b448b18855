package ballots

import (
	"encoding/json"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// FuzzBallotJSON decodes ballot files as `cityctl poll relay` does: no input
// panics, and a ballot that verifies keeps its voter through the compact
// (EIP-2098) signature the contract receives.
func FuzzBallotJSON(f *testing.F) {
	d := Domain{ChainID: 1337, Contract: common.Address{0xc1}}
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte("fuzz voter")))
	for _, opt := range []uint32{0, 1, 7} {
		b, _ := Sign(k, d, 3, opt)
		line, _ := json.Marshal(b)
		f.Add(line)
	}
	f.Add([]byte(`{"poll":1,"option":0,"voter":"0x0000000000000000000000000000000000000001","signature":"0x00"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var b Ballot
		if err := json.Unmarshal(data, &b); err != nil {
			return
		}
		s := b.Signed()
		if b.Verify(d) != nil {
			return
		}
		sig := make([]byte, 65)
		copy(sig, s.R[:])
		copy(sig[32:], s.Vs[:])
		sig[32] &= 0x7f
		sig[64] = s.Vs[0] >> 7
		digest := d.Digest(s.Poll, s.Option)
		pub, err := crypto.SigToPub(digest[:], sig)
		if err != nil || crypto.PubkeyToAddress(*pub) != b.Voter {
			t.Fatalf("compact signature of a verified ballot recovers %v (%v), want %s", pub, err, b.Voter.Hex())
		}
	})
}
