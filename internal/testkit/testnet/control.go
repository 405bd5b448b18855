package testnet

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common/hexutil"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// DialControl connects to a signer's control listener with its JWT secret:
// the only place the node takes votes (clique_propose, clique_discard).
func (n *Node) DialControl(ctx context.Context) (*rpc.Client, error) {
	if n.Control == "" {
		return nil, fmt.Errorf("%s has no control listener (only signers have one)", n.Name)
	}
	raw, err := os.ReadFile(n.JWTSecret)
	if err != nil {
		return nil, fmt.Errorf("JWT secret of %s: %w (the node writes it at its first start)", n.Name, err)
	}
	secret, err := hexutil.Decode(strings.TrimSpace(string(raw)))
	if err != nil || len(secret) != 32 {
		return nil, fmt.Errorf("JWT secret %s of %s: want 32 bytes as hex", n.JWTSecret, n.Name)
	}
	return rpc.DialOptions(ctx, n.Control, rpc.WithHTTPAuth(gethnode.NewJWTAuth([32]byte(secret))))
}
