package gossip

import (
	"bytes"
	"errors"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rlp"
)

// validMessages returns one well-formed payload per message code.
func validMessages(t testing.TB) map[uint64][]byte {
	blocks := extend(genesis, 3, "main")
	msgs := map[uint64]any{
		statusMsg:         status(blocks[2], 7),
		newBlockMsg:       &newBlockPacket{Block: blocks[2]},
		newBlockHashesMsg: announcementsPacket{{Hash: blocks[2].Hash(), Number: 3}},
		getBlocksMsg:      &getBlocksPacket{RequestID: 9, Hash: blocks[2].Hash(), Count: 3},
		blocksMsg:         &blocksPacket{RequestID: 9, Blocks: []*types.Block{blocks[2], blocks[1]}},
	}
	out := make(map[uint64][]byte)
	for code, v := range msgs {
		enc, err := rlp.EncodeToBytes(v)
		if err != nil {
			t.Fatal(err)
		}
		out[code] = enc
	}
	return out
}

func TestDecodeRoundTrip(t *testing.T) {
	for code, payload := range validMessages(t) {
		v, err := decode(code, payload)
		if err != nil {
			t.Fatalf("code %#x: have error %v, want nil", code, err)
		}
		enc, err := rlp.EncodeToBytes(v)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, payload) {
			t.Fatalf("code %#x: have re-encoding %x, want %x", code, enc, payload)
		}
	}
}

func TestDecodeLimits(t *testing.T) {
	huge := new(big.Int).Lsh(common.Big1, maxTDBits)
	hugeNumber := types.NewBlockWithHeader(&types.Header{Number: new(big.Int).Lsh(common.Big1, 64), Difficulty: common.Big1})
	tests := []struct {
		name string
		code uint64
		v    any
	}{
		{"td above 256 bits", statusMsg, &statusPacket{TD: huge}},
		{"block number above 64 bits", newBlockMsg, &newBlockPacket{Block: hugeNumber}},
		{"answer block number above 64 bits", blocksMsg, &blocksPacket{Blocks: []*types.Block{hugeNumber}}},
		{"too many blocks", blocksMsg, &blocksPacket{Blocks: make([]*types.Block, maxGetBlocks+1)}},
		{"too many announcements", newBlockHashesMsg, make(announcementsPacket, maxAnnouncements+1)},
		{"count zero", getBlocksMsg, &getBlocksPacket{Count: 0}},
		{"count above cap", getBlocksMsg, &getBlocksPacket{Count: maxGetBlocks + 1}},
		{"unknown code", protocolLength, []uint{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v := tt.v
			if bp, ok := v.(*blocksPacket); ok && len(bp.Blocks) > 0 && bp.Blocks[0] == nil {
				for i := range bp.Blocks {
					bp.Blocks[i] = genesis
				}
			}
			payload, err := rlp.EncodeToBytes(v)
			if err != nil {
				t.Fatal(err)
			}
			if _, err := decode(tt.code, payload); !errors.Is(err, errMalformed) {
				t.Fatalf("have error %v, want errMalformed", err)
			}
		})
	}
}

// FuzzDecode checks that no payload makes a decoder panic, and that whatever
// decodes re-encodes to something that decodes to the same encoding.
func FuzzDecode(f *testing.F) {
	for code, payload := range validMessages(f) {
		f.Add(uint8(code), payload)
	}
	f.Add(uint8(blocksMsg), []byte{0xc2, 0x01, 0xc0})
	f.Add(uint8(statusMsg), []byte{0xc0})
	f.Fuzz(func(t *testing.T, code uint8, payload []byte) {
		v, err := decode(uint64(code%(protocolLength+1)), payload)
		if err != nil {
			if !errors.Is(err, errMalformed) {
				t.Fatalf("have error %v, want one wrapping errMalformed", err)
			}
			return
		}
		enc, err := rlp.EncodeToBytes(v)
		if err != nil {
			t.Fatalf("have encoding error %v for a decoded message", err)
		}
		again, err := decode(uint64(code%(protocolLength+1)), enc)
		if err != nil {
			t.Fatalf("have error %v decoding a re-encoded message", err)
		}
		enc2, err := rlp.EncodeToBytes(again)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(enc, enc2) {
			t.Fatalf("have re-encoding %x, want %x", enc2, enc)
		}
	})
}
