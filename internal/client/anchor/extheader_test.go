package anchor

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/consensus/aura"
)

// realAura are blocks Parity sealed on POA networks, with the hashes their
// nodes stated (consensus/aura/testdata/README.md).
var realAura = map[string]common.Hash{
	"../../../consensus/aura/testdata/poa-sokol-34.json":        common.HexToHash("0xe52d77084cab13a4e724162bcd8c6028e5ecfaa04d091ee476e96b9958ed6b47"),
	"../../../consensus/aura/testdata/poa-netstats-243673.json": common.HexToHash("0xf974c07ac165f8490ef225d47f24b81161e2f2bd8ffd5b926a1a37bb22a02462"),
}

func realAuraRLP(t testing.TB, file string) []byte {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	h, err := aura.DecodeJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	raw, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return raw
}

// TestDecodeExtHeaderRealAura decodes the RLP of real Parity-sealed
// headers as a proof file holds them: the hash is the one Parity stated,
// the roots are the header's; the same bytes with the step widened to 32
// bytes (a mixDigest's size) or a byte dropped from the signature are
// refused.
func TestDecodeExtHeaderRealAura(t *testing.T) {
	for file, hash := range realAura {
		raw := realAuraRLP(t, file)
		h, err := decodeExtHeader(raw)
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		a, _ := aura.DecodeHeader(raw)
		if h.Hash != hash || h.Number != a.Number || h.ParentHash != a.ParentHash || h.Root != a.Root || h.TxHash != a.TxHash || h.ReceiptHash != a.ReceiptHash {
			t.Fatalf("%s: decoded %+v, want hash %s and the header's fields", file, h, hash)
		}
		fields := splitList(t, raw)
		if !bytes.Equal(joinList(fields), raw) {
			t.Fatal("splitList and joinList do not give the header back")
		}
		for name, change := range map[string]func([][]byte){
			"step as 32 bytes":   func(f [][]byte) { f[13] = mustRLP(t, common.LeftPadBytes(new(big.Int).SetUint64(a.Step).Bytes(), 32)) },
			"64-byte signature":  func(f [][]byte) { f[14] = mustRLP(t, a.Signature[:64]) },
			"non-canonical step": func(f [][]byte) { f[13] = mustRLP(t, append([]byte{0}, new(big.Int).SetUint64(a.Step).Bytes()...)) },
		} {
			altered := append([][]byte{}, fields...)
			change(altered)
			if h, err := decodeExtHeader(joinList(altered)); err == nil {
				t.Errorf("%s with %s decodes: %+v", file, name, h)
			}
		}
	}
}

// TestDecodeExtHeaderEthereum decodes a go-ethereum header (a Clique
// chain's) to its hash, and refuses it re-encoded non-canonically.
func TestDecodeExtHeaderEthereum(t *testing.T) {
	g := &types.Header{ParentHash: common.Hash{1}, UncleHash: types.EmptyUncleHash, Root: common.Hash{2}, TxHash: types.EmptyTxsHash,
		ReceiptHash: types.EmptyReceiptsHash, Difficulty: big.NewInt(2), Number: big.NewInt(77), GasLimit: 8_000_000, Time: 1, Extra: make([]byte, 97)}
	raw, err := rlp.EncodeToBytes(g)
	if err != nil {
		t.Fatal(err)
	}
	h, err := decodeExtHeader(raw)
	if err != nil || h != fromEthHeader(g) || h.Hash != crypto.Keccak256Hash(raw) {
		t.Fatalf("decoded %+v, %v; want %+v", h, err, fromEthHeader(g))
	}
	fields := splitList(t, raw)
	fields[8] = []byte{0x81, 77} // number 77 as a one-byte string: not canonical
	if h, err := decodeExtHeader(joinList(fields)); err == nil {
		t.Fatalf("a non-canonical number decodes: %+v", h)
	}
}

// FuzzDecodeExtHeader checks that a header decoded from a proof file
// hashes to keccak256 of its bytes, and that decoding never panics.
func FuzzDecodeExtHeader(f *testing.F) {
	for file := range realAura {
		f.Add(realAuraRLP(f, file))
	}
	g, _ := rlp.EncodeToBytes(&types.Header{Difficulty: big.NewInt(1), Number: big.NewInt(1)})
	f.Add(g)
	f.Fuzz(func(t *testing.T, raw []byte) {
		h, err := decodeExtHeader(raw)
		if err == nil && h.Hash != crypto.Keccak256Hash(raw) {
			t.Fatalf("decoded hash %s, keccak256 of the bytes %s", h.Hash, crypto.Keccak256Hash(raw))
		}
	})
}

// TestHexType reads OpenEthereum's numeric "type" and leaves others.
func TestHexType(t *testing.T) {
	for in, want := range map[string]string{
		`{"type":1,"x":"0x1"}`: `{"type":"0x1","x":"0x1"}`,
		`{"type":"0x2"}`:       `{"type":"0x2"}`,
		`{"status":"0x1"}`:     `{"status":"0x1"}`,
		`{"type":0,"logs":[]}`: `{"logs":[],"type":"0x0"}`,
	} {
		out, err := hexType(json.RawMessage(in))
		if err != nil || !jsonSame(t, out, want) {
			t.Errorf("hexType(%s) = %s, %v; want %s", in, out, err, want)
		}
	}
	for _, bad := range []string{`{"type":-1}`, `{"type":1.5}`, `[1]`} {
		if out, err := hexType(json.RawMessage(bad)); err == nil {
			t.Errorf("hexType(%s) = %s, want an error", bad, out)
		}
	}
}

// TestStorageKey reads eth_getProof's storage keys as go-ethereum (32
// bytes) and OpenEthereum (a quantity) write them.
func TestStorageKey(t *testing.T) {
	seven := common.BigToHash(big.NewInt(7))
	for in, want := range map[string]common.Hash{
		`"0x7"`:                               seven,
		`"0x07"`:                              seven,
		`"` + seven.Hex() + `"`:               seven,
		`"0x` + strings.Repeat("f", 64) + `"`: common.HexToHash("0x" + strings.Repeat("f", 64)),
	} {
		var k storageKey
		if err := json.Unmarshal([]byte(in), &k); err != nil || common.Hash(k) != want {
			t.Errorf("%s: %x, %v; want %s", in, k, err, want)
		}
	}
	for _, bad := range []string{`7`, `"7"`, `"0x"`, `"0x` + strings.Repeat("0", 65) + `"`, `"0xzz"`} {
		var k storageKey
		if err := json.Unmarshal([]byte(bad), &k); err == nil {
			t.Errorf("%s: read as %x, want an error", bad, k)
		}
	}
}

func splitList(t *testing.T, raw []byte) [][]byte {
	t.Helper()
	content, _, err := rlp.SplitList(raw)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]byte
	for len(content) > 0 {
		_, _, rest, err := rlp.Split(content)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, content[:len(content)-len(rest)])
		content = rest
	}
	return out
}

func joinList(fields [][]byte) []byte {
	var w bytes.Buffer
	content := bytes.Join(fields, nil)
	w.Write(listHeader(len(content)))
	w.Write(content)
	return w.Bytes()
}

func listHeader(n int) []byte {
	if n < 56 {
		return []byte{0xc0 + byte(n)}
	}
	size := new(big.Int).SetInt64(int64(n)).Bytes()
	return append([]byte{0xf7 + byte(len(size))}, size...)
}

func mustRLP(t *testing.T, v any) []byte {
	t.Helper()
	b, err := rlp.EncodeToBytes(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func jsonSame(t *testing.T, a []byte, b string) bool {
	var x, y any
	if json.Unmarshal(a, &x) != nil || json.Unmarshal([]byte(b), &y) != nil {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return bytes.Equal(ja, jb)
}
