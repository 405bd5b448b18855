package contracts_test

import (
	"context"
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"slices"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi/bind/v2"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/polls"
)

// pollEnv is env with the Polls contract and a PARTICIPATION department
// (poll admin "pollAdmin", relayer "relayer") and a second poll admin in
// HEALTH ("health2"), granted by the city admin.
type pollEnv struct {
	*env
	polls *polls.Polls
	c     *bind.BoundContract
	dom   ballots.Domain
}

func newPollEnv(t *testing.T) *pollEnv {
	e := newEnv(t)
	p := &pollEnv{env: e, polls: polls.NewPolls(), dom: ballots.DevDomain(1337)}
	p.c = p.polls.Instance(e.client, contracts.PollsAddress)
	e.ok("admin", e.dirC, e.dir.PackAddDepartment(b32("PARTICIPATION"), "Civic Participation"))
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("PARTICIPATION"), uint8(contracts.RolePollAdmin), addr("pollAdmin")))
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("PARTICIPATION"), uint8(contracts.RoleRelayer), addr("relayer")))
	e.ok("admin", e.dirC, e.dir.PackGrantRole(b32("HEALTH"), uint8(contracts.RolePollAdmin), addr("health")))
	return p
}

// voterKey returns the key of test resident i.
func voterKey(i int) *ecdsa.PrivateKey {
	return key(fmt.Sprintf("voter %d", i))
}

// electorate returns the eligibility tree of residents 0..n-1.
func electorate(t *testing.T, n int) *ballots.Eligibility {
	t.Helper()
	voters := make([]common.Address, n)
	for i := range voters {
		voters[i] = crypto.PubkeyToAddress(voterKey(i).PublicKey)
	}
	el, err := ballots.NewEligibility(voters)
	if err != nil {
		t.Fatal(err)
	}
	return el
}

func (p *pollEnv) spec(el *ballots.Eligibility, opens, closes uint64) polls.PollsPollSpec {
	return polls.PollsPollSpec{
		Question: "Where should the new playground go?", Options: []string{"park", "square", "river"},
		OpensAt: opens, ClosesAt: closes, EligibleRoot: el.Root(), VoterCount: uint32(el.Len()),
	}
}

// ballot returns resident i's signed ballot with its proof from el.
func (p *pollEnv) ballot(el *ballots.Eligibility, i int, poll uint64, option uint32) polls.PollsSignedBallot {
	p.t.Helper()
	b, err := ballots.Sign(voterKey(i), p.dom, poll, option)
	if err != nil {
		p.t.Fatal(err)
	}
	idx, proof, err := el.Proof(b.Voter)
	if err != nil {
		p.t.Fatal(err)
	}
	b.VoterIndex, b.Proof = idx, proof
	return b.Signed()
}

// relay relays a batch and returns the reason of each rejected position.
func (p *pollEnv) relay(poll uint64, batch []polls.PollsSignedBallot) (map[int]string, *types.Receipt) {
	p.t.Helper()
	r := p.ok("relayer", p.c, p.polls.PackRelay(new(big.Int).SetUint64(poll), batch))
	rejected := map[int]string{}
	cast := 0
	for _, l := range r.Logs {
		if ev, err := p.polls.UnpackBallotRejectedEvent(l); err == nil {
			rejected[int(ev.Position.Int64())] = ballots.Reason(ev.Reason)
		}
		if _, err := p.polls.UnpackBallotCastEvent(l); err == nil {
			cast++
		}
	}
	if cast+len(rejected) != len(batch) {
		p.t.Fatalf("batch of %d: %d cast and %d rejected events", len(batch), cast, len(rejected))
	}
	return rejected, r
}

func (p *pollEnv) tallies(poll uint64) []uint64 {
	p.t.Helper()
	counts := call(p.env, p.c, p.polls.PackTallies(new(big.Int).SetUint64(poll)), p.polls.UnpackTallies)
	out := make([]uint64, len(counts))
	for i, c := range counts {
		out[i] = c.Uint64()
	}
	return out
}

// recount recomputes the tally of poll from every log of the Polls contract.
func (p *pollEnv) recount(poll uint64, options int) *ballots.Tally {
	p.t.Helper()
	logs, err := p.client.FilterLogs(context.Background(), ethFilter(contracts.PollsAddress))
	if err != nil {
		p.t.Fatal(err)
	}
	tally, err := ballots.Recount(poll, options, logs)
	if err != nil {
		p.t.Fatal(err)
	}
	if len(tally.Errors) > 0 {
		p.t.Errorf("recount of poll %d found %v", poll, tally.Errors)
	}
	return tally
}

// TestPollRules checks every role check and invalid transition of polls.
func TestPollRules(t *testing.T) {
	p := newPollEnv(t)
	c := p.polls
	el := electorate(t, 3)
	now := p.now()
	good := p.spec(el, now, now+3600)
	p.ok("pollAdmin", p.c, c.PackCreatePoll(good))
	if n := call(p.env, p.c, c.PackPollCount(), c.UnpackPollCount); n.Uint64() != 1 {
		t.Fatalf("pollCount: have %d, want 1", n)
	}
	mod := func(f func(*polls.PollsPollSpec)) polls.PollsPollSpec {
		s := good
		s.Options = slices.Clone(good.Options)
		f(&s)
		return s
	}
	one, two := big.NewInt(1), big.NewInt(2)
	tests := []struct {
		name string
		from string
		data []byte
		want string
	}{
		{"create, not a poll admin", "relayer", c.PackCreatePoll(good), fmt.Sprintf("NotPollAdmin(%s)", addr("relayer").Hex())},
		{"create, empty question", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.Question = "" })), "EmptyQuestion()"},
		{"create, one option", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.Options = s.Options[:1] })), "InvalidOptionCount(1)"},
		{"create, 65 options", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.Options = slices.Repeat([]string{"x"}, 65) })), "InvalidOptionCount(65)"},
		{"create, empty option", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.Options[1] = "" })), "EmptyOption(1)"},
		{"create, closes before it opens", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.ClosesAt = s.OpensAt })), "InvalidWindow("},
		{"create, closed already", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.OpensAt, s.ClosesAt = now-100, now-1 })), "InvalidWindow("},
		{"create, no root", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.EligibleRoot = [32]byte{} })), "EmptyEligibility()"},
		{"create, no voters", "pollAdmin", c.PackCreatePoll(mod(func(s *polls.PollsPollSpec) { s.VoterCount = 0 })), "EmptyEligibility()"},
		{"cancel, unknown poll", "pollAdmin", c.PackCancelPoll(two), "UnknownPoll(2)"},
		{"cancel, not a poll admin", "stranger", c.PackCancelPoll(one), fmt.Sprintf("NotPollAdmin(%s)", addr("stranger").Hex())},
		{"cancel, other department", "health", c.PackCancelPoll(one), `NotPollDepartment(1, "PARTICIPATION")`},
		{"relay, not a relayer", "pollAdmin", c.PackRelay(one, []polls.PollsSignedBallot{p.ballot(el, 0, 1, 0)}), fmt.Sprintf("NotRelayer(%s)", addr("pollAdmin").Hex())},
		{"relay, empty batch", "relayer", c.PackRelay(one, nil), "EmptyBatch()"},
		{"relay, unknown poll", "relayer", c.PackRelay(two, []polls.PollsSignedBallot{p.ballot(el, 0, 2, 0)}), "UnknownPoll(2)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p.t = t
			p.reverts(tt.from, p.c, tt.data, tt.want)
		})
	}
	p.t = t
	p.ok("pollAdmin", p.c, c.PackCancelPoll(one))
	p.reverts("pollAdmin", p.c, c.PackCancelPoll(one), "PollFinished(1)")
	// A poll that has closed cannot be cancelled: its result is final.
	p.ok("pollAdmin", p.c, c.PackCreatePoll(p.spec(el, now, p.now()+60)))
	p.advance(2 * time.Minute)
	p.reverts("pollAdmin", p.c, c.PackCancelPoll(two), "PollFinished(2)")
	q := call(p.env, p.c, c.PackGetQuestion(two), c.UnpackGetQuestion)
	if q.Question != good.Question || !slices.Equal(q.Options, good.Options) {
		t.Errorf("question: have %+v, want %q %v", q, good.Question, good.Options)
	}
}

// TestBallotDigest checks the EIP-712 digest and domain separator computed
// in Go against the contract's.
func TestBallotDigest(t *testing.T) {
	p := newPollEnv(t)
	sep := call(p.env, p.c, p.polls.PackDomainSeparator(), p.polls.UnpackDomainSeparator)
	if have := p.dom.Separator(); have != sep {
		t.Errorf("domain separator: have %x, contract %x", have, sep)
	}
	for _, tt := range []struct {
		poll   uint64
		option uint32
	}{{1, 0}, {1, 1}, {7, 63}, {1 << 40, 5}} {
		want := call(p.env, p.c, p.polls.PackBallotDigest(tt.poll, tt.option), p.polls.UnpackBallotDigest)
		if have := p.dom.Digest(tt.poll, tt.option); have != want {
			t.Errorf("digest(%d, %d): have %x, contract %x", tt.poll, tt.option, have, want)
		}
	}
}

// TestBallotBatch checks that each invalid ballot of a batch is skipped with
// its reason while the rest of the batch counts, that a resident votes once,
// and that the tallies equal a recount from the events.
func TestBallotBatch(t *testing.T) {
	p := newPollEnv(t)
	el := electorate(t, 10)
	now := p.now()
	p.ok("pollAdmin", p.c, p.polls.PackCreatePoll(p.spec(el, now, now+3600)))
	p.ok("pollAdmin", p.c, p.polls.PackCreatePoll(p.spec(el, now, now+3600)))

	badSig := p.ballot(el, 3, 1, 0)
	badSig.R[5] ^= 1 // recovers another address (or none)
	otherSigner := p.ballot(el, 4, 1, 0)
	forged, _ := ballots.Sign(voterKey(5), p.dom, 1, 0) // resident 5 signs in resident 4's name
	fs := forged.Signed()
	otherSigner.R, otherSigner.Vs = fs.R, fs.Vs
	// A stranger with a valid signature and a proof of someone else's leaf.
	outsider, _ := ballots.Sign(key("stranger"), p.dom, 1, 1)
	outsider.VoterIndex = 6
	_, outsider.Proof, _ = el.Proof(el.Voter(6))
	// Resident 7 with a wrong index for its own proof.
	wrongIndex := p.ballot(el, 7, 1, 1)
	wrongIndex.VoterIndex = 8

	batch := []polls.PollsSignedBallot{
		p.ballot(el, 0, 1, 0), // 0 counts
		p.ballot(el, 1, 1, 1), // 1 counts
		p.ballot(el, 2, 2, 1), // 2 signed for poll 2
		badSig,                // 3
		otherSigner,           // 4
		p.ballot(el, 5, 1, 3), // 5 option 3 of 3
		outsider.Signed(),     // 6 not eligible
		wrongIndex,            // 7 not eligible at that index
		p.ballot(el, 0, 1, 2), // 8 resident 0 again, in the same batch
		p.ballot(el, 9, 1, 2), // 9 counts
		p.ballot(el, 1, 1, 1), // 10 resident 1 again, same option
	}
	rejected, _ := p.relay(1, batch)
	want := map[int]string{
		2: "BallotForOtherPoll", 3: "BadSignature", 4: "BadSignature", 5: "InvalidOption",
		6: "NotEligible", 7: "NotEligible", 8: "AlreadyVoted", 10: "AlreadyVoted",
	}
	if fmt.Sprint(rejected) != fmt.Sprint(want) {
		t.Errorf("rejected: have %v, want %v", rejected, want)
	}
	// A later batch: a second ballot of resident 9 is refused, a fresh one counts.
	rejected, _ = p.relay(1, []polls.PollsSignedBallot{p.ballot(el, 9, 1, 0), p.ballot(el, 2, 1, 2)})
	if fmt.Sprint(rejected) != fmt.Sprint(map[int]string{0: "AlreadyVoted"}) {
		t.Errorf("second batch rejected: have %v, want position 0 AlreadyVoted", rejected)
	}
	// Poll 2 is separate: resident 0 votes there too.
	if rejected, _ = p.relay(2, []polls.PollsSignedBallot{p.ballot(el, 0, 2, 2)}); len(rejected) != 0 {
		t.Errorf("poll 2: rejected %v", rejected)
	}

	for _, tt := range []struct {
		poll uint64
		want []uint64
	}{{1, []uint64{1, 1, 2}}, {2, []uint64{0, 0, 1}}} {
		have := p.tallies(tt.poll)
		if !slices.Equal(have, tt.want) {
			t.Errorf("poll %d tallies: have %v, want %v", tt.poll, have, tt.want)
		}
		if re := p.recount(tt.poll, 3); !slices.Equal(re.Counts, have) {
			t.Errorf("poll %d recount: have %v, contract %v", tt.poll, re.Counts, have)
		}
	}
	for i, want := range []bool{true, true, true, false, false, false, false, false, false, true} {
		if have := call(p.env, p.c, p.polls.PackHasVoted(big.NewInt(1), big.NewInt(int64(i))), p.polls.UnpackHasVoted); have != want {
			t.Errorf("hasVoted(1, %d): have %v, want %v", i, have, want)
		}
	}
}

// TestBallotWindow checks that ballots outside the poll window, or for a
// cancelled poll, are skipped as PollNotOpen without failing the batch.
func TestBallotWindow(t *testing.T) {
	p := newPollEnv(t)
	el := electorate(t, 4)
	now := p.now()
	p.ok("pollAdmin", p.c, p.polls.PackCreatePoll(p.spec(el, now+600, now+1200))) // 1: opens in 10 minutes
	p.ok("pollAdmin", p.c, p.polls.PackCreatePoll(p.spec(el, now, now+3600)))     // 2: cancelled
	p.ok("pollAdmin", p.c, p.polls.PackCancelPoll(big.NewInt(2)))

	early := []polls.PollsSignedBallot{p.ballot(el, 0, 1, 0), p.ballot(el, 1, 1, 1)}
	if rejected, _ := p.relay(1, early); fmt.Sprint(rejected) != "map[0:PollNotOpen 1:PollNotOpen]" {
		t.Errorf("before opening: rejected %v, want both PollNotOpen", rejected)
	}
	if rejected, _ := p.relay(2, []polls.PollsSignedBallot{p.ballot(el, 0, 2, 0)}); fmt.Sprint(rejected) != "map[0:PollNotOpen]" {
		t.Errorf("cancelled: rejected %v, want PollNotOpen", rejected)
	}
	p.advance(11 * time.Minute)
	if rejected, _ := p.relay(1, early); len(rejected) != 0 {
		t.Errorf("open: rejected %v", rejected)
	}
	p.advance(10 * time.Minute)
	if rejected, _ := p.relay(1, []polls.PollsSignedBallot{p.ballot(el, 2, 1, 0)}); fmt.Sprint(rejected) != "map[0:PollNotOpen]" {
		t.Errorf("after closing: rejected %v, want PollNotOpen", rejected)
	}
	if have := p.tallies(1); !slices.Equal(have, []uint64{1, 1, 0}) {
		t.Errorf("tallies: have %v, want [1 1 0]", have)
	}
}

// TestBallotGas reports the gas of a batch of ballots, per ballot, with a
// realistic proof depth, and checks it stays within the W3 budget.
func TestBallotGas(t *testing.T) {
	p := newPollEnv(t)
	const residents, batchSize = 1 << 12, 100
	el := electorate(t, batchSize)
	// The tree of a city: batchSize signing residents, the rest addresses only.
	voters := make([]common.Address, residents)
	for i := range voters {
		if i < batchSize {
			voters[i] = el.Voter(i)
		} else {
			voters[i] = common.BytesToAddress(crypto.Keccak256([]byte(fmt.Sprint("resident ", i))))
		}
	}
	city, err := ballots.NewEligibility(voters)
	if err != nil {
		t.Fatal(err)
	}
	now := p.now()
	p.ok("pollAdmin", p.c, p.polls.PackCreatePoll(p.spec(city, now, now+3600)))
	batch := make([]polls.PollsSignedBallot, batchSize)
	for i := range batch {
		batch[i] = p.ballot(city, i, 1, uint32(i%3))
	}
	rejected, r := p.relay(1, batch)
	if len(rejected) != 0 {
		t.Fatalf("rejected %v", rejected)
	}
	perBallot := r.GasUsed / batchSize
	t.Logf("batch of %d ballots, proof depth %d: %d gas, %d gas per ballot", batchSize, len(batch[0].Proof), r.GasUsed, perBallot)
	// Budget: ecrecover 3,000, proof 12 levels, calldata ~1,100 bytes, voted
	// bitmap, event; far above it means a regression in the relay loop.
	if perBallot > 40_000 {
		t.Errorf("gas per ballot %d, want at most 40,000", perBallot)
	}
}

// ethFilter selects every log of a contract.
func ethFilter(a common.Address) ethereum.FilterQuery {
	return ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{a}}
}
