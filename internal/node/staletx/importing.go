package staletx

import (
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/citychain/citychain/internal/node/gossip"
)

// Importing returns backend with its Import putting the block's transactions
// in set for the time of the import, and keeping them there if the import
// succeeds (a Follower adds the block again when it becomes the head, which
// changes nothing).
//
// Why: a follower imports a block of thousands of transactions in 0.3-1.8 s
// on a loaded 2-core machine, and the gossip of the block's transactions
// that had not reached it before the block keeps arriving meanwhile. Before
// the block became the head, the set did not hold them, so geth's pool
// recovered each one's sender (ecrecover, ~39 µs) only to refuse it as
// stale after the import, which had recovered the same sender already: 7 %
// of a follower's CPU in a 3-signer network (docs/benchmarks.md). Dropping
// them at the connection, before geth decodes them, costs a hash each.
//
// A block that fails to import (invalid, unknown parent, a local failure) is
// forgotten again, so an allowlisted peer sending a bad block cannot keep
// the block's transactions from this node's pool for longer than the
// import takes. A block imported to a side branch keeps its transactions
// in the set: they are in a valid block, and the node that sent them still
// holds them in its pool if that branch loses.
func Importing(backend gossip.Backend, set *Set) gossip.Backend {
	return importing{Backend: backend, set: set}
}

// importing is Importing's backend.
type importing struct {
	gossip.Backend
	set *Set
}

// Import implements gossip.Backend.
func (i importing) Import(block *types.Block) error {
	added := i.set.Add(block)
	err := i.Backend.Import(block)
	if err != nil && added {
		i.set.Forget(block)
	}
	return err
}
