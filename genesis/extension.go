package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strconv"

	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/params"
)

// ExtensionKey is the key of citychain's own section in a genesis file's
// chain configuration: config.citychain.
const ExtensionKey = "citychain"

// ErrIncompatible is returned if a genesis changes a citychain rule at a
// block the chain has already passed.
var ErrIncompatible = errors.New("incompatible chain configuration")

// Extension is citychain's own part of a chain configuration,
// config.citychain in a genesis file. go-ethereum (v1.17, and geth 1.13's
// `geth init`) ignores the key, so it does not change the genesis hash:
// nodes of one chain agree on it by running the same genesis file, and
// citynode stores it beside go-ethereum's chain configuration (ADR 048).
// The zero Extension schedules nothing.
type Extension struct {
	// PermissionsBlock is the first block from which a block holding a
	// transaction from an account the Directory does not permit (as of its
	// parent's state) is invalid; nil: never (ADR 048).
	PermissionsBlock *uint64 `json:"permissionsBlock,omitempty"`
}

// IsZero reports whether the extension schedules nothing.
func (e Extension) IsZero() bool { return e.PermissionsBlock == nil }

// PermissionsAt reports whether the permissions rule applies to block number.
func (e Extension) PermissionsAt(number uint64) bool {
	return e.PermissionsBlock != nil && number >= *e.PermissionsBlock
}

// String describes the extension for logs.
func (e Extension) String() string {
	if e.PermissionsBlock == nil {
		return "permissionsBlock=none"
	}
	return "permissionsBlock=" + strconv.FormatUint(*e.PermissionsBlock, 10)
}

// Equal reports whether two extensions schedule the same rules.
func (e Extension) Equal(o Extension) bool {
	return ptrEqual(e.PermissionsBlock, o.PermissionsBlock)
}

func ptrEqual(a, b *uint64) bool {
	return a == nil && b == nil || a != nil && b != nil && *a == *b
}

// CheckCompatible reports whether a chain whose head is block head, run so
// far with e, may switch to newer: as go-ethereum's ChainConfig.CheckCompatible
// does for its forks, a rule's block may change only while both the old and
// the new block are above the head, so no block already accepted is judged by
// another rule.
func (e Extension) CheckCompatible(newer Extension, head uint64) error {
	if ptrEqual(e.PermissionsBlock, newer.PermissionsBlock) {
		return nil
	}
	// Block 0 holds no transactions: a rule from it is a rule from block 1.
	passed := func(b *uint64) bool { return b != nil && max(*b, 1) <= head }
	if passed(e.PermissionsBlock) || passed(newer.PermissionsBlock) {
		return fmt.Errorf("config.%s.permissionsBlock: %w: have %s stored, given %s, and the chain's head is block %d: a rule's block may change only while both are above the head; schedule a block above %d that every node reaches after its operator has run `citynode init` with the new genesis file", ExtensionKey, ErrIncompatible, blockString(e.PermissionsBlock), blockString(newer.PermissionsBlock), head, head)
	}
	return nil
}

func blockString(b *uint64) string {
	if b == nil {
		return "none"
	}
	return strconv.FormatUint(*b, 10)
}

// extendedFile is the part of a genesis file the extension lives in.
type extendedFile struct {
	Config *struct {
		Citychain *json.RawMessage `json:"citychain"`
	} `json:"config"`
}

// DecodeExtension reads config.citychain from a genesis file's JSON, strictly
// (an unknown key is an error naming it). A file without it gives the zero
// Extension. The rest of the file is Decode's business.
func DecodeExtension(data []byte) (Extension, error) {
	var f extendedFile
	if err := json.Unmarshal(data, &f); err != nil {
		return Extension{}, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var ext Extension
	if f.Config == nil || f.Config.Citychain == nil {
		return ext, nil
	}
	dec := json.NewDecoder(bytes.NewReader(*f.Config.Citychain))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&ext); err != nil {
		return Extension{}, fmt.Errorf("config.%s: %w: %v; the keys are: permissionsBlock (a block number)", ExtensionKey, ErrMalformed, err)
	}
	return ext, nil
}

// LoadExtended reads a genesis file with Load's rules and its
// config.citychain section.
func LoadExtended(path string) (*core.Genesis, Extension, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, Extension{}, fmt.Errorf("load genesis: %w", err)
	}
	g, err := decode(data, path)
	if err != nil {
		return nil, Extension{}, err
	}
	ext, err := DecodeExtension(data)
	if err != nil {
		return nil, Extension{}, fmt.Errorf("%s: %w", path, err)
	}
	return g, ext, nil
}

// extendedConfig is a chain configuration with citychain's section.
type extendedConfig struct {
	*params.ChainConfig
	Citychain *Extension `json:"citychain,omitempty"`
}

// Encode returns g as go-ethereum's genesis JSON, indented, with a final
// newline, and ext (unless zero) as config.citychain.
func Encode(g *core.Genesis, ext Extension) ([]byte, error) {
	data, err := json.Marshal(g)
	if err != nil {
		return nil, fmt.Errorf("encode genesis: %w", err)
	}
	if !ext.IsZero() {
		if data, err = spliceExtension(data, g.Config, ext); err != nil {
			return nil, err
		}
	}
	var out bytes.Buffer
	if err := json.Indent(&out, data, "", "  "); err != nil {
		return nil, fmt.Errorf("encode genesis: %w", err)
	}
	out.WriteByte('\n')
	return out.Bytes(), nil
}

// spliceExtension replaces the config object of a compact genesis encoding
// (go-ethereum writes config first) with one that holds ext as well.
func spliceExtension(data []byte, cfg *params.ChainConfig, ext Extension) ([]byte, error) {
	plain, err := json.Marshal(cfg)
	if err != nil {
		return nil, fmt.Errorf("encode genesis config: %w", err)
	}
	prefix := append([]byte(`{"config":`), plain...)
	if !bytes.HasPrefix(data, prefix) {
		return nil, errors.New("encode genesis: go-ethereum no longer writes the config first; citychain's section cannot be added")
	}
	extended, err := json.Marshal(extendedConfig{ChainConfig: cfg, Citychain: &ext})
	if err != nil {
		return nil, fmt.Errorf("encode genesis config: %w", err)
	}
	out := append([]byte(`{"config":`), extended...)
	return append(out, data[len(prefix):]...), nil
}
