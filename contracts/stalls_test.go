package contracts_test

import (
	"context"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/stalls"
)

// stallEnv is env with the MarketStalls contract, a MARKETS department
// (operator "marketOp") and a second operator in HEALTH ("health").
type stallEnv struct {
	*env
	ms *marketstalls.MarketStalls
	c  *bind.BoundContract
}

func newStallEnv(t *testing.T) *stallEnv {
	return newStallEnvFunding(t, nil)
}

// newStallEnvFunding is newStallEnv with the accounts of funded funded too.
func newStallEnvFunding(t *testing.T, funded []common.Address) *stallEnv {
	e := newEnvFunding(t, funded)
	s := &stallEnv{env: e, ms: marketstalls.NewMarketStalls()}
	s.c = s.ms.Instance(e.client, contracts.MarketStallsAddress)
	e.ok("admin", e.dirC, e.dir.PackAddDepartment(b32("MARKETS"), "Markets and Trade"))
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("MARKETS"), uint8(contracts.RoleMarketOperator), addr("marketOp")))
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("HEALTH"), uint8(contracts.RoleMarketOperator), addr("health")))
	return s
}

func n(i int64) *big.Int { return big.NewInt(i) }

// market creates market 1 with stalls 1..k.
func (s *stallEnv) market(k int) {
	s.ok("marketOp", s.c, s.ms.PackCreateMarket(b32("SAT-FAIR"), "Saturday fair, Central Square"))
	for i := range k {
		s.ok("marketOp", s.c, s.ms.PackAddStall(n(1), b32(fmt.Sprintf("A-%d", i+1))))
	}
}

func (s *stallEnv) round(id int64) marketstalls.GetRoundOutput {
	s.t.Helper()
	return call(s.env, s.c, s.ms.PackGetRound(n(id)), s.ms.UnpackGetRound)
}

func (s *stallEnv) lease(id int64) marketstalls.MarketStallsLease {
	s.t.Helper()
	return call(s.env, s.c, s.ms.PackGetLease(n(id)), s.ms.UnpackGetLease)
}

// mine mines k empty blocks.
func (s *stallEnv) mine(k int) {
	for range k {
		s.sim.Commit()
	}
}

var seed = common.HexToHash("0x5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed5eed")

// TestStallRules checks every role check and invalid transition of markets,
// rounds, the draw and leases.
func TestStallRules(t *testing.T) {
	s := newStallEnv(t)
	c := s.ms
	s.market(3)
	now := s.now()
	commit := stalls.Commitment(seed)
	s.ok("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(1), n(2)}, now, now+600, now+86400, commit))
	s.ok("alice", s.c, c.PackApplyFor(n(1)))

	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"market, not an operator", "alice", c.PackCreateMarket(b32("X"), "x"), fmt.Sprintf("NotMarketOperator(%s)", addr("alice").Hex())},
		{"market, empty code", "marketOp", c.PackCreateMarket([32]byte{}, "x"), "EmptyCode()"},
		{"market, empty name", "marketOp", c.PackCreateMarket(b32("X"), ""), "EmptyName()"},
		{"stall, other department", "health", c.PackAddStall(n(1), b32("B-1")), `NotMarketDepartment(1, "MARKETS")`},
		{"stall, unknown market", "marketOp", c.PackAddStall(n(9), b32("B-1")), "UnknownMarket(9)"},
		{"round, no stalls", "marketOp", c.PackOpenRound(n(1), nil, now, now+600, now+86400, commit), "InvalidStallCount(0)"},
		{"round, stall in a round", "marketOp", c.PackOpenRound(n(1), []*big.Int{n(2)}, now, now+600, now+86400, commit), "StallInRound(2, 1)"},
		{"round, unknown stall", "marketOp", c.PackOpenRound(n(1), []*big.Int{n(7)}, now, now+600, now+86400, commit), "UnknownStall(7)"},
		{"round, lease before close", "marketOp", c.PackOpenRound(n(1), []*big.Int{n(3)}, now, now+600, now+600, commit), "InvalidWindow("},
		{"round, no commitment", "marketOp", c.PackOpenRound(n(1), []*big.Int{n(3)}, now, now+600, now+86400, [32]byte{}), "EmptyCommitment()"},
		{"round, other department", "health", c.PackOpenRound(n(1), []*big.Int{n(3)}, now, now+600, now+86400, commit), `NotMarketDepartment(1, "MARKETS")`},
		{"apply twice", "alice", c.PackApplyFor(n(1)), fmt.Sprintf("AlreadyApplied(1, %s)", addr("alice").Hex())},
		{"apply, unknown round", "alice", c.PackApplyFor(n(5)), "UnknownRound(5)"},
		{"close while open", "marketOp", c.PackCloseRound(n(1)), "RoundStillOpen(1, "},
		{"draw before close", "marketOp", c.PackDraw(n(1), seed), "WrongRoundState(1, 1, 2)"},
		{"lease of a stall in a round", "marketOp", c.PackLease(n(1), addr("bob"), now+86400), "StallInRound(1, 1)"},
		{"lease, ended term", "marketOp", c.PackLease(n(3), addr("bob"), now-1), "InvalidTerm("},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s.t = t
			s.reverts(tt.from, s.c, tt.data, tt.want)
		})
	}
	s.t = t

	s.advance(11 * time.Minute)
	s.reverts("bob", s.c, c.PackApplyFor(n(1)), "ApplicationsClosed(1, ")
	s.reverts("health", s.c, c.PackCloseRound(n(1)), `NotMarketDepartment(1, "MARKETS")`)
	s.ok("marketOp", s.c, c.PackCloseRound(n(1)))
	s.reverts("marketOp", s.c, c.PackCloseRound(n(1)), "WrongRoundState(1, 2, 1)")
	s.reverts("bob", s.c, c.PackApplyFor(n(1)), "ApplicationsClosed(1, ")
	// The draw block is DRAW_DELAY blocks after the closing one: too early until it exists.
	s.reverts("marketOp", s.c, c.PackDraw(n(1), seed), "DrawTooEarly(1, ")
	s.mine(3)
	s.reverts("marketOp", s.c, c.PackDraw(n(1), common.Hash{1}), "WrongReveal(1)")
	s.reverts("health", s.c, c.PackDraw(n(1), seed), `NotMarketDepartment(1, "MARKETS")`)
	s.ok("marketOp", s.c, c.PackDraw(n(1), seed))
	s.reverts("marketOp", s.c, c.PackDraw(n(1), seed), "WrongRoundState(1, 3, 2)")

	// Alice won stall 1; stall 2 stays free. Stall 1 cannot be leased again.
	if l := s.lease(1); l.Holder != addr("alice") || l.Stall.Int64() != 1 || l.Round.Int64() != 1 {
		t.Fatalf("lease 1: have %+v, want alice on stall 1 from round 1", l)
	}
	s.reverts("marketOp", s.c, c.PackLease(n(1), addr("bob"), now+86400), "StallLeased(1, 1)")
	s.ok("marketOp", s.c, c.PackLease(n(2), addr("bob"), now+86400))
	s.reverts("carol", s.c, c.PackRelease(n(1)), fmt.Sprintf("NotHolderOrOperator(1, %s)", addr("carol").Hex()))
	s.reverts("health", s.c, c.PackRelease(n(1)), fmt.Sprintf("NotHolderOrOperator(1, %s)", addr("health").Hex()))
	s.reverts("alice", s.c, c.PackMarkFeePaid(n(1)), fmt.Sprintf("NotMarketOperator(%s)", addr("alice").Hex()))
	s.ok("marketOp", s.c, c.PackMarkFeePaid(n(1)))
	s.reverts("marketOp", s.c, c.PackMarkFeePaid(n(1)), "FeeAlreadyPaid(1)")
	s.ok("alice", s.c, c.PackRelease(n(1)))
	s.reverts("alice", s.c, c.PackRelease(n(1)), "LeaseReleased(1)")
	s.reverts("marketOp", s.c, c.PackMarkFeePaid(n(1)), "LeaseReleased(1)")
	s.reverts("marketOp", s.c, c.PackMarkFeePaid(n(9)), "UnknownLease(9)")
	if l := s.lease(1); !l.FeePaid || !l.Released {
		t.Errorf("lease 1: have %+v, want fee paid and released", l)
	}
}

// TestStallLottery checks that the draw equals its recomputation from the
// public inputs (seed, draw block hash, applications), and that released
// leases go to the waitlist in its order.
func TestStallLottery(t *testing.T) {
	s := newStallEnv(t)
	c := s.ms
	s.market(3)
	now := s.now()
	s.ok("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(3), n(1)}, now, now+600, now+86400, stalls.Commitment(seed)))
	traders := []string{"alice", "bob", "carol", "bank", "stranger", "civil2"}
	for _, tr := range traders {
		s.ok(tr, s.c, c.PackApplyFor(n(1)))
	}
	s.advance(11 * time.Minute)
	s.ok("marketOp", s.c, c.PackCloseRound(n(1)))
	s.mine(3)
	r := s.ok("marketOp", s.c, c.PackDraw(n(1), seed))

	// Public inputs: the seed and block hash from the Drawn event, the
	// applicants in application order from the round.
	var drawn *marketstalls.MarketStallsDrawn
	for _, l := range r.Logs {
		if ev, err := c.UnpackDrawnEvent(l); err == nil {
			drawn = ev
		}
	}
	if drawn == nil {
		t.Fatal("no Drawn event")
	}
	round := s.round(1)
	hdr, err := s.client.HeaderByNumber(context.Background(), round.R.DrawBlock)
	if err != nil {
		t.Fatal(err)
	}
	if hdr.Hash() != drawn.DrawBlockHash {
		t.Fatalf("draw block hash: event %x, chain %x", drawn.DrawBlockHash, hdr.Hash())
	}
	want := stalls.Draw(seed, hdr.Hash(), round.Applicants, len(round.Stalls))
	if want.Randomness != round.R.Randomness {
		t.Errorf("randomness: have %x, recomputed %x", round.R.Randomness, want.Randomness)
	}
	// Winners lease the round's stalls in the round's order (3, then 1).
	for i, st := range []int64{3, 1} {
		l := s.lease(int64(i + 1))
		if l.Stall.Int64() != st || l.Holder != want.Winners[i] {
			t.Errorf("lease %d: have stall %d to %s, recomputed stall %d to %s", i+1, l.Stall, l.Holder.Hex(), st, want.Winners[i].Hex())
		}
	}
	wl := call(s.env, s.c, c.PackWaitlist(n(1)), c.UnpackWaitlist)
	if !slices.Equal(wl, want.Waitlist) {
		t.Errorf("waitlist: have %v, recomputed %v", wl, want.Waitlist)
	}
	// The contract's own shuffle view gives the same order.
	order := call(s.env, s.c, c.PackShuffle(round.Applicants, want.Randomness), c.UnpackShuffle)
	if !slices.Equal(order, append(slices.Clone(want.Winners), want.Waitlist...)) {
		t.Errorf("shuffle view differs from the recomputation")
	}

	// Releases promote the waitlist in order: the operator releases lease 2
	// (stall 1), the first winner releases lease 1 (stall 3).
	holderOf := func(a common.Address) string {
		for _, tr := range traders {
			if addr(tr) == a {
				return tr
			}
		}
		return a.Hex()
	}
	s.ok("marketOp", s.c, c.PackRelease(n(2)))
	s.ok(holderOf(want.Winners[0]), s.c, c.PackRelease(n(1)))
	for i, tt := range []struct {
		lease int64
		stall int64
	}{{3, 1}, {4, 3}} {
		l := s.lease(tt.lease)
		if l.Stall.Int64() != tt.stall || l.Holder != want.Waitlist[i] || l.End != round.R.LeaseEnd {
			t.Errorf("lease %d: have stall %d to %s until %d, want stall %d to waitlisted %s until %d",
				tt.lease, l.Stall, l.Holder.Hex(), l.End, tt.stall, want.Waitlist[i].Hex(), round.R.LeaseEnd)
		}
	}
	if wl := call(s.env, s.c, c.PackWaitlist(n(1)), c.UnpackWaitlist); !slices.Equal(wl, want.Waitlist[2:]) {
		t.Errorf("waitlist after two promotions: have %v, want %v", wl, want.Waitlist[2:])
	}
}

// TestStallDrawExpired checks that a reveal more than 256 blocks after the
// draw block is refused: its hash is gone.
func TestStallDrawExpired(t *testing.T) {
	s := newStallEnv(t)
	c := s.ms
	s.market(1)
	now := s.now()
	s.ok("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(1)}, now, now+600, now+86400, stalls.Commitment(seed)))
	s.advance(11 * time.Minute)
	s.ok("marketOp", s.c, c.PackCloseRound(n(1)))
	s.mine(260)
	s.reverts("marketOp", s.c, c.PackDraw(n(1), seed), "DrawExpired(1, ")
}
