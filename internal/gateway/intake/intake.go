package intake

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/citychain/citychain/contracts/ballots"
	"github.com/citychain/citychain/contracts/merkle"
	"github.com/citychain/citychain/internal/client/registry"
)

// maxProofLen bounds an eligibility proof: a tree of 2^32 voters (the
// contract's voter index is a uint32) has proofs of at most 32 hashes.
const maxProofLen = 32

// Refusal kinds: why a ballot is not taken. The API turns each into its
// problem type and HTTP status.
var (
	ErrMalformed     = errors.New("malformed ballot")            // a field is missing or of the wrong form
	ErrUnknownPoll   = errors.New("unknown poll")                // no poll has this number
	ErrPollNotOpen   = errors.New("poll not open")               // not yet open, closed or cancelled
	ErrInvalidOption = errors.New("invalid option")              // not below the poll's option count
	ErrBadSignature  = errors.New("bad signature")               // not signed by the voter for this poll, option and chain
	ErrNotEligible   = errors.New("not eligible")                // the proof does not place the voter under the poll's root
	ErrAlreadyVoted  = errors.New("already voted")               // the contract has counted this voter index
	ErrAlreadyQueued = errors.New("another ballot of the voter") // the voter has another ballot here
	ErrQueueFull     = errors.New("ballot queue full")           // come back later
	ErrUnavailable   = errors.New("chain unavailable")           // the checks cannot read the chain now
)

// Refusal is a ballot not taken: Kind is one of the errors above.
type Refusal struct {
	Kind   error
	Detail string
	ID     *common.Hash // the ballot of the voter already here (ErrAlreadyQueued)
}

// Error implements error.
func (r *Refusal) Error() string { return r.Kind.Error() + ": " + r.Detail }

// Unwrap makes errors.Is(err, ErrX) hold.
func (r *Refusal) Unwrap() error { return r.Kind }

func refuse(kind error, format string, args ...any) *Refusal {
	return &Refusal{Kind: kind, Detail: fmt.Sprintf(format, args...)}
}

// Chain is what the checks read from the chain, at its latest block.
type Chain interface {
	// Poll returns a poll; an unknown poll is an error for which
	// registry.IsUnknown holds.
	Poll(ctx context.Context, id uint64) (*registry.Poll, error)
	// HasVoted reports whether voter number index has voted in poll.
	HasVoted(ctx context.Context, poll uint64, index uint32) (bool, error)
	// HeadTime returns the time of the latest block, false if unknown.
	HeadTime() (uint64, bool)
}

// Config is the intake's configuration.
type Config struct {
	Dir      string        `toml:"datadir"`  // directory of the ballot store
	MaxQueue int           `toml:"maxqueue"` // ballots queued or in flight before new ones get 429
	PollTTL  time.Duration `toml:"pollttl"`  // how long a poll's settings are reused before they are read again
	Events   int           `toml:"events"`   // events kept for followers of the stream (older ones are pruned)
}

// Defaults of the intake (Dir has none: the intake is off without one).
var Defaults = Config{MaxQueue: 2_000_000, PollTTL: 2 * time.Second, Events: 5_000_000}

// Validate checks the configuration.
func (c *Config) Validate() error {
	if c.MaxQueue < 1 {
		return fmt.Errorf("invalid queue size: have %d, want >= 1", c.MaxQueue)
	}
	if c.PollTTL <= 0 {
		return fmt.Errorf("invalid poll cache time: have %v, want > 0", c.PollTTL)
	}
	if c.Events < 1000 {
		return fmt.Errorf("invalid event retention: have %d, want >= 1000", c.Events)
	}
	return nil
}

// cachedPoll is a poll's settings and when they were read.
type cachedPoll struct {
	poll *registry.Poll
	at   time.Time
}

// Intake checks and stores ballots.
type Intake struct {
	cfg     Config
	store   *Store
	chain   Chain
	domain  func() ballots.Domain // the chain's, once a node has told its chain id
	metrics *metrics

	locks [256]sync.Mutex // per ballot id: one check-and-store at a time

	mu    sync.Mutex
	polls map[uint64]cachedPoll
}

// New returns an intake storing into store, checking against chain, for
// ballots signed in the domain that domain returns (a chain id of 0: not
// known yet, ballots are refused as unavailable).
func New(cfg Config, store *Store, chain Chain, domain func() ballots.Domain, reg prometheus.Registerer) *Intake {
	in := &Intake{cfg: cfg, store: store, chain: chain, domain: domain, polls: map[uint64]cachedPoll{}}
	in.metrics = newMetrics(reg, in)
	return in
}

// Store returns the intake's store.
func (in *Intake) Store() *Store { return in.store }

// Domain returns the EIP-712 domain ballots are checked in.
func (in *Intake) Domain() ballots.Domain { return in.domain() }

// Submit checks b against its poll and stores it. It returns the ballot's
// record and whether it was there already (the same ballot sent again: the
// same id, nothing stored). A ballot not taken is a *Refusal; any other
// error is the store's or the chain's.
func (in *Intake) Submit(ctx context.Context, b ballots.Ballot) (*Record, bool, error) {
	rec, existed, err := in.submit(ctx, b)
	in.metrics.count(err, existed)
	return rec, existed, err
}

func (in *Intake) submit(ctx context.Context, b ballots.Ballot) (*Record, bool, error) {
	if err := checkForm(b); err != nil {
		return nil, false, err
	}
	d := in.domain()
	if d.ChainID == 0 {
		return nil, false, refuse(ErrUnavailable, "the gateway does not know the chain's id yet (no rpc node has answered): send the ballot again shortly")
	}
	id := BallotID(d, b.Poll, b.Voter)
	lock := &in.locks[id[0]]
	lock.Lock()
	defer lock.Unlock()
	// A resubmission is answered from the store, whatever the chain says now.
	if prev, err := in.store.Get(id); err != nil {
		return nil, false, err
	} else if prev != nil {
		if prev.Same(b) {
			return prev, true, nil
		}
		r := refuse(ErrAlreadyQueued, "voter %s has ballot %s in poll %d here already (%s); a voter votes once", b.Voter.Hex(), id.Hex(), b.Poll, prev.State)
		r.ID = &id
		return nil, false, r
	}
	if queued, sent := in.store.Counts(); queued+sent >= in.cfg.MaxQueue {
		return nil, false, refuse(ErrQueueFull, "%d ballots are waiting to be relayed (the limit is %d); send this one again shortly", queued+sent, in.cfg.MaxQueue)
	}
	if err := in.check(ctx, d, b); err != nil {
		return nil, false, err
	}
	rec := &Record{ID: id, Poll: b.Poll, Option: b.Option, Voter: b.Voter, VoterIndex: b.VoterIndex, Signature: b.Signature, Proof: b.Proof}
	if err := in.store.Add(rec); err != nil {
		return nil, false, err
	}
	return rec, false, nil
}

// checkForm refuses what no poll can take, before any lookup.
func checkForm(b ballots.Ballot) error {
	switch {
	case b.Poll == 0:
		return refuse(ErrMalformed, "poll 0: polls are numbered from 1")
	case b.Voter == (common.Address{}):
		return refuse(ErrMalformed, "no voter address")
	case len(b.Signature) != 65:
		return refuse(ErrMalformed, "signature has %d bytes, want 65 (0x and 130 hex digits: r, s, v as eth_signTypedData_v4 returns)", len(b.Signature))
	case b.Deprecated() != "":
		return refuse(ErrMalformed, "signature in base64: send it as 0x-hex (r, s, v with v 27 or 28), as eth_signTypedData_v4 returns")
	case len(b.Proof) > maxProofLen:
		return refuse(ErrMalformed, "eligibility proof of %d hashes, want at most %d", len(b.Proof), maxProofLen)
	}
	return nil
}

// check runs the checks that need the poll: open, option, signature,
// eligibility, and not voted already on chain.
func (in *Intake) check(ctx context.Context, d ballots.Domain, b ballots.Ballot) error {
	p, err := in.poll(ctx, b.Poll)
	if err != nil {
		return err
	}
	now, ok := in.chain.HeadTime()
	if !ok {
		return refuse(ErrUnavailable, "the gateway does not know the chain's head yet: send the ballot again shortly")
	}
	if !p.Open(now) {
		return refuse(ErrPollNotOpen, "poll %d is %s (open from %d to %d, chain time %d)", b.Poll, p.State(now), p.OpensAt, p.ClosesAt, now)
	}
	if int(b.Option) >= len(p.Options) {
		return refuse(ErrInvalidOption, "option %d: poll %d has options 0 to %d", b.Option, b.Poll, len(p.Options)-1)
	}
	if err := b.Verify(d); err != nil {
		return refuse(ErrBadSignature, "%v (the ballot must be signed for chain %d, contract %s, poll %d, option %d)", err, d.ChainID, d.Contract.Hex(), b.Poll, b.Option)
	}
	if b.VoterIndex >= p.VoterCount || !merkle.Verify(b.Proof, p.EligibleRoot, ballots.Leaf(b.VoterIndex, b.Voter)) {
		return refuse(ErrNotEligible, "the proof does not place voter %d (%s) under poll %d's eligibility root %s", b.VoterIndex, b.Voter.Hex(), b.Poll, p.EligibleRoot.Hex())
	}
	voted, err := in.chain.HasVoted(ctx, b.Poll, b.VoterIndex)
	if err != nil {
		return unavailable(err)
	}
	if voted {
		return refuse(ErrAlreadyVoted, "voter %d (%s) has voted in poll %d already", b.VoterIndex, b.Voter.Hex(), b.Poll)
	}
	return nil
}

// poll returns a poll's settings, read again after PollTTL.
func (in *Intake) poll(ctx context.Context, id uint64) (*registry.Poll, error) {
	in.mu.Lock()
	c, ok := in.polls[id]
	in.mu.Unlock()
	if ok && time.Since(c.at) < in.cfg.PollTTL {
		return c.poll, nil
	}
	p, err := in.chain.Poll(ctx, id)
	if registry.IsUnknown(err) {
		return nil, refuse(ErrUnknownPoll, "no poll %d on this chain", id)
	}
	if err != nil {
		return nil, unavailable(err)
	}
	in.mu.Lock()
	in.polls[id] = cachedPoll{poll: p, at: time.Now()}
	in.mu.Unlock()
	return p, nil
}

// unavailable wraps a failure to read the chain.
func unavailable(err error) error {
	var r *Refusal
	if errors.As(err, &r) {
		return err
	}
	return &Refusal{Kind: ErrUnavailable, Detail: fmt.Sprintf("cannot check the ballot against the chain now (%v): send it again shortly", err)}
}

// Get returns the record of a ballot id without its signature and proof,
// nil if unknown.
func (in *Intake) Get(id common.Hash) (*Record, error) { return in.store.State(id) }
