package api

import (
	"context"
	"net/http"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/client/signers"
	"github.com/citychain/citychain/internal/gateway/upstream"
)

// defaultWindow is how many recent blocks /network looks at.
const defaultWindow = 64

// Network is the chain seen from a ready node: its head and finalized
// block, the signers with their departments and health over the window,
// and the window's blocks with who sealed them and when.
type Network struct {
	Block     BlockRef               `json:"block"` // the head
	ChainID   uint64                 `json:"chainId"`
	Finalized *upstream.Head         `json:"finalized"`
	Period    uint64                 `json:"period"` // seconds between blocks
	Signers   []signers.SignerHealth `json:"signers"`
	Limit     int                    `json:"limit"`   // signers that must keep sealing: floor(N/2)+1
	Sealing   int                    `json:"sealing"` // signers not silent
	Warnings  []signers.Warning      `json:"warnings"`
	Blocks    []NetworkBlock         `json:"blocks"` // the window, oldest first
}

// NetworkBlock is one block of the window.
type NetworkBlock struct {
	Number   uint64         `json:"number"`
	Hash     common.Hash    `json:"hash"`
	Time     uint64         `json:"time"`
	Interval uint64         `json:"interval"` // seconds since the previous block
	Signer   common.Address `json:"signer"`
}

func (s *Server) getNetwork(ctx context.Context, c *registry.Client, v upstream.View, r *http.Request) (any, error) {
	window, set, err := uintQuery(r, "window")
	if err != nil {
		return nil, err
	}
	if !set {
		window = defaultWindow
	}
	if window < 1 || window > 1024 {
		return nil, badInput("?window=%d: want 1 to 1024 blocks", window)
	}
	sc := signers.NewClient(c.RPC(), v.Node.URL())
	in, err := sc.Input(ctx, window)
	if err != nil {
		return nil, err
	}
	rep, err := signers.Compute(*in, signers.Options{})
	if err != nil {
		return nil, err
	}
	head := in.Blocks[len(in.Blocks)-1]
	if err := signers.Annotate(ctx, rep, signers.NewDirectory(sc).At(head.Number)); err != nil {
		return nil, err
	}
	out := &Network{
		Block: BlockRef{Number: head.Number, Hash: head.Hash, Time: head.Time}, ChainID: s.pool.ChainID(),
		Finalized: v.Node.Status().Finalized, Period: in.Period, Signers: rep.Signers, Limit: rep.Limit, Sealing: rep.Sealing,
		Warnings: rep.Warnings, Blocks: make([]NetworkBlock, len(in.Blocks)),
	}
	if out.Warnings == nil {
		out.Warnings = []signers.Warning{}
	}
	for i, b := range in.Blocks {
		out.Blocks[i] = NetworkBlock{Number: b.Number, Hash: b.Hash, Time: b.Time, Signer: b.Signer}
		if i > 0 {
			out.Blocks[i].Interval = b.Time - in.Blocks[i-1].Time
		}
	}
	return out, nil
}
