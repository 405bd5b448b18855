package registry

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
)

// Deployed is a registry contract at its fixed address.
type Deployed struct {
	Name    string
	Address common.Address
}

// Fixed lists the registry contracts this build knows the fixed address of,
// in deployment order.
func Fixed() []Deployed {
	return []Deployed{
		{contracts.DirectoryName, contracts.DirectoryAddress},
		{contracts.DocumentsName, contracts.DocumentsAddress},
		{contracts.PropertyTitlesName, contracts.PropertyTitlesAddress},
		{contracts.MarketStallsName, contracts.MarketStallsAddress},
		{contracts.PollsName, contracts.PollsAddress},
	}
}

// AnchorsService is the Directory service naming the Anchors contract.
const AnchorsService = "anchors"

// Registered returns Fixed and, if the Directory names an "anchors"
// service, Anchors at the address it names: the fixed
// contracts.AnchorsAddress on networks whose genesis pre-deploys it, the
// admin's deployment on older ones (ADR 061). A network without Anchors
// yet gives Fixed alone.
func (c *Client) Registered(ctx context.Context) ([]Deployed, error) {
	name, _ := contracts.Bytes32(AnchorsService)
	out, err := c.Call(ctx, "Directory.service", contracts.DirectoryAddress, dirABI.PackService(name))
	if err != nil {
		return nil, err
	}
	svc, err := dirABI.UnpackService(out)
	if err != nil {
		return nil, fmt.Errorf("Directory.service: %w", err)
	}
	if svc.Implementation == (common.Address{}) {
		return Fixed(), nil
	}
	return append(Fixed(), Deployed{contracts.AnchorsName, svc.Implementation}), nil
}

// CodeCheck is the result of comparing the code at a fixed address with the
// committed artifact.
type CodeCheck struct {
	Name     string         `json:"name"`
	Address  common.Address `json:"address"`
	Source   string         `json:"source"`
	Compiler string         `json:"compiler"`
	Size     int            `json:"size"`         // bytes of code on chain
	CodeHash common.Hash    `json:"codeHash"`     // keccak256 of the code on chain
	Want     common.Hash    `json:"artifactHash"` // keccak256 of the artifact's runtime code
	Match    bool           `json:"match"`        // equal outside the immutables
	// Immutables maps the byte offset of each immutable's first use in the
	// runtime code (decimal) to the value read there from the chain's code.
	// Offsets, not the compiler's AST ids: those change whenever another
	// source file is added, while the code does not.
	Immutables map[string]string `json:"immutables,omitempty"`
	Problem    string            `json:"problem,omitempty"`
}

// CheckCode fetches the code of each registered contract (Registered, at
// c.Block) and compares it with the committed artifacts. It returns every result and, if any
// differs, an error wrapping ErrCodeMismatch naming them.
func (c *Client) CheckCode(ctx context.Context) ([]CodeCheck, error) {
	deployed, err := c.Registered(ctx)
	if err != nil {
		return nil, err
	}
	return c.CheckCodeAgainst(ctx, deployed, contracts.Load)
}

// CheckCodeAgainst is CheckCode with the contracts and the artifact loader
// given (tests pass a tampered artifact).
func (c *Client) CheckCodeAgainst(ctx context.Context, fixed []Deployed, load func(string) (*contracts.Artifact, error)) ([]CodeCheck, error) {
	var (
		out []CodeCheck
		bad []string
	)
	for _, d := range fixed {
		a, err := load(d.Name)
		if err != nil {
			return nil, err
		}
		code, err := c.eth.CodeAt(ctx, d.Address, c.Block)
		if err != nil {
			return nil, fmt.Errorf("eth_getCode %s (%s): %w", d.Address, d.Name, err)
		}
		r := CodeCheck{
			Name: d.Name, Address: d.Address, Source: a.SourceName,
			Compiler: a.Compiler.Name + " " + a.Compiler.Version,
			Size:     len(code), CodeHash: crypto.Keccak256Hash(code), Want: crypto.Keccak256Hash(a.DeployedBytecode),
		}
		switch err := a.CheckRuntime(code); {
		case len(code) == 0:
			r.Problem = "no code at this address: not a citychain network, or the registry was not in its genesis"
		case errors.Is(err, contracts.ErrCodeMismatch):
			r.Problem = err.Error()
		case err != nil:
			return nil, err
		default:
			r.Match = true
			r.Immutables = immutableValues(a, code)
		}
		if !r.Match {
			bad = append(bad, d.Name)
		}
		out = append(out, r)
	}
	if len(bad) > 0 {
		return out, fmt.Errorf("%w: %v", ErrCodeMismatch, bad)
	}
	return out, nil
}

// immutableValues reads the values of the artifact's immutables from code
// (checked to be in range by CheckRuntime).
func immutableValues(a *contracts.Artifact, code []byte) map[string]string {
	if len(a.ImmutableReferences) == 0 {
		return nil
	}
	vals := make(map[string]string, len(a.ImmutableReferences))
	for _, refs := range a.ImmutableReferences {
		if len(refs) > 0 {
			r := slices.MinFunc(refs, func(a, b contracts.CodeRange) int { return cmp.Compare(a.Start, b.Start) })
			vals[strconv.Itoa(r.Start)] = hexutil.Encode(code[r.Start : r.Start+r.Length])
		}
	}
	return vals
}
