package main

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	gethnode "github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/gorilla/websocket"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/client/signers"
)

// commandTimeout bounds one command's talk with the node, on top of --wait.
const commandTimeout = 5 * time.Minute

// errUnreachable is returned if the node of --rpc does not answer.
var errUnreachable = errors.New("node unreachable")

// conn is cityctl's one JSON-RPC connection to a node, for every command:
// contract reads and transactions (signed with the command's key if it has
// one, reverts decoded) through the embedded registry.Client, the signer set
// through signers(), proofs and headers through RPC().
type conn struct {
	*registry.Client
	url    string
	ctx    context.Context // the command's context, bounded by commandTimeout and --wait
	cancel context.CancelFunc
}

// dial connects to the node of --rpc and checks that it answers; with sign,
// the key of the account flags is loaded first (a bad key is bad input, found
// before anything is sent).
func dial(ctx *cli.Context, sign bool) (*conn, error) {
	var signer *registry.Signer
	if sign {
		key, err := loadKey(ctx)
		if err != nil {
			return nil, err
		}
		signer = registry.NewSigner(key)
	}
	url := ctx.String(rpcFlag.Name)
	if err := checkNodeURL("--rpc", url); err != nil {
		return nil, err
	}
	cctx, cancel := context.WithTimeout(ctx.Context, commandTimeout+ctx.Duration(waitFlag.Name))
	opts, err := dialOptions(ctx)
	if err != nil {
		cancel()
		return nil, err
	}
	rc, err := rpc.DialOptions(cctx, url, opts...)
	if err != nil {
		cancel()
		return nil, fmt.Errorf("%w: --rpc %s: %v", errUnreachable, url, err)
	}
	c := &conn{Client: registry.New(rc, signer), url: url, ctx: cctx, cancel: cancel}
	if _, err := c.ChainID(cctx); err != nil {
		c.Close()
		var httpErr rpc.HTTPError
		if errors.As(err, &httpErr) && httpErr.StatusCode == http.StatusUnauthorized {
			if ctx.String(jwtFlag.Name) == "" {
				return nil, fmt.Errorf("--rpc %s: %w (HTTP 401): it is a control listener, which needs a token: give --jwtsecret, the node's <datadir>/citynode/jwtsecret", url, signers.ErrUnauthorized)
			}
			return nil, fmt.Errorf("--rpc %s: %w (HTTP 401): check --jwtsecret is the node's <datadir>/citynode/jwtsecret", url, signers.ErrUnauthorized)
		}
		var unknownCA x509.UnknownAuthorityError
		if errors.As(err, &unknownCA) {
			return nil, fmt.Errorf("%w: --rpc %s: its TLS certificate is not signed by an authority this host trusts (%v): give the authority that signed the node's --http.tls.cert with --rpc.ca FILE", errUnreachable, url, err)
		}
		return nil, fmt.Errorf("%w: --rpc %s does not answer (%v): %s", errUnreachable, url, err, unreachableHint(ctx))
	}
	if sign {
		c.Wait = ctx.Duration(waitFlag.Name)
	}
	return c, nil
}

// checkNodeURL refuses a node address that is not an http(s) or ws(s) URL:
// go-ethereum's client would take it for an IPC socket path, which no
// citychain node serves.
func checkNodeURL(flag, url string) error {
	for _, scheme := range []string{"http://", "https://", "ws://", "wss://"} {
		if strings.HasPrefix(strings.ToLower(url), scheme) {
			return nil
		}
	}
	return fmt.Errorf("%w: %s %q is not a node URL: give its JSON-RPC as http://HOST:PORT (https, ws and wss too), e.g. http://127.0.0.1:8545", registry.ErrInput, flag, url)
}

// unreachableHint is what to check when the node of --rpc does not answer:
// with --jwtsecret, a signer's control listener, else its JSON-RPC.
func unreachableHint(ctx *cli.Context) string {
	if ctx.String(jwtFlag.Name) != "" {
		return "is the node running as a signer, with its control listener (citynode --authrpc, on by default; --authrpc.addr, --authrpc.port, default 127.0.0.1:8551)?"
	}
	return "is the node running, with --http?"
}

// transact dials the node with the command's key, sends the transaction send
// makes and prints it mined (printTx) with the text send returns and extra's
// fields in JSON.
func transact(ctx *cli.Context, extra map[string]any, send func(c *conn) (tx *registry.Tx, text string, err error)) error {
	c, err := dial(ctx, true)
	if err != nil {
		return err
	}
	defer c.Close()
	tx, text, err := send(c)
	if err != nil {
		return err
	}
	return printTx(ctx, tx, text, extra)
}

// Close closes the connection and ends the command's context.
func (c *conn) Close() {
	c.Client.Close()
	c.cancel()
}

// signers returns the signer-set client over the connection.
func (c *conn) signers() *signers.Client { return signers.NewClient(c.RPC(), c.url) }

// read calls a view function of the contract at to and unpacks its result;
// a revert is a *registry.RevertError naming the contract's error.
func read[T any](c *conn, action string, to common.Address, data []byte, unpack func([]byte) (T, error)) (T, error) {
	out, err := c.Call(c.ctx, action, to, data)
	if err != nil {
		var zero T
		return zero, err
	}
	return unpack(out)
}

// send sends a transaction to the contract at to and waits up to --wait for
// it to be mined; a revert (estimated before sending) is a
// *registry.RevertError naming the contract's error.
func (c *conn) send(action string, to common.Address, data []byte) (*registry.Tx, error) {
	return c.Send(c.ctx, action, to, data)
}

// dialOptions returns the client options of --rpc.ca and --jwtsecret.
func dialOptions(ctx *cli.Context) ([]rpc.ClientOption, error) {
	ca, err := caOptions(ctx.String(rpcCAFlag.Name))
	if err != nil {
		return nil, err
	}
	auth, err := authOptions(ctx)
	if err != nil {
		return nil, err
	}
	return append(ca, auth...), nil
}

// caOptions returns the client options that trust the certificate
// authorities of the PEM file path (none if path is empty), over https and
// wss (ADR 068).
func caOptions(path string) ([]rpc.ClientOption, error) {
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--rpc.ca: %w", err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(data) {
		return nil, fmt.Errorf("--rpc.ca %s holds no PEM certificate: want the CA certificate (-----BEGIN CERTIFICATE-----) that signed the node's --http.tls.cert", path)
	}
	tc := &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	transport := http.DefaultTransport.(*http.Transport).Clone()
	transport.TLSClientConfig = tc
	return []rpc.ClientOption{
		rpc.WithHTTPClient(&http.Client{Transport: transport}),
		rpc.WithWebsocketDialer(websocket.Dialer{TLSClientConfig: tc, Proxy: http.ProxyFromEnvironment, HandshakeTimeout: 45 * time.Second}),
	}, nil
}

// authOptions returns the client options that sign each request with the
// control plane's JWT secret, if --jwtsecret is given.
func authOptions(ctx *cli.Context) ([]rpc.ClientOption, error) {
	path := ctx.String(jwtFlag.Name)
	if path == "" {
		return nil, nil
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("%w: cannot read --jwtsecret %s (%v): give the signer's <datadir>/citynode/jwtsecret (citynode --authrpc.jwtsecret)", registry.ErrInput, path, err)
	}
	secret, err := hex.DecodeString(strings.TrimPrefix(strings.TrimSpace(string(data)), "0x"))
	if err != nil || len(secret) != 32 {
		return nil, fmt.Errorf("%w: --jwtsecret %s does not hold a 32-byte secret as 64 hex digits, as the file citynode --authrpc writes: give the signer's <datadir>/citynode/jwtsecret", registry.ErrInput, path)
	}
	return []rpc.ClientOption{rpc.WithHTTPAuth(gethnode.NewJWTAuth([32]byte(secret)))}, nil
}
