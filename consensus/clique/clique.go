// Package clique implements the Clique proof-of-authority rules (EIP-225) for
// citychain: the voting snapshot (signers, recent signers, votes and tally),
// header verification, block preparation and sealing for a signer, the
// out-of-turn delay, vote proposals and the clique_* RPC API of geth 1.13.
//
// go-ethereum still verifies Clique blocks (its consensus/clique, wrapped in
// consensus/beacon) but no longer seals them, and its snapshot is private.
// This package is an independent implementation of the same rules; the tests
// check it block for block against upstream verification. Upstream's
// clique.SealHash is imported, not copied, so both sides hash the same bytes.
package clique

import (
	"errors"
	"fmt"
	"math/big"
	"math/rand/v2"
	"slices"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/consensus/misc"
	"github.com/ethereum/go-ethereum/consensus/misc/eip1559"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
)

const (
	checkpointInterval = 1024                   // blocks between snapshots saved to disk
	inmemorySnapshots  = 128                    // recent snapshots kept in memory
	inmemorySignatures = 4096                   // recovered signers of recent headers kept in memory
	defaultEpoch       = 30000                  // blocks between checkpoints when the configuration says 0
	wiggleTime         = 500 * time.Millisecond // out-of-turn delay bound, per SIGNER_LIMIT (as geth 1.13)
)

// Block difficulties (EIP-225 DIFF_INTURN and DIFF_NOTURN).
var (
	diffInTurn = big.NewInt(2) // difficulty of a block sealed by the in-turn signer
	diffNoTurn = big.NewInt(1) // difficulty of a block sealed by any other signer
)

// SignerFn signs hash (32 bytes, the Clique seal hash of a header) with the
// key of signer. It returns a 65-byte [R || S || V] secp256k1 signature with V
// 0 or 1, as crypto.Sign and keystore.KeyStore.SignHash produce.
type SignerFn func(signer common.Address, hash []byte) ([]byte, error)

// HeaderSignerFn signs header (its seal bytes zero) with the key of signer:
// for signers that compute the seal hash themselves from the header, as
// clef's account_signData with application/x-clique-header does. It
// returns what SignerFn returns, and must not modify header.
type HeaderSignerFn func(signer common.Address, header *types.Header) ([]byte, error)

// Engine applies the Clique rules. It keeps recent snapshots in memory and
// saves one every checkpointInterval blocks to the chain database. All methods
// are safe for concurrent use.
type Engine struct {
	config *params.CliqueConfig // period and epoch (epoch defaulted)
	db     ethdb.Database       // chain database holding saved snapshots

	snapshots  *lru.Cache[common.Hash, *Snapshot] // recent snapshots by block hash; shared, never mutated
	signatures *sigCache                          // recovered signers by header hash

	lock      sync.RWMutex            // protects proposals
	proposals map[common.Address]bool // accounts to vote on: true to add, false to drop

	// offset shifts the clock this engine reads (future-block check, a new
	// header's time): a fault test's clock skew, 0 otherwise (ADR 073).
	offset time.Duration
}

// New returns an engine for config that saves its snapshots to db. An epoch of
// 0 means 30000 blocks; a period of 0 allows blocks with the parent's time.
func New(config *params.CliqueConfig, db ethdb.Database) *Engine {
	conf := *config
	if conf.Epoch == 0 {
		conf.Epoch = defaultEpoch
	}
	return &Engine{
		config:     &conf,
		db:         db,
		snapshots:  lru.NewCache[common.Hash, *Snapshot](inmemorySnapshots),
		signatures: lru.NewCache[common.Hash, common.Address](inmemorySignatures),
		proposals:  make(map[common.Address]bool),
	}
}

// SetClockOffset makes the engine read the clock shifted by d: a fault
// injection for clock-skew tests (ADR 073), set before the engine is used.
func (e *Engine) SetClockOffset(d time.Duration) { e.offset = d }

// ClockOffset is the shift set by SetClockOffset.
func (e *Engine) ClockOffset() time.Duration { return e.offset }

// Now is the engine's clock: the wall clock shifted by ClockOffset.
func (e *Engine) Now() time.Time { return time.Now().Add(e.offset) }

// ecrecover returns the signer of a sealed header, from cache when it can.
func ecrecover(header *types.Header, cache *sigCache) (common.Address, error) {
	hash := header.Hash()
	if cache != nil {
		if signer, ok := cache.Get(hash); ok {
			return signer, nil
		}
	}
	sealHash, err := SealHash(header)
	if err != nil {
		return common.Address{}, err
	}
	pubkey, err := crypto.Ecrecover(sealHash.Bytes(), header.Extra[len(header.Extra)-ExtraSeal:])
	if err != nil {
		return common.Address{}, fmt.Errorf("%w: %v", errInvalidSignature, err)
	}
	var signer common.Address
	copy(signer[:], crypto.Keccak256(pubkey[1:])[12:])
	if cache != nil {
		cache.Add(hash, signer)
	}
	return signer, nil
}

// Config returns the engine's configuration, with the epoch defaulted.
func (e *Engine) Config() params.CliqueConfig {
	return *e.config
}

// Author returns the signer recovered from the seal in the header's
// extra-data. It does not check that the signer was authorized.
func (e *Engine) Author(header *types.Header) (common.Address, error) {
	return ecrecover(header, e.signatures)
}

// Snapshot returns the voting snapshot after block number with the given
// hash. parents optionally holds ancestors that are not in chain yet, in
// ascending order, the last one being the block itself. The result is the
// caller's copy.
func (e *Engine) Snapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*Snapshot, error) {
	snap, err := e.snapshot(chain, number, hash, parents)
	if err != nil {
		return nil, err
	}
	return snap.copy(), nil
}

// snapshot is Snapshot without the copy: the result is shared with the cache
// and must not be changed.
func (e *Engine) snapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*Snapshot, error) {
	// Walk back from the block until a known snapshot, collecting headers.
	var headers []*types.Header
	for {
		snap, err := e.knownSnapshot(chain, number, hash, len(headers))
		if err != nil {
			return nil, err
		}
		if snap != nil {
			slices.Reverse(headers)
			return e.advance(snap, headers)
		}
		header, rest, err := e.ancestor(chain, number, hash, parents)
		if err != nil {
			return nil, err
		}
		parents = rest
		headers = append(headers, header)
		number, hash = number-1, header.ParentHash
	}
}

// knownSnapshot returns the snapshot at (number, hash) if one is at hand: in
// the cache, saved on disk, or trusted from a checkpoint header; nil if the
// walk back must go on. depth is how many headers the walk has collected.
func (e *Engine) knownSnapshot(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, depth int) (*Snapshot, error) {
	if s, ok := e.snapshots.Get(hash); ok {
		return s, nil
	}
	if number%checkpointInterval == 0 {
		if s := e.loadSaved(number, hash); s != nil {
			return s, nil
		}
	}
	// The genesis block, and an epoch block whose history is missing or
	// too deep to replay, are trusted: their extra-data lists the signers.
	// Only a header of the local chain is trusted, never one from parents.
	if number == 0 || (number%e.config.Epoch == 0 && (depth > params.FullImmutabilityThreshold || chain.GetHeaderByNumber(number-1) == nil)) {
		if checkpoint := lookup(chain, hash, number); checkpoint != nil {
			return e.checkpointSnapshot(checkpoint)
		}
		if number == 0 {
			return nil, fmt.Errorf("%w: genesis %x is not in the local chain", errUnknownBlock, hash)
		}
	}
	return nil, nil
}

// loadSaved returns the snapshot saved on disk at hash, nil if there is none
// or it is unreadable (which is logged).
func (e *Engine) loadSaved(number uint64, hash common.Hash) *Snapshot {
	s, err := loadSnapshot(e.config, e.signatures, e.db, hash)
	if err == nil {
		log.Trace("Loaded voting snapshot from disk", "number", number, "hash", hash)
		return s
	}
	if errors.Is(err, errInvalidSnapshot) {
		log.Warn("Ignoring unreadable voting snapshot", "number", number, "hash", hash, "err", err)
	}
	return nil
}

// advance applies headers, oldest first, to snap, caches the result and
// saves it to disk at every checkpointInterval it reaches by applying.
func (e *Engine) advance(snap *Snapshot, headers []*types.Header) (*Snapshot, error) {
	snap, err := snap.apply(headers)
	if err != nil {
		return nil, err
	}
	e.snapshots.Add(snap.Hash, snap)
	if snap.Number%checkpointInterval == 0 && len(headers) > 0 {
		if err := snap.save(e.db); err != nil {
			return nil, err
		}
		log.Debug("Stored voting snapshot to disk", "number", snap.Number, "hash", snap.Hash)
	}
	return snap, nil
}

// ancestor returns the header (number, hash), taking it from the end of
// parents when there are any left, and the parents that remain.
func (e *Engine) ancestor(chain consensus.ChainHeaderReader, number uint64, hash common.Hash, parents []*types.Header) (*types.Header, []*types.Header, error) {
	if len(parents) > 0 {
		header := parents[len(parents)-1]
		if header.Number == nil || header.Number.Uint64() != number || header.Hash() != hash {
			return nil, nil, fmt.Errorf("%w: parent batch does not hold block %d %x", consensus.ErrUnknownAncestor, number, hash)
		}
		return header, parents[:len(parents)-1], nil
	}
	header := lookup(chain, hash, number)
	if header == nil {
		return nil, nil, fmt.Errorf("%w: block %d %x", consensus.ErrUnknownAncestor, number, hash)
	}
	return header, nil, nil
}

// lookup returns the header (number, hash) from chain, or nil. It checks the
// number itself: core.BlockChain's header cache answers by hash alone.
func lookup(chain consensus.ChainHeaderReader, hash common.Hash, number uint64) *types.Header {
	header := chain.GetHeader(hash, number)
	if header == nil || header.Number == nil || header.Number.Uint64() != number {
		return nil
	}
	return header
}

// checkpointSnapshot builds and saves the snapshot of a trusted checkpoint
// header from the signer list in its extra-data.
func (e *Engine) checkpointSnapshot(header *types.Header) (*Snapshot, error) {
	extra, err := DecodeExtra(header.Extra, true)
	if err != nil {
		return nil, fmt.Errorf("checkpoint %d: %w", header.Number, err)
	}
	snap := newSnapshot(e.config, e.signatures, header.Number.Uint64(), header.Hash(), extra.Signers)
	if err := snap.save(e.db); err != nil {
		return nil, err
	}
	log.Info("Stored checkpoint snapshot to disk", "number", snap.Number, "hash", snap.Hash, "signers", len(snap.Signers))
	return snap, nil
}

// VerifyHeader checks a header against all Clique rules. parents optionally
// holds ancestors that are not in chain yet, in ascending order, the last one
// being the header's parent. It returns consensus.ErrFutureBlock for a header
// whose time has not come and consensus.ErrUnknownAncestor for one whose
// parent is unknown; both may become valid later.
func (e *Engine) VerifyHeader(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header) error {
	extra, err := e.verifyStandalone(header)
	if err != nil {
		return err
	}
	modern := ModernAt(chain.Config(), header.Number, header.Time)
	if err := verifyForkFields(chain.Config(), header, modern); err != nil {
		return err
	}
	// The rest depends on the parent and the snapshot.
	return e.verifyCascading(chain, header, parents, extra, modern)
}

// verifyStandalone checks what a header says on its own: its number and
// time, its vote, its extra-data, uncles and gas. It returns the extra-data.
func (e *Engine) verifyStandalone(header *types.Header) (*Extra, error) {
	if header.Number == nil || !header.Number.IsUint64() {
		return nil, fmt.Errorf("%w: have %v", consensus.ErrInvalidNumber, header.Number)
	}
	number := header.Number.Uint64()
	if number == 0 {
		return nil, fmt.Errorf("%w: the genesis header is trusted, not verified", errUnknownBlock)
	}
	// Don't waste time on blocks from the future.
	if now := uint64(e.Now().Unix()); header.Time > now {
		return nil, fmt.Errorf("%w: have time %d, now %d", consensus.ErrFutureBlock, header.Time, now)
	}
	checkpoint := number%e.config.Epoch == 0
	if err := verifyVoteFields(header, checkpoint); err != nil {
		return nil, err
	}
	// Extra-data: vanity, a signer list on checkpoints only, the seal.
	extra, err := DecodeExtra(header.Extra, checkpoint)
	if err != nil {
		return nil, err
	}
	if header.UncleHash != types.EmptyUncleHash {
		return nil, fmt.Errorf("%w: have %x, want %x", errInvalidUncleHash, header.UncleHash, types.EmptyUncleHash)
	}
	if header.GasLimit > params.MaxGasLimit {
		return nil, fmt.Errorf("%w: have %d, want <= %d", errInvalidGasLimit, header.GasLimit, params.MaxGasLimit)
	}
	if header.GasUsed > header.GasLimit {
		return nil, fmt.Errorf("%w: have %d, want <= gas limit %d", errInvalidGasUsed, header.GasUsed, header.GasLimit)
	}
	return extra, nil
}

// verifyVoteFields checks the vote a header casts in its beneficiary and
// nonce; checkpoints carry no vote: zero beneficiary and zero nonce.
func verifyVoteFields(header *types.Header, checkpoint bool) error {
	if checkpoint && header.Coinbase != (common.Address{}) {
		return fmt.Errorf("%w: have %s", errInvalidCheckpointBeneficiary, header.Coinbase)
	}
	if _, _, err := DecodeVote(header); err != nil {
		return err
	}
	if checkpoint && header.Nonce != nonceDropVote {
		return fmt.Errorf("%w: have %#x", errInvalidCheckpointVote, header.Nonce[:])
	}
	return nil
}

// verifyForkFields checks the fields the forks active at the header decide:
// before the modern format (shanghaiTime) Clique stays at London, with the
// fields Clique reserves and one of the two difficulties; in the modern
// format only the forks it covers may be active.
func verifyForkFields(config *params.ChainConfig, header *types.Header, modern bool) error {
	number := header.Number.Uint64()
	if modern {
		if fork := unsupportedModernFork(config, header.Number, header.Time); fork != "" {
			return fmt.Errorf("%w: block %d is under %s", errUnsupportedFork, number, fork)
		}
		return nil
	}
	// Fields Clique reserves: no fork protection.
	if header.MixDigest != (common.Hash{}) {
		return fmt.Errorf("%w: have %x", errInvalidMixDigest, header.MixDigest)
	}
	// The difficulty is one of the two scores; the turn is checked last.
	if header.Difficulty == nil || (header.Difficulty.Cmp(diffInTurn) != 0 && header.Difficulty.Cmp(diffNoTurn) != 0) {
		return fmt.Errorf("%w: have %v, want %v or %v", errInvalidDifficulty, header.Difficulty, diffNoTurn, diffInTurn)
	}
	// Before shanghaiTime Clique stays at London: no merge nor later fork, nor their fields.
	if fork := unsupportedFork(config, header.Number, header.Time); fork != "" {
		return fmt.Errorf("%w: block %d is under %s", errUnsupportedFork, number, fork)
	}
	return checkPostLondonFields(header)
}

// verifyCascading checks what depends on the header's parent (from the end of
// parents or from chain) and on the snapshot at it: the modern fields, the
// time and gas against the parent, a checkpoint's signer list, the seal.
func (e *Engine) verifyCascading(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header, extra *Extra, modern bool) error {
	parent, err := e.parent(chain, header, parents)
	if err != nil {
		return err
	}
	if modern {
		if err := verifyModernFields(chain.Config(), parent, header); err != nil {
			return err
		}
	}
	if min := parent.Time + e.config.Period; header.Time < min {
		return fmt.Errorf("%w: have %d, want >= %d (parent %d + period %d)", errInvalidTimestamp, header.Time, min, parent.Time, e.config.Period)
	}
	if err := verifyGas(chain.Config(), parent, header); err != nil {
		return err
	}
	number := header.Number.Uint64()
	snap, err := e.snapshot(chain, number-1, header.ParentHash, parents)
	if err != nil {
		return err
	}
	// A checkpoint lists exactly the current signers, in ascending order.
	if number%e.config.Epoch == 0 {
		if want := snap.signers(); !slices.Equal(extra.Signers, want) {
			return fmt.Errorf("%w: have %v, want %v", errMismatchingCheckpointSigners, extra.Signers, want)
		}
	}
	return e.verifySeal(snap, header)
}

// parent returns the parent of header from the end of parents or from chain.
func (e *Engine) parent(chain consensus.ChainHeaderReader, header *types.Header, parents []*types.Header) (*types.Header, error) {
	number := header.Number.Uint64()
	var parent *types.Header
	if len(parents) > 0 {
		parent = parents[len(parents)-1]
	} else {
		parent = chain.GetHeader(header.ParentHash, number-1)
	}
	if parent == nil || parent.Number == nil || parent.Number.Uint64() != number-1 || parent.Hash() != header.ParentHash {
		return nil, fmt.Errorf("%w: parent %d %x of block %d", consensus.ErrUnknownAncestor, number-1, header.ParentHash, number)
	}
	return parent, nil
}

// verifyGas checks the gas limit bounds against the parent and the EIP-1559
// base fee.
func verifyGas(config *params.ChainConfig, parent, header *types.Header) error {
	parentLimit := parent.GasLimit
	if config.IsLondon(header.Number) && !config.IsLondon(parent.Number) {
		parentLimit *= config.ElasticityMultiplier() // the London block doubles the limit
	}
	if err := misc.VerifyGaslimit(parentLimit, header.GasLimit); err != nil {
		return fmt.Errorf("%w: %v", errInvalidGasLimit, err)
	}
	if !config.IsLondon(header.Number) {
		if header.BaseFee != nil {
			return fmt.Errorf("%w: have %v before london, want nil", errInvalidBaseFee, header.BaseFee)
		}
		return nil
	}
	if err := eip1559.VerifyEIP1559Header(config, parent, header); err != nil {
		return fmt.Errorf("%w: %v", errInvalidBaseFee, err)
	}
	return nil
}

// unsupportedFork returns the name of a fork active at (number, time) that
// Clique headers cannot follow, or "" if there is none.
func unsupportedFork(config *params.ChainConfig, number *big.Int, time uint64) string {
	switch {
	case config.IsPostMerge(number.Uint64(), time):
		return "the merge"
	case config.IsShanghai(number, time):
		return "shanghai"
	case config.IsCancun(number, time):
		return "cancun"
	case config.IsPrague(number, time):
		return "prague"
	}
	return unsupportedLaterFork(config, number, time)
}

// unsupportedLaterFork returns the name of a fork after Prague active at
// (number, time): neither header format covers one yet.
func unsupportedLaterFork(config *params.ChainConfig, number *big.Int, time uint64) string {
	switch {
	case config.IsOsaka(number, time):
		return "osaka"
	case config.IsAmsterdam(number, time):
		return "amsterdam"
	case config.IsBogota(number, time):
		return "bogota"
	case config.IsUBT(number, time):
		return "ubt"
	}
	return ""
}

// verifySeal checks that the header's signer was allowed to seal it on top of
// snap, with the difficulty of its turn.
func (e *Engine) verifySeal(snap *Snapshot, header *types.Header) error {
	number := header.Number.Uint64()
	signer, err := ecrecover(header, e.signatures)
	if err != nil {
		return err
	}
	if _, ok := snap.Signers[signer]; !ok {
		return fmt.Errorf("%w: block %d signed by %s", ErrUnauthorizedSigner, number, signer)
	}
	if recent, seen := snap.recentlySigned(number, signer); recent {
		return fmt.Errorf("%w: block %d signed by %s, who also signed block %d", ErrRecentlySigned, number, signer, seen)
	}
	if IsModern(header) {
		return nil // its weight is derived from the turn (Weight), not written in it
	}
	if want := difficulty(snap, number, signer); header.Difficulty.Cmp(want) != 0 {
		return fmt.Errorf("%w: have %v, want %v for signer %s at block %d", errWrongDifficulty, header.Difficulty, want, signer, number)
	}
	return nil
}

// difficulty returns the difficulty of block number sealed by signer on top of
// snap.
func difficulty(snap *Snapshot, number uint64, signer common.Address) *big.Int {
	if snap.inturn(number, signer) {
		return new(big.Int).Set(diffInTurn)
	}
	return new(big.Int).Set(diffNoTurn)
}

// Prepare fills the consensus fields of a header that signer is about to seal
// on top of its parent (header.ParentHash and header.Number must be set):
// beneficiary and nonce with a vote from the proposals (none on checkpoints),
// difficulty for signer's turn, extra-data (the caller's vanity, truncated or
// padded to 32 bytes, the signer list on checkpoints and an empty seal), mix
// digest, uncle hash and time = max(parent time + period, now). It leaves gas
// limit and base fee to the caller.
//
// It returns ErrUnauthorizedSigner if signer may not seal on this parent and
// ErrRecentlySigned if it must wait for a later block.
func (e *Engine) Prepare(chain consensus.ChainHeaderReader, header *types.Header, signer common.Address) error {
	if header.Number == nil || header.Number.Sign() <= 0 || !header.Number.IsUint64() {
		return fmt.Errorf("%w: have %v, want >= 1", consensus.ErrInvalidNumber, header.Number)
	}
	number := header.Number.Uint64()
	parent := lookup(chain, header.ParentHash, number-1)
	if parent == nil {
		return fmt.Errorf("%w: parent %d %x", consensus.ErrUnknownAncestor, number-1, header.ParentHash)
	}
	snap, err := e.snapshot(chain, number-1, header.ParentHash, nil)
	if err != nil {
		return err
	}
	if _, ok := snap.Signers[signer]; !ok {
		return fmt.Errorf("%w: %s is not a signer at block %d", ErrUnauthorizedSigner, signer, number-1)
	}
	if recent, seen := snap.recentlySigned(number, signer); recent {
		return fmt.Errorf("%w: %s signed block %d, may sign again from block %d", ErrRecentlySigned, signer, seen, seen+snap.limit())
	}
	// Vote on one of the proposals that still make sense, never on checkpoints.
	checkpoint := number%e.config.Epoch == 0
	encodeVote(header, common.Address{}, false)
	if !checkpoint {
		if address, authorize, ok := e.pickVote(snap); ok {
			encodeVote(header, address, authorize)
		}
	}
	header.Difficulty = difficulty(snap, number, signer)

	extra := new(Extra)
	copy(extra.Vanity[:], header.Extra)
	if checkpoint {
		extra.Signers = snap.signers()
	}
	header.Extra = extra.Encode()
	header.MixDigest = common.Hash{}
	header.UncleHash = types.EmptyUncleHash
	header.Time = max(parent.Time+e.config.Period, uint64(e.Now().Unix()))
	if config := chain.Config(); ModernAt(config, header.Number, header.Time) {
		prepareModern(config, parent, header)
	}
	return nil
}

// PrepareModern sets the post-transition fields of header (built on parent,
// its number and time set) if its time is at or after shanghaiTime, and
// clears them otherwise; a builder that moves a prepared header's time calls
// it again. It reports whether the header is post-transition.
func (e *Engine) PrepareModern(config *params.ChainConfig, parent, header *types.Header) bool {
	if !ModernAt(config, header.Number, header.Time) {
		return false
	}
	prepareModern(config, parent, header)
	return true
}

// pickVote returns a random proposal that is a valid vote in snap. Picking at
// random lets concurrent proposals all make progress (EIP-225 "Voting
// strategies").
func (e *Engine) pickVote(snap *Snapshot) (common.Address, bool, bool) {
	e.lock.RLock()
	defer e.lock.RUnlock()

	var candidates []common.Address
	for address, authorize := range e.proposals {
		if snap.validVote(address, authorize) {
			candidates = append(candidates, address)
		}
	}
	if len(candidates) == 0 {
		return common.Address{}, false, false
	}
	address := candidates[rand.IntN(len(candidates))]
	return address, e.proposals[address], true
}

// Seal returns a copy of header with its seal written into the extra-data:
// sign's signature, by signer, of the Clique seal hash. It checks that the
// signature recovers to signer but not whether signer may seal the block;
// Prepare did that.
func (e *Engine) Seal(header *types.Header, signer common.Address, sign SignerFn) (*types.Header, error) {
	return e.SealHeader(header, signer, func(signer common.Address, h *types.Header) ([]byte, error) {
		// The seal hash of the header as given: CopyHeader turns a nil
		// difficulty into 0, the post-transition format.
		sealHash, err := SealHash(h)
		if err != nil {
			return nil, err
		}
		return sign(signer, sealHash.Bytes())
	})
}

// SealHeader is Seal with a signer that is handed the header itself.
func (e *Engine) SealHeader(header *types.Header, signer common.Address, sign HeaderSignerFn) (*types.Header, error) {
	if header.Number == nil {
		return nil, fmt.Errorf("%w: have nil", consensus.ErrInvalidNumber)
	}
	if len(header.Extra) < ExtraVanity+ExtraSeal {
		return nil, fmt.Errorf("%w: have %d bytes, want >= %d", errMissingSignature, len(header.Extra), ExtraVanity+ExtraSeal)
	}
	if _, err := SealHash(header); err != nil {
		return nil, err
	}
	sealed := types.CopyHeader(header)
	sig, err := sign(signer, header)
	if err != nil {
		return nil, fmt.Errorf("sign block %d: %w", sealed.Number, err)
	}
	if len(sig) != ExtraSeal {
		return nil, fmt.Errorf("%w: have %d bytes, want %d", errInvalidSignature, len(sig), ExtraSeal)
	}
	copy(sealed.Extra[len(sealed.Extra)-ExtraSeal:], sig)

	recovered, err := ecrecover(sealed, e.signatures)
	if err != nil {
		return nil, err
	}
	if recovered != signer {
		return nil, fmt.Errorf("%w: have signer %s, want %s", errInvalidSignature, recovered, signer)
	}
	return sealed, nil
}

// SlotDelay returns whether signer is in turn for block number on top of snap
// and, if it is not, a random delay to add to the block's time before
// releasing it: up to SIGNER_LIMIT * 500ms, as geth 1.13 did, so that the
// in-turn block usually arrives first.
func (e *Engine) SlotDelay(snap *Snapshot, number uint64, signer common.Address) (inturn bool, wiggle time.Duration) {
	if snap.inturn(number, signer) {
		return true, 0
	}
	bound := time.Duration(snap.limit()) * wiggleTime
	return false, time.Duration(rand.Int64N(int64(bound)))
}

// Propose adds or replaces a proposal to vote on: authorize to add address to
// the signers, or not to drop it. Prepare votes on proposals that make sense.
func (e *Engine) Propose(address common.Address, authorize bool) {
	e.lock.Lock()
	defer e.lock.Unlock()
	e.proposals[address] = authorize
}

// Discard drops the proposal on address, if there is one.
func (e *Engine) Discard(address common.Address) {
	e.lock.Lock()
	defer e.lock.Unlock()
	delete(e.proposals, address)
}

// Proposals returns a copy of the current proposals: account to true to add
// it, false to drop it.
func (e *Engine) Proposals() map[common.Address]bool {
	e.lock.RLock()
	defer e.lock.RUnlock()

	proposals := make(map[common.Address]bool, len(e.proposals))
	for address, authorize := range e.proposals {
		proposals[address] = authorize
	}
	return proposals
}

// Close releases the engine. It has no background work; it exists so that the
// engine can sit where an io.Closer is expected.
func (e *Engine) Close() error {
	return nil
}
