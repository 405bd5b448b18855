package contracts_test

import (
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestTitleLienBlocksApproval: a lien recorded after the buyer accepted
// blocks the registrar's approval until its holder releases it; the share
// does not move meanwhile.
func TestTitleLienBlocksApproval(t *testing.T) {
	e := newEnv(t)
	c := e.titles
	p := b32(parcelNo)
	e.ok("registrar", e.titleC, c.PackRegister(p, []common.Address{addr("alice")}, []uint64{1}))
	e.ok("alice", e.titleC, c.PackOffer(p, addr("carol"), 1))
	e.ok("carol", e.titleC, c.PackAccept(p))
	e.ok("registrar", e.titleC, c.PackAddLien(p, addr("bank"), b32("M-1")))
	e.reverts("registrar", e.titleC, c.PackApprove(p), fmt.Sprintf("ParcelEncumbered(%q, 1)", parcelNo))
	wantHoldings(t, e.holdings(parcelNo), map[string]uint64{"alice": 1})
	e.ok("bank", e.titleC, c.PackReleaseLien(big.NewInt(1)))
	e.ok("registrar", e.titleC, c.PackApprove(p))
	wantHoldings(t, e.holdings(parcelNo), map[string]uint64{"carol": 1})
}
