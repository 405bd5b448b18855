package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// ProofVersion is the version of the proof file format this package writes.
const ProofVersion = 1

// Proof is a self-contained proof that an account, some of its storage slots
// and optionally a record decoded from them had the given values at one block.
// It holds everything an auditor needs to check it offline: the block header
// (whose hash the auditor trusts from elsewhere), the account proof against
// the header's state root and the storage proofs against the account's
// storage root.
//
// The file form is the canonical JSON written by Encode; Decode accepts
// nothing else, so that a change to any byte of a file makes it fail.
type Proof struct {
	Version uint64         `json:"version"`
	Header  HeaderClaim    `json:"header"`
	Account AccountClaim   `json:"account"`
	Storage []StorageClaim `json:"storage"`
	Record  *Record        `json:"record,omitempty"`
}

// HeaderClaim is the block header: its RLP, which is what is hashed and
// trusted, and the fields read from it, for people reading the file.
type HeaderClaim struct {
	RLP        hexutil.Bytes  `json:"rlp"`
	Hash       common.Hash    `json:"hash"`
	Number     hexutil.Uint64 `json:"number"`
	ParentHash common.Hash    `json:"parentHash"`
	StateRoot  common.Hash    `json:"stateRoot"`
	Time       hexutil.Uint64 `json:"timestamp"`
	Sealer     common.Address `json:"sealer"` // recovered from the Clique seal
}

// AccountClaim is an account's fields and the proof of them (the nodes of the
// state trie from the root to the account's leaf, or to where the account
// would be if it does not exist).
type AccountClaim struct {
	Address     common.Address  `json:"address"`
	Exists      bool            `json:"exists"`
	Nonce       hexutil.Uint64  `json:"nonce"`
	Balance     *hexutil.Big    `json:"balance"`
	CodeHash    common.Hash     `json:"codeHash"`
	StorageRoot common.Hash     `json:"storageRoot"`
	Proof       []hexutil.Bytes `json:"proof"`
}

// StorageClaim is one storage slot's value and the proof of it against the
// account's storage root.
type StorageClaim struct {
	Slot  common.Hash     `json:"slot"`
	Value common.Hash     `json:"value"`
	Proof []hexutil.Bytes `json:"proof"`
}

// Record is a value decoded from the proven storage slots, such as a document
// or a title record. Kind names the decoder registered with RegisterRecord or
// RegisterKeyedRecord; Key (for keyed kinds) names the record within the
// contract, such as a document hash or a parcel number; verification decodes
// the proven slots again and compares.
type Record struct {
	Kind  string          `json:"kind"`
	Key   hexutil.Bytes   `json:"key,omitempty"`
	Value json.RawMessage `json:"value"`
}

// RecordDecoder turns the proven storage values of an account into the
// canonical JSON of a record. It must be deterministic: verification calls it
// again and compares bytes.
type RecordDecoder func(address common.Address, slots map[common.Hash]common.Hash) (json.RawMessage, error)

// RecordSource is what a keyed record decoder reads, all of it proven: the
// account's address and code hash, the record's key, the storage values and
// the block's timestamp (for statuses that depend on time).
type RecordSource struct {
	Address   common.Address
	CodeHash  common.Hash
	Key       []byte
	Slots     map[common.Hash]common.Hash
	BlockTime uint64
}

// KeyedRecordDecoder turns a RecordSource into the canonical JSON of a
// record. It must be deterministic and must fail if a slot it needs is not
// proven.
type KeyedRecordDecoder func(src RecordSource) (json.RawMessage, error)

var (
	recordsMu sync.RWMutex
	records   = make(map[string]KeyedRecordDecoder)
)

// RegisterRecord registers the decoder of a record kind, typically from an
// init function of the package that knows the contract's storage layout. It
// panics if the kind is empty or registered twice: both are programming errors.
func RegisterRecord(kind string, decode RecordDecoder) {
	if decode == nil {
		panic("audit: RegisterRecord needs a kind and a decoder")
	}
	RegisterKeyedRecord(kind, func(src RecordSource) (json.RawMessage, error) {
		if len(src.Key) != 0 {
			return nil, fmt.Errorf("record kind takes no key, have %d bytes", len(src.Key))
		}
		return decode(src.Address, src.Slots)
	})
}

// RegisterKeyedRecord registers the decoder of a record kind that needs a key
// (a document hash, a parcel number) and may read the code hash and block
// time. It panics if the kind is empty or registered twice.
func RegisterKeyedRecord(kind string, decode KeyedRecordDecoder) {
	recordsMu.Lock()
	defer recordsMu.Unlock()
	if kind == "" || decode == nil {
		panic("audit: RegisterKeyedRecord needs a kind and a decoder")
	}
	if _, ok := records[kind]; ok {
		panic("audit: record kind registered twice: " + kind)
	}
	records[kind] = decode
}

// source returns the proven inputs of p's record decoder.
func (p *Proof) source(key []byte) RecordSource {
	return RecordSource{Address: p.Account.Address, CodeHash: p.Account.CodeHash, Key: key, Slots: p.slots(), BlockTime: uint64(p.Header.Time)}
}

// recordDecoder returns the decoder of kind.
func recordDecoder(kind string) (KeyedRecordDecoder, bool) {
	recordsMu.RLock()
	defer recordsMu.RUnlock()
	d, ok := records[kind]
	return d, ok
}

// Encode returns the canonical file form of p: indented JSON with a final
// newline.
func (p *Proof) Encode() ([]byte, error) {
	out, err := json.MarshalIndent(p, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// DecodeProof parses a proof file. It accepts only the canonical form that
// Encode writes: unknown fields, another layout, upper-case hex or anything
// else that re-encodes differently is refused with ErrNotCanonical. It checks
// the form, not the proofs: call Verify for that.
func DecodeProof(data []byte) (*Proof, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	p := new(Proof)
	if err := dec.Decode(p); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	if p.Version != ProofVersion {
		return nil, fmt.Errorf("%w: have %d, want %d (write it again with this cityctl's `audit prove`)", ErrUnsupportedVersion, p.Version, ProofVersion)
	}
	again, err := p.Encode()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	if !bytes.Equal(again, data) {
		at := 0
		for at < len(data) && at < len(again) && data[at] == again[at] {
			at++
		}
		return nil, fmt.Errorf("%w: differs from its re-encoding at byte %d; proof files must not be edited (write them with `cityctl audit prove`)", ErrNotCanonical, at)
	}
	return p, nil
}

// slots returns the proven storage values by slot.
func (p *Proof) slots() map[common.Hash]common.Hash {
	m := make(map[common.Hash]common.Hash, len(p.Storage))
	for _, s := range p.Storage {
		m[s.Slot] = s.Value
	}
	return m
}

// sortedSlots returns slots in ascending order without duplicates, the order
// in which a proof file lists them.
func sortedSlots(slots []common.Hash) []common.Hash {
	out := slices.Clone(slots)
	slices.SortFunc(out, common.Hash.Cmp)
	return slices.Compact(out)
}
