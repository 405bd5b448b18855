package audit

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/consensus/clique"
)

const (
	defaultEpoch = 30000 // blocks between checkpoints when the chain configuration says 0 (as the engine)
	headerWindow = 2048  // recent headers the replay keeps for the engine's lookups
)

// HeaderSource returns the canonical headers from..to inclusive, in order.
type HeaderSource interface {
	Headers(ctx context.Context, from, to uint64) ([]*types.Header, error)
}

// SignerAudit is the signer-set history of a range of blocks, replayed with
// the Clique engine's own rules.
type SignerAudit struct {
	Genesis common.Hash       `json:"genesis"`
	Epoch   uint64            `json:"epoch"`
	Start   Checkpoint        `json:"start"` // where the replay began: genesis or a checkpoint taken on trust
	From    uint64            `json:"from"`
	To      uint64            `json:"to"` // last block checked (the violation's parent if one was found)
	Votes   []VoteRecord      `json:"votes"`
	Changes []SignerChange    `json:"changes"`
	Epochs  []Checkpoint      `json:"checkpoints"`
	Blocks  []SealRecord      `json:"blocks"`
	Sealers map[string]Sealed `json:"sealers"` // per signer address, blocks sealed in from..to

	// Violation is the first block that breaks a rule, nil if none does.
	Violation *Violation `json:"violation,omitempty"`
}

// VoteRecord is a vote cast in a block header.
type VoteRecord struct {
	Block     uint64         `json:"block"`
	Voter     common.Address `json:"voter"`
	Subject   common.Address `json:"subject"`
	Authorize bool           `json:"authorize"`
}

// SignerChange is a change of the signer set a passed vote applied.
type SignerChange struct {
	Block   uint64           `json:"block"`
	Subject common.Address   `json:"subject"`
	Added   bool             `json:"added"`
	Signers []common.Address `json:"signers"` // the signer set after the change
}

// Checkpoint is the signer list of an epoch block. Matches tells whether it
// equals the replayed signer set (always true for the start, which is trusted).
type Checkpoint struct {
	Block   uint64           `json:"block"`
	Hash    common.Hash      `json:"hash"`
	Signers []common.Address `json:"signers"`
	Matches bool             `json:"matches"`
}

// SealRecord is the sealer of one block, recovered from its seal.
type SealRecord struct {
	Block  uint64         `json:"block"`
	Sealer common.Address `json:"sealer"`
	InTurn bool           `json:"inTurn"`
}

// Sealed counts a signer's blocks.
type Sealed struct {
	Blocks int `json:"blocks"`
	InTurn int `json:"inTurn"`
}

// Violation is a block that breaks a Clique rule.
type Violation struct {
	Block  uint64      `json:"block"`
	Hash   common.Hash `json:"hash"`
	Rule   string      `json:"rule"`
	Detail string      `json:"detail"`
}

func (v *Violation) Error() string {
	return fmt.Sprintf("block %d (%s) breaks the rule %q: %s", v.Block, v.Hash, v.Rule, v.Detail)
}

// AuditSigners replays blocks from..to of the chain with genesis g from src
// and reports the signer history. The replay starts at genesis, or at the
// newest checkpoint at or below from, whose signer list is then taken on
// trust (as a node does for a checkpoint whose history it lacks). Every block
// is verified with the engine's header rules (seal, signer set, signer limit,
// turn and difficulty, votes, checkpoint signer lists, timestamps, gas). The
// first violation ends the replay; it is returned in the audit and as an
// error wrapping ErrRuleViolation. progress, if set, is called after each
// batch of headers.
func AuditSigners(ctx context.Context, g *core.Genesis, src HeaderSource, from, to uint64, progress func(done, total uint64)) (*SignerAudit, error) {
	epoch, err := auditEpoch(g, from, to)
	if err != nil {
		return nil, err
	}
	genesisHash := g.ToBlock().Hash()
	start := from - from%epoch
	startHeader, err := startCheckpoint(ctx, src, genesisHash, start)
	if err != nil {
		return nil, err
	}
	a, err := newSignerAudit(genesisHash, epoch, from, startHeader)
	if err != nil {
		return nil, err
	}
	chain := newHeaderChain(g.Config, startHeader)
	engine := clique.New(g.Config.Clique, rawdb.NewMemoryDatabase())
	defer engine.Close()
	prev, err := engine.Snapshot(chain, start, startHeader.Hash(), nil)
	if err != nil {
		return nil, fmt.Errorf("snapshot of start block %d: %w", start, err)
	}
	return a.replay(ctx, src, engine, chain, prev, to, progress)
}

// auditEpoch checks that g is a Clique genesis and from..to a range, and
// returns the chain's epoch.
func auditEpoch(g *core.Genesis, from, to uint64) (uint64, error) {
	if g.Config == nil || g.Config.Clique == nil {
		return 0, errors.New("the genesis has no clique section: not a Clique chain")
	}
	if from > to {
		return 0, fmt.Errorf("invalid range: from %d is above to %d", from, to)
	}
	if g.Config.Clique.Epoch == 0 {
		return defaultEpoch, nil
	}
	return g.Config.Clique.Epoch, nil
}

// startCheckpoint checks that src's chain starts at genesisHash and returns
// its header at start, the checkpoint the replay starts from.
func startCheckpoint(ctx context.Context, src HeaderSource, genesisHash common.Hash, start uint64) (*types.Header, error) {
	first, err := src.Headers(ctx, 0, 0)
	if err != nil {
		return nil, err
	}
	if have := first[0].Hash(); have != genesisHash {
		return nil, fmt.Errorf("the node's genesis is %s, the genesis file's is %s: another chain, or the wrong genesis file", have, genesisHash)
	}
	if start == 0 {
		return first[0], nil
	}
	headers, err := src.Headers(ctx, start, start)
	if err != nil {
		return nil, err
	}
	return headers[0], nil
}

// newSignerAudit returns the audit of blocks from on, starting at the
// checkpoint start, whose signer list it takes on trust.
func newSignerAudit(genesisHash common.Hash, epoch, from uint64, start *types.Header) (*SignerAudit, error) {
	number := start.Number.Uint64()
	extra, err := clique.DecodeExtra(start.Extra, true)
	if err != nil {
		return nil, fmt.Errorf("start checkpoint %d: %w", number, err)
	}
	return &SignerAudit{
		Genesis: genesisHash, Epoch: epoch, From: from, To: number,
		Start: Checkpoint{Block: number, Hash: start.Hash(), Signers: extra.Signers, Matches: true},
		Votes: []VoteRecord{}, Changes: []SignerChange{}, Epochs: []Checkpoint{}, Blocks: []SealRecord{},
		Sealers: make(map[string]Sealed),
	}, nil
}

// replay verifies and records the headers above prev's block up to to,
// fetched from src in batches.
func (a *SignerAudit) replay(ctx context.Context, src HeaderSource, engine *clique.Engine, chain *headerChain, prev *clique.Snapshot, to uint64, progress func(done, total uint64)) (*SignerAudit, error) {
	const batch = 256 // headers per request
	start := a.To
	for next := start + 1; next <= to; {
		last := min(next+batch-1, to)
		headers, err := src.Headers(ctx, next, last)
		if err != nil {
			return nil, err
		}
		for _, h := range headers {
			snap, err := a.step(engine, chain, prev, h, a.From)
			if err != nil {
				return a, err
			}
			prev = snap
			a.To = h.Number.Uint64()
		}
		if progress != nil {
			progress(last-start, to-start)
		}
		next = last + 1
	}
	return a, nil
}

// step verifies header h on top of the chain and records what it did.
func (a *SignerAudit) step(engine *clique.Engine, chain *headerChain, prev *clique.Snapshot, h *types.Header, from uint64) (*clique.Snapshot, error) {
	number := h.Number.Uint64()
	violation := func(err error) error {
		a.Violation = &Violation{Block: number, Hash: h.Hash(), Rule: rule(err), Detail: err.Error()}
		return fmt.Errorf("%w: %w", ErrRuleViolation, a.Violation)
	}
	// The engine's own header rules; a header from the future is one too.
	if err := engine.VerifyHeader(chain, h, nil); err != nil {
		return nil, violation(err)
	}
	chain.insert(h)
	snap, err := engine.Snapshot(chain, number, h.Hash(), nil)
	if err != nil {
		return nil, violation(err)
	}
	sealer, err := engine.Author(h)
	if err != nil {
		return nil, violation(err)
	}
	if number < from {
		return snap, nil // replayed for the state, not reported
	}
	// The engine's weight: the difficulty before the transition, the turn
	// after it, where the difficulty is 0 (ADR 044).
	weight, err := engine.Weight(chain, h, nil)
	if err != nil {
		return nil, violation(err)
	}
	a.recordSeal(number, sealer, weight.Cmp(common.Big2) == 0)
	if err := a.recordCheckpointOrVote(h, sealer, prev); err != nil {
		return nil, violation(err)
	}
	a.recordChanges(number, prev.Signers, snap.Signers)
	return snap, nil
}

// recordSeal records that sealer sealed block number, in turn or not.
func (a *SignerAudit) recordSeal(number uint64, sealer common.Address, inTurn bool) {
	a.Blocks = append(a.Blocks, SealRecord{Block: number, Sealer: sealer, InTurn: inTurn})
	s := a.Sealers[sealer.Hex()]
	s.Blocks++
	if inTurn {
		s.InTurn++
	}
	a.Sealers[sealer.Hex()] = s
}

// recordCheckpointOrVote records h's signer list if it is a checkpoint,
// and its vote otherwise, if it carries one; prev is the snapshot before h.
func (a *SignerAudit) recordCheckpointOrVote(h *types.Header, sealer common.Address, prev *clique.Snapshot) error {
	number := h.Number.Uint64()
	if number%a.Epoch == 0 {
		extra, err := clique.DecodeExtra(h.Extra, true)
		if err != nil {
			return err
		}
		// VerifyHeader compared the list with the replayed set; say so.
		a.Epochs = append(a.Epochs, Checkpoint{Block: number, Hash: h.Hash(), Signers: extra.Signers, Matches: slices.Equal(extra.Signers, sorted(prev.Signers))})
	} else if subject, authorize, _ := clique.DecodeVote(h); subject != (common.Address{}) {
		a.Votes = append(a.Votes, VoteRecord{Block: number, Voter: sealer, Subject: subject, Authorize: authorize})
	}
	return nil
}

// recordChanges records the signers block number added to and removed from
// the set before it.
func (a *SignerAudit) recordChanges(number uint64, before, after map[common.Address]struct{}) {
	for addr := range after {
		if _, ok := before[addr]; !ok {
			a.Changes = append(a.Changes, SignerChange{Block: number, Subject: addr, Added: true, Signers: sorted(after)})
		}
	}
	for addr := range before {
		if _, ok := after[addr]; !ok {
			a.Changes = append(a.Changes, SignerChange{Block: number, Subject: addr, Added: false, Signers: sorted(after)})
		}
	}
}

// rule names the rule an engine error reports: the innermost sentinel's text.
func rule(err error) string {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			break
		}
		err = next
	}
	return err.Error()
}

func sorted(set map[common.Address]struct{}) []common.Address {
	list := make([]common.Address, 0, len(set))
	for addr := range set {
		list = append(list, addr)
	}
	slices.SortFunc(list, common.Address.Cmp)
	return list
}

// headerChain is the consensus.ChainHeaderReader the replay verifies against:
// the last headerWindow headers of the replayed chain.
type headerChain struct {
	config   *params.ChainConfig
	byNumber map[uint64]*types.Header
	head     *types.Header
}

func newHeaderChain(config *params.ChainConfig, start *types.Header) *headerChain {
	c := &headerChain{config: config, byNumber: make(map[uint64]*types.Header)}
	c.insert(start)
	return c
}

func (c *headerChain) insert(h *types.Header) {
	n := h.Number.Uint64()
	c.byNumber[n] = h
	c.head = h
	if n >= headerWindow {
		delete(c.byNumber, n-headerWindow)
	}
}

// Config implements consensus.ChainHeaderReader.
func (c *headerChain) Config() *params.ChainConfig { return c.config }

// CurrentHeader implements consensus.ChainHeaderReader.
func (c *headerChain) CurrentHeader() *types.Header { return c.head }

// GetHeader implements consensus.ChainHeaderReader.
func (c *headerChain) GetHeader(hash common.Hash, number uint64) *types.Header {
	if h := c.byNumber[number]; h != nil && h.Hash() == hash {
		return h
	}
	return nil
}

// GetHeaderByNumber implements consensus.ChainHeaderReader.
func (c *headerChain) GetHeaderByNumber(number uint64) *types.Header { return c.byNumber[number] }

// GetHeaderByHash implements consensus.ChainHeaderReader.
func (c *headerChain) GetHeaderByHash(hash common.Hash) *types.Header {
	for _, h := range c.byNumber {
		if h.Hash() == hash {
			return h
		}
	}
	return nil
}
