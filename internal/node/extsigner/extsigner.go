// Package extsigner seals Clique blocks through an external signer that
// speaks clef's external API: account_signData with the content type
// application/x-clique-header, the header's Clique RLP (without its seal) as
// data, a 65-byte signature back. clef (geth 1.13's) and signers built to
// its API (an HSM behind a clef-compatible service) keep the department's
// key out of the node's reach; a rule file on their side decides what they
// sign (ADR 050).
//
// A signer that cannot be reached, answers too late or refuses gives an
// error wrapping sealer.ErrSignerUnavailable: the sealer keeps running and
// tries again at its next slot.
package extsigner

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/consensus/clique"
	"github.com/citychain/citychain/consensus/sealer"
)

// MimetypeClique is the content type under which clef signs a Clique header
// (go-ethereum's accounts.MimetypeClique).
const MimetypeClique = "application/x-clique-header"

// DefaultTimeout bounds one signing request: a signer that has not answered
// by then (a rule waiting for a human, a hung HSM) misses the slot.
const DefaultTimeout = 5 * time.Second

// Client signs headers through an external signer at a URL.
type Client struct {
	url     string
	timeout time.Duration
	rpc     *rpc.Client
}

// New returns a client of the external signer at rawURL (http or https).
// Nothing is sent until the first signature: an unreachable signer does not
// keep the node from starting.
func New(rawURL string, timeout time.Duration) (*Client, error) {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("invalid --signer.external %q: want the external signer's http:// or https:// URL, e.g. http://127.0.0.1:8550", rawURL)
	}
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	c, err := rpc.DialOptions(context.Background(), rawURL)
	if err != nil {
		return nil, fmt.Errorf("external signer %s: %w", rawURL, err)
	}
	return &Client{url: rawURL, timeout: timeout, rpc: c}, nil
}

// Close closes the connection.
func (c *Client) Close() { c.rpc.Close() }

// SignHeader is a clique.HeaderSignerFn: it asks the external signer to
// sign header, whose seal clef computes itself from the header's RLP.
func (c *Client) SignHeader(signer common.Address, header *types.Header) ([]byte, error) {
	data, err := SealRLP(header)
	if err != nil {
		return nil, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), c.timeout)
	defer cancel()
	var sig hexutil.Bytes
	addr := common.NewMixedcaseAddress(signer)
	if err := c.rpc.CallContext(ctx, &sig, "account_signData", MimetypeClique, &addr, hexutil.Bytes(data)); err != nil {
		var rpcErr rpc.Error
		if errors.As(err, &rpcErr) {
			return nil, fmt.Errorf("%w: the external signer at %s refused to sign block %d: %v (check its rule file approves %s for %s)", sealer.ErrSignerUnavailable, c.url, header.Number, err, MimetypeClique, signer.Hex())
		}
		return nil, fmt.Errorf("%w: the external signer at %s did not answer for block %d: %v", sealer.ErrSignerUnavailable, c.url, header.Number, err)
	}
	if len(sig) != crypto.SignatureLength {
		return nil, fmt.Errorf("%w: the external signer at %s returned %d bytes, want a %d-byte signature", sealer.ErrSignerUnavailable, c.url, len(sig), crypto.SignatureLength)
	}
	// geth's external signer backend does the same: V may come as 27/28.
	if sig[64] == 27 || sig[64] == 28 {
		sig[64] -= 27
	}
	return sig, nil
}

// SealRLP returns what clef signs for a header: go-ethereum 1.13's
// clique.CliqueRLP, the header's fields with the extra-data cut before the
// seal, RLP-encoded. clef decodes it as a header, puts 65 zero bytes back
// and signs the Clique seal hash of that, the hash our engine verifies.
// Only London-format headers have one (clef 1.13 knows no other).
func SealRLP(header *types.Header) ([]byte, error) {
	if clique.IsModern(header) || header.WithdrawalsHash != nil || header.ExcessBlobGas != nil || header.BlobGasUsed != nil || header.ParentBeaconRoot != nil || header.RequestsHash != nil || header.SlotNumber != nil {
		return nil, fmt.Errorf("block %d has the post-London header format, which clef's %s cannot sign: external signing needs London-format Clique blocks", header.Number, MimetypeClique)
	}
	if len(header.Extra) < crypto.SignatureLength {
		return nil, fmt.Errorf("block %d: extra-data of %d bytes has no room for the seal", header.Number, len(header.Extra))
	}
	enc := []any{
		header.ParentHash, header.UncleHash, header.Coinbase, header.Root, header.TxHash, header.ReceiptHash,
		header.Bloom, header.Difficulty, header.Number, header.GasLimit, header.GasUsed, header.Time,
		header.Extra[:len(header.Extra)-crypto.SignatureLength], header.MixDigest, header.Nonce,
	}
	if header.BaseFee != nil {
		enc = append(enc, header.BaseFee)
	}
	return rlp.EncodeToBytes(enc)
}
