package forkchoice

import (
	"fmt"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethdb"
	"github.com/ethereum/go-ethereum/log"
)

const (
	tdPrefix     = "citychain-td-" // database key prefix of total difficulties, followed by the 32-byte block hash
	tdCacheSize  = 4096            // total difficulties of recent blocks kept in memory
	tdRebuildLog = 8 * time.Second // time between progress lines while rebuilding total difficulties
)

// tdKey is the database key of the total difficulty of block hash.
func tdKey(hash common.Hash) []byte {
	return append([]byte(tdPrefix), hash[:]...)
}

// loadTD reads the total difficulty of block hash from db: nil if there is
// none, or if the stored value is unreadable (it is then rebuilt).
func loadTD(db ethdb.KeyValueReader, hash common.Hash) (*big.Int, error) {
	key := tdKey(hash)
	ok, err := db.Has(key)
	if err != nil || !ok {
		return nil, err
	}
	blob, err := db.Get(key)
	if err != nil {
		return nil, err
	}
	// Every total difficulty is at least the genesis difficulty, 1: an
	// empty value is a damaged entry, not a zero.
	if len(blob) == 0 || len(blob) > 32 {
		log.Warn("Ignoring unreadable total difficulty", "hash", hash, "bytes", len(blob))
		return nil, nil
	}
	return new(big.Int).SetBytes(blob), nil
}

// saveTD writes the total difficulty of block hash to db.
func saveTD(db ethdb.KeyValueWriter, hash common.Hash, td *big.Int) error {
	return db.Put(tdKey(hash), td.Bytes())
}

// cachedTD returns the total difficulty of block hash from memory or the
// database, nil if it is in neither. The result is the caller's copy.
func (f *ForkChoice) cachedTD(hash common.Hash) (*big.Int, error) {
	if td, ok := f.tds.Get(hash); ok {
		return new(big.Int).Set(td), nil
	}
	td, err := loadTD(f.db, hash)
	if err != nil || td == nil {
		return nil, err
	}
	f.tds.Add(hash, new(big.Int).Set(td))
	return td, nil
}

// storeTD saves the total difficulty of block hash and keeps it in memory.
func (f *ForkChoice) storeTD(hash common.Hash, td *big.Int) error {
	if err := saveTD(f.db, hash, td); err != nil {
		return fmt.Errorf("save total difficulty of %x: %w", hash, err)
	}
	f.tds.Add(hash, new(big.Int).Set(td))
	return nil
}

// td returns the total difficulty of header, which must be in the chain. If
// it is not stored (a block inserted before fork choice ran, or lost in a
// crash) it is rebuilt from the headers back to the newest stored total
// difficulty or the genesis block (whose total difficulty is its difficulty),
// and saved for every header on the way.
func (f *ForkChoice) td(header *types.Header) (*big.Int, error) {
	type step struct {
		hash   common.Hash
		header *types.Header
	}
	var (
		pending []step   // headers without a stored total difficulty, newest first
		base    *big.Int // total difficulty of the parent of the oldest pending header
		start   = time.Now()
		logged  = start
	)
	for h := header; ; {
		hash := h.Hash()
		td, err := f.cachedTD(hash)
		if err != nil {
			return nil, err
		}
		if td != nil {
			base = td
			break
		}
		pending = append(pending, step{hash, h})
		if h.Number.Sign() == 0 {
			base = new(big.Int)
			break
		}
		parent := f.chain.GetHeader(h.ParentHash, h.Number.Uint64()-1)
		if parent == nil {
			return nil, fmt.Errorf("%w: ancestor %d %x of block %d, needed for its total difficulty", ErrUnknownParent, h.Number.Uint64()-1, h.ParentHash, header.Number)
		}
		h = parent
		if time.Since(logged) > tdRebuildLog {
			log.Info("Reading headers to rebuild total difficulties", "number", h.Number, "headers", len(pending))
			logged = time.Now()
		}
	}
	if len(pending) == 0 {
		return base, nil
	}
	// Write the rebuilt values oldest first, in batches.
	batch := f.db.NewBatch()
	td := base
	for i := len(pending) - 1; i >= 0; i-- {
		// Oldest first, so the engine's snapshot of each parent is at hand.
		if w, err := f.weight(pending[i].header); err != nil {
			return nil, err
		} else if w != nil {
			td = new(big.Int).Add(td, w)
		}
		if err := saveTD(batch, pending[i].hash, td); err != nil {
			return nil, err
		}
		f.tds.Add(pending[i].hash, td)
		if batch.ValueSize() >= ethdb.IdealBatchSize {
			if err := batch.Write(); err != nil {
				return nil, fmt.Errorf("save total difficulties: %w", err)
			}
			batch.Reset()
		}
	}
	if err := batch.Write(); err != nil {
		return nil, fmt.Errorf("save total difficulties: %w", err)
	}
	if len(pending) > 1 {
		log.Info("Rebuilt total difficulties from headers", "number", header.Number, "blocks", len(pending), "td", td, "elapsed", common.PrettyDuration(time.Since(start)))
	}
	return new(big.Int).Set(td), nil
}

// weight returns the fork-choice weight of a header in the chain: its
// difficulty before the transition (nil if it has none, as the genesis of a
// test chain may), the engine's in-turn score after it (ADR 044).
func (f *ForkChoice) weight(header *types.Header) (*big.Int, error) {
	if header.Difficulty == nil {
		return nil, nil
	}
	if header.Difficulty.Sign() != 0 || header.Number.Sign() == 0 {
		return header.Difficulty, nil
	}
	w, err := f.engine.Weight(f.chain, header, nil)
	if err != nil {
		return nil, fmt.Errorf("weight of block %d %x: %w", header.Number, header.Hash(), err)
	}
	return w, nil
}
