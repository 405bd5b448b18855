package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/stalls"
)

// TestStallRoundOfOneMarket: a round offers only stalls of its own market;
// a stall of another market of the same department is refused by name, and
// the refusal leaves that stall free for its own market's rounds.
func TestStallRoundOfOneMarket(t *testing.T) {
	s := newStallEnv(t)
	c := s.ms
	s.market(2) // market 1: stalls 1, 2
	s.ok("marketOp", s.c, c.PackCreateMarket(b32("SUN-FAIR"), "Sunday fair, River Park"))
	s.ok("marketOp", s.c, c.PackAddStall(n(2), b32("B-1"))) // stall 3, market 2
	now := s.now()
	commit := stalls.Commitment(seed)
	s.reverts("marketOp", s.c, c.PackOpenRound(n(2), []*big.Int{n(3), n(1)}, now, now+600, now+86400, commit), "StallOfOtherMarket(1, 1)")
	s.reverts("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(3)}, now, now+600, now+86400, commit), "StallOfOtherMarket(3, 2)")
	s.ok("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(1), n(2)}, now, now+600, now+86400, commit))
	s.ok("marketOp", s.c, c.PackOpenRound(n(2), []*big.Int{n(3)}, now, now+600, now+86400, commit))
	for round, want := range map[int64][]int64{1: {1, 2}, 2: {3}} {
		r := s.round(round)
		if r.R.Market.Int64() != round || len(r.Stalls) != len(want) {
			t.Errorf("round %d: have market %d, stalls %v; want market %d, stalls %v", round, r.R.Market, r.Stalls, round, want)
		}
	}
}

// TestStallRoundFull: a round takes MAX_APPLICANTS applications; the next
// applicant is refused with RoundFull. (Drawing a full round takes more gas
// than a default 30M block holds: see docs/contracts.md.)
func TestStallRoundFull(t *testing.T) {
	if testing.Short() {
		t.Skip("2,000 applications")
	}
	const maxApplicants = 2000 // MarketStalls.MAX_APPLICANTS
	keys := make([]*ecdsa.PrivateKey, maxApplicants)
	funded := make([]common.Address, maxApplicants)
	for i := range keys {
		keys[i], _ = crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprintf("citychain stall applicant %d", i))))
		funded[i] = crypto.PubkeyToAddress(keys[i].PublicKey)
	}
	s := newStallEnvFunding(t, funded)
	c := s.ms
	if have := call(s.env, s.c, c.PackMAXAPPLICANTS(), c.UnpackMAXAPPLICANTS); have.Int64() != maxApplicants {
		t.Fatalf("MAX_APPLICANTS: have %d, want %d", have, maxApplicants)
	}
	s.market(1)
	now := s.now()
	s.ok("marketOp", s.c, c.PackOpenRound(n(1), []*big.Int{n(1)}, now, now+600, now+86400, stalls.Commitment(seed)))

	ctx := context.Background()
	head, err := s.client.HeaderByNumber(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	tip, err := s.client.SuggestGasTipCap(ctx)
	if err != nil {
		t.Fatal(err)
	}
	feeCap := new(big.Int).Add(new(big.Int).Mul(head.BaseFee, big.NewInt(4)), tip)
	signer := types.LatestSignerForChainID(big.NewInt(1337))
	var last common.Hash
	for _, k := range keys {
		tx := types.MustSignNewTx(k, signer, &types.DynamicFeeTx{ChainID: big.NewInt(1337), Nonce: 0, GasTipCap: tip, GasFeeCap: feeCap,
			Gas: 200_000, To: &contracts.MarketStallsAddress, Data: c.PackApplyFor(n(1))})
		if err := s.client.SendTransaction(ctx, tx); err != nil {
			t.Fatal(err)
		}
		last = tx.Hash()
	}
	for range 10 {
		s.sim.Commit()
		if r, _ := s.client.TransactionReceipt(ctx, last); r != nil {
			break
		}
	}
	r := s.round(1)
	if len(r.Applicants) != maxApplicants {
		t.Fatalf("applicants: have %d, want %d", len(r.Applicants), maxApplicants)
	}
	s.reverts("alice", s.c, c.PackApplyFor(n(1)), "RoundFull(1)")

}
