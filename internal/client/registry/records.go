package registry

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/internal/client/audit"
)

// Record kinds of audit proof files (cityctl audit prove document|title).
const (
	RecordDocument = "document" // a document issued on its own, key: its hash
	RecordTitle    = "title"    // a parcel, key: its cadastral number (bytes32)
)

// maxHistory bounds the history entries a title proof carries (3 slots each).
const maxHistory = 10_000

// RecordDecoders returns the decoders of the registry's record kinds
// (RecordDocument, RecordTitle), for audit.Prove and audit's Verify.
func RecordDecoders() *audit.Records {
	var r audit.Records
	r.AddKeyed(RecordDocument, func(src audit.RecordSource) (json.RawMessage, error) {
		if err := checkAccount(src, contracts.DocumentsName, contracts.DocumentsAddress); err != nil {
			return nil, err
		}
		rec, err := decodeDocument(mapReader(src.Slots), src.Key, src.BlockTime)
		if err != nil {
			return nil, err
		}
		return json.Marshal(rec)
	})
	r.AddKeyed(RecordTitle, func(src audit.RecordSource) (json.RawMessage, error) {
		if err := checkAccount(src, contracts.PropertyTitlesName, contracts.PropertyTitlesAddress); err != nil {
			return nil, err
		}
		rec, err := decodeTitle(mapReader(src.Slots), src.Key)
		if err != nil {
			return nil, err
		}
		return json.Marshal(rec)
	})
	return &r
}

// checkAccount checks that a record is read from the registry contract at its
// fixed address, running exactly the committed code.
func checkAccount(src audit.RecordSource, name string, addr common.Address) error {
	if src.Address != addr {
		return fmt.Errorf("account %s is not %s (%s)", src.Address, name, addr)
	}
	want := crypto.Keccak256Hash(contracts.MustLoad(name).DeployedBytecode)
	if src.CodeHash != want {
		return fmt.Errorf("%s code hash %s differs from the committed artifact's %s", name, src.CodeHash, want)
	}
	return nil
}

// slotReader returns the value of a storage slot.
type slotReader func(slot common.Hash) (common.Hash, error)

// mapReader reads proven slots; a slot that is not proven is an error.
func mapReader(slots map[common.Hash]common.Hash) slotReader {
	return func(slot common.Hash) (common.Hash, error) {
		v, ok := slots[slot]
		if !ok {
			return common.Hash{}, fmt.Errorf("slot %s is not proven in the file", slot)
		}
		return v, nil
	}
}

// Storage layouts of the contracts whose records are proven.
var (
	docsLayout   = mustLayout(contracts.DocumentsName)
	titlesLayout = mustLayout(contracts.PropertyTitlesName)
)

// DocumentRecord is a document issued on its own, as proven from storage.
type DocumentRecord struct {
	Contract     common.Address `json:"contract"`
	DocHash      common.Hash    `json:"docHash"`
	Status       string         `json:"status"` // at the proven block's time
	Issuer       string         `json:"issuer"`
	DocType      string         `json:"docType"`
	HolderRef    common.Hash    `json:"holderRef"`
	ValidFrom    uint64         `json:"validFrom"`
	ValidUntil   uint64         `json:"validUntil"`
	IssuedAt     uint64         `json:"issuedAt"`
	RevokedAt    uint64         `json:"revokedAt"`
	SupersededAt uint64         `json:"supersededAt"`
	SupersededBy common.Hash    `json:"supersededBy"`
}

// decodeDocument reads the record and mark of a document issued on its own
// (Documents._records[docHash], _marks[keccak256(abi.encode(0, docHash))]).
func decodeDocument(read slotReader, key []byte, now uint64) (*DocumentRecord, error) {
	if len(key) != common.HashLength {
		return nil, fmt.Errorf("document key: have %d bytes, want the 32-byte document hash", len(key))
	}
	docHash := common.BytesToHash(key)
	l := docsLayout
	recSlot, recType := l.varSlot("_records")
	recStruct := l.typ(recType).Value
	base := mapSlot(docHash, recSlot)
	words := map[uint64]common.Hash{}
	for i := range l.slots(recStruct) {
		w, err := read(add(base, i))
		if err != nil {
			return nil, err
		}
		words[i] = w
	}
	get := func(structID, name string) (field, common.Hash) {
		f := l.member(structID, name)
		return f, words[f.Slot]
	}
	rec := &DocumentRecord{Contract: contracts.DocumentsAddress, DocHash: docHash}
	f, w := get(recStruct, "issuer")
	rec.Issuer = label32(f.read(w))
	f, w = get(recStruct, "docType")
	rec.DocType = label32(f.read(w))
	f, w = get(recStruct, "holderRef")
	rec.HolderRef = common.BytesToHash(f.read(w))
	f, w = get(recStruct, "validFrom")
	rec.ValidFrom = f.uint(w)
	f, w = get(recStruct, "validUntil")
	rec.ValidUntil = f.uint(w)
	f, w = get(recStruct, "issuedAt")
	rec.IssuedAt = f.uint(w)

	markSlot, markType := l.varSlot("_marks")
	markStruct := l.typ(markType).Value
	markKey := crypto.Keccak256Hash(make([]byte, 32), docHash[:]) // abi.encode(bytes32(0), docHash)
	mbase := mapSlot(markKey, markSlot)
	words = map[uint64]common.Hash{}
	for i := range l.slots(markStruct) {
		w, err := read(add(mbase, i))
		if err != nil {
			return nil, err
		}
		words[i] = w
	}
	f, w = get(markStruct, "revokedAt")
	rec.RevokedAt = f.uint(w)
	f, w = get(markStruct, "supersededAt")
	rec.SupersededAt = f.uint(w)
	f, w = get(markStruct, "supersededBy")
	rec.SupersededBy = common.BytesToHash(f.read(w))

	// The status as Documents.verify computes it, at the block's time.
	var status uint8
	switch {
	case rec.Issuer == "":
		status = contracts.StatusUnknown
	case rec.RevokedAt != 0:
		status = contracts.StatusRevoked
	case rec.SupersededAt != 0:
		status = contracts.StatusSuperseded
	case rec.ValidUntil != 0 && now >= rec.ValidUntil:
		status = contracts.StatusExpired
	case now < rec.ValidFrom:
		status = contracts.StatusNotYetValid
	default:
		status = contracts.StatusValid
	}
	rec.Status = contracts.StatusName(status)
	return rec, nil
}

// TitleRecord is a parcel, as proven from storage.
type TitleRecord struct {
	Contract     common.Address `json:"contract"`
	Parcel       string         `json:"parcel"`
	RegisteredAt uint64         `json:"registeredAt"`
	ActiveLiens  uint64         `json:"activeLiens"`
	Owners       []Owner        `json:"owners"`
	Transfer     *Transfer      `json:"transfer"`
	History      []Entry        `json:"history"`
}

// decodeTitle reads a parcel: _parcels[parcel] (registration, liens in
// force, owners), _shares[parcel][owner] of each owner, _transfers[parcel]
// and the whole _history[parcel].
func decodeTitle(read slotReader, key []byte) (*TitleRecord, error) {
	if len(key) != common.HashLength {
		return nil, fmt.Errorf("title key: have %d bytes, want the 32-byte cadastral number", len(key))
	}
	parcel := common.BytesToHash(key)
	l := titlesLayout
	rec := &TitleRecord{Contract: contracts.PropertyTitlesAddress, Parcel: label32(parcel[:]), Owners: []Owner{}, History: []Entry{}}

	pSlot, pType := l.varSlot("_parcels")
	pStruct := l.typ(pType).Value
	pBase := mapSlot(parcel, pSlot)
	word := func(base *big.Int, f field) (common.Hash, error) { return read(add(base, f.Slot)) }
	f := l.member(pStruct, "registeredAt")
	w, err := word(pBase, f)
	if err != nil {
		return nil, err
	}
	rec.RegisteredAt = f.uint(w)
	f = l.member(pStruct, "activeLiens")
	if w, err = word(pBase, f); err != nil {
		return nil, err
	}
	rec.ActiveLiens = f.uint(w)
	f = l.member(pStruct, "owners")
	ownersLen, err := word(pBase, f)
	if err != nil {
		return nil, err
	}
	n := ownersLen.Big()
	if n.Cmp(big.NewInt(64)) > 0 {
		return nil, fmt.Errorf("parcel %s: %v owners, more than the contract allows", rec.Parcel, n)
	}
	ownersAt := arrayData(new(big.Int).Add(pBase, new(big.Int).SetUint64(f.Slot)))
	sSlot, _ := l.varSlot("_shares")
	sharesOf := mapSlot(parcel, sSlot)
	for i := range n.Uint64() {
		w, err := read(add(ownersAt, i))
		if err != nil {
			return nil, err
		}
		owner := common.BytesToAddress(w[12:])
		sw, err := read(common.BigToHash(mapSlot(common.BytesToHash(owner[:]), sharesOf)))
		if err != nil {
			return nil, err
		}
		rec.Owners = append(rec.Owners, Owner{Address: owner, Share: new(big.Int).SetBytes(sw[24:]).Uint64()})
	}

	tSlot, tType := l.varSlot("_transfers")
	tStruct := l.typ(tType).Value
	tBase := mapSlot(parcel, tSlot)
	vals := map[string]common.Hash{}
	for _, m := range []string{"seller", "buyer", "share", "stage"} {
		if vals[m], err = word(tBase, l.member(tStruct, m)); err != nil {
			return nil, err
		}
	}
	if stage := l.member(tStruct, "stage").uint(vals["stage"]); stage != 0 {
		rec.Transfer = &Transfer{
			Seller: common.BytesToAddress(l.member(tStruct, "seller").read(vals["seller"])),
			Buyer:  common.BytesToAddress(l.member(tStruct, "buyer").read(vals["buyer"])),
			Share:  l.member(tStruct, "share").uint(vals["share"]),
			Stage:  nameOf(stageNames, uint8(stage)),
		}
	}

	hSlot, hType := l.varSlot("_history")
	arrType := l.typ(hType).Value
	eStruct := l.typ(arrType).Base
	hBase := mapSlot(parcel, hSlot)
	hLen, err := read(common.BigToHash(hBase))
	if err != nil {
		return nil, err
	}
	if hLen.Big().Cmp(big.NewInt(maxHistory)) > 0 {
		return nil, fmt.Errorf("parcel %s: %v history entries, more than a proof file carries (%d)", rec.Parcel, hLen.Big(), maxHistory)
	}
	per := l.slots(eStruct)
	data := arrayData(hBase)
	for i := range hLen.Big().Uint64() {
		at := new(big.Int).Add(data, new(big.Int).SetUint64(i*per))
		vals := map[string]common.Hash{}
		for _, m := range []string{"action", "time", "party", "counterparty", "share", "ref"} {
			if vals[m], err = word(at, l.member(eStruct, m)); err != nil {
				return nil, err
			}
		}
		m := func(name string) field { return l.member(eStruct, name) }
		rec.History = append(rec.History, newEntry(
			uint8(m("action").uint(vals["action"])),
			m("time").uint(vals["time"]),
			common.BytesToAddress(m("party").read(vals["party"])),
			common.BytesToAddress(m("counterparty").read(vals["counterparty"])),
			m("share").uint(vals["share"]),
			[32]byte(m("ref").read(vals["ref"])),
		))
	}
	return rec, nil
}

// label32 prints a bytes32 code as its string if it is printable ASCII,
// as hex otherwise, and "" for zero.
func label32(b []byte) string {
	var w [32]byte
	copy(w[:], b)
	if w == ([32]byte{}) {
		return ""
	}
	s := contracts.String32(w)
	for _, c := range []byte(s) {
		if c < 0x20 || c > 0x7e {
			return hexutil.Encode(b)
		}
	}
	return s
}

// ProveDocument writes a proof of a document issued on its own at block.
func ProveDocument(ctx context.Context, c audit.Caller, docHash common.Hash, block uint64) (*audit.Proof, error) {
	return proveRecord(ctx, c, RecordDocument, contracts.DocumentsAddress, docHash[:], block, func(r slotReader) error {
		_, err := decodeDocument(r, docHash[:], 0)
		return err
	})
}

// ProveTitle writes a proof of a parcel (owners, shares, pending transfer,
// history) at block.
func ProveTitle(ctx context.Context, c audit.Caller, parcel string, block uint64) (*audit.Proof, error) {
	p, err := parcel32(parcel)
	if err != nil {
		return nil, err
	}
	return proveRecord(ctx, c, RecordTitle, contracts.PropertyTitlesAddress, p[:], block, func(r slotReader) error {
		_, err := decodeTitle(r, p[:])
		return err
	})
}

// proveRecord runs the record's decoder over eth_getStorageAt at block to
// learn which slots it reads (they depend on stored lengths), then proves
// exactly those slots with audit.Prove.
func proveRecord(ctx context.Context, c audit.Caller, kind string, addr common.Address, key []byte, block uint64, decode func(slotReader) error) (*audit.Proof, error) {
	var slots []common.Hash
	reader := func(slot common.Hash) (common.Hash, error) {
		var v common.Hash
		if err := c.CallContext(ctx, &v, "eth_getStorageAt", addr, slot, hexutil.Uint64(block)); err != nil {
			return v, fmt.Errorf("eth_getStorageAt %s at block %d: %w", slot, block, audit.StateError(ctx, c, block, err))
		}
		slots = append(slots, slot)
		return v, nil
	}
	if err := decode(reader); err != nil {
		return nil, err
	}
	return audit.Prove(ctx, c, audit.ProveRequest{Address: addr, Slots: slots, Block: block, RecordKind: kind, RecordKey: key, Records: RecordDecoders()})
}
