package audit

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// proofV1 is the deprecated version 1 proof file: the account's and the
// slots' values under citychain's own names instead of eth_getProof's
// result, and an "exists" claim. DecodeProof reads it into a Proof (Version
// 1), which Encode writes back to the same bytes and Verify checks as
// before.
type proofV1 struct {
	Version uint64           `json:"version"`
	Header  HeaderClaim      `json:"header"`
	Account accountClaimV1   `json:"account"`
	Storage []storageClaimV1 `json:"storage"`
	Record  *Record          `json:"record,omitempty"`
}

type accountClaimV1 struct {
	Address     common.Address  `json:"address"`
	Exists      bool            `json:"exists"`
	Nonce       hexutil.Uint64  `json:"nonce"`
	Balance     *hexutil.Big    `json:"balance"`
	CodeHash    common.Hash     `json:"codeHash"`
	StorageRoot common.Hash     `json:"storageRoot"`
	Proof       []hexutil.Bytes `json:"proof"`
}

type storageClaimV1 struct {
	Slot  common.Hash     `json:"slot"`
	Value common.Hash     `json:"value"`
	Proof []hexutil.Bytes `json:"proof"`
}

// decodeV1 reads a version 1 file (unknown fields refused) into a Proof.
func decodeV1(data []byte) (*Proof, error) {
	var f proofV1
	if err := decodeStrict(data, &f); err != nil {
		return nil, err
	}
	a := f.Account
	exists := a.Exists
	p := &Proof{
		Version: 1, Header: f.Header, Record: f.Record, v1Exists: &exists,
		Account: AccountResult{
			Address: a.Address, AccountProof: a.Proof, Balance: a.Balance, CodeHash: a.CodeHash,
			Nonce: a.Nonce, StorageHash: a.StorageRoot, StorageProof: make([]StorageResult, len(f.Storage)),
		},
	}
	for i, s := range f.Storage {
		p.Account.StorageProof[i] = StorageResult{Key: s.Slot, Value: (*hexutil.Big)(s.Value.Big()), Proof: s.Proof}
	}
	return p, nil
}

// v1 returns p in the version 1 layout.
func (p *Proof) v1() *proofV1 {
	a := p.Account
	f := &proofV1{
		Version: 1, Header: p.Header, Record: p.Record,
		Account: accountClaimV1{
			Address: a.Address, Exists: p.v1Exists != nil && *p.v1Exists, Nonce: a.Nonce, Balance: a.Balance,
			CodeHash: a.CodeHash, StorageRoot: a.StorageHash, Proof: a.AccountProof,
		},
		Storage: make([]storageClaimV1, len(a.StorageProof)),
	}
	for i, s := range a.StorageProof {
		f.Storage[i] = storageClaimV1{Slot: s.Key, Value: common.BigToHash(bigOf(s.Value)), Proof: s.Proof}
	}
	return f
}
