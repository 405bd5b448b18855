package permissions

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/big"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
)

// Modes of --permissions.accounts.
const (
	ModeOff       = "off"       // any account may send transactions
	ModeDirectory = "directory" // the Directory's rule
	filePrefix    = "file:"     // the Directory's rule plus the accounts listed in a file
	maxListBytes  = 16 << 20    // largest account list file read
)

// errBadSpec is returned for a --permissions.accounts value of no known form.
var errBadSpec = errors.New("invalid --permissions.accounts")

// Policy decides who may send transactions through this node: the
// Directory's Rule, or-ed with an optional local list. A nil *Policy permits
// everything.
type Policy struct {
	Rule Rule
	List map[common.Address]bool // accounts this node also lets in; never a consensus rule
	Spec string                  // the --permissions.accounts value it was loaded from
}

// Load returns the policy for a --permissions.accounts value: "off" (nil,
// nil), "directory" or "file:PATH".
func Load(spec string) (*Policy, error) {
	switch {
	case spec == ModeOff || spec == "":
		return nil, nil
	case spec == ModeDirectory:
		return &Policy{Spec: spec}, nil
	case strings.HasPrefix(spec, filePrefix) && len(spec) > len(filePrefix):
		path := spec[len(filePrefix):]
		data, err := readList(path)
		if err != nil {
			return nil, err
		}
		list, err := ParseList(data)
		if err != nil {
			return nil, fmt.Errorf("account list %s: %w", path, err)
		}
		return &Policy{Spec: spec, List: list}, nil
	default:
		return nil, fmt.Errorf("%w %q: want directory, file:PATH or off", errBadSpec, spec)
	}
}

// readList reads an account list file of bounded size.
func readList(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("account list: %w (create it with one 0x address a line, or use --permissions.accounts directory)", err)
	}
	defer f.Close()
	data, err := readAtMost(f, maxListBytes)
	if err != nil {
		return nil, fmt.Errorf("account list %s: %w", path, err)
	}
	return data, nil
}

func readAtMost(r io.Reader, limit int64) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(data)) > limit {
		return nil, fmt.Errorf("file too large: want at most %d bytes", limit)
	}
	return data, nil
}

// ParseList reads an account list: one 0x-prefixed address a line; blank
// lines and text after '#' are ignored.
func ParseList(data []byte) (map[common.Address]bool, error) {
	list := make(map[common.Address]bool)
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 4096), len(data)+1)
	for line := 1; sc.Scan(); line++ {
		text, _, _ := strings.Cut(sc.Text(), "#")
		text = strings.TrimSpace(text)
		if text == "" {
			continue
		}
		if !strings.HasPrefix(text, "0x") || !common.IsHexAddress(text) {
			return nil, fmt.Errorf("line %d: invalid account %q: want a 0x-prefixed address of 40 hex digits", line, text)
		}
		list[common.HexToAddress(text)] = true
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return list, nil
}

// Check returns nil if from may send a transaction (a contract creation if
// create is set) at state st, or a *DeniedError.
func (p *Policy) Check(st State, from common.Address, create bool) error {
	if p == nil {
		return nil
	}
	if !create && p.List[from] {
		return nil
	}
	return p.Rule.Check(st, from, create)
}

// Chain is what a Gate reads the head's state from. *core.BlockChain
// satisfies it.
type Chain interface {
	CurrentBlock() *types.Header
	StateAt(root common.Hash, number *big.Int, time uint64) (*state.StateDB, error)
}

// Gate applies a Policy at the head of a chain and, from the permissions
// block on (ADR 048), the consensus rule.
type Gate struct {
	Policy *Policy // nil: no local policy
	Chain  Chain
	// Enforced is the permissions block of the chain configuration, nil if
	// none. For a next block at or above it, the Directory's Rule alone
	// decides, whatever the Policy: the local list cannot let in a sender
	// that would make the block invalid.
	Enforced *uint64
}

// View returns a check against the head's state, for one batch of
// transactions: what the Directory says after the head block is what the
// next block is built under.
func (g Gate) View() (func(from common.Address, create bool) error, error) {
	head := g.Chain.CurrentBlock()
	ruled := g.Enforced != nil && head.Number.Uint64()+1 >= *g.Enforced
	if g.Policy == nil && !ruled {
		return func(common.Address, bool) error { return nil }, nil
	}
	st, err := g.Chain.StateAt(head.Root, head.Number, head.Time)
	if err != nil {
		return nil, fmt.Errorf("permissions: state of head %d: %w", head.Number, err)
	}
	if ruled {
		var rule Rule
		if g.Policy != nil {
			rule = g.Policy.Rule
		}
		return func(from common.Address, create bool) error { return rule.Check(st, from, create) }, nil
	}
	return func(from common.Address, create bool) error { return g.Policy.Check(st, from, create) }, nil
}
