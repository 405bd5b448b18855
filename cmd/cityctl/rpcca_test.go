package main

import (
	"errors"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/tlstest"
)

// TestRPCCA: a node serving https with a certificate of a private authority
// (ADR 068) is refused without --rpc.ca, with a message naming it, and
// answers with it, over https and wss; a file without a certificate is
// refused before anything is sent.
func TestRPCCA(t *testing.T) {
	dir := t.TempDir()
	cert, key, _ := tlstest.SelfSigned(t, dir, "node")
	n, signer := startTLSNode(t, cert, key)
	url := n.HTTPEndpoint()

	_, err := cityctl("signer", "list", "--rpc", url)
	var exit *exitError
	if !errors.As(err, &exit) || !strings.Contains(exit.stderr, "--rpc.ca FILE") {
		t.Errorf("signer list over https without --rpc.ca: %v, want a refusal naming --rpc.ca", err)
	}
	for _, u := range []string{url, n.WSEndpoint()} {
		if out := mustRun(t, "signer", "list", "--rpc", u, "--rpc.ca", cert); !strings.Contains(out, signer.Hex()) {
			t.Errorf("signer list --rpc %s --rpc.ca: %s, want the signer %s", u, out, signer.Hex())
		}
	}
	notPEM := filepath.Join(dir, "ca.txt")
	if err := os.WriteFile(notPEM, []byte("not a certificate\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = cityctl("signer", "list", "--rpc", url, "--rpc.ca", notPEM)
	if !errors.As(err, &exit) || !strings.Contains(exit.stderr, "holds no PEM certificate") {
		t.Errorf("--rpc.ca of a text file: %v, want it refused", err)
	}
}

// startTLSNode runs an in-process dev node whose public listener serves
// https and wss with cert and key.
func startTLSNode(t *testing.T, cert, key string) (*node.Node, common.Address) {
	t.Helper()
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4364, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}}
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	cfg := node.Defaults()
	cfg.DataDir, cfg.Genesis, cfg.Mode = t.TempDir(), g, node.ModeDev
	cfg.Signer, cfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
	cfg.HTTP.Enabled, cfg.HTTP.Port, cfg.HTTP.WS = true, 0, true
	cfg.HTTP.TLSCert, cfg.HTTP.TLSKey = cert, key
	cfg.AuthRPC.Enabled = false
	cfg.P2P.Addr = ""
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n, acct.Address
}
