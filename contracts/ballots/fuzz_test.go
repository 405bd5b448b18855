package ballots

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts/merkle"
)

// FuzzBallotJSON decodes ballot lines as `cityctl poll relay` does: no input
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
	if data, err := os.ReadFile(filepath.Join("testdata", "ballots-base64.jsonl")); err == nil {
		f.Add(data[:len(data)/2])
	}
	f.Add([]byte(`{"poll":1,"option":0,"voter":"0x0000000000000000000000000000000000000001","signature":"0x00"}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		b, err := DecodeBallot(data)
		if err != nil {
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

// FuzzDecodeEligibility checks that no input crashes the eligibility file
// reader and that every voter of a file it accepts has a proof to its root.
func FuzzDecodeEligibility(f *testing.F) {
	e, _ := NewEligibility(voters(3))
	data, _ := e.Encode()
	f.Add(data)
	if old, err := os.ReadFile(filepath.Join("testdata", "eligibility-deprecated.json")); err == nil {
		f.Add(old)
	}
	f.Add([]byte(`{"root":"0x00","voters":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := DecodeEligibility(data)
		if err != nil {
			return
		}
		for i := range e.Len() {
			idx, proof, err := e.Proof(e.Voter(i))
			if err != nil || int(idx) != i || !merkle.Verify(proof, e.Root(), Leaf(idx, e.Voter(i))) {
				t.Fatalf("voter %d of an accepted file does not prove: %v", i, err)
			}
		}
	})
}

// FuzzDecodeBallotCast checks the direct decoding of BallotCast logs
// against the ABI binding's: same fields, or an error where it errs.
func FuzzDecodeBallotCast(f *testing.F) {
	canonical := append(append(make([]byte, 28), 0, 0, 1, 7), append(make([]byte, 31), 2)...)
	f.Add(canonical, []byte{}, []byte{31: 1}, []byte{12: 0xab, 31: 0xcd})
	f.Add(canonical, []byte{}, []byte{0: 1, 31: 1}, []byte{0: 1, 31: 0xcd})
	f.Add(canonical[:63], []byte{}, []byte{31: 1}, []byte{31: 0xcd})
	f.Add(append([]byte{1}, canonical[1:]...), []byte{}, []byte{31: 1}, []byte{31: 0xcd})
	f.Fuzz(func(t *testing.T, data, extra, poll, voter []byte) {
		l := &types.Log{Data: data, Topics: []common.Hash{ballotCastID, common.BytesToHash(poll), common.BytesToHash(voter)}}
		if len(extra) > 0 {
			l.Topics = append(l.Topics, common.BytesToHash(extra))
		}
		have, haveErr := decodeBallotCast(l)
		want, wantErr := pollsABI.UnpackBallotCastEvent(l)
		if (haveErr == nil) != (wantErr == nil) {
			t.Fatalf("error %v, the binding's %v", haveErr, wantErr)
		}
		if wantErr != nil {
			return
		}
		if have.pollFits != want.Poll.IsUint64() || have.pollFits && have.poll != want.Poll.Uint64() ||
			have.Voter != want.Voter || have.VoterIndex != want.VoterIndex || have.Option != want.Option {
			t.Fatalf("have %+v, the binding's %+v", have, want)
		}
	})
}
