package main

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/contracts/stalls"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Dev accounts by role (params.DevRegistry).
const (
	devIssuer    = 1
	devRegistrar = 2
	devOperator  = 3
	devPollAdmin = 4
)

// client returns a registry client of the dev chain signing as dev account i.
func client(t testing.TB, url string, i int) *registry.Client {
	t.Helper()
	c, err := registry.Dial(context.Background(), url, registry.NewSigner(genesis.DevAccounts(10)[i].Key))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}

// send sends a transaction and fails the test if it is refused or reverts.
func send(t testing.TB, c *registry.Client, action string, to common.Address, data []byte) *registry.Tx {
	t.Helper()
	tx, err := c.Send(context.Background(), action, to, data)
	if err != nil {
		t.Fatalf("%s: %v", action, err)
	}
	return tx
}

// voterKey is the key of test voter i (no funds: ballots are relayed).
func voterKey(i int) *ballotKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte(fmt.Sprint("citygate test voter ", i))))
	return &ballotKey{key: k, addr: crypto.PubkeyToAddress(k.PublicKey)}
}

type ballotKey struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// testPoll is a poll created for a test: its id, eligibility and voters.
type testPoll struct {
	id     uint64
	elig   *ballots.Eligibility
	voters []*ballotKey
	domain ballots.Domain
}

// createPoll creates a poll of n test voters (from first) with options
// options, open now for an hour.
func createPoll(t testing.TB, url string, first, n int, options ...string) *testPoll {
	t.Helper()
	p := &testPoll{domain: ballots.DevDomain(1337)}
	addrs := make([]common.Address, n)
	for i := range n {
		p.voters = append(p.voters, voterKey(first+i))
		addrs[i] = p.voters[i].addr
	}
	var err error
	if p.elig, err = ballots.NewEligibility(addrs); err != nil {
		t.Fatal(err)
	}
	c := client(t, url, devPollAdmin)
	head, err := c.Eth().HeaderByNumber(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	abi := polls.NewPolls()
	tx := send(t, c, "Polls.createPoll", contracts.PollsAddress, abi.PackCreatePoll(polls.PollsPollSpec{
		Question: "Which park gets the new playground?", Options: options, OpensAt: head.Time - 1, ClosesAt: head.Time + 3600,
		EligibleRoot: p.elig.Root(), VoterCount: uint32(n),
	}))
	for _, l := range tx.Logs {
		if ev, err := abi.UnpackPollCreatedEvent(l); err == nil {
			p.id = ev.Poll.Uint64()
		}
	}
	if p.id == 0 {
		t.Fatal("createPoll emitted no PollCreated event")
	}
	return p
}

// ballot returns voter i's signed ballot for option, as JSON.
func (p *testPoll) ballot(t testing.TB, i int, option uint32) []byte {
	t.Helper()
	return p.ballotIn(t, p.domain, i, option)
}

// ballotIn returns voter i's ballot signed in domain d.
func (p *testPoll) ballotIn(t testing.TB, d ballots.Domain, i int, option uint32) []byte {
	t.Helper()
	b, err := ballots.Sign(p.voters[i].key, d, p.id, option)
	if err != nil {
		t.Fatal(err)
	}
	if b.VoterIndex, b.Proof, err = p.elig.Proof(p.voters[i].addr); err != nil {
		t.Fatal(err)
	}
	data, _ := json.Marshal(b)
	return data
}

// fixtures are the registry records the API tests read.
type fixtures struct {
	docValid, docRevoked, docOld, docNew common.Hash
	docFuture, docExpired                common.Hash // valid from 2^40 s; valid until 2 s after the epoch
	batch                                *registry.BatchFile
	parcel                               string
	poll                                 *testPoll
	market, round                        uint64
}

// seed writes the fixtures to the dev chain at url: documents (valid,
// revoked, superseded, not yet valid, expired), a batch, a parcel with a lien, a poll, and a market
// whose round is drawn.
func seed(t testing.TB, url string) *fixtures {
	t.Helper()
	ctx := context.Background()
	f := &fixtures{parcel: "77:01:0001001:1234"}
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	wg.Add(3)
	go func() { defer wg.Done(); errs <- seedDocuments(ctx, t, url, f) }()
	go func() { defer wg.Done(); errs <- seedTitle(ctx, t, url, f) }()
	go func() { defer wg.Done(); errs <- seedRound(ctx, t, url, f) }()
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	f.poll = createPoll(t, url, 0, 8, "North Park", "Riverside", "Old Town")
	return f
}

func seedDocuments(ctx context.Context, t testing.TB, url string, f *fixtures) error {
	c := client(t, url, devIssuer)
	doc := func(name string) registry.Document {
		return registry.Document{Hash: crypto.Keccak256Hash([]byte(name)), Type: "BIRTH-CERT", HolderRef: crypto.Keccak256Hash([]byte("salt"), []byte(name)), ValidFrom: 1}
	}
	valid, revoked, old, next := doc("valid"), doc("revoked"), doc("old"), doc("new")
	f.docValid, f.docRevoked, f.docOld, f.docNew = valid.Hash, revoked.Hash, old.Hash, next.Hash
	future, expired := doc("future"), doc("expired")
	future.ValidFrom = 1 << 40
	expired.ValidUntil = 2
	f.docFuture, f.docExpired = future.Hash, expired.Hash
	for _, d := range []registry.Document{valid, revoked, old, future, expired} {
		if _, err := c.Issue(ctx, d); err != nil {
			return fmt.Errorf("issue %s: %w", d.Hash, err)
		}
	}
	if _, err := c.Revoke(ctx, revoked.Hash); err != nil {
		return err
	}
	if _, err := c.Supersede(ctx, old.Hash, next); err != nil {
		return err
	}
	var docs []registry.Document
	for i := range 5 {
		docs = append(docs, doc(fmt.Sprint("batch ", i)))
	}
	b, _, err := c.IssueBatch(ctx, docs, nil)
	f.batch = b
	return err
}

func seedTitle(ctx context.Context, t testing.TB, url string, f *fixtures) error {
	c := client(t, url, devRegistrar)
	owner, bank := voterKey(1000).addr, voterKey(1001).addr
	if _, err := c.Register(ctx, f.parcel, []registry.Owner{{Address: owner, Share: 100}}); err != nil {
		return err
	}
	_, _, err := c.AddLien(ctx, f.parcel, bank, crypto.Keccak256Hash([]byte("mortgage")))
	return err
}

// seedRound creates a market with three stalls, a round over two of them,
// four applications (dev accounts 6 to 9), and draws it.
func seedRound(ctx context.Context, t testing.TB, url string, f *fixtures) error {
	c := client(t, url, devOperator)
	ms := marketstalls.NewMarketStalls()
	code := func(s string) [32]byte { b, _ := contracts.Bytes32(s); return b }
	if _, err := c.Send(ctx, "createMarket", contracts.MarketStallsAddress, ms.PackCreateMarket(code("SAT-FAIR"), "Saturday fair")); err != nil {
		return err
	}
	f.market = 1
	for _, s := range []string{"A-1", "A-2", "B-1"} {
		if _, err := c.Send(ctx, "addStall", contracts.MarketStallsAddress, ms.PackAddStall(big.NewInt(1), code(s))); err != nil {
			return err
		}
	}
	head, err := c.Eth().HeaderByNumber(ctx, nil)
	if err != nil {
		return err
	}
	seed := crypto.Keccak256Hash([]byte("round seed"))
	closes := head.Time + 8
	if _, err := c.Send(ctx, "openRound", contracts.MarketStallsAddress,
		ms.PackOpenRound(big.NewInt(1), []*big.Int{big.NewInt(1), big.NewInt(2)}, head.Time-1, closes, head.Time+86400, stalls.Commitment(seed))); err != nil {
		return err
	}
	f.round = 1
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = client(t, url, 6+i).Send(ctx, "applyFor", contracts.MarketStallsAddress, ms.PackApplyFor(big.NewInt(1)))
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	// Close after the window (chain time), then reveal once the draw block is sealed.
	deadline := time.Now().Add(60 * time.Second)
	for {
		h, err := c.Eth().HeaderByNumber(ctx, nil)
		if err != nil {
			return err
		}
		if h.Time >= closes {
			break
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("round window did not close")
		}
		time.Sleep(200 * time.Millisecond)
	}
	tx, err := c.Send(ctx, "closeRound", contracts.MarketStallsAddress, ms.PackCloseRound(big.NewInt(1)))
	if err != nil {
		return err
	}
	drawBlock := tx.Block + 2
	for headOf(url) <= drawBlock {
		if time.Now().After(deadline) {
			return fmt.Errorf("draw block %d not reached", drawBlock)
		}
		time.Sleep(200 * time.Millisecond)
	}
	_, err = c.Send(ctx, "draw", contracts.MarketStallsAddress, ms.PackDraw(big.NewInt(1), seed))
	return err
}

// waitFor is proctest.WaitFor.
func waitFor(t testing.TB, timeout time.Duration, what string, cond func() bool) {
	t.Helper()
	proctest.WaitFor(t, timeout, what, cond)
}

var _ = strings.Contains

func pollsABIForTest() *polls.Polls { return polls.NewPolls() }
