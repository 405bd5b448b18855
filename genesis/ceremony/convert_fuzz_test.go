package ceremony

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"testing"

	"github.com/ethereum/go-ethereum/core"

	"github.com/citychain/citychain/genesis"
)

// FuzzConvert: whatever a geth 1.13 genesis file holds, Convert never
// crashes; it refuses with ErrConvert, or its output is a citychain genesis
// that genesis.Decode takes, whose block hash is the one go-ethereum's own
// decoder gives the input.
func FuzzConvert(f *testing.F) {
	data, err := os.ReadFile("../../internal/node/chainio/testdata/geth113-clique.genesis.json")
	if err != nil {
		f.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		f.Fatal(err)
	}
	delete(top["config"].(map[string]any), "terminalTotalDifficulty")
	geth113, err := json.Marshal(top)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(geth113)
	f.Add([]byte(`{"config":{"chainId":1,"clique":{"period":1,"epoch":30000}},"difficulty":"0x1","gasLimit":"0x1000000","extraData":"0x"}`))
	f.Add([]byte(`{"config":{"clique":null},"alloc":{"0x0000000000000000000000000000000000000001":{"balance":"0x1"}}}`))
	f.Add([]byte(`{"config":{}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		conv, err := Convert(data)
		if err != nil {
			if !errors.Is(err, ErrConvert) {
				t.Fatalf("%q: error %v is not ErrConvert", data, err)
			}
			return
		}
		g := new(core.Genesis)
		if err := json.Unmarshal(data, g); err != nil {
			t.Fatalf("%q converted, but go-ethereum does not decode it: %v", data, err)
		}
		if want := g.ToBlock().Hash(); conv.Hash != want {
			t.Fatalf("%q: converted hash %s, go-ethereum's %s", data, conv.Hash.Hex(), want.Hex())
		}
		out, err := genesis.Decode(bytes.NewReader(conv.JSON))
		if err != nil {
			t.Fatalf("%q: the converted genesis does not decode: %v", data, err)
		}
		if h := out.ToBlock().Hash(); h != conv.Hash {
			t.Fatalf("%q: the converted genesis has hash %s, Convert said %s", data, h.Hex(), conv.Hash.Hex())
		}
	})
}
