package clique

import (
	"encoding/json"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/lru"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/params"
)

const (
	snapshotPrefix  = "citychain-clique-snap-" // database key prefix of saved snapshots, followed by the 32-byte block hash
	replayLogPeriod = 8 * time.Second          // time between progress lines while replaying a long voting history
)

// Vote is a single vote that an authorized signer cast to change the signer
// set.
type Vote struct {
	Signer    common.Address `json:"signer"`    // authorized signer that cast the vote
	Block     uint64         `json:"block"`     // number of the block that carried the vote
	Address   common.Address `json:"address"`   // account voted on
	Authorize bool           `json:"authorize"` // true to add the account, false to drop it
}

// Tally is the running score of the pending votes on one account. Votes that
// go against the tally's direction are not counted: voting against a proposal
// is the same as not voting.
type Tally struct {
	Authorize bool `json:"authorize"` // whether the votes are to add or to drop the account
	Votes     int  `json:"votes"`     // number of signers currently voting for the proposal
}

// sigCache maps header hashes to the signers recovered from their seals.
type sigCache = lru.Cache[common.Hash, common.Address]

// Snapshot is the state of the signer voting at a given block. Its JSON form
// is the one geth 1.13 stored and returned from clique_getSnapshot.
type Snapshot struct {
	config   *params.CliqueConfig // engine configuration (epoch length); never nil
	sigcache *sigCache            // recovered signers of recent headers; nil disables caching

	Number  uint64                      `json:"number"`  // block number of the snapshot
	Hash    common.Hash                 `json:"hash"`    // block hash of the snapshot
	Signers map[common.Address]struct{} `json:"signers"` // authorized signers
	Recents map[uint64]common.Address   `json:"recents"` // block number -> signer, for the blocks whose signers may not sign yet
	Votes   []*Vote                     `json:"votes"`   // pending votes in chronological order
	Tally   map[common.Address]Tally    `json:"tally"`   // pending votes summed up per account
}

// newSnapshot returns the snapshot of a trusted checkpoint (the genesis block
// or an epoch block taken on trust): the given signers, no recent signers and
// no votes.
func newSnapshot(config *params.CliqueConfig, sigcache *sigCache, number uint64, hash common.Hash, signers []common.Address) *Snapshot {
	s := &Snapshot{
		config:   config,
		sigcache: sigcache,
		Number:   number,
		Hash:     hash,
		Signers:  make(map[common.Address]struct{}, len(signers)),
		Recents:  make(map[uint64]common.Address),
		Votes:    []*Vote{},
		Tally:    make(map[common.Address]Tally),
	}
	for _, signer := range signers {
		s.Signers[signer] = struct{}{}
	}
	return s
}

// snapshotKey is the database key of the snapshot at block hash.
func snapshotKey(hash common.Hash) []byte {
	return append([]byte(snapshotPrefix), hash[:]...)
}

// loadSnapshot reads the snapshot of block hash from db.
func loadSnapshot(config *params.CliqueConfig, sigcache *sigCache, db ethdb.KeyValueReader, hash common.Hash) (*Snapshot, error) {
	blob, err := db.Get(snapshotKey(hash))
	if err != nil {
		return nil, err
	}
	s := new(Snapshot)
	if err := json.Unmarshal(blob, s); err != nil {
		return nil, fmt.Errorf("%w: %v", errInvalidSnapshot, err)
	}
	if s.Hash != hash {
		return nil, fmt.Errorf("%w: have hash %x, want %x", errInvalidSnapshot, s.Hash, hash)
	}
	loaded := s.copy() // normalises missing JSON fields to empty maps and lists
	loaded.config, loaded.sigcache = config, sigcache
	return loaded, nil
}

// save writes the snapshot to db under its block hash.
func (s *Snapshot) save(db ethdb.KeyValueWriter) error {
	blob, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return db.Put(snapshotKey(s.Hash), blob)
}

// copy returns a deep copy of the snapshot, votes included, so that neither
// side can change the other.
func (s *Snapshot) copy() *Snapshot {
	c := &Snapshot{
		config:   s.config,
		sigcache: s.sigcache,
		Number:   s.Number,
		Hash:     s.Hash,
		Signers:  make(map[common.Address]struct{}, len(s.Signers)),
		Recents:  make(map[uint64]common.Address, len(s.Recents)),
		Votes:    make([]*Vote, len(s.Votes)),
		Tally:    make(map[common.Address]Tally, len(s.Tally)),
	}
	for signer := range s.Signers {
		c.Signers[signer] = struct{}{}
	}
	for number, signer := range s.Recents {
		c.Recents[number] = signer
	}
	for i, vote := range s.Votes {
		v := *vote
		c.Votes[i] = &v
	}
	for address, tally := range s.Tally {
		c.Tally[address] = tally
	}
	return c
}

// limit is SIGNER_LIMIT: a signer may sign only one block out of this many
// consecutive blocks.
func (s *Snapshot) limit() uint64 {
	return uint64(len(s.Signers)/2 + 1)
}

// recentlySigned reports whether signer sealed one of the blocks that keep it
// from sealing block number (the block right after the snapshot).
func (s *Snapshot) recentlySigned(number uint64, signer common.Address) (bool, uint64) {
	limit := s.limit()
	for seen, recent := range s.Recents {
		// A signature at block seen blocks the signer until block seen+limit.
		if recent == signer && seen+limit > number {
			return true, seen
		}
	}
	return false, 0
}

// validVote reports whether a vote makes sense in this snapshot: adding an
// account that is not a signer, or dropping one that is.
func (s *Snapshot) validVote(address common.Address, authorize bool) bool {
	_, signer := s.Signers[address]
	return signer != authorize
}

// cast adds a vote to the tally if it makes sense, and reports whether it did.
func (s *Snapshot) cast(address common.Address, authorize bool) bool {
	if !s.validVote(address, authorize) {
		return false
	}
	// A valid vote always goes the tally's way: the tally is reset whenever the
	// account's status changes.
	tally, ok := s.Tally[address]
	if !ok {
		tally.Authorize = authorize
	}
	tally.Votes++
	s.Tally[address] = tally
	return true
}

// uncast removes a counted vote from the tally, and reports whether there was
// one to remove.
func (s *Snapshot) uncast(address common.Address, authorize bool) bool {
	tally, ok := s.Tally[address]
	if !ok || tally.Authorize != authorize {
		return false
	}
	if tally.Votes > 1 {
		tally.Votes--
		s.Tally[address] = tally
	} else {
		delete(s.Tally, address)
	}
	return true
}

// dropVotes removes the votes for which drop returns true from the list, and
// from the tally too if uncast is set.
func (s *Snapshot) dropVotes(drop func(*Vote) bool, uncast bool) {
	s.Votes = slices.DeleteFunc(s.Votes, func(v *Vote) bool {
		if !drop(v) {
			return false
		}
		if uncast {
			s.uncast(v.Address, v.Authorize)
		}
		return true
	})
}

// apply returns the snapshot reached by applying headers, which must follow
// the snapshot's block one by one, on top of it. It never changes s.
func (s *Snapshot) apply(headers []*types.Header) (*Snapshot, error) {
	if len(headers) == 0 {
		return s, nil
	}
	// The headers must form a chain that starts right on top of the snapshot.
	parent := s.Hash
	for i, header := range headers {
		if want := s.Number + uint64(i) + 1; header.Number == nil || !header.Number.IsUint64() || header.Number.Uint64() != want {
			return nil, fmt.Errorf("%w: have number %v, want %d", errInvalidVotingChain, header.Number, want)
		}
		if header.ParentHash != parent {
			return nil, fmt.Errorf("%w: block %d has parent %x, want %x", errInvalidVotingChain, header.Number, header.ParentHash, parent)
		}
		parent = header.Hash()
	}
	var (
		snap   = s.copy()
		start  = time.Now()
		logged = start
	)
	for i, header := range headers {
		if err := snap.step(header); err != nil {
			return nil, err
		}
		if time.Since(logged) > replayLogPeriod {
			log.Info("Reconstructing voting history", "processed", i+1, "total", len(headers), "elapsed", common.PrettyDuration(time.Since(start)))
			logged = time.Now()
		}
	}
	if elapsed := time.Since(start); elapsed > replayLogPeriod {
		log.Info("Reconstructed voting history", "processed", len(headers), "elapsed", common.PrettyDuration(elapsed))
	}
	snap.Number += uint64(len(headers))
	snap.Hash = parent
	return snap, nil
}

// step applies one header in place. Only apply calls it, on its own copy.
func (s *Snapshot) step(header *types.Header) error {
	number := header.Number.Uint64()

	// A checkpoint discards all pending votes.
	if number%s.config.Epoch == 0 {
		s.Votes = []*Vote{}
		s.Tally = make(map[common.Address]Tally)
	}
	// The signer of block number-limit may sign again from this block on.
	if limit := s.limit(); number >= limit {
		delete(s.Recents, number-limit)
	}
	signer, err := ecrecover(header, s.sigcache)
	if err != nil {
		return err
	}
	// Only a signer of the parent's snapshot may seal, once per limit blocks.
	if _, ok := s.Signers[signer]; !ok {
		return fmt.Errorf("%w: block %d signed by %s", ErrUnauthorizedSigner, number, signer)
	}
	if recent, seen := s.recentlySigned(number, signer); recent {
		return fmt.Errorf("%w: block %d signed by %s, who also signed block %d", ErrRecentlySigned, number, signer, seen)
	}
	s.Recents[number] = signer

	address, authorize, err := DecodeVote(header)
	if err != nil {
		return err
	}
	// A signer holds one vote per account: a new vote replaces its previous one.
	s.dropVotes(func(v *Vote) bool { return v.Signer == signer && v.Address == address }, true)
	if s.cast(address, authorize) {
		s.Votes = append(s.Votes, &Vote{Signer: signer, Block: number, Address: address, Authorize: authorize})
	}
	// A proposal passes once more than half of the signers back it. Only the
	// account voted on in this header changes: other proposals that reached a
	// majority because the signer set shrank wait until they are touched.
	if tally := s.Tally[address]; tally.Votes > len(s.Signers)/2 {
		if tally.Authorize {
			s.Signers[address] = struct{}{}
		} else {
			delete(s.Signers, address)

			// The limit may have shrunk: release the signer it no longer covers.
			if limit := s.limit(); number >= limit {
				delete(s.Recents, number-limit)
			}
			// The dropped signer's pending votes no longer count.
			s.dropVotes(func(v *Vote) bool { return v.Signer == address }, true)
		}
		// The account's status changed: its proposals start from scratch.
		s.dropVotes(func(v *Vote) bool { return v.Address == address }, false)
		delete(s.Tally, address)
	}
	return nil
}

// signers returns the authorized signers in ascending order.
func (s *Snapshot) signers() []common.Address {
	list := make([]common.Address, 0, len(s.Signers))
	for signer := range s.Signers {
		list = append(list, signer)
	}
	slices.SortFunc(list, common.Address.Cmp)
	return list
}

// InTurnSigner returns the in-turn signer of block number on top of this
// snapshot (the signer at index number % SIGNER_COUNT of the sorted list), or
// false if there are no signers.
func (s *Snapshot) InTurnSigner(number uint64) (common.Address, bool) {
	list := s.signers()
	if len(list) == 0 {
		return common.Address{}, false
	}
	return list[number%uint64(len(list))], true
}

// Limit returns SIGNER_LIMIT, floor(SIGNER_COUNT/2)+1: a signer may seal only
// one block out of this many consecutive blocks, so sealing halts once fewer
// signers than this are online.
func (s *Snapshot) Limit() uint64 { return s.limit() }

// inturn reports whether signer is the in-turn signer of block number: the
// signer at index number % SIGNER_COUNT of the sorted signer list.
func (s *Snapshot) inturn(number uint64, signer common.Address) bool {
	list := s.signers()
	index, found := slices.BinarySearchFunc(list, signer, common.Address.Cmp)
	if !found {
		return false
	}
	return number%uint64(len(list)) == uint64(index)
}
