package clique

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// TestDecodeExtra pins the extra-data layout rules.
func TestDecodeExtra(t *testing.T) {
	tests := []struct {
		name       string
		length     int
		checkpoint bool
		want       error
		signers    int
	}{
		{name: "empty", length: 0, want: errMissingVanity},
		{name: "vanity only", length: 32, want: errMissingSignature},
		{name: "one byte short of the seal", length: 96, want: errMissingSignature},
		{name: "vanity and seal", length: 97},
		{name: "checkpoint without signers", length: 97, checkpoint: true},
		{name: "signer list on a non-checkpoint", length: 117, want: errExtraSigners},
		{name: "checkpoint with two signers", length: 137, checkpoint: true, signers: 2},
		{name: "checkpoint with a partial signer", length: 127, checkpoint: true, want: errInvalidCheckpointSigners},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			data := make([]byte, tt.length)
			for i := range data {
				data[i] = byte(i)
			}
			x, err := DecodeExtra(data, tt.checkpoint)
			if !errors.Is(err, tt.want) {
				t.Fatalf("have error %v, want %v", err, tt.want)
			}
			if err != nil {
				return
			}
			if len(x.Signers) != tt.signers {
				t.Errorf("have %d signers, want %d", len(x.Signers), tt.signers)
			}
			if !bytes.Equal(x.Vanity[:], data[:ExtraVanity]) || !bytes.Equal(x.Seal[:], data[len(data)-ExtraSeal:]) {
				t.Errorf("vanity or seal not taken from the right place")
			}
			if have := x.Encode(); !bytes.Equal(have, data) {
				t.Errorf("encode: have %x, want %x", have, data)
			}
		})
	}
}

// TestDecodeVote pins the two magic nonces.
func TestDecodeVote(t *testing.T) {
	target := common.Address{0x42}
	tests := []struct {
		name  string
		nonce types.BlockNonce
		auth  bool
		err   error
	}{
		{name: "authorize", nonce: types.BlockNonce{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, auth: true},
		{name: "drop", nonce: types.BlockNonce{}},
		{name: "other", nonce: types.EncodeNonce(1), err: errInvalidVote},
		{name: "almost authorize", nonce: types.BlockNonce{0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe}, err: errInvalidVote},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			address, auth, err := DecodeVote(&types.Header{Coinbase: target, Nonce: tt.nonce})
			if !errors.Is(err, tt.err) {
				t.Fatalf("have error %v, want %v", err, tt.err)
			}
			if err != nil {
				return
			}
			if address != target || auth != tt.auth {
				t.Errorf("have (%s, %v), want (%s, %v)", address, auth, target, tt.auth)
			}
		})
	}
}

// FuzzExtraData checks that decoding any extra-data never panics, accepts
// exactly the valid layouts, and round-trips through Encode; and that signer
// recovery from such a header never panics.
func FuzzExtraData(f *testing.F) {
	f.Add([]byte{}, false)
	f.Add(make([]byte, 97), false)
	f.Add(make([]byte, 97+3*20), true)
	f.Add(make([]byte, 97+7), true)
	f.Add(bytes.Repeat([]byte{0xff}, 200), true)
	f.Fuzz(func(t *testing.T, data []byte, checkpoint bool) {
		x, err := DecodeExtra(data, checkpoint)
		list := len(data) - ExtraVanity - ExtraSeal
		var want error
		switch {
		case len(data) < ExtraVanity:
			want = errMissingVanity
		case list < 0:
			want = errMissingSignature
		case !checkpoint && list != 0:
			want = errExtraSigners
		case list%common.AddressLength != 0:
			want = errInvalidCheckpointSigners
		}
		if !errors.Is(err, want) || (want == nil) != (err == nil) {
			t.Fatalf("decode %d bytes (checkpoint %v): have error %v, want %v", len(data), checkpoint, err, want)
		}
		if err == nil {
			if have := x.Encode(); !bytes.Equal(have, data) {
				t.Fatalf("encode after decode: have %x, want %x", have, data)
			}
			if have, want := len(x.Signers), list/common.AddressLength; have != want {
				t.Fatalf("have %d signers, want %d", have, want)
			}
		}
		// Any bytes make a valid checkpoint extra-data once laid out.
		built := new(Extra)
		rest := data[copy(built.Vanity[:], data):]
		rest = rest[copy(built.Seal[:], rest):]
		for len(rest) >= common.AddressLength {
			built.Signers = append(built.Signers, common.BytesToAddress(rest[:common.AddressLength]))
			rest = rest[common.AddressLength:]
		}
		decoded, err := DecodeExtra(built.Encode(), true)
		if err != nil {
			t.Fatalf("decode of encoded extra-data: %v", err)
		}
		if decoded.Vanity != built.Vanity || decoded.Seal != built.Seal || !slices.Equal(decoded.Signers, built.Signers) {
			t.Fatalf("round trip: have %+v, want %+v", decoded, built)
		}
		// Recovering a signer from garbage fails cleanly or yields an address.
		header := &types.Header{Number: big.NewInt(1), Difficulty: big.NewInt(1), Extra: data, BaseFee: big.NewInt(1)}
		_, err = ecrecover(header, nil)
		if len(data) < ExtraSeal && !errors.Is(err, errMissingSignature) {
			t.Fatalf("recover from %d bytes: have error %v, want %v", len(data), err, errMissingSignature)
		}
	})
}

// FuzzVotes feeds random headers (signer, account voted on, nonce) to a
// snapshot one at a time and checks that the vote tally keeps its
// invariants, that failures are the expected ones, that apply never changes
// its receiver, and that one batch gives the same result as single steps.
//
// Input: byte 0 picks 1-6 initial signers out of 8 accounts, byte 1 an epoch
// of 2-9 blocks, then three bytes per header: signer, account voted on (index
// 8 is the zero address), nonce (two values in four are authorize/drop, one
// drop, one a garbage nonce).
func FuzzVotes(f *testing.F) {
	f.Add([]byte{2, 30, 0, 2, 1, 1, 2, 1, 0, 3, 1, 1, 3, 1})
	f.Add([]byte{4, 5, 0, 3, 0, 1, 3, 0, 2, 3, 0, 3, 0, 0, 0, 1, 1})
	f.Add([]byte{0, 3, 0, 0, 0, 0, 1, 1, 1, 1, 1})
	f.Add([]byte{5, 7, 0, 6, 1, 1, 6, 1, 2, 6, 1, 3, 6, 0, 4, 6, 0, 1, 6, 0, 2, 0, 0, 3, 6, 1})
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) < 2 {
			return
		}
		var accounts [9]common.Address // accounts[8] stays the zero address
		for i := 0; i < 8; i++ {
			accounts[i] = common.Address{byte(0x10 + i)}
		}
		config := &params.CliqueConfig{Epoch: 2 + uint64(data[1]%8)}
		cache := lru.NewCache[common.Hash, common.Address](1024)
		genesis := newSnapshot(config, cache, 0, common.Hash{0x01}, accounts[:1+int(data[0]%6)])
		if err := checkInvariants(genesis); err != nil {
			t.Fatalf("genesis: %v", err)
		}
		var (
			snap     = genesis
			accepted []*types.Header
			history  []common.Address // signers of the accepted headers
		)
		for in := data[2:]; len(in) >= 3 && len(accepted) < 300; in = in[3:] {
			signer := accounts[in[0]%8]
			header := &types.Header{
				ParentHash: snap.Hash,
				Number:     new(big.Int).SetUint64(snap.Number + 1),
				Coinbase:   accounts[in[1]%9],
				Difficulty: big.NewInt(1),
				Extra:      make([]byte, ExtraVanity+ExtraSeal),
			}
			switch in[2] % 4 {
			case 0, 2:
				header.Nonce = nonceDropVote
			case 1:
				header.Nonce = nonceAuthVote
			case 3:
				header.Nonce = types.EncodeNonce(uint64(in[2]) + 1)
			}
			// The header is not signed: its signer is planted in the cache.
			cache.Add(header.Hash(), signer)

			_, isSigner := snap.Signers[signer]
			limit := len(snap.Signers)/2 + 1
			recent := slices.Contains(history[max(0, len(history)-(limit-1)):], signer)
			var want error
			switch {
			case !isSigner:
				want = ErrUnauthorizedSigner
			case recent:
				want = ErrRecentlySigned
			case header.Nonce != nonceAuthVote && header.Nonce != nonceDropVote:
				want = errInvalidVote
			}
			before, _ := json.Marshal(snap)
			next, err := snap.apply([]*types.Header{header})
			if after, _ := json.Marshal(snap); !bytes.Equal(before, after) {
				t.Fatalf("block %d: apply changed its receiver", header.Number)
			}
			if !errors.Is(err, want) || (want == nil) != (err == nil) {
				t.Fatalf("block %d by %x: have error %v, want %v", header.Number, signer[:1], err, want)
			}
			if err != nil {
				continue
			}
			if err := checkInvariants(next); err != nil {
				t.Fatalf("block %d by %x voting %x: %v", header.Number, signer[:1], header.Coinbase[:1], err)
			}
			snap = next
			accepted = append(accepted, header)
			history = append(history, signer)
		}
		batch, err := genesis.apply(accepted)
		if err != nil {
			t.Fatalf("batch apply: %v", err)
		}
		if have, want := mustJSON(batch), mustJSON(snap); have != want {
			t.Fatalf("batch apply differs from single steps:\nhave %s\nwant %s", have, want)
		}
	})
}

// checkInvariants returns an error if the snapshot breaks a rule that must
// hold after any sequence of headers.
func checkInvariants(s *Snapshot) error {
	limit := s.limit()
	seen := make(map[common.Address]uint64)
	for number, signer := range s.Recents {
		// Recents covers exactly the blocks whose signers may not sign yet.
		if number > s.Number || number+limit <= s.Number {
			return fmt.Errorf("recent block %d outside (%d-%d, %d]", number, s.Number, limit, s.Number)
		}
		if other, ok := seen[signer]; ok {
			return fmt.Errorf("signer %x recent twice, at %d and %d", signer, other, number)
		}
		seen[signer] = number
	}
	checkpoint := s.Number - s.Number%s.config.Epoch
	counts := make(map[common.Address]int)
	pairs := make(map[[2]common.Address]bool)
	for i, v := range s.Votes {
		if _, ok := s.Signers[v.Signer]; !ok {
			return fmt.Errorf("vote %d by %x, who is not a signer", i, v.Signer)
		}
		if v.Block > s.Number || v.Block < checkpoint {
			return fmt.Errorf("vote %d from block %d, outside [%d, %d]", i, v.Block, checkpoint, s.Number)
		}
		if i > 0 && v.Block < s.Votes[i-1].Block {
			return fmt.Errorf("vote %d from block %d after one from block %d", i, v.Block, s.Votes[i-1].Block)
		}
		pair := [2]common.Address{v.Signer, v.Address}
		if pairs[pair] {
			return fmt.Errorf("signer %x votes twice on %x", v.Signer, v.Address)
		}
		pairs[pair] = true
		tally, ok := s.Tally[v.Address]
		if !ok || tally.Authorize != v.Authorize {
			return fmt.Errorf("vote %d (%+v) not in tally %+v", i, *v, tally)
		}
		counts[v.Address]++
	}
	for address, tally := range s.Tally {
		if tally.Votes != counts[address] || tally.Votes < 1 || tally.Votes > len(s.Signers) {
			return fmt.Errorf("tally of %x has %d votes, want %d (1 to %d)", address, tally.Votes, counts[address], len(s.Signers))
		}
		if _, signer := s.Signers[address]; signer == tally.Authorize {
			return fmt.Errorf("tally of %x votes authorize=%v on a signer=%v", address, tally.Authorize, signer)
		}
	}
	return nil
}

func mustJSON(v any) string {
	blob, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(blob)
}
