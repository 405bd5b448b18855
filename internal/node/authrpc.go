package node

import (
	"fmt"
	"path/filepath"
	"slices"

	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
)

// AuthRPCConfig is the control plane (ADR 052): a JSON-RPC listener that
// requires a JWT (HS256, a 32-byte hex secret in a file, as geth's authrpc)
// and serves the methods that change what the node does: clique_propose,
// clique_discard, admin_* and miner_*. The public listener never serves
// clique_propose or clique_discard: with the control plane off (Enabled
// false, or in rpc and auditor modes, which seal nothing) the node takes no
// votes at all. citynode turns it on by default (ADR 062).
type AuthRPCConfig struct {
	Enabled   bool   `toml:"enabled"` // on sealing nodes only (ControlPlane)
	Addr      string `toml:"addr"`
	Port      int    `toml:"port"`
	JWTSecret string `toml:"jwtsecret"` // file; empty: <datadir>/citynode/jwtsecret, made (0600) if missing
}

// controlModules are the namespaces served on the control plane: city too,
// so that cityctl checks a vote (city_sealer) on the listener it votes on.
var controlModules = []string{"clique", "admin", "miner", "city"}

func init() {
	// Why: geth's authenticated server serves only these namespaces, and it
	// starts only when some API is marked Authenticated, which citynode does
	// only with the control plane on; the eth namespace stays for geth's own use.
	for _, m := range controlModules {
		if !slices.Contains(gethnode.DefaultAuthModules, m) {
			gethnode.DefaultAuthModules = append(gethnode.DefaultAuthModules, m)
		}
	}
}

// ControlPlane reports whether the node serves the control listener: asked
// for, on a node that seals (dev, or signer mode with --signer), where a vote
// counts; a follower, rpc node or auditor has none.
func (c *Config) ControlPlane() bool {
	return c.AuthRPC.Enabled && (c.Mode == ModeDev || c.Mode == ModeSigner && c.Signer != "")
}

// JWTSecretPath is the control plane's secret file: --authrpc.jwtsecret, or
// <datadir>/citynode/jwtsecret (geth makes it, mode 0600, if missing).
func (c *Config) JWTSecretPath() string {
	if c.AuthRPC.JWTSecret != "" {
		return c.AuthRPC.JWTSecret
	}
	return filepath.Join(c.DataDir, "citynode", "jwtsecret")
}

// configureAuthRPC sets geth's authenticated endpoint from the config.
func configureAuthRPC(cfg Config, stackCfg *gethnode.Config) {
	if !cfg.ControlPlane() {
		return
	}
	stackCfg.AuthAddr = cfg.AuthRPC.Addr
	stackCfg.AuthPort = cfg.AuthRPC.Port
	stackCfg.AuthVirtualHosts = []string{"localhost", "127.0.0.1", cfg.AuthRPC.Addr}
	stackCfg.JWTSecret = cfg.AuthRPC.JWTSecret
}

// engineAPIs returns the clique namespace with its votes (ControlAPI) behind
// the control plane, or without them when the control plane is off: never on
// the public listener (ADR 062). In their place the public listener answers
// the votes with VoteListenerError: registered before ControlAPI, which
// replaces them on the control listener (geth's registry keeps the later
// registration of a method).
func engineAPIs(apis []rpc.API, controlPlane bool) []rpc.API {
	var out []rpc.API
	for _, api := range apis {
		if _, ok := api.Service.(*clique.ControlAPI); ok {
			out = append(out, rpc.API{Namespace: "clique", Service: voteRefusals{controlPlane}})
			if !controlPlane {
				continue
			}
			api.Authenticated = true
		}
		out = append(out, api)
	}
	return out
}

// VoteListenerError answers clique_propose and clique_discard on a listener
// that takes no votes, with geth's "method not found" code (-32601), which
// cityctl reads as "not a control listener".
type VoteListenerError struct {
	Method       string
	ControlPlane bool // this node has a control listener (--authrpc)
}

// Error implements error.
func (e *VoteListenerError) Error() string {
	where := "this node has none (--authrpc=false, or it is not a signer with --signer): vote on a signer that has one"
	if e.ControlPlane {
		where = "this node's is at --authrpc.addr:--authrpc.port, 127.0.0.1:8551 by default"
	}
	return fmt.Sprintf("%s is not served on this listener: votes are served only on a signer's JWT-authenticated --authrpc control listener (%s); "+
		"with cityctl: cityctl signer propose|discard ADDRESS --rpc http://127.0.0.1:8551 --jwtsecret DATADIR/citynode/jwtsecret", e.Method, where)
}

// ErrorCode implements rpc.Error.
func (e *VoteListenerError) ErrorCode() int { return refusedCode }

// voteRefusals are the votes as the public listener answers them.
type voteRefusals struct{ controlPlane bool }

// Propose answers clique_propose with VoteListenerError.
func (v voteRefusals) Propose(arg, arg, arg) error {
	return &VoteListenerError{"clique_propose", v.controlPlane}
}

// Discard answers clique_discard with VoteListenerError.
func (v voteRefusals) Discard(arg, arg, arg) error {
	return &VoteListenerError{"clique_discard", v.controlPlane}
}

// checkAuthRPC refuses a public listener that would serve control methods
// while the control plane is on.
func (c *Config) checkAuthRPC() error {
	if !c.ControlPlane() {
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
