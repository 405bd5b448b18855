package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// ProofVersion is the version of the proof file format this package writes.
// Version 1 files (without the eth_getProof result) are still read and
// verified, as deprecated (proof_v1.go).
const ProofVersion = 2

// Proof is a self-contained proof that an account, some of its storage slots
// and optionally a record decoded from them had the given values at one block.
// It holds everything an auditor needs to check it offline: the block header
// (whose hash the auditor trusts from elsewhere) and the node's eth_getProof
// result (EIP-1186) as it answered, whose account proof leads from the
// header's state root and whose storage proofs lead from the account's
// storage root. Any EIP-1186 verifier can check the eth_getProof member
// against the header's stateRoot; `cityctl audit verify-proof` checks the
// whole file.
//
// The file form is the canonical JSON written by Encode; Decode accepts
// nothing else, so that a change to any byte of a file makes it fail.
type Proof struct {
	Version uint64        `json:"version"`
	Header  HeaderClaim   `json:"header"`
	Account AccountResult `json:"eth_getProof"`
	Record  *Record       `json:"record,omitempty"`

	v1Exists *bool // the "exists" claim of a version 1 file, checked by Verify
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

// AccountResult is the result of eth_getProof (EIP-1186) for an account and
// storage keys at the header's block, member for member as the node returns
// it: the account's fields, the state trie nodes from the root to the
// account's leaf (or to where it would be if it does not exist), and each
// key's value and storage trie nodes. An account that does not exist has
// zero fields, a zero code hash and a zero storage hash, as geth reports it.
type AccountResult struct {
	Address      common.Address  `json:"address"`
	AccountProof []hexutil.Bytes `json:"accountProof"`
	Balance      *hexutil.Big    `json:"balance"`
	CodeHash     common.Hash     `json:"codeHash"`
	Nonce        hexutil.Uint64  `json:"nonce"`
	StorageHash  common.Hash     `json:"storageHash"`
	StorageProof []StorageResult `json:"storageProof"`
}

// StorageResult is one storage key's value and the proof of it against the
// account's storage hash (an element of eth_getProof's storageProof).
type StorageResult struct {
	Key   common.Hash     `json:"key"`
	Value *hexutil.Big    `json:"value"`
	Proof []hexutil.Bytes `json:"proof"`
}

// Exists reports whether the account exists, as the eth_getProof result
// says it (a non-zero code hash); Verify checks that against the proof.
func (a *AccountResult) Exists() bool {
	return a.CodeHash != (common.Hash{})
}

// Record is a value decoded from the proven storage slots, such as a document
// or a title record. Kind names its decoder in a Records set; Key (for keyed kinds) names the record within the
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

// Records is the set of record decoders a prover or verifier knows, by kind,
// handed to Prove (ProveRequest.Records) and Verify explicitly: the package
// that knows a contract's storage layout builds it (registry.RecordDecoders).
// A nil *Records knows no kind. Build it before use; it is then read-only and
// safe for concurrent use.
type Records struct {
	m map[string]KeyedRecordDecoder
}

// Add adds the decoder of a record kind that takes no key. It panics if the
// kind is empty or added twice: both are programming errors.
func (r *Records) Add(kind string, decode RecordDecoder) {
	if decode == nil {
		panic("audit: Records.Add needs a kind and a decoder")
	}
	r.AddKeyed(kind, func(src RecordSource) (json.RawMessage, error) {
		if len(src.Key) != 0 {
			return nil, fmt.Errorf("record kind takes no key, have %d bytes", len(src.Key))
		}
		return decode(src.Address, src.Slots)
	})
}

// AddKeyed adds the decoder of a record kind that needs a key (a document
// hash, a parcel number) and may read the code hash and block time. It panics
// if the kind is empty or added twice.
func (r *Records) AddKeyed(kind string, decode KeyedRecordDecoder) {
	if kind == "" || decode == nil {
		panic("audit: Records.AddKeyed needs a kind and a decoder")
	}
	if _, ok := r.m[kind]; ok {
		panic("audit: record kind added twice: " + kind)
	}
	if r.m == nil {
		r.m = make(map[string]KeyedRecordDecoder)
	}
	r.m[kind] = decode
}

// source returns the proven inputs of p's record decoder.
func (p *Proof) source(key []byte) RecordSource {
	return RecordSource{Address: p.Account.Address, CodeHash: p.Account.CodeHash, Key: key, Slots: p.slots(), BlockTime: uint64(p.Header.Time)}
}

// decoder returns the decoder of kind.
func (r *Records) decoder(kind string) (KeyedRecordDecoder, bool) {
	if r == nil {
		return nil, false
	}
	d, ok := r.m[kind]
	return d, ok
}

// Encode returns the canonical file form of p: indented JSON with a final
// newline, in the format of p.Version (a version 1 file read by DecodeProof
// encodes to its own bytes).
func (p *Proof) Encode() ([]byte, error) {
	var v any = p
	if p.Version == 1 {
		v = p.v1()
	}
	out, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(out, '\n'), nil
}

// Deprecated returns why p's file format is deprecated, or "" for the
// current version.
func (p *Proof) Deprecated() string {
	if p.Version == 1 {
		return "proof files of version 1 are deprecated: this one is verified as before, but write new proofs with this cityctl (version 2 carries the node's eth_getProof result, EIP-1186, which any verifier reads)"
	}
	return ""
}

// DecodeProof parses a proof file of version 2, or of the deprecated version
// 1 (Deprecated says so). It accepts only the canonical form that Encode
// writes: unknown fields, another layout, upper-case hex or anything else
// that re-encodes differently is refused with ErrNotCanonical. It checks the
// form, not the proofs: call Verify for that.
func DecodeProof(data []byte) (*Proof, error) {
	var probe struct {
		Version uint64 `json:"version"`
	}
	if err := json.Unmarshal(data, &probe); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
	}
	var (
		p   *Proof
		err error
	)
	switch probe.Version {
	case ProofVersion:
		p = new(Proof)
		err = decodeStrict(data, p)
	case 1:
		p, err = decodeV1(data)
	default:
		return nil, fmt.Errorf("%w: have %d, want %d (write it again with this cityctl's `audit prove`)", ErrUnsupportedVersion, probe.Version, ProofVersion)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotCanonical, err)
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

// decodeStrict decodes one JSON value into v, refusing unknown fields.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// slots returns the proven storage values by slot.
func (p *Proof) slots() map[common.Hash]common.Hash {
	m := make(map[common.Hash]common.Hash, len(p.Account.StorageProof))
	for _, s := range p.Account.StorageProof {
		m[s.Key] = common.BigToHash(bigOf(s.Value))
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
