package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/log"
)

// logConsensus follows geth's chain banner with the consensus that actually
// runs. eth.New wraps every engine in geth's beacon, so the banner says
// "Beacon (proof-of-stake), merged from Clique": the merge never comes (the
// terminal total difficulty is a sentinel no Clique chain reaches) and
// citychain seals and chooses blocks itself.
func (n *Node) logConsensus() {
	chain := n.eth.BlockChain()
	cc := chain.Config().Clique
	head := chain.CurrentBlock()
	ctx := []any{"period", cc.Period, "epoch", cc.Epoch}
	if snap, err := n.engine.Snapshot(chain, head.Number.Uint64(), head.Hash(), nil); err == nil {
		ctx = append(ctx, "signers", len(snap.Signers))
	} else {
		ctx = append(ctx, "signers", "unknown", "err", err)
	}
	sealer := "none"
	if n.cfg.Signer != "" {
		sealer = common.HexToAddress(n.cfg.Signer).Hex()
	}
	ctx = append(ctx, "head", head.Number, "mode", n.cfg.Mode, "sealer", sealer)
	log.Info("Consensus: Clique proof-of-authority (EIP-225), sealed and chosen by citychain (the Beacon proof-of-stake above is geth's wrapper, whose merge is never reached)", ctx...)
}
