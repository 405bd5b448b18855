package clique

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
)

// ChainEngine is the consensus.Engine that go-ethereum's chain runs with on a
// chain that schedules the transition (ADR 044): pre-transition headers go to
// the engine go-ethereum made (upstream Clique in the beacon wrapper, as on a
// London chain), post-transition headers (difficulty 0) to our engine, which
// the beacon wrapper would take for proof of stake.
type ChainEngine struct {
	engine *Engine
	inner  consensus.Engine // go-ethereum's engine, for pre-transition headers
}

// NewChainEngine returns the engine for go-ethereum's chain: engine for
// post-transition headers, inner for the others.
func NewChainEngine(engine *Engine, inner consensus.Engine) *ChainEngine {
	return &ChainEngine{engine: engine, inner: inner}
}

// Inner returns go-ethereum's engine that pre-transition headers go to.
func (c *ChainEngine) Inner() consensus.Engine { return c.inner }

// errNotSealing is returned by the methods of go-ethereum's miner that the
// node never uses: citychain's sealer builds and seals blocks.
var errNotSealing = errors.New("clique: blocks are sealed by citychain's sealer, not go-ethereum's miner")

// Author implements consensus.Engine: the seal's signer.
func (c *ChainEngine) Author(header *types.Header) (common.Address, error) {
	if !IsModern(header) {
		return c.inner.Author(header)
	}
	return c.engine.Author(header)
}

// VerifyHeader implements consensus.Engine.
func (c *ChainEngine) VerifyHeader(chain consensus.ChainHeaderReader, header *types.Header) error {
	if !IsModern(header) {
		return c.inner.VerifyHeader(chain, header)
	}
	return c.engine.VerifyHeader(chain, header, nil)
}

// VerifyHeaders implements consensus.Engine. Timestamps only grow, so a batch
// is pre-transition headers followed by post-transition ones: the first part
// goes to go-ethereum's engine, the rest to ours (with the whole batch before
// each header as its parents).
func (c *ChainEngine) VerifyHeaders(chain consensus.ChainHeaderReader, headers []*types.Header) (chan<- struct{}, <-chan error) {
	split := len(headers)
	for i, h := range headers {
		if IsModern(h) {
			split = i
			break
		}
	}
	if split == len(headers) {
		return c.inner.VerifyHeaders(chain, headers)
	}
	abort := make(chan struct{})
	results := make(chan error, len(headers))
	go func() {
		if split > 0 {
			innerAbort, innerResults := c.inner.VerifyHeaders(chain, headers[:split])
			for range split {
				select {
				case err := <-innerResults:
					results <- err
				case <-abort:
					close(innerAbort)
					return
				}
			}
		}
		for i := split; i < len(headers); i++ {
			var err error
			if !IsModern(headers[i]) {
				// A pre-transition header after a post-transition one.
				err = fmt.Errorf("%w: block %v has difficulty %v after a post-transition block", errInvalidDifficulty, headers[i].Number, headers[i].Difficulty)
			} else {
				err = c.engine.VerifyHeader(chain, headers[i], headers[:i])
			}
			select {
			case results <- err:
			case <-abort:
				return
			}
		}
	}()
	return abort, results
}

// VerifyUncles implements consensus.Engine: Clique blocks have no uncles.
func (c *ChainEngine) VerifyUncles(chain consensus.ChainReader, block *types.Block) error {
	if !IsModern(block.Header()) {
		return c.inner.VerifyUncles(chain, block)
	}
	if len(block.Uncles()) > 0 {
		return fmt.Errorf("%w: block %d has %d uncles", errInvalidUncleHash, block.NumberU64(), len(block.Uncles()))
	}
	return nil
}

// Prepare implements consensus.Engine for go-ethereum's pending block (the
// node's sealer never calls it): the post-transition fields, an unsealed
// extra-data, no vote.
func (c *ChainEngine) Prepare(chain consensus.ChainHeaderReader, header *types.Header) error {
	config := chain.Config()
	if !ModernAt(config, header.Number, header.Time) {
		return c.inner.Prepare(chain, header)
	}
	parent := chain.GetHeader(header.ParentHash, header.Number.Uint64()-1)
	if parent == nil {
		return consensus.ErrUnknownAncestor
	}
	extra := new(Extra)
	copy(extra.Vanity[:], header.Extra)
	header.Extra = extra.Encode()
	header.Coinbase, header.Nonce = common.Address{}, nonceDropVote
	header.UncleHash = types.EmptyUncleHash
	prepareModern(config, parent, header)
	return nil
}

// Finalize implements consensus.Engine: Clique has no block rewards.
func (c *ChainEngine) Finalize(chain consensus.ChainHeaderReader, header *types.Header, state vm.StateDB, body *types.Body) {
	if !IsModern(header) {
		c.inner.Finalize(chain, header, state, body)
	}
}

// Seal implements consensus.Engine; go-ethereum's miner does not seal here.
func (c *ChainEngine) Seal(chain consensus.ChainHeaderReader, block *types.Block, results chan<- *types.Block, stop <-chan struct{}) error {
	if !IsModern(block.Header()) {
		return c.inner.Seal(chain, block, results, stop)
	}
	return errNotSealing
}

// SealHash implements consensus.Engine.
func (c *ChainEngine) SealHash(header *types.Header) common.Hash {
	if !IsModern(header) {
		return c.inner.SealHash(header)
	}
	hash, _ := SealHash(header)
	return hash
}

// CalcDifficulty implements consensus.Engine: 0 from the transition on.
func (c *ChainEngine) CalcDifficulty(chain consensus.ChainHeaderReader, time uint64, parent *types.Header) *big.Int {
	if !ModernAt(chain.Config(), new(big.Int).Add(parent.Number, common.Big1), time) {
		return c.inner.CalcDifficulty(chain, time, parent)
	}
	return new(big.Int)
}

// Close implements consensus.Engine.
func (c *ChainEngine) Close() error {
	return errors.Join(c.inner.Close(), c.engine.Close())
}
