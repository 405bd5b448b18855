package intake

import (
	"encoding/binary"
	"sync/atomic"

	"github.com/ethereum/go-ethereum/common"
	"github.com/syndtr/goleveldb/leveldb"
	"github.com/syndtr/goleveldb/leveldb/util"
)

// Size of the filter of stored ballot ids: 2^26 bits (8 MiB), 7 probes, a
// false positive rate under 1 % up to about 6.5 million ballots. Past that
// it only answers "maybe" more often: a "maybe" reads the database, so the
// answers stay exact.
const (
	knownBits   = 1 << 26
	knownProbes = 7
)

// known is a Bloom filter of the ballot ids in the store, for the duplicate
// check of every ballot posted (nearly always a new id): "absent" is
// answered without reading goleveldb, whose miss costs a search of its
// memtables (about 12 us a ballot at W6, docs/benchmarks.md). Ids are added
// before their write, and the ids stored before the process started by a
// scan at open that runs in the background; until it is done the filter
// answers "maybe" to everything.
type known struct {
	bits  []atomic.Uint64
	ready atomic.Bool
	stop  atomic.Bool   // the store is closing: the scan ends
	done  chan struct{} // closed when the scan has ended
}

func newKnown() *known {
	return &known{bits: make([]atomic.Uint64, knownBits/64), done: make(chan struct{})}
}

// probe returns the i-th bit of id: a ballot id is a keccak hash, so its
// bytes are the filter's hashes (double hashing of two 64-bit halves).
func probe(id common.Hash, i uint64) uint64 {
	h1 := binary.LittleEndian.Uint64(id[0:8])
	h2 := binary.LittleEndian.Uint64(id[8:16]) | 1
	return (h1 + i*h2) % knownBits
}

// add notes id as stored (or about to be).
func (k *known) add(id common.Hash) {
	for i := range uint64(knownProbes) {
		b := probe(id, i)
		k.bits[b/64].Or(1 << (b % 64))
	}
}

// absent reports whether id is surely not stored.
func (k *known) absent(id common.Hash) bool {
	if !k.ready.Load() {
		return false
	}
	for i := range uint64(knownProbes) {
		b := probe(id, i)
		if k.bits[b/64].Load()&(1<<(b%64)) == 0 {
			return true
		}
	}
	return false
}

// scan adds the ids of the states stored in db and then makes the filter
// answer. On an error, or stopped, it stays unready: every lookup reads the
// database.
func (k *known) scan(db *leveldb.DB) error {
	it := db.NewIterator(util.BytesPrefix(prefixState), nil)
	defer it.Release()
	for it.Next() {
		if k.stop.Load() {
			return nil
		}
		if key := it.Key(); len(key) == 1+common.HashLength {
			k.add(common.BytesToHash(key[1:]))
		}
	}
	if err := it.Error(); err != nil {
		return err
	}
	k.ready.Store(true)
	return nil
}
