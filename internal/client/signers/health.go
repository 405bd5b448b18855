package signers

import (
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/clique"
)

// Warning kinds, stable for scripts reading --json.
const (
	WarnStalled      = "stalled"        // no block for several periods
	WarnHalted       = "halted"         // fewer signers sealing than the chain needs
	WarnOneMoreHalts = "one-more-halts" // exactly as many signers sealing as the chain needs
	WarnSilent       = "silent"         // a signer that has not sealed for K slots
	WarnEvenCount    = "even-count"     // an even number of signers
	WarnEpochDiscard = "epoch-discard"  // pending votes the next checkpoint discards
)

// stallPeriods is how many block periods without a new head make the chain
// count as stalled.
const stallPeriods = 3

// Block is one block of the window that Compute looks at.
type Block struct {
	Number  uint64
	Hash    common.Hash
	Time    uint64           // header time, unix seconds
	Signer  common.Address   // account recovered from the seal
	Signers []common.Address // authorized signers of the parent's snapshot, ascending: they decide whose turn the block was
}

// Input is what Compute reads: recent blocks up to the head, the snapshot
// after the head and the queried node's own view.
type Input struct {
	Blocks     []Block                 // ascending and contiguous, the last one is the head
	Snapshot   *clique.Snapshot        // voting snapshot after the head
	Proposals  map[common.Address]bool // the queried node's own proposals (clique_proposals)
	NodeSigner common.Address          // the queried node's sealing account; zero if it does not seal
	Period     uint64                  // seconds between blocks
	Epoch      uint64                  // blocks between checkpoints, which discard pending votes
	Now        time.Time               // wall clock, for stall detection
}

// Options tune the report.
type Options struct {
	// SilentSlots is K: a signer that sealed none of the last K blocks it was
	// a signer for is reported silent. 0 means twice the signer count.
	SilentSlots uint64
}

// Report is the health of the signer set at the head of a node's chain.
type Report struct {
	Head       uint64          `json:"head"`
	HeadHash   common.Hash     `json:"headHash"`
	HeadAge    float64         `json:"headAgeSeconds"` // seconds since the head's time
	Window     int             `json:"window"`         // blocks looked at, ending at the head
	Limit      int             `json:"limit"`          // signers that must keep sealing: floor(N/2)+1 (also the votes a proposal needs)
	Sealing    int             `json:"sealing"`        // signers not silent
	Silent     uint64          `json:"silentSlots"`    // K in effect
	NodeSigner *common.Address `json:"nodeSigner"`     // the queried node's sealing account, if any
	NextEpoch  uint64          `json:"nextEpoch"`      // next checkpoint block: pending votes are discarded there
	Signers    []SignerHealth  `json:"signers"`
	Proposals  []Proposal      `json:"proposals"`
	Warnings   []Warning       `json:"warnings"`
}

// SignerHealth is one signer's line of the report.
type SignerHealth struct {
	Address     common.Address `json:"address"`
	Department  *Department    `json:"department,omitempty"`
	LastSealed  *uint64        `json:"lastSealed"`  // last block it sealed within the window; nil if none
	Sealed      int            `json:"sealed"`      // blocks it sealed within the window
	InTurnSlots int            `json:"inTurnSlots"` // blocks of the window that were its turn
	Missed      int            `json:"missed"`      // of those, sealed by another signer
	SlotsSince  uint64         `json:"slotsSince"`  // blocks since its last seal (or since it became a signer)
	MaySealNext bool           `json:"maySealNext"` // not held back by the signer limit
	NextAllowed uint64         `json:"nextAllowed"` // first block it may seal
	Silent      bool           `json:"silent"`      // sealed none of the last K blocks
	Self        bool           `json:"self"`        // the queried node's own signer
}

// Proposal is a change of the signer set in flight: votes cast in blocks, or
// proposed on the queried node and not yet cast.
type Proposal struct {
	Address      common.Address   `json:"address"`
	Department   *Department      `json:"department,omitempty"`
	Authorize    bool             `json:"authorize"` // true: add the account; false: drop it
	Votes        int              `json:"votes"`     // votes counted in the chain
	Needed       int              `json:"needed"`    // votes that make the majority
	Voters       []common.Address `json:"voters"`
	ProposedHere bool             `json:"proposedHere"` // the queried node votes for it in its blocks
	Settled      bool             `json:"settled"`      // the change already happened: the node's proposal is left over
	DiscardAt    uint64           `json:"discardAt"`    // checkpoint block that discards the votes cast so far
}

// More returns how many more votes the proposal needs.
func (p Proposal) More() int { return max(p.Needed-p.Votes, 0) }

// Warning is one reason for an operator to act.
type Warning struct {
	Kind    string          `json:"kind"`
	Signer  *common.Address `json:"signer,omitempty"`
	Message string          `json:"message"`
}

// Compute builds the report from in. It fails only on input that cannot come
// from a chain (no blocks, no snapshot).
func Compute(in Input, opts Options) (*Report, error) {
	if err := checkInput(in); err != nil {
		return nil, err
	}
	signers := sortedSigners(in.Snapshot)
	r := newReport(in, opts, len(signers))
	health, member := tallyWindow(in, signers)
	for _, s := range signers {
		h := health[s]
		h.SlotsSince = slotsSince(in, h, member)
		applySignerLimit(in, r, h)
		// On a stalled chain, a signer free to seal that did not has been
		// missing the slots since the head too; one held back by the limit
		// has not.
		if in.Period > 0 && h.MaySealNext {
			h.SlotsSince += uint64(r.HeadAge) / in.Period
		}
		h.Silent = h.SlotsSince >= r.Silent
		if !h.Silent {
			r.Sealing++
		}
		r.Signers = append(r.Signers, *h)
	}
	r.Proposals = proposals(in, signers, r)
	r.Warnings = warnings(in, r, len(signers))
	return r, nil
}

// checkInput refuses input that cannot come from a chain.
func checkInput(in Input) error {
	if len(in.Blocks) == 0 {
		return fmt.Errorf("no blocks to report on: the window is empty")
	}
	if in.Snapshot == nil {
		return fmt.Errorf("no voting snapshot: the node's clique_getSnapshot returned nothing")
	}
	head := in.Blocks[len(in.Blocks)-1]
	if in.Snapshot.Number != head.Number {
		return fmt.Errorf("snapshot of block %d does not match the head %d", in.Snapshot.Number, head.Number)
	}
	return nil
}

// newReport returns the report's head, window and limits for n signers,
// with no signer lines yet.
func newReport(in Input, opts Options, n int) *Report {
	head := in.Blocks[len(in.Blocks)-1]
	r := &Report{
		Head:      head.Number,
		HeadHash:  head.Hash,
		HeadAge:   max(in.Now.Sub(time.Unix(int64(head.Time), 0)).Seconds(), 0),
		Window:    len(in.Blocks),
		Limit:     n/2 + 1,
		Silent:    opts.SilentSlots,
		NextEpoch: nextEpoch(head.Number, in.Epoch),
	}
	if r.Silent == 0 {
		r.Silent = uint64(2 * n)
	}
	if in.NodeSigner != (common.Address{}) {
		self := in.NodeSigner
		r.NodeSigner = &self
	}
	return r
}

// tallyWindow counts each signer's seals, turns and misses over the window,
// and returns them with the first block of the window each account was
// authorized for.
func tallyWindow(in Input, signers []common.Address) (map[common.Address]*SignerHealth, map[common.Address]uint64) {
	health := make(map[common.Address]*SignerHealth, len(signers))
	for _, s := range signers {
		health[s] = &SignerHealth{Address: s, Self: s == in.NodeSigner}
	}
	member := make(map[common.Address]uint64)
	for _, b := range in.Blocks {
		for _, s := range b.Signers {
			if _, ok := member[s]; !ok {
				member[s] = b.Number
			}
		}
		if h, ok := health[b.Signer]; ok {
			num := b.Number
			h.LastSealed = &num
			h.Sealed++
		}
		if len(b.Signers) == 0 {
			continue
		}
		turn := b.Signers[b.Number%uint64(len(b.Signers))]
		if h, ok := health[turn]; ok {
			h.InTurnSlots++
			if b.Signer != turn {
				h.Missed++
			}
		}
	}
	return health, member
}

// slotsSince returns the blocks up to the head since h's signer last
// sealed, or since it joined (or the window started) if it has not sealed
// since; member is tallyWindow's.
func slotsSince(in Input, h *SignerHealth, member map[common.Address]uint64) uint64 {
	start := in.Blocks[0].Number
	head := in.Blocks[len(in.Blocks)-1].Number
	since, ok := member[h.Address]
	if !ok {
		since = head + 1 // voted in by the head itself
	}
	if since > start {
		since-- // the block that voted it in is not its slot
	} else {
		since = start - 1
	}
	if h.LastSealed != nil {
		since = *h.LastSealed
	}
	return head - min(since, head)
}

// applySignerLimit sets whether h's signer may seal the next block and the
// first it may seal: a signer that sealed one of the last floor(N/2) blocks
// may not seal the next one.
func applySignerLimit(in Input, r *Report, h *SignerHealth) {
	h.MaySealNext, h.NextAllowed = true, r.Head+1
	for seen, recent := range in.Snapshot.Recents {
		if recent == h.Address && seen+uint64(r.Limit) > r.Head+1 {
			h.MaySealNext, h.NextAllowed = false, seen+uint64(r.Limit)
		}
	}
}

// proposals merges the chain's tally with the node's own proposals.
func proposals(in Input, signers []common.Address, r *Report) []Proposal {
	byAddr := make(map[common.Address]*Proposal)
	get := func(a common.Address, authorize bool) *Proposal {
		p, ok := byAddr[a]
		if !ok {
			p = &Proposal{Address: a, Authorize: authorize, Needed: r.Limit, DiscardAt: r.NextEpoch, Voters: []common.Address{}}
			byAddr[a] = p
		}
		return p
	}
	for a, t := range in.Snapshot.Tally {
		get(a, t.Authorize).Votes = t.Votes
	}
	for _, v := range in.Snapshot.Votes {
		if p, ok := byAddr[v.Address]; ok && p.Authorize == v.Authorize {
			p.Voters = append(p.Voters, v.Signer)
		}
	}
	for a, authorize := range in.Proposals {
		p := get(a, authorize)
		if p.Authorize != authorize {
			// The node votes against the tally: that counts as not voting.
			continue
		}
		p.ProposedHere = true
		_, isSigner := in.Snapshot.Signers[a]
		p.Settled = isSigner == authorize
	}
	out := make([]Proposal, 0, len(byAddr))
	for _, p := range byAddr {
		out = append(out, *p)
	}
	slices.SortFunc(out, func(a, b Proposal) int { return a.Address.Cmp(b.Address) })
	return out
}

// warnings lists what an operator should act on, most urgent first.
func warnings(in Input, r *Report, n int) []Warning {
	var ws []Warning
	if in.Period > 0 && r.HeadAge > float64(stallPeriods*in.Period) {
		ws = append(ws, Warning{Kind: WarnStalled, Message: fmt.Sprintf(
			"no block for %s (period %ds): the chain is stalled; start the signers that are down or check their peering",
			time.Duration(r.HeadAge*float64(time.Second)).Round(time.Second), in.Period)})
	}
	switch {
	case r.Sealing < r.Limit:
		ws = append(ws, Warning{Kind: WarnHalted, Message: fmt.Sprintf(
			"only %d of %d signers are sealing and the chain needs %d: it halts; bring silent signers back or vote them out while enough can still seal",
			r.Sealing, n, r.Limit)})
	case r.Sealing == r.Limit:
		ws = append(ws, Warning{Kind: WarnOneMoreHalts, Message: fmt.Sprintf(
			"one more signer offline halts the chain: %d of %d signers sealing, the chain needs %d",
			r.Sealing, n, r.Limit)})
	}
	for _, h := range r.Signers {
		if h.Silent {
			addr := h.Address
			ws = append(ws, Warning{Kind: WarnSilent, Signer: &addr, Message: fmt.Sprintf(
				"signer %s has not sealed for %d slots (K=%d): check its node, its peers and its clock",
				h.Address.Hex(), h.SlotsSince, r.Silent)})
		}
	}
	if n > 0 && n%2 == 0 {
		ws = append(ws, Warning{Kind: WarnEvenCount, Message: fmt.Sprintf(
			"%d signers is an even count: it tolerates no more offline signers than %d would (%d), and an even split halts both halves; add or remove one",
			n, n-1, n-r.Limit)})
	}
	// Votes cast so far are dropped at the checkpoint; signers still proposing
	// vote again after it, the others must be asked again.
	if left := r.NextEpoch - r.Head; in.Epoch > 0 && left <= uint64(2*max(n, 1)) {
		for _, p := range r.Proposals {
			if p.Votes == 0 || p.Settled {
				continue
			}
			addr := p.Address
			ws = append(ws, Warning{Kind: WarnEpochDiscard, Signer: &addr, Message: fmt.Sprintf(
				"%d/%d votes to %s %s are discarded at checkpoint block %d in %d blocks unless %d more arrive before; signers still proposing it vote again after the checkpoint",
				p.Votes, p.Needed, verb(p.Authorize), p.Address.Hex(), r.NextEpoch, left, p.More())})
		}
	}
	return ws
}

func verb(authorize bool) string {
	if authorize {
		return "add"
	}
	return "remove"
}

// nextEpoch returns the first checkpoint block after head.
func nextEpoch(head, epoch uint64) uint64 {
	if epoch == 0 {
		return 0
	}
	return (head/epoch + 1) * epoch
}

// sortedSigners returns the snapshot's signers, ascending.
func sortedSigners(s *clique.Snapshot) []common.Address {
	list := make([]common.Address, 0, len(s.Signers))
	for a := range s.Signers {
		list = append(list, a)
	}
	slices.SortFunc(list, common.Address.Cmp)
	return list
}
