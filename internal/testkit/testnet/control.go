package testnet

import (
	"context"
	"fmt"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
)

// DialControl connects to a signer's control listener with its JWT secret:
// the listener that takes its votes (clique_propose, clique_discard) and
// serves admin_* (ADR 062).
func (n *Node) DialControl(ctx context.Context) (*rpc.Client, error) {
	if n.Control == "" {
		return nil, fmt.Errorf("%s is a %s node: only signers have a control listener", n.Name, n.Role)
	}
	data, err := os.ReadFile(n.JWTSecret)
	if err != nil {
		return nil, fmt.Errorf("JWT secret of %s: %w", n.Name, err)
	}
	secret := common.FromHex(strings.TrimSpace(string(data)))
	if len(secret) != 32 {
		return nil, fmt.Errorf("JWT secret of %s (%s): have %d bytes, want 32", n.Name, n.JWTSecret, len(secret))
	}
	return rpc.DialOptions(ctx, n.Control, rpc.WithHTTPAuth(gethnode.NewJWTAuth([32]byte(secret))))
}
