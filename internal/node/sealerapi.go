package node

import (
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/rpc"
)

// SealerInfo is the result of city_sealer.
type SealerInfo struct {
	Signer *common.Address `json:"signer"` // account this node seals with; null if it does not seal
	Period uint64          `json:"period"` // seconds between blocks
	Epoch  uint64          `json:"epoch"`  // blocks between checkpoints
}

// sealerAPI serves city_sealer, read-only: `cityctl signer` learns from it
// which account a node votes with (geth's eth_coinbase is gone since v1.14)
// and the Clique parameters its reports need.
type sealerAPI struct{ n *Node }

// Sealer returns the node's sealing account and the Clique parameters.
func (api *sealerAPI) Sealer() SealerInfo {
	cfg := api.n.engine.Config()
	info := SealerInfo{Period: cfg.Period, Epoch: cfg.Epoch}
	if api.n.cfg.Signer != "" {
		signer := common.HexToAddress(api.n.cfg.Signer)
		info.Signer = &signer
	}
	return info
}

func (n *Node) sealerAPIs() []rpc.API {
	return []rpc.API{{Namespace: "city", Service: &sealerAPI{n}}}
}
