package clique

import (
	"math/big"
	"testing"

	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
)

// FuzzVerifyHeader: a header a peer sends on top of a short chain of three
// signers (A, B, C; D and E outsiders), its fields drawn by the fuzzer
// (sealer, vote, nonce, difficulty, time, gas limit, extra data, mix digest,
// uncle hash, signature), is accepted by our VerifyHeader exactly when
// go-ethereum's own Clique accepts it, and never crashes either.
func FuzzVerifyHeader(f *testing.F) {
	const epoch = 8
	keys := newKeyring()
	labels := []string{"A", "B", "C", "D", "E"}
	config := testChainConfig(0, epoch)
	chain := newTestChain(config, testGenesis(config, keys.addresses("A", "B", "C")).ToBlock().Header())
	ours := New(config.Clique, rawdb.NewMemoryDatabase())
	for range 5 { // five blocks, each sealed by the signer in turn
		parent := chain.CurrentHeader()
		snap, err := snapshotAt(ours, chain, parent)
		if err != nil {
			f.Fatal(err)
		}
		header := nextHeader(config, parent)
		number := header.Number.Uint64()
		label := keys.names(snap.signers())[number%uint64(len(snap.signers()))]
		header.Difficulty = difficulty(snap, number, keys.address(label))
		keys.sign(header, label)
		if err := ours.VerifyHeader(chain, header, nil); err != nil {
			f.Fatalf("block %d by %s: %v", number, label, err)
		}
		chain.insert(header)
	}
	f.Add(uint8(0), uint8(0), uint8(0), int8(0), int16(0), []byte(nil))    // the signer in turn, no vote
	f.Add(uint8(1), uint8(0x36), uint8(0), int8(0), int16(0), []byte(nil)) // out of turn, voting D in
	f.Add(uint8(3), uint8(0), uint8(0), int8(0), int16(0), []byte(nil))    // an outsider
	f.Add(uint8(0), uint8(0x80), uint8(0), int8(0), int16(0), []byte(nil)) // a broken signature
	f.Add(uint8(0), uint8(0x0a), uint8(1), int8(-1), int16(1), []byte("x"))
	f.Fuzz(func(t *testing.T, signer, flags, diff uint8, dt int8, gas int16, extra []byte) {
		ours := New(config.Clique, rawdb.NewMemoryDatabase())
		theirs := upstream.New(config.Clique, rawdb.NewMemoryDatabase())
		parent := chain.CurrentHeader()
		snap, err := snapshotAt(ours, chain, parent)
		if err != nil {
			t.Fatal(err)
		}
		header := nextHeader(config, parent)
		number := header.Number.Uint64()
		label := labels[int(signer)%len(labels)]
		if flags&0x02 != 0 {
			encodeVote(header, keys.address(labels[int(flags>>4)%len(labels)]), flags&0x04 != 0)
		}
		if flags&0x08 != 0 {
			header.Nonce[int(diff)%len(header.Nonce)] ^= diff | 1
		}
		switch diff % 4 {
		case 0:
			header.Difficulty = difficulty(snap, number, keys.address(label))
		case 1, 2:
			header.Difficulty = big.NewInt(int64(diff % 4))
		default:
			header.Difficulty = big.NewInt(int64(diff))
		}
		header.Time = uint64(int64(header.Time) + int64(dt))
		header.GasLimit = uint64(int64(header.GasLimit) + int64(gas))
		if len(extra) > 0 {
			header.Extra = append(append([]byte{}, extra...), make([]byte, ExtraSeal)...)
		}
		if flags&0x01 != 0 {
			header.MixDigest[0] = 1
		}
		if flags&0x40 != 0 {
			header.UncleHash = types.EmptyTxsHash
		}
		if len(header.Extra) >= ExtraSeal {
			keys.sign(header, label)
		}
		if flags&0x80 != 0 && len(header.Extra) > 0 {
			header.Extra[len(header.Extra)-1] ^= 0xff
		}
		ourErr := ours.VerifyHeader(chain, header, nil)
		theirErr := theirs.VerifyHeader(chain, header)
		if (ourErr == nil) != (theirErr == nil) {
			t.Fatalf("block %d by %s (flags %#x, difficulty %v, time %+d, gas %+d, extra %x): ours %v, upstream %v", number, label, flags, header.Difficulty, dt, gas, extra, ourErr, theirErr)
		}
	})
}
