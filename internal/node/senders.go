package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
)

// knownSender is a types.Signer that answers Sender with an address that was
// already recovered from the same transaction's signature, and otherwise is
// the chain's signer. types.Sender caches its answer on the transaction, and
// later callers with the chain's signer accept the cache because Equal says
// the two signers are the same.
type knownSender struct {
	types.Signer
	from common.Address
}

// Sender implements types.Signer.
func (s knownSender) Sender(*types.Transaction) (common.Address, error) { return s.from, nil }

// Equal implements types.Signer.
func (s knownSender) Equal(other types.Signer) bool { return s.Signer.Equal(other) }

// warmSenders fills geth's block cache with the block just inserted, carrying
// the senders the inserted copy already knows.
//
// Why: after every new head, geth's blob pool (always on, though a Clique chain
// has no blob transactions) reads the head block back from the database and
// recovers the sender of every transaction in it: measured at 16% of the
// node's CPU under a transfer load. The block it reads comes from the block
// cache if it is there, so we put it there first, senders included.
func warmSenders(chain *core.BlockChain, block *types.Block) {
	cached := chain.GetBlock(block.Hash(), block.NumberU64())
	if cached == nil || cached == block {
		return
	}
	signer := types.MakeSigner(chain.Config(), block.Number(), block.Time())
	src, dst := block.Transactions(), cached.Transactions()
	if len(src) != len(dst) {
		return
	}
	for i, tx := range dst {
		from, err := types.Sender(signer, src[i]) // cached on the inserted copy
		if err != nil || tx.Hash() != src[i].Hash() {
			return
		}
		types.Sender(knownSender{Signer: signer, from: from}, tx)
	}
}
