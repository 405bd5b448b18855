package node_test

import (
	"context"
	"crypto/rand"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
)

// TestControlPlane runs a dev node with --authrpc: the public listener does
// not serve clique_propose (the read-only clique methods stay); the control
// listener refuses a request without a token and one signed with another
// secret, and nothing changes; a request signed with the node's secret votes.
func TestControlPlane(t *testing.T) {
	var secret, wrong [32]byte
	rand.Read(secret[:])
	rand.Read(wrong[:])
	secretFile := filepath.Join(t.TempDir(), "jwtsecret")
	if err := os.WriteFile(secretFile, []byte(hexutil.Encode(secret[:])), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, _ := devConfig(t, 4352, nil)
	cfg.AuthRPC = node.AuthRPCConfig{Enabled: true, Addr: "127.0.0.1", Port: 0, JWTSecret: secretFile}
	n := startNode(t, cfg)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	candidate := common.HexToAddress("0x00000000000000000000000000000000000c0de5")

	public, err := rpc.Dial(n.Stack().HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer public.Close()
	proposals := func() map[common.Address]bool {
		t.Helper()
		var p map[common.Address]bool
		if err := public.CallContext(ctx, &p, "clique_proposals"); err != nil {
			t.Fatalf("clique_proposals on the public listener: %v", err)
		}
		return p
	}
	for _, method := range []string{"clique_propose", "clique_discard"} {
		checkVoteRefused(t, public.CallContext(ctx, nil, method, candidate, true), method, "this node's is at --authrpc.addr:--authrpc.port")
	}
	if p := proposals(); len(p) != 0 {
		t.Errorf("votes on the public listener: proposals changed to %v", p)
	}
	var signers []common.Address
	if err := public.CallContext(ctx, &signers, "clique_getSigners"); err != nil || len(signers) != 1 {
		t.Errorf("clique_getSigners on the public listener: have %v, %v, want the signer", signers, err)
	}

	auth := n.Stack().HTTPAuthEndpoint()
	for name, opts := range map[string][]rpc.ClientOption{
		"no token":     nil,
		"wrong secret": {rpc.WithHTTPAuth(gethnode.NewJWTAuth(wrong))},
	} {
		c, err := rpc.DialOptions(ctx, auth, opts...)
		if err != nil {
			t.Fatal(err)
		}
		err = c.CallContext(ctx, nil, "clique_propose", candidate, true)
		c.Close()
		if err == nil || !strings.Contains(err.Error(), "401") {
			t.Errorf("%s: have %v, want 401 Unauthorized", name, err)
		}
		if p := proposals(); len(p) != 0 {
			t.Errorf("%s: proposals changed to %v", name, p)
		}
	}
	c, err := rpc.DialOptions(ctx, auth, rpc.WithHTTPAuth(gethnode.NewJWTAuth(secret)))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.CallContext(ctx, nil, "clique_propose", candidate, true); err != nil {
		t.Fatalf("clique_propose with the node's secret: %v", err)
	}
	if p := proposals(); !p[candidate] {
		t.Errorf("proposals after an authenticated vote: have %v, want %s: true", p, candidate)
	}
	var info map[string]any
	if err := c.CallContext(ctx, &info, "admin_nodeInfo"); err != nil || info["enode"] == nil {
		t.Errorf("admin_nodeInfo on the control listener: have %v, %v", info, err)
	}
	if err := public.CallContext(ctx, &info, "admin_nodeInfo"); err == nil {
		t.Errorf("admin_nodeInfo on the public listener: served, want method not found")
	}
	if err := c.CallContext(ctx, nil, "clique_discard", candidate); err != nil || len(proposals()) != 0 {
		t.Errorf("clique_discard with the node's secret: have %v, proposals %v", err, proposals())
	}
}

// TestControlPlaneOffTakesNoVotes runs a dev node with the control plane
// off: the public listener still does not serve clique_propose (votes never
// fall back onto it, ADR 062) and there is no control listener.
func TestControlPlaneOffTakesNoVotes(t *testing.T) {
	cfg, _ := devConfig(t, 4353, nil)
	cfg.AuthRPC = node.AuthRPCConfig{Enabled: false, Addr: "127.0.0.1", Port: 0}
	n := startNode(t, cfg)
	if url := n.ControlEndpoint(); url != "" {
		t.Errorf("control listener with the control plane off: %s", url)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	public, err := rpc.Dial(n.HTTPEndpoint())
	if err != nil {
		t.Fatal(err)
	}
	defer public.Close()
	candidate := common.HexToAddress("0x00000000000000000000000000000000000c0de5")
	checkVoteRefused(t, public.CallContext(ctx, nil, "clique_propose", candidate, true), "clique_propose", "this node has none")
	var p map[common.Address]bool
	if err := public.CallContext(ctx, &p, "clique_proposals"); err != nil || len(p) != 0 {
		t.Errorf("clique_proposals: have %v, %v, want none", p, err)
	}
}

// TestControlPlaneOnlyWhereVotesCount: followers, rpc nodes and auditors
// seal nothing and get no control listener even when it is asked for.
func TestControlPlaneOnlyWhereVotesCount(t *testing.T) {
	signer := genesis.DevAccounts(1)[0].Address.Hex()
	for _, c := range []struct {
		mode, signer string
		want         bool
	}{
		{node.ModeSigner, signer, true}, {node.ModeDev, signer, true},
		{node.ModeSigner, "", false}, {node.ModeRPC, "", false}, {node.ModeAuditor, "", false},
	} {
		cfg := node.Defaults()
		cfg.Mode, cfg.Signer, cfg.AuthRPC.Enabled = c.mode, c.signer, true
		if got := cfg.ControlPlane(); got != c.want {
			t.Errorf("mode %s, signer %q: control plane %v, want %v", c.mode, c.signer, got, c.want)
		}
	}
}

func TestControlPlaneRefusesAdminOnPublic(t *testing.T) {
	cfg := node.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.HTTP.Enabled = true
	cfg.HTTP.APIs = append(cfg.HTTP.APIs, "admin")
	cfg.Signer, cfg.PasswordFile = genesis.DevAccounts(1)[0].Address.Hex(), "pw"
	cfg.AuthRPC.Enabled = true
	if err := cfg.Validate(); err == nil || !strings.Contains(err.Error(), "drop it from --http.api") {
		t.Errorf("admin on the public listener with --authrpc: have %v, want a refusal", err)
	}
}

// checkVoteRefused: err is the public listener's answer to a vote: code
// -32601 (what cityctl reads as "not a control listener"), saying that votes
// go to a signer's --authrpc listener, where this node's is (where), and how
// cityctl reaches it.
func checkVoteRefused(t *testing.T, err error, method, where string) {
	t.Helper()
	var rpcErr rpc.Error
	if !errors.As(err, &rpcErr) || rpcErr.ErrorCode() != -32601 {
		t.Errorf("%s on the public listener: have %v, want error code -32601", method, err)
		return
	}
	for _, want := range []string{method, "only on a signer's JWT-authenticated --authrpc control listener", where, "--rpc http://127.0.0.1:8551 --jwtsecret DATADIR/citynode/jwtsecret"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%s on the public listener: error %q lacks %q", method, err, want)
		}
	}
}
