package aura

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/rlp"
)

func TestDecodeHeader(t *testing.T) {
	vs := validators(t, 1)
	h := child(t, genesisHeader(), 1001, vs[0])
	enc, err := h.Encode()
	if err != nil {
		t.Fatal(err)
	}
	dec, err := DecodeHeader(enc)
	if err != nil || dec.Hash() != h.Hash() {
		t.Fatalf("round trip: %v", err)
	}
	// Empty steps: a third seal field.
	var fields []rlp.RawValue
	if err := rlp.DecodeBytes(enc, &fields); err != nil {
		t.Fatal(err)
	}
	withEmptySteps, _ := rlp.EncodeToBytes(append(fields, rlp.EmptyList))
	if _, err := DecodeHeader(withEmptySteps); err == nil || !strings.Contains(err.Error(), "empty steps") {
		t.Fatalf("three seal fields: have %v, want empty steps refused", err)
	}
	if _, err := DecodeHeader(append(enc, 0x80)); err == nil {
		t.Fatal("trailing bytes accepted")
	}
	// A Clique/go-ethereum header (mixHash and nonce where the seal is) is not an Aura header.
	clique, _ := rlp.EncodeToBytes(append(fields[:13], rlp.RawValue{0xa0}, rlp.RawValue{0x88}))
	if _, err := DecodeHeader(clique); err == nil {
		t.Fatal("a header with a 32-byte and an 8-byte seal field accepted")
	}
}

func TestDecodeHeaderWithBaseFee(t *testing.T) {
	vs := validators(t, 1)
	h := child(t, genesisHeader(), 1001, vs[0])
	h.BaseFee = bigOf(7)
	reseal(t, h, h.Step, vs[0])
	enc, _ := h.Encode()
	dec, err := DecodeHeader(enc)
	if err != nil || dec.BaseFee.Uint64() != 7 || dec.Hash() != h.Hash() {
		t.Fatalf("base fee header: %v", err)
	}
	if s, err := dec.Signer(); err != nil || s != vs[0].addr {
		t.Fatalf("base fee header's sealer %s (%v), want %s", s, err, vs[0].addr)
	}
}

// FuzzDecodeHeader: whatever decodes re-encodes to the same bytes (one
// encoding per header, so one hash), and its hashes and signer do not panic.
func FuzzDecodeHeader(f *testing.F) {
	for _, b := range realBlocks {
		data, err := os.ReadFile(b.file)
		if err != nil {
			f.Fatal(err)
		}
		h, err := DecodeJSON(data)
		if err != nil {
			f.Fatal(err)
		}
		enc, _ := h.Encode()
		f.Add(enc)
	}
	f.Add([]byte{0xc0})
	f.Fuzz(func(t *testing.T, data []byte) {
		h, err := DecodeHeader(data)
		if err != nil {
			return
		}
		enc, err := h.Encode()
		if err != nil {
			t.Fatalf("decoded header does not encode: %v", err)
		}
		if !bytes.Equal(enc, data) {
			t.Fatalf("re-encoding differs:\n%x\n%x", data, enc)
		}
		_ = h.BareHash()
		_, _ = h.Signer()
	})
}
