// Package ceremony turns the published description of a citychain network
// (network.toml: chain id, period, departments and their signers, the
// registry's admin and role holders, funded accounts) into its genesis, and
// lets anyone check a genesis against that description.
//
// The genesis ceremony of a network is: each department makes its signer key
// and hands over its address (as an address, its keystore file or a signed
// join request); the network's operators write network.toml and run Build
// (`cityctl genesis new`); every department and auditor runs Verify
// (`cityctl genesis verify`) on the published genesis.json and network.toml
// before initialising a node with it. The same inputs always give the same
// genesis, byte for byte.
//
// Convert moves a geth 1.13 Clique genesis to citychain (the terminal total
// difficulty sentinel added, nothing else changed, the same genesis hash).
package ceremony

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/BurntSushi/toml"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/genesis"
)

// ErrConfig is returned (wrapped, once per problem) for a network.toml that
// does not describe a network citychain can run.
var ErrConfig = errors.New("invalid network config")

// Config is network.toml: the published description of a network, from which
// Build makes the genesis. Paths in it are relative to the file's directory.
type Config struct {
	ChainID   uint64 `toml:"chain_id"`            // EIP-155 chain id; one no public chain uses
	Period    uint64 `toml:"period"`              // seconds between blocks
	Epoch     uint64 `toml:"epoch"`               // blocks between checkpoints (vote resets)
	GasLimit  uint64 `toml:"gas_limit"`           // gas limit of the genesis block
	Timestamp uint64 `toml:"timestamp,omitempty"` // genesis time, seconds since the Unix epoch
	// EVM names the rules blocks run under: "london" (the default), or
	// "prague": Shanghai, Cancun and Prague in the post-transition Clique
	// format (ADR 044), from genesis or from EVMTime.
	EVM string `toml:"evm,omitempty"`
	// EVMTime is when the "prague" rules start, seconds since the Unix epoch;
	// 0 (the default): from genesis.
	EVMTime uint64 `toml:"evm_time,omitempty"`
	// PermissionsBlock, if set, is the block from which a block holding a
	// transaction from an account the Directory does not permit is invalid:
	// config.citychain.permissionsBlock in the genesis (ADR 048).
	PermissionsBlock *uint64 `toml:"permissions_block,omitempty"`

	Registry    Registry     `toml:"registry"`
	Departments []Department `toml:"department"`
	Roles       []RoleGrant  `toml:"role,omitempty"`
	Alloc       []Funded     `toml:"alloc,omitempty"`

	dir string // directory of the file, for relative paths
}

// Registry is the municipal registry's configuration: who administers it.
type Registry struct {
	Admin string `toml:"admin"` // the city admin account (Directory owner)
	// Anchors = false leaves the Anchors contract out of the genesis, as
	// genesis files made before it was pre-deployed have it: the
	// network.toml of such a network sets it so that `cityctl genesis
	// verify` recomputes its genesis; its admin deploys Anchors by hand
	// (cityctl anchor deploy; ADR 061). Absent: pre-deployed.
	Anchors *bool `toml:"anchors,omitempty"`
}

// Department is one city department and the signer it runs. Exactly one of
// Signer, Keystore and JoinRequest names the signer, or none for a
// department that holds roles but runs no signer.
type Department struct {
	Code        string `toml:"code"`                   // 1..32 of A-Z, 0-9, - and _, e.g. "LAND"
	Name        string `toml:"name"`                   // display name, e.g. "Land Registry"
	Signer      string `toml:"signer,omitempty"`       // 0x-prefixed signer address
	Keystore    string `toml:"keystore,omitempty"`     // keystore file or directory holding one key (only the address is read)
	JoinRequest string `toml:"join_request,omitempty"` // join request signed by the signer key (cityctl signer onboard)
}

// RoleGrant gives an account roles in a department's name. Exactly one of
// Account and Keystore names the account.
type RoleGrant struct {
	Department string   `toml:"department"`         // department code
	Account    string   `toml:"account,omitempty"`  // 0x-prefixed address
	Keystore   string   `toml:"keystore,omitempty"` // keystore file or directory holding one key (only the address is read), e.g. a gateway's relayer key
	Roles      []string `toml:"roles"`              // issuer, registrar, market-operator, poll-admin, relayer
}

// Funded is an account with a balance at genesis. Exactly one of Address
// and Keystore names the account.
type Funded struct {
	Address  string `toml:"address,omitempty"`
	Keystore string `toml:"keystore,omitempty"` // keystore file or directory holding one key
	Balance  string `toml:"balance"`            // wei, or a number with a unit: "1000 ether", "5 gwei"
}

// Defaults of the optional keys.
const (
	DefaultEVM = "london"
)

// forkKeys are keys an operator may try in order to schedule a fork Clique
// cannot run; they get a message saying why rather than "unknown key".
var forkKeys = []string{"shanghai", "cancun", "prague", "osaka", "verkle", "amsterdam"}

// Load reads network.toml strictly: an unknown key is an error naming it.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("cannot read the network config %s (%w): give the path of the network's network.toml: cityctl genesis --config FILE, citynode ceremony --network FILE", path, err)
	}
	cfg, err := Decode(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	abs, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return nil, err
	}
	cfg.dir = abs
	return cfg, nil
}

// Decode reads a network config from TOML text; relative paths in it are
// taken from the working directory (Load takes them from the file's).
func Decode(data []byte) (*Config, error) {
	cfg := &Config{}
	md, err := toml.NewDecoder(bytes.NewReader(data)).Decode(cfg)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrConfig, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		var errs []error
		for _, k := range undecoded {
			errs = append(errs, unknownKey(k.String()))
		}
		return nil, errors.Join(errs...)
	}
	applyDefaults(cfg, md)
	return cfg, nil
}

// applyDefaults fills the optional keys that were left out.
func applyDefaults(cfg *Config, md toml.MetaData) {
	if !md.IsDefined("period") {
		cfg.Period = genesis.DefaultPeriod
	}
	if !md.IsDefined("epoch") {
		cfg.Epoch = genesis.DefaultEpoch
	}
	if !md.IsDefined("gas_limit") {
		cfg.GasLimit = genesis.DefaultGasLimit
	}
	if cfg.EVM == "" {
		cfg.EVM = DefaultEVM
	}
}

// unknownKey explains a key network.toml does not have.
func unknownKey(key string) error {
	last := key[strings.LastIndex(key, ".")+1:]
	for _, f := range forkKeys {
		if strings.HasPrefix(strings.ToLower(last), f) || strings.HasPrefix(strings.ToLower(key), "forks") {
			return fmt.Errorf("%w: %s: forks are not scheduled one by one: evm = \"prague\" runs Shanghai, Cancun and Prague rules from genesis or from evm_time (ADR 044), evm = \"london\" keeps London rules; remove %q", ErrConfig, key, key)
		}
	}
	return fmt.Errorf("%w: unknown key %s: check its spelling; the keys are chain_id, period, epoch, gas_limit, timestamp, evm, evm_time, permissions_block, [registry] admin, [[department]] code/name/signer/keystore/join_request, [[role]] department/account/keystore/roles, [[alloc]] address/keystore/balance", ErrConfig, key)
}

// Path resolves a path of the config against its directory.
func (c *Config) Path(p string) string {
	if filepath.IsAbs(p) || c.dir == "" {
		return p
	}
	return filepath.Join(c.dir, p)
}

// units are the balance units network.toml accepts, in wei.
var units = map[string]*big.Int{
	"wei":   big.NewInt(1),
	"gwei":  big.NewInt(params.GWei),
	"ether": big.NewInt(params.Ether),
}

// parseBalance reads "123", "1000 ether" or "5 gwei" (whole numbers) as wei.
func parseBalance(s string) (*big.Int, error) {
	fields := strings.Fields(s)
	unit := "wei"
	switch len(fields) {
	case 1:
	case 2:
		unit = strings.ToLower(fields[1])
	default:
		return nil, fmt.Errorf("have %q, want a whole number of wei, or a number and a unit such as \"1000 ether\"", s)
	}
	mul, ok := units[unit]
	if !ok {
		return nil, fmt.Errorf("have unit %q, want one of %s", fields[1], strings.Join(slices.Sorted(maps.Keys(units)), ", "))
	}
	n, ok := new(big.Int).SetString(fields[0], 10)
	if !ok || n.Sign() < 0 {
		return nil, fmt.Errorf("have %q, want a non-negative whole number (no decimal point: use a smaller unit)", fields[0])
	}
	n.Mul(n, mul)
	if n.BitLen() > 256 {
		return nil, fmt.Errorf("have %s wei, want at most 2^256-1", n)
	}
	return n, nil
}

// Published returns the config with every department's signer, role holder
// and funded account given as an address, whatever source Build read it
// from: the network.toml to publish beside the genesis, which anyone can
// verify without the departments' keystores or join requests.
func (c *Config) Published(sigs []Signer) ([]byte, error) {
	pub := *c
	pub.Departments = slices.Clone(c.Departments)
	for i, d := range pub.Departments {
		for _, s := range sigs {
			if s.Department == d.Code {
				pub.Departments[i] = Department{Code: d.Code, Name: d.Name, Signer: s.Address.Hex()}
			}
		}
	}
	pub.Roles = slices.Clone(c.Roles)
	for i, r := range pub.Roles {
		if r.Keystore == "" {
			continue
		}
		addr, _, err := keystoreAddress(c.Path(r.Keystore))
		if err != nil {
			return nil, fmt.Errorf("role[%d].keystore: %w", i, err)
		}
		pub.Roles[i].Account, pub.Roles[i].Keystore = addr.Hex(), ""
	}
	pub.Alloc = slices.Clone(c.Alloc)
	for i, a := range pub.Alloc {
		if a.Keystore == "" {
			continue
		}
		addr, _, err := keystoreAddress(c.Path(a.Keystore))
		if err != nil {
			return nil, fmt.Errorf("alloc[%d].keystore: %w", i, err)
		}
		pub.Alloc[i].Address, pub.Alloc[i].Keystore = addr.Hex(), ""
	}
	var buf bytes.Buffer
	buf.WriteString("# The network's published description: `cityctl genesis verify genesis.json --config network.toml`.\n")
	if err := toml.NewEncoder(&buf).Encode(pub); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// PredeploysAnchors reports whether the genesis holds the Anchors contract:
// unless `anchors = false`.
func (r Registry) PredeploysAnchors() bool { return r.Anchors == nil || *r.Anchors }
