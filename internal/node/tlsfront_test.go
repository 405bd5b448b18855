package node_test

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"math/big"
	"net/http"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/node"
	"github.com/citychain/citychain/internal/testkit/tlstest"
)

func selfSigned(t *testing.T, dir, name string) (certFile, keyFile string, pool *x509.CertPool) {
	return tlstest.SelfSigned(t, dir, name)
}

func tlsConfig(cert, key string) node.Config {
	acct := genesis.DevAccounts(1)[0]
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Period = 4363, 0
	spec.Signers = []common.Address{acct.Address}
	spec.Alloc = types.GenesisAlloc{acct.Address: {Balance: new(big.Int).Lsh(big.NewInt(1), 80)}}
	g, err := genesis.Build(spec)
	if err != nil {
		panic(err)
	}
	cfg := node.Defaults()
	cfg.Genesis, cfg.Mode = g, node.ModeDev
	cfg.Signer, cfg.DevKey = acct.Address.Hex(), crypto.FromECDSA(acct.Key)
	cfg.HTTP.Enabled, cfg.HTTP.Port, cfg.HTTP.WS = true, 0, true
	cfg.HTTP.TLSCert, cfg.HTTP.TLSKey = cert, key
	cfg.AuthRPC.Enabled = false
	cfg.P2P.Addr = ""
	return cfg
}

// TestPublicListenerTLS: with --http.tls.cert and --http.tls.key the public
// listener serves https and wss (the method lists still apply); a client
// trusting the certificate connects, one that does not is refused, plain
// HTTP gets no answer; missing, unreadable or mismatched files are refused
// at start with the flags named.
func TestPublicListenerTLS(t *testing.T) {
	dir := t.TempDir()
	cert, key, pool := selfSigned(t, dir, "node")
	cfg := tlsConfig(cert, key)
	cfg.DataDir = t.TempDir()
	cfg.HTTP.RPCDeny = []string{"eth_sendRawTransaction"}
	n, err := node.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := n.Start(); err != nil {
		n.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	url := n.HTTPEndpoint()
	if !strings.HasPrefix(url, "https://127.0.0.1:") || !strings.HasPrefix(n.WSEndpoint(), "wss://127.0.0.1:") {
		t.Fatalf("endpoints with TLS: have %s and %s, want https:// and wss://", url, n.WSEndpoint())
	}
	trusting := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: pool}}}

	c, err := rpc.DialOptions(ctx, url, rpc.WithHTTPClient(trusting))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if id, err := ethclient.NewClient(c).ChainID(ctx); err != nil || id.Int64() != 4363 {
		t.Errorf("eth_chainId over https: have %v (%v), want 4363", id, err)
	}
	wantRefused(t, "eth_sendRawTransaction over https", ethclient.NewClient(c).SendTransaction(ctx, transfer(t, genesis.DevAccounts(1)[0], 4363, 0)), "--http.rpc-deny")

	ws, err := rpc.DialOptions(ctx, n.WSEndpoint(), rpc.WithWebsocketDialer(websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}}))
	if err != nil {
		t.Fatalf("wss: %v", err)
	}
	defer ws.Close()
	heads := make(chan *types.Header, 1)
	sub, err := ethclient.NewClient(ws).SubscribeNewHead(ctx, heads)
	if err != nil {
		t.Errorf("eth_subscribe over wss: %v", err)
	} else {
		sub.Unsubscribe()
	}
	wantRefused(t, "eth_sendRawTransaction over wss", ethclient.NewClient(ws).SendTransaction(ctx, transfer(t, genesis.DevAccounts(1)[0], 4363, 0)), "--http.rpc-deny")

	// Without lists WebSocket is geth's own server, behind the same TLS front.
	plainCfg := tlsConfig(cert, key)
	plainCfg.DataDir = t.TempDir()
	plain, err := node.New(plainCfg)
	if err != nil {
		t.Fatal(err)
	}
	if err := plain.Start(); err != nil {
		plain.Close()
		t.Fatal(err)
	}
	t.Cleanup(func() { plain.Close() })
	pws, err := rpc.DialOptions(ctx, plain.WSEndpoint(), rpc.WithWebsocketDialer(websocket.Dialer{TLSClientConfig: &tls.Config{RootCAs: pool}}))
	if err != nil {
		t.Fatalf("wss without lists: %v", err)
	}
	defer pws.Close()
	if id, err := ethclient.NewClient(pws).ChainID(ctx); err != nil || id.Int64() != 4363 {
		t.Errorf("eth_chainId over wss without lists: have %v (%v), want 4363", id, err)
	}

	// A client that does not trust the certificate, and plain HTTP, get nothing.
	if _, err := ethclient.NewClient(mustDial(t, ctx, url)).ChainID(ctx); err == nil || !strings.Contains(err.Error(), "certificate") {
		t.Errorf("eth_chainId from a client not trusting the certificate: have %v, want a certificate error", err)
	}
	if _, err := ethclient.NewClient(mustDial(t, ctx, "http://"+strings.TrimPrefix(url, "https://"))).ChainID(ctx); err == nil {
		t.Error("plain HTTP on the TLS listener: answered, want no answer")
	}

	// Bad files: refused at start, naming the flags.
	_, otherKey, _ := selfSigned(t, dir, "other")
	for _, c := range []struct{ cert, key, want string }{
		{cert, "", "needs both --http.tls.cert and --http.tls.key"},
		{filepath.Join(dir, "missing.crt"), key, "--http.tls.cert"},
		{cert, otherKey, "private key does not match public key"},
		{key, key, "--http.tls.cert"},
	} {
		bad := tlsConfig(c.cert, c.key)
		bad.DataDir = t.TempDir()
		err := bad.Validate()
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("cert %s key %s: Validate: have %v, want an error with %q", c.cert, c.key, err, c.want)
		}
		if bn, err := node.New(bad); err == nil || !strings.Contains(err.Error(), c.want) {
			if bn != nil {
				bn.Close()
			}
			t.Errorf("cert %s key %s: New: have %v, want an error with %q", c.cert, c.key, err, c.want)
		}
	}
}

func mustDial(t *testing.T, ctx context.Context, url string) *rpc.Client {
	t.Helper()
	c, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c
}
