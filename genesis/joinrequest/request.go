package joinrequest

import (
	"bytes"
	"crypto/ecdsa"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/ethereum/go-ethereum/accounts"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

// Version is the join request format this package writes and reads.
const Version = 1

const (
	maxRequestSize = 16 << 10 // bytes: a join request is a few hundred
	maxCodeLen     = 32       // characters of a department code
	maxNameLen     = 200      // characters of a department name
)

// Request is a department's request to become a signer, written by
// `cityctl signer onboard` and checked by `cityctl signer approve`.
//
// The signature is EIP-191 personal_sign (accounts.TextHash) by the signer key
// over the request's canonical encoding (see Canonical), so that any wallet's
// personal_ecRecover can check it too.
type Request struct {
	Version    int            `json:"version"`
	ChainID    uint64         `json:"chainId"`
	Genesis    common.Hash    `json:"genesis"`
	Department Department     `json:"department"`
	Signer     common.Address `json:"signer"`
	Enode      string         `json:"enode"`
	Created    string         `json:"created"` // RFC 3339, UTC, whole seconds
	Signature  hexutil.Bytes  `json:"signature"`
}

// canonicalRequest fixes the order of the signed fields.
type canonicalRequest struct {
	Version    int            `json:"version"`
	ChainID    uint64         `json:"chainId"`
	Genesis    common.Hash    `json:"genesis"`
	Department Department     `json:"department"`
	Signer     common.Address `json:"signer"`
	Enode      string         `json:"enode"`
	Created    string         `json:"created"`
}

// Canonical returns the bytes the signature covers: the request without its
// signature as compact JSON, keys in the order version, chainId, genesis,
// department {code, name}, signer, enode, created; hashes and addresses as
// lowercase 0x-hex; strings escaped as JSON requires but without HTML
// escaping of <, > and &; no trailing newline.
func (r *Request) Canonical() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	c := canonicalRequest{r.Version, r.ChainID, r.Genesis, r.Department, r.Signer, r.Enode, r.Created}
	if err := enc.Encode(c); err != nil {
		panic(fmt.Sprintf("encode join request: %v", err)) // plain values always encode
	}
	return bytes.TrimSuffix(buf.Bytes(), []byte("\n"))
}

// SigningHash is the EIP-191 hash the signer key signs.
func (r *Request) SigningHash() []byte { return accounts.TextHash(r.Canonical()) }

// New builds and signs a request with the signer's key.
func New(key *ecdsa.PrivateKey, chainID uint64, genesis common.Hash, dept Department, enodeURL string, created time.Time) (*Request, error) {
	r := &Request{
		Version:    Version,
		ChainID:    chainID,
		Genesis:    genesis,
		Department: dept,
		Signer:     crypto.PubkeyToAddress(key.PublicKey),
		Enode:      enodeURL,
		Created:    created.UTC().Truncate(time.Second).Format(time.RFC3339),
	}
	if err := r.checkFields(); err != nil {
		return nil, err
	}
	sig, err := crypto.Sign(r.SigningHash(), key)
	if err != nil {
		return nil, fmt.Errorf("sign join request: %w", err)
	}
	sig[crypto.RecoveryIDOffset] += 27 // personal_sign's v is 27 or 28
	r.Signature = sig
	return r, nil
}

// checkFields checks everything but the signature.
func (r *Request) checkFields() error {
	var problems []string
	if r.Version != Version {
		problems = append(problems, fmt.Sprintf("version: have %d, want %d (made by another cityctl version?)", r.Version, Version))
	}
	if r.ChainID == 0 {
		problems = append(problems, "chainId: missing")
	}
	if r.Genesis == (common.Hash{}) {
		problems = append(problems, "genesis: missing")
	}
	if err := r.Department.Check(); err != nil {
		problems = append(problems, err.Error())
	}
	if r.Signer == (common.Address{}) {
		problems = append(problems, "signer: missing or the zero address")
	}
	if n, err := enode.ParseV4(r.Enode); err != nil {
		problems = append(problems, fmt.Sprintf("enode: %q is not an enode:// URL (%v)", r.Enode, err))
	} else if n.IP() == nil || n.TCP() == 0 {
		problems = append(problems, fmt.Sprintf("enode: %q has no address and port to peer with", r.Enode))
	}
	if t, err := time.Parse(time.RFC3339, r.Created); err != nil || t.UTC().Format(time.RFC3339) != r.Created {
		problems = append(problems, fmt.Sprintf("created: %q is not an RFC 3339 UTC time such as 2026-01-02T15:04:05Z", r.Created))
	}
	if len(problems) > 0 {
		return fmt.Errorf("%w: %s", ErrInvalid, strings.Join(problems, "; "))
	}
	return nil
}

// Check says what is wrong with a department as a join request names it:
// a missing code or name, a code of other characters, too long a name.
func (d Department) Check() error {
	switch {
	case d.Code == "" || d.Name == "":
		return fmt.Errorf("department: code and name are required")
	case len(d.Code) > maxCodeLen || strings.ContainsFunc(d.Code, func(c rune) bool {
		return !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')
	}):
		return fmt.Errorf("department code %q: want 1..%d of A-Z, 0-9, - and _", d.Code, maxCodeLen)
	case !utf8.ValidString(d.Name) || utf8.RuneCountInString(d.Name) > maxNameLen || strings.ContainsFunc(d.Name, func(c rune) bool { return c < ' ' }):
		return fmt.Errorf("department name: want 1..%d printable characters", maxNameLen)
	}
	return nil
}

// Verify checks the fields and that the signature recovers to the stated
// signer. It does not check the network: see CheckNetwork.
func (r *Request) Verify() error {
	if err := r.checkFields(); err != nil {
		return err
	}
	if len(r.Signature) != crypto.SignatureLength {
		return fmt.Errorf("%w: signature: have %d bytes, want %d", ErrInvalid, len(r.Signature), crypto.SignatureLength)
	}
	sig := bytes.Clone(r.Signature)
	if sig[crypto.RecoveryIDOffset] >= 27 {
		sig[crypto.RecoveryIDOffset] -= 27
	}
	pub, err := crypto.SigToPub(r.SigningHash(), sig)
	if err != nil {
		return fmt.Errorf("%w: signature does not verify (%v): the request was altered or not signed by %s; ask the department for a new one", ErrInvalid, err, r.Signer.Hex())
	}
	if signer := crypto.PubkeyToAddress(*pub); signer != r.Signer {
		return fmt.Errorf("%w: signature is by %s, not by the stated signer %s: the request was altered; ask the department for a new one", ErrInvalid, signer.Hex(), r.Signer.Hex())
	}
	return nil
}

// CheckNetwork refuses a request made for another chain.
func (r *Request) CheckNetwork(chainID uint64, genesis common.Hash) error {
	if r.ChainID != chainID || r.Genesis != genesis {
		return fmt.Errorf("%w: the request is for chain %d genesis %s, this node runs chain %d genesis %s: check that the department initialised its node with this network's genesis.json",
			ErrWrongNetwork, r.ChainID, r.Genesis.Hex(), chainID, genesis.Hex())
	}
	return nil
}

// Decode reads and verifies a request: unknown fields, trailing
// data, a bad signature are errors.
func Decode(rd io.Reader) (*Request, error) {
	data, err := io.ReadAll(io.LimitReader(rd, maxRequestSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > maxRequestSize {
		return nil, fmt.Errorf("%w: larger than %d bytes", ErrInvalid, maxRequestSize)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	r := new(Request)
	if err := dec.Decode(r); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if dec.More() {
		return nil, fmt.Errorf("%w: data after the request object", ErrInvalid)
	}
	if err := r.Verify(); err != nil {
		return nil, err
	}
	return r, nil
}

// Load reads and verifies the request in file path.
func Load(path string) (*Request, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read join request: %w", err)
	}
	defer f.Close()
	r, err := Decode(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return r, nil
}

// Encode returns the request as indented JSON for a file.
func (r *Request) Encode() []byte {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(r); err != nil {
		panic(fmt.Sprintf("encode join request: %v", err))
	}
	return buf.Bytes()
}
