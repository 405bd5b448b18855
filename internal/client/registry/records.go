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
	rec := &DocumentRecord{Contract: contracts.DocumentsAddress, DocHash: docHash}
	if err := readDocumentRecord(read, docHash, rec); err != nil {
		return nil, err
	}
	if err := readDocumentMark(read, docHash, rec); err != nil {
		return nil, err
	}
	rec.Status = contracts.StatusName(documentStatus(rec, now))
	return rec, nil
}

// readStruct reads every slot of the struct structID of l stored at base,
// in order, and returns the words by slot offset.
func readStruct(read slotReader, l *layout, base *big.Int, structID string) (map[uint64]common.Hash, error) {
	words := map[uint64]common.Hash{}
	for i := range l.slots(structID) {
		w, err := read(add(base, i))
		if err != nil {
			return nil, err
		}
		words[i] = w
	}
	return words, nil
}

// readDocumentRecord reads _records[docHash] into rec.
func readDocumentRecord(read slotReader, docHash common.Hash, rec *DocumentRecord) error {
	l := docsLayout
	recSlot, recType := l.varSlot("_records")
	recStruct := l.typ(recType).Value
	words, err := readStruct(read, l, mapSlot(docHash, recSlot), recStruct)
	if err != nil {
		return err
	}
	get := func(name string) (field, common.Hash) {
		f := l.member(recStruct, name)
		return f, words[f.Slot]
	}
	f, w := get("issuer")
	rec.Issuer = label32(f.read(w))
	f, w = get("docType")
	rec.DocType = label32(f.read(w))
	f, w = get("holderRef")
	rec.HolderRef = common.BytesToHash(f.read(w))
	f, w = get("validFrom")
	rec.ValidFrom = f.uint(w)
	f, w = get("validUntil")
	rec.ValidUntil = f.uint(w)
	f, w = get("issuedAt")
	rec.IssuedAt = f.uint(w)
	return nil
}

// readDocumentMark reads _marks[keccak256(abi.encode(0, docHash))], the
// revocation and supersession of a document issued on its own, into rec.
func readDocumentMark(read slotReader, docHash common.Hash, rec *DocumentRecord) error {
	l := docsLayout
	markSlot, markType := l.varSlot("_marks")
	markStruct := l.typ(markType).Value
	markKey := crypto.Keccak256Hash(make([]byte, 32), docHash[:]) // abi.encode(bytes32(0), docHash)
	words, err := readStruct(read, l, mapSlot(markKey, markSlot), markStruct)
	if err != nil {
		return err
	}
	get := func(name string) (field, common.Hash) {
		f := l.member(markStruct, name)
		return f, words[f.Slot]
	}
	f, w := get("revokedAt")
	rec.RevokedAt = f.uint(w)
	f, w = get("supersededAt")
	rec.SupersededAt = f.uint(w)
	f, w = get("supersededBy")
	rec.SupersededBy = common.BytesToHash(f.read(w))
	return nil
}

// documentStatus is the status as Documents.verify computes it, at the
// block's time now.
func documentStatus(rec *DocumentRecord, now uint64) uint8 {
	switch {
	case rec.Issuer == "":
		return contracts.StatusUnknown
	case rec.RevokedAt != 0:
		return contracts.StatusRevoked
	case rec.SupersededAt != 0:
		return contracts.StatusSuperseded
	case rec.ValidUntil != 0 && now >= rec.ValidUntil:
		return contracts.StatusExpired
	case now < rec.ValidFrom:
		return contracts.StatusNotYetValid
	default:
		return contracts.StatusValid
	}
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
	rec := &TitleRecord{Contract: contracts.PropertyTitlesAddress, Parcel: label32(parcel[:])}
	var err error
	if err = readParcel(read, parcel, rec); err != nil {
		return nil, err
	}
	if rec.Transfer, err = readTransfer(read, parcel); err != nil {
		return nil, err
	}
	if rec.History, err = readHistory(read, parcel, rec.Parcel); err != nil {
		return nil, err
	}
	return rec, nil
}

// readMembers reads the members names of the struct structID of l stored
// at base, in that order, and returns their words by name.
func readMembers(read slotReader, l *layout, base *big.Int, structID string, names ...string) (map[string]common.Hash, error) {
	vals := make(map[string]common.Hash, len(names))
	for _, m := range names {
		w, err := read(add(base, l.member(structID, m).Slot))
		if err != nil {
			return nil, err
		}
		vals[m] = w
	}
	return vals, nil
}

// readParcel reads _parcels[parcel] (registration, liens in force, owners)
// and each owner's _shares[parcel][owner] into rec.
func readParcel(read slotReader, parcel common.Hash, rec *TitleRecord) error {
	l := titlesLayout
	pSlot, pType := l.varSlot("_parcels")
	pStruct := l.typ(pType).Value
	pBase := mapSlot(parcel, pSlot)
	vals, err := readMembers(read, l, pBase, pStruct, "registeredAt", "activeLiens", "owners")
	if err != nil {
		return err
	}
	rec.RegisteredAt = l.member(pStruct, "registeredAt").uint(vals["registeredAt"])
	rec.ActiveLiens = l.member(pStruct, "activeLiens").uint(vals["activeLiens"])
	n := vals["owners"].Big()
	if n.Cmp(big.NewInt(64)) > 0 {
		return fmt.Errorf("parcel %s: %v owners, more than the contract allows", rec.Parcel, n)
	}
	f := l.member(pStruct, "owners")
	ownersAt := arrayData(new(big.Int).Add(pBase, new(big.Int).SetUint64(f.Slot)))
	rec.Owners, err = readOwners(read, parcel, ownersAt, n.Uint64())
	return err
}

// readOwners reads the n owners of the array at ownersAt and each one's
// _shares[parcel][owner].
func readOwners(read slotReader, parcel common.Hash, ownersAt *big.Int, n uint64) ([]Owner, error) {
	sSlot, _ := titlesLayout.varSlot("_shares")
	sharesOf := mapSlot(parcel, sSlot)
	owners := []Owner{}
	for i := range n {
		w, err := read(add(ownersAt, i))
		if err != nil {
			return nil, err
		}
		owner := common.BytesToAddress(w[12:])
		sw, err := read(common.BigToHash(mapSlot(common.BytesToHash(owner[:]), sharesOf)))
		if err != nil {
			return nil, err
		}
		owners = append(owners, Owner{Address: owner, Share: new(big.Int).SetBytes(sw[24:]).Uint64()})
	}
	return owners, nil
}

// readTransfer reads _transfers[parcel]: the transfer in progress, nil if
// none is.
func readTransfer(read slotReader, parcel common.Hash) (*Transfer, error) {
	l := titlesLayout
	tSlot, tType := l.varSlot("_transfers")
	tStruct := l.typ(tType).Value
	vals, err := readMembers(read, l, mapSlot(parcel, tSlot), tStruct, "seller", "buyer", "share", "stage")
	if err != nil {
		return nil, err
	}
	stage := l.member(tStruct, "stage").uint(vals["stage"])
	if stage == 0 {
		return nil, nil
	}
	return &Transfer{
		Seller: common.BytesToAddress(l.member(tStruct, "seller").read(vals["seller"])),
		Buyer:  common.BytesToAddress(l.member(tStruct, "buyer").read(vals["buyer"])),
		Share:  l.member(tStruct, "share").uint(vals["share"]),
		Stage:  nameOf(stageNames, uint8(stage)),
	}, nil
}

// readHistory reads the whole _history[parcel]; label names the parcel in
// errors.
func readHistory(read slotReader, parcel common.Hash, label string) ([]Entry, error) {
	l := titlesLayout
	hSlot, hType := l.varSlot("_history")
	arrType := l.typ(hType).Value
	eStruct := l.typ(arrType).Base
	hBase := mapSlot(parcel, hSlot)
	hLen, err := read(common.BigToHash(hBase))
	if err != nil {
		return nil, err
	}
	if hLen.Big().Cmp(big.NewInt(maxHistory)) > 0 {
		return nil, fmt.Errorf("parcel %s: %v history entries, more than a proof file carries (%d)", label, hLen.Big(), maxHistory)
	}
	per := l.slots(eStruct)
	data := arrayData(hBase)
	history := []Entry{}
	for i := range hLen.Big().Uint64() {
		at := new(big.Int).Add(data, new(big.Int).SetUint64(i*per))
		vals, err := readMembers(read, l, at, eStruct, "action", "time", "party", "counterparty", "share", "ref")
		if err != nil {
			return nil, err
		}
		m := func(name string) field { return l.member(eStruct, name) }
		history = append(history, newEntry(
			uint8(m("action").uint(vals["action"])),
			m("time").uint(vals["time"]),
			common.BytesToAddress(m("party").read(vals["party"])),
			common.BytesToAddress(m("counterparty").read(vals["counterparty"])),
			m("share").uint(vals["share"]),
			[32]byte(m("ref").read(vals["ref"])),
		))
	}
	return history, nil
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
