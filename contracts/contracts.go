// Package contracts holds citychain's municipal registry: the Solidity
// sources (src/), the compiled artifacts (artifacts/, embedded here), the
// abigen v2 bindings (bindings/), and the facts every user of the registry
// needs: the fixed addresses of the pre-deployed contracts, the Directory
// roles, and a decoder that turns a revert into "ErrorName(args)".
//
// `make contracts` regenerates artifacts and bindings from the sources with
// the pinned solc-js (package-lock.json); `make contracts-check` fails when
// the committed files differ from what the sources compile to.
package contracts

import (
	"bytes"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

//go:embed artifacts/*.json
var artifactFS embed.FS

// Contract names, as in contracts/src and the artifact file names.
const (
	DirectoryName      = "Directory"
	DocumentsName      = "Documents"
	PropertyTitlesName = "PropertyTitles"
	PollsName          = "Polls"
	MarketStallsName   = "MarketStalls"
	AnchorsName        = "Anchors" // pre-deployed in new genesis files; deployed by the admin on older networks (ADR 061)
)

var (
	// ErrUnknownContract is returned for a contract name with no artifact.
	ErrUnknownContract = errors.New("unknown contract")
	// ErrCodeMismatch is returned by Artifact.CheckRuntime when code differs
	// from what the committed sources compile to.
	ErrCodeMismatch = errors.New("code differs from the compiled artifact")
	// ErrUnknownRole is returned by ParseRole for a name that is no role.
	ErrUnknownRole = errors.New("unknown role")
)

// Compiler records the compiler and the settings an artifact was built with.
type Compiler struct {
	Name     string          `json:"name"`
	Version  string          `json:"version"`
	Settings json.RawMessage `json:"settings"`
}

// CodeRange is a byte range of deployed code (an immutable's position).
type CodeRange struct {
	Start  int `json:"start"`
	Length int `json:"length"`
}

// Artifact is one compiled contract: artifacts/<ContractName>.json.
type Artifact struct {
	ContractName        string                 `json:"contractName"`
	SourceName          string                 `json:"sourceName"`
	ABI                 json.RawMessage        `json:"abi"`
	Bytecode            hexutil.Bytes          `json:"bytecode"`         // creation code, without constructor arguments
	DeployedBytecode    hexutil.Bytes          `json:"deployedBytecode"` // runtime code, immutables zeroed
	ImmutableReferences map[string][]CodeRange `json:"immutableReferences"`
	StorageLayout       json.RawMessage        `json:"storageLayout"` // solc's storage layout: slots for eth_getProof
	Compiler            Compiler               `json:"compiler"`
}

// ParseABI returns the contract's ABI.
func (a *Artifact) ParseABI() (abi.ABI, error) {
	return abi.JSON(bytes.NewReader(a.ABI))
}

// CheckRuntime reports whether code, as read from the chain (eth_getCode), is
// exactly the artifact's runtime code. Immutables, which a constructor writes
// into the code, are the only bytes allowed to differ; the registry contracts
// have none, so for them the comparison is byte for byte.
func (a *Artifact) CheckRuntime(code []byte) error {
	want := a.DeployedBytecode
	if len(code) != len(want) {
		return fmt.Errorf("%s: %w: have %d bytes, want %d", a.ContractName, ErrCodeMismatch, len(code), len(want))
	}
	masked := slices.Clone(code)
	for _, refs := range a.ImmutableReferences {
		for _, r := range refs {
			if r.Start < 0 || r.Start+r.Length > len(masked) {
				return fmt.Errorf("%s: immutable reference %d+%d outside the code", a.ContractName, r.Start, r.Length)
			}
			clear(masked[r.Start : r.Start+r.Length])
		}
	}
	if i := firstDiff(masked, want); i >= 0 {
		return fmt.Errorf("%s: %w at byte %d", a.ContractName, ErrCodeMismatch, i)
	}
	return nil
}

func firstDiff(a, b []byte) int {
	for i := range a {
		if a[i] != b[i] {
			return i
		}
	}
	return -1
}

var (
	loadOnce  sync.Once
	artifacts map[string]*Artifact
	loadErr   error
)

// loadAll decodes every embedded artifact once.
func loadAll() (map[string]*Artifact, error) {
	loadOnce.Do(func() {
		artifacts = make(map[string]*Artifact)
		files, err := fs.Glob(artifactFS, "artifacts/*.json")
		if err != nil {
			loadErr = err
			return
		}
		for _, f := range files {
			data, err := artifactFS.ReadFile(f)
			if err != nil {
				loadErr = err
				return
			}
			var a Artifact
			dec := json.NewDecoder(bytes.NewReader(data))
			dec.DisallowUnknownFields()
			if err := dec.Decode(&a); err != nil {
				loadErr = fmt.Errorf("contracts: %s: %w (regenerate with make contracts)", f, err)
				return
			}
			if want := strings.TrimSuffix(path.Base(f), ".json"); a.ContractName != want {
				loadErr = fmt.Errorf("contracts: %s holds contract %q, want %q", f, a.ContractName, want)
				return
			}
			artifacts[a.ContractName] = &a
		}
	})
	return artifacts, loadErr
}

// Names returns the names of every compiled contract, sorted.
func Names() []string {
	all, err := loadAll()
	if err != nil {
		panic(err) // embedded at build time and tested: a broken build
	}
	names := make([]string, 0, len(all))
	for n := range all {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}

// Load returns the artifact of the named contract. The result is shared:
// callers must not modify it.
func Load(name string) (*Artifact, error) {
	all, err := loadAll()
	if err != nil {
		return nil, err
	}
	a, ok := all[name]
	if !ok {
		return nil, fmt.Errorf("%w: have %q, want one of %s", ErrUnknownContract, name, strings.Join(Names(), ", "))
	}
	return a, nil
}

// MustLoad is Load for the names this package defines; it panics on a
// broken build.
func MustLoad(name string) *Artifact {
	a, err := Load(name)
	if err != nil {
		panic(err)
	}
	return a
}

// Bytes32 encodes a short string (a department code, a service name, a
// cadastral number, a document type) the way Solidity's bytes32("...")
// literal does: left-aligned, zero-padded. It refuses an empty string and one
// longer than 32 bytes.
func Bytes32(s string) ([32]byte, error) {
	var b [32]byte
	if s == "" || len(s) > 32 {
		return b, fmt.Errorf("invalid bytes32 string %q: have %d bytes, want 1 to 32", s, len(s))
	}
	copy(b[:], s)
	return b, nil
}

// String32 decodes a left-aligned bytes32 string (the inverse of Bytes32).
func String32(b [32]byte) string {
	return string(bytes.TrimRight(b[:], "\x00"))
}
