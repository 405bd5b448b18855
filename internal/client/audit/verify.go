package audit

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb/memorydb"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"

	"github.com/citychain/citychain/consensus/clique"
)

// VerifyFile decodes a proof file (canonical form only) and verifies it
// against the trusted block hash with Verify.
func VerifyFile(data []byte, trusted common.Hash, records *Records) (*Proof, error) {
	p, err := DecodeProof(data)
	if err != nil {
		return nil, err
	}
	if err := p.Verify(trusted, records); err != nil {
		return nil, err
	}
	return p, nil
}

// Verify checks p offline: the header hashes to trusted and its decoded
// fields match its RLP; the account proof leads from the header's state root
// to the eth_getProof result's account fields; each storage proof leads from
// the account's storage hash to its value; storage keys are listed once
// each, in ascending order; every proof node is on a proven path; and a
// record, if present, decodes again from the proven slots to the same value
// with its decoder in records.
func (p *Proof) Verify(trusted common.Hash, records *Records) error {
	if p.Version != ProofVersion && p.Version != 1 {
		return fmt.Errorf("%w: have %d, want %d", ErrUnsupportedVersion, p.Version, ProofVersion)
	}
	header, err := p.Header.verify(trusted)
	if err != nil {
		return err
	}
	exists, err := p.Account.Verify(header.Root)
	if err != nil {
		return err
	}
	if p.v1Exists != nil && *p.v1Exists != exists {
		return fmt.Errorf("%w: account %s exists: have %v, proven %v", ErrClaimMismatch, p.Account.Address, *p.v1Exists, exists)
	}
	return p.verifyRecord(records)
}

// Verify checks an eth_getProof result against the state root of its block:
// the account's fields, and each storage value against the account's
// storage hash, keys listed once each in ascending order, every proof node on
// a proven path. It reports whether the account exists. The anchoring proofs
// use it for the state of an external chain.
func (a *AccountResult) Verify(root common.Hash) (bool, error) {
	exists, err := a.verify(root)
	if err != nil {
		return false, err
	}
	for i, s := range a.StorageProof {
		if i > 0 && a.StorageProof[i-1].Key.Cmp(s.Key) >= 0 {
			return false, fmt.Errorf("%w: storage keys not in ascending order at entry %d (%s after %s)", ErrNotCanonical, i, s.Key, a.StorageProof[i-1].Key)
		}
		if err := s.verify(a.StorageHash); err != nil {
			return false, err
		}
	}
	return exists, nil
}

// verifyRecord decodes the record, if any, again from the proven slots.
func (p *Proof) verifyRecord(records *Records) error {
	if p.Record == nil {
		return nil
	}
	decode, ok := records.decoder(p.Record.Kind)
	if !ok {
		return fmt.Errorf("%w: %q (this cityctl cannot check it; use a version that knows it)", ErrUnknownRecord, p.Record.Kind)
	}
	want, err := decode(p.source(p.Record.Key))
	if err != nil {
		return fmt.Errorf("%w: record %q does not decode from the proven slots: %v", ErrClaimMismatch, p.Record.Kind, err)
	}
	if !jsonEqual(p.Record.Value, want) {
		return fmt.Errorf("%w: record %q: have %s, proven %s", ErrClaimMismatch, p.Record.Kind, p.Record.Value, want)
	}
	return nil
}

// verify checks the header RLP against the trusted hash and the decoded fields
// against the RLP, and returns the header.
func (h *HeaderClaim) verify(trusted common.Hash) (*types.Header, error) {
	if have := crypto.Keccak256Hash(h.RLP); have != trusted {
		return nil, fmt.Errorf("%w: header hashes to %s, trusted %s", ErrUntrustedHeader, have, trusted)
	}
	header := new(types.Header)
	if err := rlp.DecodeBytes(h.RLP, header); err != nil {
		return nil, fmt.Errorf("%w: header RLP does not decode: %v", ErrHeaderFields, err)
	}
	sealer, err := sealerOf(header)
	if err != nil {
		return nil, fmt.Errorf("%w: no sealer recoverable from the header: %v", ErrHeaderFields, err)
	}
	for _, c := range []struct {
		field      string
		have, want any
	}{
		{"hash", h.Hash, header.Hash()},
		{"number", uint64(h.Number), header.Number.Uint64()},
		{"parentHash", h.ParentHash, header.ParentHash},
		{"stateRoot", h.StateRoot, header.Root},
		{"timestamp", uint64(h.Time), header.Time},
		{"sealer", h.Sealer, sealer},
	} {
		if c.have != c.want {
			return nil, fmt.Errorf("%w: %s: have %v, header RLP says %v", ErrHeaderFields, c.field, c.have, c.want)
		}
	}
	return header, nil
}

// verify checks the account's fields against the state root and reports
// whether the account exists. An absent account proves zero fields, a zero
// code hash and a zero storage hash (as eth_getProof reports them).
func (a *AccountResult) verify(root common.Hash) (bool, error) {
	value, err := verifyProof(root, a.Address.Bytes(), a.AccountProof)
	if err != nil {
		return false, fmt.Errorf("account %s: %w", a.Address, err)
	}
	if a.Balance == nil {
		return false, fmt.Errorf("%w: account %s: no balance", ErrClaimMismatch, a.Address)
	}
	var want AccountResult
	if value != nil {
		var acct types.StateAccount
		if err := rlp.DecodeBytes(value, &acct); err != nil {
			return false, fmt.Errorf("%w: account %s: leaf is not an account: %v", ErrBadProof, a.Address, err)
		}
		want.Nonce = hexutil.Uint64(acct.Nonce)
		want.Balance = (*hexutil.Big)(acct.Balance.ToBig())
		want.CodeHash = common.BytesToHash(acct.CodeHash)
		want.StorageHash = acct.Root
	}
	for _, c := range []struct {
		field      string
		have, want any
	}{
		{"nonce", a.Nonce, want.Nonce},
		{"balance", bigOf(a.Balance).String(), bigOf(want.Balance).String()},
		{"codeHash", a.CodeHash, want.CodeHash},
		{"storageHash", a.StorageHash, want.StorageHash},
	} {
		if c.have != c.want {
			return false, fmt.Errorf("%w: account %s %s: have %v, proven %v", ErrClaimMismatch, a.Address, c.field, c.have, c.want)
		}
	}
	return value != nil, nil
}

// verify checks a storage value against the account's storage hash. An
// account without storage (or without an account) proves every key zero
// with an empty proof.
func (s *StorageResult) verify(root common.Hash) error {
	var value common.Hash
	if root == types.EmptyRootHash || root == (common.Hash{}) {
		if len(s.Proof) != 0 {
			return fmt.Errorf("%w: slot %s: %d proof nodes for an account without storage, want none", ErrBadProof, s.Key, len(s.Proof))
		}
	} else {
		enc, err := verifyProof(root, s.Key.Bytes(), s.Proof)
		if err != nil {
			return fmt.Errorf("slot %s: %w", s.Key, err)
		}
		if enc != nil {
			_, content, _, err := rlp.Split(enc)
			if err != nil || len(content) > common.HashLength {
				return fmt.Errorf("%w: slot %s: leaf is not a storage value", ErrBadProof, s.Key)
			}
			value = common.BytesToHash(content)
		}
	}
	if have := common.BigToHash(bigOf(s.Value)); have != value || s.Value == nil {
		return fmt.Errorf("%w: slot %s: have %v, proven %s", ErrClaimMismatch, s.Key, s.Value, value.Big())
	}
	return nil
}

// verifyProof returns the value under keccak(key) in the trie with root, nil
// if the proof shows it absent. Every node must be used exactly once: a proof
// carrying anything else has been tampered with or padded.
func verifyProof(root common.Hash, key []byte, nodes []hexutil.Bytes) ([]byte, error) {
	db := &usedDB{Database: memorydb.New(), used: make(map[string]bool)}
	for i, n := range nodes {
		hash := crypto.Keccak256(n)
		if ok, _ := db.Has(hash); ok {
			return nil, fmt.Errorf("%w: node %d repeats an earlier node", ErrBadProof, i)
		}
		db.Put(hash, n)
	}
	value, err := trie.VerifyProof(root, crypto.Keccak256(key), db)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadProof, err)
	}
	if len(db.used) != len(nodes) {
		return nil, fmt.Errorf("%w: %d of %d nodes are off the proven path", ErrBadProof, len(nodes)-len(db.used), len(nodes))
	}
	return value, nil
}

// usedDB is a proof database that records which nodes were read.
type usedDB struct {
	*memorydb.Database
	used map[string]bool
}

// Get implements ethdb.KeyValueReader.
func (db *usedDB) Get(key []byte) ([]byte, error) {
	v, err := db.Database.Get(key)
	if err == nil {
		db.used[string(key)] = true
	}
	return v, err
}

// sealerOf recovers the Clique signer of a header; the genesis header is not
// sealed and has the zero address. The engine's Author needs neither a
// configuration nor a database.
func sealerOf(header *types.Header) (common.Address, error) {
	if header.Number.Sign() == 0 {
		return common.Address{}, nil
	}
	return clique.New(&params.CliqueConfig{}, nil).Author(header)
}

func bigOf(b *hexutil.Big) *big.Int {
	if b == nil {
		return new(big.Int)
	}
	return b.ToInt()
}

// jsonEqual compares two JSON texts ignoring insignificant whitespace.
func jsonEqual(a, b []byte) bool {
	var ca, cb bytes.Buffer
	if json.Compact(&ca, a) != nil || json.Compact(&cb, b) != nil {
		return false
	}
	return bytes.Equal(ca.Bytes(), cb.Bytes())
}
