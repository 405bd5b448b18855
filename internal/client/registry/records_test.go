package registry

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// TestRecordSlots pins the slots the decoders read, computed from the
// artifacts' storage layouts, against the formulas of docs/contracts.md.
func TestRecordSlots(t *testing.T) {
	docHash := hashOf("document")
	word := func(v int64) []byte { return common.BigToHash(big.NewInt(v)).Bytes() }
	record := new(big.Int).SetBytes(crypto.Keccak256(docHash[:], word(1)))
	markKey := crypto.Keccak256(make([]byte, 32), docHash[:])
	mark := new(big.Int).SetBytes(crypto.Keccak256(markKey, word(3)))
	want := []common.Hash{add(record, 0), add(record, 1), add(record, 2), add(record, 3), add(mark, 0), add(mark, 1)}
	var have []common.Hash
	read := func(s common.Hash) (common.Hash, error) { have = append(have, s); return common.Hash{}, nil }
	rec, err := decodeDocument(read, docHash[:], 0)
	if err != nil {
		t.Fatal(err)
	}
	if rec.Status != "unknown" {
		t.Errorf("empty storage: have status %q, want unknown", rec.Status)
	}
	if len(have) != len(want) {
		t.Fatalf("document slots: have %v, want %v", have, want)
	}
	for i := range want {
		if have[i] != want[i] {
			t.Errorf("document slot %d: have %v, want %v", i, have[i], want[i])
		}
	}

	// A parcel with one owner and one history entry.
	parcel := common.BytesToHash(append([]byte("77:01:1"), make([]byte, 25)...))
	pBase := new(big.Int).SetBytes(crypto.Keccak256(parcel[:], word(1)))
	owners := new(big.Int).SetBytes(crypto.Keccak256(add(pBase, 1).Bytes()))
	owner := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	share := crypto.Keccak256Hash(common.BytesToHash(owner[:]).Bytes(), crypto.Keccak256(parcel[:], word(2)))
	hist := new(big.Int).SetBytes(crypto.Keccak256(parcel[:], word(6)))
	entries := new(big.Int).SetBytes(crypto.Keccak256(common.BigToHash(hist).Bytes()))
	values := map[common.Hash]common.Hash{
		add(pBase, 0):          common.BigToHash(big.NewInt(1000)), // registeredAt 1000, no liens
		add(pBase, 1):          common.BigToHash(big.NewInt(1)),
		add(owners, 0):         common.BytesToHash(owner[:]),
		share:                  common.BigToHash(big.NewInt(7)),
		common.BigToHash(hist): common.BigToHash(big.NewInt(1)),
		// entry 0: action 0 at byte 0, time 1000 at bytes 1-8, party at 9-28
		add(entries, 0): common.BigToHash(new(big.Int).Or(new(big.Int).Lsh(new(big.Int).SetBytes(owner[:]), 72), big.NewInt(1000<<8))),
		add(entries, 2): common.BytesToHash(append([]byte("LAND"), make([]byte, 28)...)),
	}
	read = func(s common.Hash) (common.Hash, error) { return values[s], nil }
	title, err := decodeTitle(read, parcel[:])
	if err != nil {
		t.Fatal(err)
	}
	if title.Parcel != "77:01:1" || title.RegisteredAt != 1000 || len(title.Owners) != 1 || title.Owners[0] != (Owner{owner, 7}) || title.Transfer != nil {
		t.Fatalf("title: have %+v", title)
	}
	if len(title.History) != 1 || title.History[0].Action != "registered" || title.History[0].Time != 1000 || title.History[0].Party != owner || title.History[0].Ref != "LAND" {
		t.Fatalf("history: have %+v", title.History)
	}
	// A slot missing from a proof is an error, not a zero.
	if _, err := decodeTitle(mapReader(map[common.Hash]common.Hash{add(pBase, 0): {}}), parcel[:]); err == nil {
		t.Error("decoding from too few proven slots: no error")
	}
}

func TestLabel32(t *testing.T) {
	for _, tt := range []struct {
		in   []byte
		want string
	}{
		{append([]byte("CIVIL"), make([]byte, 27)...), "CIVIL"},
		{make([]byte, 32), ""},
		{append([]byte{0x01, 'A'}, make([]byte, 30)...), "0x0141000000000000000000000000000000000000000000000000000000000000"},
	} {
		if have := label32(tt.in); have != tt.want {
			t.Errorf("label32(%x): have %q, want %q", tt.in, have, tt.want)
		}
	}
}
