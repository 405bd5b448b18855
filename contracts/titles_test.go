package contracts_test

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts/bindings/propertytitles"
)

// History actions and transfer stages (PropertyTitles.Action, .Stage).
const (
	actRegistered uint8 = iota
	actOffered
	actAccepted
	actApproved
	actCancelled
	actLienAdded
	actLienReleased
)

const parcelNo = "77:01:0004012:1234"

func (e *env) parcel(no string) propertytitles.ParcelInfoOutput {
	e.t.Helper()
	return call(e, e.titleC, e.titles.PackParcelInfo(b32(no)), e.titles.UnpackParcelInfo)
}

// holdings returns owner label -> share, for readable comparisons.
func (e *env) holdings(no string) map[string]uint64 {
	p := e.parcel(no)
	out := map[string]uint64{}
	for i, o := range p.Owners {
		label := o.Hex()
		for _, l := range labels {
			if addr(l) == o {
				label = l
			}
		}
		out[label] = p.Shares[i]
	}
	return out
}

func wantHoldings(t *testing.T, have map[string]uint64, want map[string]uint64) {
	t.Helper()
	if fmt.Sprint(have) != fmt.Sprint(want) {
		t.Errorf("owners: have %v, want %v", have, want)
	}
}

// TestTitleRegistration checks who may register and what a registration
// must hold.
func TestTitleRegistration(t *testing.T) {
	e := newEnv(t)
	c := e.titles
	p := b32(parcelNo)
	owners := []common.Address{addr("alice"), addr("bob")}
	tooMany := make([]common.Address, 65)
	tooManyShares := make([]uint64, 65)
	for i := range tooMany {
		tooMany[i], tooManyShares[i] = common.BigToAddress(big.NewInt(int64(i+1))), 1
	}
	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"not a registrar", "civil", c.PackRegister(p, owners, []uint64{2, 1}), fmt.Sprintf("NotRegistrar(%s)", addr("civil").Hex())},
		{"admin is no registrar", "admin", c.PackRegister(p, owners, []uint64{2, 1}), "NotRegistrar("},
		{"zero parcel", "registrar", c.PackRegister([32]byte{}, owners, []uint64{2, 1}), "InvalidParcel()"},
		{"no owners", "registrar", c.PackRegister(p, nil, nil), "NoOwners()"},
		{"too many owners", "registrar", c.PackRegister(p, tooMany, tooManyShares), "TooManyOwners(65, 64)"},
		{"length mismatch", "registrar", c.PackRegister(p, owners, []uint64{1}), "LengthMismatch(2, 1)"},
		{"zero owner", "registrar", c.PackRegister(p, []common.Address{{}}, []uint64{1}), "ZeroAddress()"},
		{"zero share", "registrar", c.PackRegister(p, owners, []uint64{1, 0}), fmt.Sprintf("ZeroShare(%s)", addr("bob").Hex())},
		{"duplicate owner", "registrar", c.PackRegister(p, []common.Address{addr("alice"), addr("alice")}, []uint64{1, 1}), fmt.Sprintf("DuplicateOwner(%s)", addr("alice").Hex())},
		{"lien on unknown parcel", "registrar", c.PackAddLien(p, addr("bank"), b32("M-1")), fmt.Sprintf("UnknownParcel(%q)", parcelNo)},
		{"offer on unknown parcel", "alice", c.PackOffer(p, addr("carol"), 1), "UnknownParcel("},
		{"accept without transfer", "carol", c.PackAccept(p), "NoPendingTransfer("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e.t = t
			e.reverts(tt.from, e.titleC, tt.data, tt.want)
		})
	}
	e.t = t
	e.ok("registrar", e.titleC, c.PackRegister(p, owners, []uint64{2, 1}))
	wantHoldings(t, e.holdings(parcelNo), map[string]uint64{"alice": 2, "bob": 1})
	e.reverts("registrar", e.titleC, c.PackRegister(p, owners, []uint64{2, 1}), fmt.Sprintf("ParcelExists(%q)", parcelNo))
}

// TestTitleTransfer walks a transfer through offer, acceptance, a lien that
// blocks approval, its release and the approval, checking every invalid
// step on the way and the parcel's full history at the end.
func TestTitleTransfer(t *testing.T) {
	e := newEnv(t)
	c := e.titles
	p := b32(parcelNo)
	e.ok("registrar", e.titleC, c.PackRegister(p, []common.Address{addr("alice"), addr("bob")}, []uint64{2, 1}))

	steps := []struct {
		name string
		from string
		data []byte
		want string // "" for success
	}{
		{"offer by a non-owner", "carol", c.PackOffer(p, addr("carol"), 1), fmt.Sprintf("NotOwner(%q, %s)", parcelNo, addr("carol").Hex())},
		{"offer more than held", "alice", c.PackOffer(p, addr("carol"), 3), "InvalidShare(3, 2)"},
		{"offer nothing", "alice", c.PackOffer(p, addr("carol"), 0), "InvalidShare(0, 2)"},
		{"offer to oneself", "alice", c.PackOffer(p, addr("alice"), 1), "SelfTransfer("},
		{"offer to nobody", "alice", c.PackOffer(p, common.Address{}, 1), "ZeroAddress()"},
		{"approve with nothing pending", "registrar", c.PackApprove(p), "NoPendingTransfer("},
		{"offer", "alice", c.PackOffer(p, addr("carol"), 2), ""},
		{"second offer on a parcel in transfer", "bob", c.PackOffer(p, addr("stranger"), 1), fmt.Sprintf("TransferPending(%q, %s, %s)", parcelNo, addr("alice").Hex(), addr("carol").Hex())},
		{"second offer by the same seller", "alice", c.PackOffer(p, addr("stranger"), 1), "TransferPending("},
		{"approve before acceptance", "registrar", c.PackApprove(p), fmt.Sprintf("WrongStage(%q, 1, 2)", parcelNo)},
		{"accept by someone else", "bob", c.PackAccept(p), fmt.Sprintf("NotBuyer(%q, %s)", parcelNo, addr("bob").Hex())},
		{"accept", "carol", c.PackAccept(p), ""},
		{"accept twice", "carol", c.PackAccept(p), fmt.Sprintf("WrongStage(%q, 2, 1)", parcelNo)},
		{"approve by a non-registrar", "civil", c.PackApprove(p), fmt.Sprintf("NotRegistrar(%s)", addr("civil").Hex())},
		{"approve by the seller", "alice", c.PackApprove(p), "NotRegistrar("},
		{"lien by a non-registrar", "bank", c.PackAddLien(p, addr("bank"), b32("M-1")), "NotRegistrar("},
		{"lien", "registrar", c.PackAddLien(p, addr("bank"), b32("M-1")), ""},
		{"lien to nobody", "registrar", c.PackAddLien(p, common.Address{}, b32("M-2")), "ZeroAddress()"},
		{"approve under lien", "registrar", c.PackApprove(p), fmt.Sprintf("ParcelEncumbered(%q, 1)", parcelNo)},
		{"release by the owner", "alice", c.PackReleaseLien(big.NewInt(1)), fmt.Sprintf("NotLienHolder(1, %s)", addr("alice").Hex())},
		{"release by a registrar", "registrar", c.PackReleaseLien(big.NewInt(1)), "NotLienHolder(1, "},
		{"release unknown lien", "bank", c.PackReleaseLien(big.NewInt(2)), "UnknownLien(2)"},
		{"release lien 0", "bank", c.PackReleaseLien(big.NewInt(0)), "UnknownLien(0)"},
		{"release", "bank", c.PackReleaseLien(big.NewInt(1)), ""},
		{"release twice", "bank", c.PackReleaseLien(big.NewInt(1)), "LienAlreadyReleased(1)"},
		{"approve", "registrar", c.PackApprove(p), ""},
		{"approve twice", "registrar", c.PackApprove(p), "NoPendingTransfer("},
		{"former owner offers", "alice", c.PackOffer(p, addr("bob"), 1), "NotOwner("},
	}
	for _, s := range steps {
		t.Run(s.name, func(t *testing.T) {
			e.t = t
			if s.want == "" {
				e.ok(s.from, e.titleC, s.data)
			} else {
				e.reverts(s.from, e.titleC, s.data, s.want)
			}
		})
	}
	e.t = t
	wantHoldings(t, e.holdings(parcelNo), map[string]uint64{"bob": 1, "carol": 2})
	if tr := call(e, e.titleC, c.PackPendingTransfer(p), c.UnpackPendingTransfer); tr.Stage != 0 {
		t.Errorf("pending transfer after approval: have stage %d, want none", tr.Stage)
	}
	l := call(e, e.titleC, c.PackLien(big.NewInt(1)), c.UnpackLien)
	if l.Holder != addr("bank") || l.ReleasedAt == 0 || l.Ref != b32("M-1") || l.Parcel != p {
		t.Errorf("lien 1: have %+v", l)
	}

	// The history, read from the chain state.
	n := call(e, e.titleC, c.PackHistoryLength(p), c.UnpackHistoryLength)
	h := call(e, e.titleC, c.PackHistory(p, big.NewInt(0), n), c.UnpackHistory)
	var actions []uint8
	for _, entry := range h {
		actions = append(actions, entry.Action)
	}
	want := []uint8{actRegistered, actRegistered, actOffered, actAccepted, actLienAdded, actLienReleased, actApproved}
	if !slices.Equal(actions, want) {
		t.Fatalf("history actions: have %v, want %v", actions, want)
	}
	approved := h[6]
	if approved.Party != addr("alice") || approved.Counterparty != addr("carol") || approved.Share != 2 || approved.Ref != b32("LAND") {
		t.Errorf("approval entry: have %+v", approved)
	}
	if part := call(e, e.titleC, c.PackHistory(p, big.NewInt(5), big.NewInt(100)), c.UnpackHistory); len(part) != 2 {
		t.Errorf("history[5:]: have %d entries, want 2", len(part))
	}
}

// TestTitleLiensAndCancel checks that a lien blocks new offers, and who may
// cancel a pending transfer.
func TestTitleLiensAndCancel(t *testing.T) {
	e := newEnv(t)
	c := e.titles
	p := b32(parcelNo)
	e.ok("registrar", e.titleC, c.PackRegister(p, []common.Address{addr("alice")}, []uint64{1}))
	e.ok("registrar", e.titleC, c.PackAddLien(p, addr("bank"), b32("M-1")))
	e.ok("registrar", e.titleC, c.PackAddLien(p, addr("stranger"), b32("M-2")))
	e.reverts("alice", e.titleC, c.PackOffer(p, addr("carol"), 1), fmt.Sprintf("ParcelEncumbered(%q, 2)", parcelNo))
	e.ok("bank", e.titleC, c.PackReleaseLien(big.NewInt(1)))
	e.reverts("alice", e.titleC, c.PackOffer(p, addr("carol"), 1), fmt.Sprintf("ParcelEncumbered(%q, 1)", parcelNo))
	e.ok("stranger", e.titleC, c.PackReleaseLien(big.NewInt(2)))
	if ids := call(e, e.titleC, c.PackLiensOf(p), c.UnpackLiensOf); len(ids) != 2 {
		t.Errorf("liensOf: have %v, want 2 ids", ids)
	}

	// Cancel: only the parties or a registrar; afterwards a new offer is possible.
	for _, who := range []string{"alice", "carol", "registrar"} {
		e.ok("alice", e.titleC, c.PackOffer(p, addr("carol"), 1))
		e.reverts("bob", e.titleC, c.PackCancel(p), fmt.Sprintf("NotTransferParty(%q, %s)", parcelNo, addr("bob").Hex()))
		e.reverts("civil", e.titleC, c.PackCancel(p), "NotTransferParty(")
		e.ok(who, e.titleC, c.PackCancel(p))
		e.reverts("carol", e.titleC, c.PackAccept(p), "NoPendingTransfer(")
	}
	wantHoldings(t, e.holdings(parcelNo), map[string]uint64{"alice": 1})
	// A whole holding to a buyer who already owns a share merges them.
	e.ok("registrar", e.titleC, c.PackRegister(b32("P-2"), []common.Address{addr("alice"), addr("bob")}, []uint64{3, 1}))
	e.ok("alice", e.titleC, c.PackOffer(b32("P-2"), addr("bob"), 3))
	e.ok("bob", e.titleC, c.PackAccept(b32("P-2")))
	e.ok("registrar", e.titleC, c.PackApprove(b32("P-2")))
	wantHoldings(t, e.holdings("P-2"), map[string]uint64{"bob": 4})
}

// TestTitleOwnerLimit checks that transfers cannot grow a parcel beyond
// MAX_OWNERS owners, while a whole holding may still change hands.
func TestTitleOwnerLimit(t *testing.T) {
	e := newEnv(t)
	c := e.titles
	p := b32(parcelNo)
	owners := make([]common.Address, 64)
	shares := make([]uint64, 64)
	owners[0], shares[0] = addr("alice"), 2
	for i := 1; i < 64; i++ {
		owners[i], shares[i] = common.BigToAddress(big.NewInt(int64(i))), 1
	}
	e.ok("registrar", e.titleC, c.PackRegister(p, owners, shares))
	e.reverts("alice", e.titleC, c.PackOffer(p, addr("carol"), 1), "TooManyOwners(65, 64)")
	e.ok("alice", e.titleC, c.PackOffer(p, addr("carol"), 2))
	e.ok("carol", e.titleC, c.PackAccept(p))
	e.ok("registrar", e.titleC, c.PackApprove(p))
	if have := e.parcel(parcelNo); len(have.Owners) != 64 || !slices.Contains(have.Owners, addr("carol")) || slices.Contains(have.Owners, addr("alice")) {
		t.Errorf("owners after a whole holding moved: have %d, carol in: %v", len(have.Owners), slices.Contains(have.Owners, addr("carol")))
	}
}
