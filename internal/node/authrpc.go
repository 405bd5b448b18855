package node

import (
	"fmt"
	"slices"

	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
)

// AuthRPCConfig is the control plane (ADR 052): a JSON-RPC listener that
// requires a JWT (HS256, a 32-byte hex secret in a file, as geth's authrpc)
// and serves the methods that change what the node does: clique_propose,
// clique_discard, admin_* and miner_*. Votes are served nowhere else (with it
// off, nowhere); with it on, the public listener serves none of them.
type AuthRPCConfig struct {
	Enabled   bool   `toml:"enabled"`
	Addr      string `toml:"addr"`
	Port      int    `toml:"port"`
	JWTSecret string `toml:"jwtsecret"` // file; empty: <datadir>/citynode/jwtsecret, made (0600) if missing
}

// controlModules are the namespaces served on the control plane: the votes
// and node control, and city (the sealer's account) so that `cityctl signer
// approve` checks and votes over one connection.
var controlModules = []string{"clique", "admin", "miner", "city"}

func init() {
	// Why: geth's authenticated server serves only these namespaces, and it
	// starts only when some API is marked Authenticated, which citynode does
	// only with --authrpc; the eth namespace stays for geth's own use.
	for _, m := range controlModules {
		if !slices.Contains(gethnode.DefaultAuthModules, m) {
			gethnode.DefaultAuthModules = append(gethnode.DefaultAuthModules, m)
		}
	}
}

// configureAuthRPC sets geth's authenticated endpoint from the config.
func configureAuthRPC(cfg Config, stackCfg *gethnode.Config) {
	if !cfg.AuthRPC.Enabled {
		return
	}
	stackCfg.AuthAddr = cfg.AuthRPC.Addr
	stackCfg.AuthPort = cfg.AuthRPC.Port
	stackCfg.AuthVirtualHosts = []string{"localhost", "127.0.0.1", cfg.AuthRPC.Addr}
	stackCfg.JWTSecret = cfg.AuthRPC.JWTSecret
}

// engineAPIs returns the clique namespace with its votes (clique_propose,
// clique_discard) on the control plane only: authenticated when it is on,
// left out when it is off, so that no public listener ever changes the
// signer set (ADR 052). The read-only clique methods stay public.
func engineAPIs(apis []rpc.API, controlPlane bool) []rpc.API {
	out := apis[:0:0]
	for _, api := range apis {
		if _, ok := api.Service.(*clique.ControlAPI); ok {
			if !controlPlane {
				continue
			}
			api.Authenticated = true
		}
		out = append(out, api)
	}
	return out
}

// checkAuthRPC refuses a public listener that would serve control methods
// while the control plane is on.
func (c *Config) checkAuthRPC() error {
	if !c.AuthRPC.Enabled {
		return nil
	}
	for _, api := range c.HTTP.APIs {
		if slices.Contains(adminAPIs, api) {
			return fmt.Errorf("--http.api lists %q while --authrpc is on: control methods are served only on the authenticated listener, drop it from --http.api", api)
		}
	}
	if c.AuthRPC.Port < 0 || c.AuthRPC.Port > 65535 {
		return fmt.Errorf("invalid --authrpc.port: have %d, want 0..65535", c.AuthRPC.Port)
	}
	return nil
}
