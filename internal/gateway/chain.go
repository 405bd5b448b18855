package gateway

import (
	"context"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/buildinfo"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// chain is the intake's view of the chain: reads at the latest block of a
// ready node, with failover; the hasVoted reads of concurrent ballots go in
// JSON-RPC batches.
type chain struct {
	pool  *upstream.Pool
	voted *votedReader
}

func newChain(pool *upstream.Pool) chain { return chain{pool: pool, voted: &votedReader{pool: pool}} }

// Poll implements intake.Chain.
func (c chain) Poll(ctx context.Context, id uint64) (p *registry.Poll, err error) {
	err = c.pool.Do(ctx, func(ctx context.Context, n *upstream.Node) error {
		p, err = registry.New(n.RPC(), nil).Poll(ctx, id)
		return err
	})
	return p, err
}

// HasVoted implements intake.Chain.
func (c chain) HasVoted(ctx context.Context, poll uint64, index uint32) (bool, error) {
	return c.voted.HasVoted(ctx, poll, index)
}

// HeadTime implements intake.Chain.
func (c chain) HeadTime() (uint64, bool) {
	h := c.pool.Head()
	if h == nil {
		return 0, false
	}
	return h.Time, true
}

// buildInfo is the build of the running binary.
func buildInfo() buildinfo.Info { return buildinfo.Get() }
