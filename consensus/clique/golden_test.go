package clique

import (
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	upstream "github.com/ethereum/go-ethereum/consensus/clique"
	"github.com/ethereum/go-ethereum/core/types"
)

// goldenSealHashes pins the Clique seal hashes of a few headers. The seal hash
// comes from upstream; a geth upgrade that changes it would split our chain
// from every existing Clique network.
//
//	UPDATE_GOLDEN=1 go test -run TestSealHashGolden ./consensus/clique
const goldenSealHashes = "testdata/sealhash.golden"

func TestSealHashGolden(t *testing.T) {
	vote := &types.Header{
		ParentHash: common.HexToHash("0x01"),
		UncleHash:  types.EmptyUncleHash,
		Root:       common.HexToHash("0x02"),
		Number:     big.NewInt(1234),
		GasLimit:   30_000_000,
		GasUsed:    21_000,
		Time:       1_700_000_000,
		Difficulty: big.NewInt(2),
		Extra:      make([]byte, ExtraVanity+ExtraSeal),
		BaseFee:    big.NewInt(875_000_000),
	}
	encodeVote(vote, common.HexToAddress("0x00000000000000000000000000000000000000aa"), true)
	checkpoint := types.CopyHeader(vote)
	checkpoint.Number = big.NewInt(30000)
	encodeVote(checkpoint, common.Address{}, false)
	checkpoint.Extra = (&Extra{Signers: []common.Address{{0x01}, {0x02}}}).Encode()
	headers := []struct {
		Name   string `json:"name"`
		header *types.Header
		Seal   common.Hash `json:"sealHash"`
	}{
		{Name: "empty london header", header: &types.Header{Difficulty: new(big.Int), Number: new(big.Int), Extra: make([]byte, ExtraVanity+ExtraSeal), BaseFee: new(big.Int)}},
		{Name: "authorize vote", header: vote},
		{Name: "checkpoint with two signers", header: checkpoint},
	}
	for i := range headers {
		headers[i].Seal = upstream.SealHash(headers[i].header)
		// The seal itself is not part of the seal hash.
		sealed := types.CopyHeader(headers[i].header)
		sealed.Extra[len(sealed.Extra)-1] = 0x01
		if have := upstream.SealHash(sealed); have != headers[i].Seal {
			t.Errorf("%s: seal hash covers the seal", headers[i].Name)
		}
	}
	have, err := json.MarshalIndent(headers, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	have = append(have, '\n')
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.MkdirAll(filepath.Dir(goldenSealHashes), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(goldenSealHashes, have, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(goldenSealHashes)
	if err != nil {
		t.Fatalf("%v (create it with UPDATE_GOLDEN=1)", err)
	}
	if string(have) != string(want) {
		t.Errorf("seal hashes differ from %s (a geth upgrade changing them breaks every Clique chain):\nhave %s\nwant %s", goldenSealHashes, have, want)
	}
}
