package registry

import (
	"encoding/json"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
)

// layout is solc's storage layout of a contract (the artifact's
// storageLayout): where each state variable and struct member lives.
type layout struct {
	contract string
	vars     map[string]layoutVar
	types    map[string]layoutType
}

type layoutVar struct {
	Label  string `json:"label"`
	Slot   string `json:"slot"`
	Offset int    `json:"offset"`
	Type   string `json:"type"`
}

type layoutType struct {
	Encoding      string      `json:"encoding"`
	NumberOfBytes string      `json:"numberOfBytes"`
	Base          string      `json:"base"`
	Key           string      `json:"key"`
	Value         string      `json:"value"`
	Members       []layoutVar `json:"members"`
}

// field is where a value lives relative to a base slot: slot base+Slot,
// bytes [32-Offset-Size, 32-Offset) of the big-endian word.
type field struct {
	Slot   uint64
	Offset int
	Size   int
}

// loadLayout reads the storage layout of the named contract's artifact.
func loadLayout(name string) (*layout, error) {
	a, err := contracts.Load(name)
	if err != nil {
		return nil, err
	}
	var raw struct {
		Storage []layoutVar           `json:"storage"`
		Types   map[string]layoutType `json:"types"`
	}
	if err := json.Unmarshal(a.StorageLayout, &raw); err != nil {
		return nil, fmt.Errorf("storage layout of %s: %w", name, err)
	}
	l := &layout{contract: name, vars: make(map[string]layoutVar), types: raw.Types}
	for _, v := range raw.Storage {
		l.vars[v.Label] = v
	}
	return l, nil
}

// mustLayout is loadLayout for the embedded artifacts (a broken build panics).
func mustLayout(name string) *layout {
	l, err := loadLayout(name)
	if err != nil {
		panic(err)
	}
	return l
}

// varSlot returns the slot of a state variable and its type.
func (l *layout) varSlot(label string) (*big.Int, string) {
	v, ok := l.vars[label]
	if !ok {
		panic(fmt.Sprintf("registry: %s has no state variable %q (artifact changed? update records.go)", l.contract, label))
	}
	n, ok := new(big.Int).SetString(v.Slot, 10)
	if !ok {
		panic(fmt.Sprintf("registry: %s.%s: slot %q", l.contract, label, v.Slot))
	}
	return n, v.Type
}

// typ returns a type of the layout.
func (l *layout) typ(id string) layoutType {
	t, ok := l.types[id]
	if !ok {
		panic(fmt.Sprintf("registry: %s: no type %q in the storage layout", l.contract, id))
	}
	return t
}

// member returns where member of the struct type structID lives.
func (l *layout) member(structID, name string) field {
	for _, m := range l.typ(structID).Members {
		if m.Label == name {
			slot, err := strconv.ParseUint(m.Slot, 10, 64)
			if err != nil {
				panic(fmt.Sprintf("registry: %s.%s slot %q", structID, name, m.Slot))
			}
			size, err := strconv.Atoi(l.typ(m.Type).NumberOfBytes)
			if err != nil {
				panic(fmt.Sprintf("registry: %s.%s size", structID, name))
			}
			return field{Slot: slot, Offset: m.Offset, Size: size}
		}
	}
	panic(fmt.Sprintf("registry: %s: struct %s has no member %q", l.contract, structID, name))
}

// slots returns how many slots one value of type id takes.
func (l *layout) slots(id string) uint64 {
	n, err := strconv.ParseUint(l.typ(id).NumberOfBytes, 10, 64)
	if err != nil {
		panic(fmt.Sprintf("registry: %s size", id))
	}
	return (n + 31) / 32
}

// mapSlot returns the slot of mapping[key] for a mapping at slot: keccak256(key . slot).
func mapSlot(key common.Hash, slot *big.Int) *big.Int {
	return new(big.Int).SetBytes(crypto.Keccak256(key[:], common.BigToHash(slot).Bytes()))
}

// arrayData returns the slot of element 0 of a dynamic array whose length is at slot.
func arrayData(slot *big.Int) *big.Int {
	return new(big.Int).SetBytes(crypto.Keccak256(common.BigToHash(slot).Bytes()))
}

// add returns slot+n as a storage key (mod 2^256).
func add(slot *big.Int, n uint64) common.Hash {
	s := new(big.Int).Add(slot, new(big.Int).SetUint64(n))
	return common.BigToHash(s.Mod(s, two256))
}

var two256 = new(big.Int).Lsh(big.NewInt(1), 256)

// read extracts a field from a word.
func (f field) read(word common.Hash) []byte {
	return word[32-f.Offset-f.Size : 32-f.Offset]
}

// uint reads a field as an unsigned integer (at most 8 bytes).
func (f field) uint(word common.Hash) uint64 {
	return new(big.Int).SetBytes(f.read(word)).Uint64()
}
