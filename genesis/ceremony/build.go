package ceremony

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/genesis/joinrequest"
)

// Result is a genesis made from a network config.
type Result struct {
	Genesis   *core.Genesis
	Extension genesis.Extension // config.citychain (ADR 048)
	Hash      common.Hash       // the genesis block hash
	Signers   []Signer          // in department order
	JSON      []byte            // the genesis file, as `cityctl genesis new` writes it
	cfg       *Config
}

// Signer is a department's signer and where its address came from.
type Signer struct {
	Department string
	Address    common.Address
	Source     string // "signer", "keystore FILE" or "join request FILE"
}

// Build makes the genesis a network config describes: the signers in the
// extra-data, the funded accounts, and the registry pre-deployed through
// predeploy.Alloc with the departments, their signers and the role holders.
// It reports every problem of the config at once, each naming its key.
func Build(cfg *Config) (*Result, error) {
	var p problems
	checkChain(cfg, &p)
	admin := p.address("registry.admin", cfg.Registry.Admin, "the city admin's account")
	depts, sigs := resolveDepartments(cfg, &p)
	grantRoles(cfg, depts, &p)
	funded := fundedAccounts(cfg, &p)
	if err := p.err(); err != nil {
		return nil, err
	}
	reg, err := predeploy.Alloc(predeploy.Config{ChainID: cfg.ChainID, Admin: admin, Departments: depts, WithoutAnchors: !cfg.Registry.PredeploysAnchors()})
	if err != nil {
		return nil, fmt.Errorf("%w: registry: %w", ErrConfig, err)
	}
	spec := genesis.Spec{
		ChainID:   cfg.ChainID,
		Period:    cfg.Period,
		Epoch:     cfg.Epoch,
		GasLimit:  cfg.GasLimit,
		Timestamp: cfg.Timestamp,
		Alloc:     funded,
	}
	if strings.EqualFold(cfg.EVM, genesis.EVMPrague) {
		spec.Forks = genesis.ForksAt(cfg.EVMTime)
	}
	for _, s := range sigs {
		spec.Signers = append(spec.Signers, s.Address)
	}
	g, err := genesis.Build(spec)
	if err != nil {
		return nil, fmt.Errorf("%w: %w", ErrConfig, err)
	}
	if err := genesis.AddAlloc(g, reg); err != nil {
		return nil, fmt.Errorf("%w: alloc collides with the registry contracts: %w", ErrConfig, err)
	}
	ext := genesis.Extension{PermissionsBlock: cfg.PermissionsBlock}
	data, err := genesis.Encode(g, ext)
	if err != nil {
		return nil, err
	}
	return &Result{Genesis: g, Extension: ext, Hash: g.ToBlock().Hash(), Signers: sigs, JSON: data, cfg: cfg}, nil
}

// Encode returns the genesis file bytes `cityctl genesis new` writes:
// go-ethereum's JSON encoding, indented, accounts in address order, a final
// newline. The same genesis always encodes to the same bytes.
func Encode(g *core.Genesis) ([]byte, error) {
	return genesis.Encode(g, genesis.Extension{})
}

// problems collects the problems of a config, each naming its key.
type problems struct{ errs []error }

func (p *problems) add(key, format string, args ...any) {
	p.errs = append(p.errs, fmt.Errorf("%w: %s: "+format, append([]any{ErrConfig, key}, args...)...))
}

func (p *problems) err() error { return errors.Join(p.errs...) }

// address parses a required 0x address; the zero address is refused.
func (p *problems) address(key, s, what string) common.Address {
	switch {
	case s == "":
		p.add(key, "missing, want %s (0x followed by 40 hex digits)", what)
	case !common.IsHexAddress(s) || !strings.HasPrefix(s, "0x"):
		p.add(key, "have %q, want %s (0x followed by 40 hex digits)", s, what)
	case common.HexToAddress(s) == (common.Address{}):
		p.add(key, "have the zero address, want %s: nobody holds its key", what)
	default:
		return common.HexToAddress(s)
	}
	return common.Address{}
}

// account reads an account given either as an address (under the key
// addrKey) or as a keystore (keystore: a key file, or a directory holding
// one), e.g. a gateway's relayer key that the rehearsal's ceremony makes.
func (p *problems) account(cfg *Config, key, addr, keystore, addrKey, what string) common.Address {
	switch {
	case addr != "" && keystore != "":
		p.add(key, "both %s and keystore given, want one; keep one", addrKey)
	case keystore != "":
		a, _, err := keystoreAddress(cfg.Path(keystore))
		if err != nil {
			p.add(key+".keystore", "%v", err)
			return common.Address{}
		}
		return a
	default:
		return p.address(key+"."+addrKey, addr, what)
	}
	return common.Address{}
}

// checkChain checks the chain's parameters.
func checkChain(cfg *Config, p *problems) {
	if cfg.ChainID == 0 {
		p.add("chain_id", "have 0, want a positive chain id that no public chain uses (check chainlist.org), e.g. 4690")
	}
	switch {
	case strings.EqualFold(cfg.EVM, genesis.EVMLondon):
		if cfg.EVMTime != 0 {
			p.add("evm_time", "have %d with evm = %q, want it only with evm = %q (when the Prague rules start)", cfg.EVMTime, cfg.EVM, genesis.EVMPrague)
		}
	case strings.EqualFold(cfg.EVM, genesis.EVMPrague):
	default:
		p.add("evm", "have %q, want %q (London rules, the default) or %q (Shanghai, Cancun and Prague rules from genesis, or from evm_time; ADR 044)", cfg.EVM, genesis.EVMLondon, genesis.EVMPrague)
	}
	if cfg.Period > genesis.MaxPeriod {
		p.add("period", "have %d, want 0..%d seconds (0 seals only when transactions are pending; 5 is usual)", cfg.Period, genesis.MaxPeriod)
	}
	if cfg.Epoch == 0 || cfg.Epoch > genesis.MaxEpoch {
		p.add("epoch", "have %d, want 1..%d blocks (%d is usual)", cfg.Epoch, genesis.MaxEpoch, genesis.DefaultEpoch)
	}
	if cfg.GasLimit < params.MinGasLimit || cfg.GasLimit > params.MaxGasLimit {
		p.add("gas_limit", "have %d, want %d..%d (%d is usual)", cfg.GasLimit, params.MinGasLimit, params.MaxGasLimit, genesis.DefaultGasLimit)
	}
}

// resolveDepartments checks the departments and finds each one's signer.
func resolveDepartments(cfg *Config, p *problems) ([]predeploy.Department, []Signer) {
	var (
		depts   []predeploy.Department
		sigs    []Signer
		codes   = map[string]int{}
		signers = map[common.Address]int{}
	)
	for i, d := range cfg.Departments {
		key := fmt.Sprintf("department[%d]", i)
		if d.Code != "" {
			key = fmt.Sprintf("department[%d] (%s)", i, d.Code)
		}
		if err := checkCode(d.Code); err != nil {
			p.add(key+".code", "%v", err)
		}
		if j, ok := codes[d.Code]; ok {
			p.add(key+".code", "%q is also the code of department[%d]; give each department its own code", d.Code, j)
		}
		codes[d.Code] = i
		if strings.TrimSpace(d.Name) == "" {
			p.add(key+".name", "missing, want the department's display name, e.g. \"Land Registry\"")
		}
		dept := predeploy.Department{Code: d.Code, Name: d.Name}
		if s, ok := resolveSigner(cfg, key, d, p); ok {
			if j, dup := signers[s.Address]; dup {
				p.add(key, "duplicate signer %s: also the signer of department[%d] (%s); each department runs its own key, so fix one of the two", s.Address.Hex(), j, cfg.Departments[j].Code)
			} else {
				signers[s.Address] = i
				dept.Signers = []common.Address{s.Address}
				sigs = append(sigs, s)
			}
		}
		depts = append(depts, dept)
	}
	if len(cfg.Departments) > 0 && len(signers) == 0 && len(p.errs) == 0 {
		p.add("department", "no signers: no department names a signer, keystore or join_request; a chain needs at least one signer (three or more tolerate a failure)")
	}
	if len(cfg.Departments) == 0 {
		p.add("department", "no departments, so no signers: add a [[department]] with code, name and signer for each department that runs a signer")
	}
	return depts, sigs
}

// checkCode checks a department code: what the Directory and join requests accept.
func checkCode(code string) error {
	if code == "" || len(code) > 32 || strings.ContainsFunc(code, func(c rune) bool {
		return !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_')
	}) {
		return fmt.Errorf("have %q, want 1..32 of A-Z, 0-9, - and _, e.g. \"LAND\"", code)
	}
	return nil
}

// resolveSigner finds a department's signer address from the one source given.
func resolveSigner(cfg *Config, key string, d Department, p *problems) (Signer, bool) {
	var given []string
	for _, s := range []struct{ name, val string }{{"signer", d.Signer}, {"keystore", d.Keystore}, {"join_request", d.JoinRequest}} {
		if s.val != "" {
			given = append(given, s.name)
		}
	}
	switch {
	case len(given) == 0:
		return Signer{}, false // a department without a signer
	case len(given) > 1:
		p.add(key, "both %s given, want one source for the signer's address; keep one", strings.Join(given, " and "))
		return Signer{}, false
	}
	s := Signer{Department: d.Code}
	switch given[0] {
	case "signer":
		s.Address, s.Source = p.address(key+".signer", d.Signer, "the department's signer address"), "signer"
	case "keystore":
		addr, file, err := keystoreAddress(cfg.Path(d.Keystore))
		if err != nil {
			p.add(key+".keystore", "%v", err)
			return s, false
		}
		s.Address, s.Source = addr, "keystore "+file
	case "join_request":
		path := cfg.Path(d.JoinRequest)
		req, err := joinrequest.Load(path)
		if err != nil {
			p.add(key+".join_request", "%v", err)
			return s, false
		}
		if req.ChainID != cfg.ChainID {
			p.add(key+".join_request", "%s is for chain id %d, this network is %d: ask the department for a request made for this network", path, req.ChainID, cfg.ChainID)
		}
		if req.Department.Code != d.Code {
			p.add(key+".join_request", "%s is department %q's request, not %q's: check which file belongs to which department", path, req.Department.Code, d.Code)
		}
		s.Address, s.Source = req.Signer, "join request "+path
	}
	return s, s.Address != (common.Address{})
}

// keystoreAddress reads the address of a keystore key file, or of the one
// key in a keystore directory. Only the clear-text address is read: no
// password is needed and the key stays encrypted.
func keystoreAddress(path string) (common.Address, string, error) {
	info, err := os.Stat(path)
	if err != nil {
		return common.Address{}, "", fmt.Errorf("%v: give the keystore file (UTC--...) or the keystore directory holding it", err)
	}
	file := path
	if info.IsDir() {
		entries, err := os.ReadDir(path)
		if err != nil {
			return common.Address{}, "", err
		}
		var keys []string
		for _, e := range entries {
			if !e.IsDir() && !strings.HasPrefix(e.Name(), ".") {
				keys = append(keys, filepath.Join(path, e.Name()))
			}
		}
		if len(keys) != 1 {
			return common.Address{}, "", fmt.Errorf("directory %s holds %d key files, want exactly 1: name the key file instead", path, len(keys))
		}
		file = keys[0]
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return common.Address{}, "", err
	}
	var key struct {
		Address string `json:"address"`
	}
	if err := json.Unmarshal(data, &key); err != nil || !common.IsHexAddress(key.Address) {
		return common.Address{}, "", fmt.Errorf("%s is not a keystore key file (want JSON with an \"address\", as `citynode account new` writes)", file)
	}
	return common.HexToAddress(key.Address), file, nil
}

// grantRoles checks the role holders and adds them to their departments.
func grantRoles(cfg *Config, depts []predeploy.Department, p *problems) {
	index := map[string]int{}
	for i, d := range depts {
		index[d.Code] = i
	}
	holder := map[common.Address]string{} // account -> department code
	for i, r := range cfg.Roles {
		key := fmt.Sprintf("role[%d]", i)
		di, ok := index[r.Department]
		if !ok {
			p.add(key+".department", "unknown department %q: want the code of a [[department]] (%s), or add that department", r.Department, strings.Join(slices.Sorted(maps.Keys(index)), ", "))
		}
		acct := p.account(cfg, key, r.Account, r.Keystore, "account", "the account that acts in the department's name")
		if acct == (common.Address{}) || !ok {
			continue
		}
		if other, dup := holder[acct]; dup && other != r.Department {
			p.add(key+".account", "%s already holds roles for %q: an account acts for one department only; use another account", acct.Hex(), other)
			continue
		}
		holder[acct] = r.Department
		roles := parseRoles(key+".roles", r.Roles, p)
		if len(roles) == 0 {
			continue
		}
		accounts := &depts[di].Accounts
		if j := slices.IndexFunc(*accounts, func(a predeploy.Account) bool { return a.Address == acct }); j >= 0 {
			for _, role := range roles {
				if slices.Contains((*accounts)[j].Roles, role) {
					p.add(key+".roles", "%s already has role %s in %q; list it once", acct.Hex(), role, r.Department)
					continue
				}
				(*accounts)[j].Roles = append((*accounts)[j].Roles, role)
			}
			continue
		}
		*accounts = append(*accounts, predeploy.Account{Address: acct, Roles: roles})
	}
}

// parseRoles reads role names.
func parseRoles(key string, names []string, p *problems) []contracts.Role {
	if len(names) == 0 {
		var all []string
		for _, r := range contracts.Roles() {
			all = append(all, r.String())
		}
		p.add(key, "empty, want some of %s", strings.Join(all, ", "))
		return nil
	}
	var roles []contracts.Role
	for _, n := range names {
		r, err := contracts.ParseRole(n)
		if err != nil {
			p.add(key, "%v", err)
			continue
		}
		if slices.Contains(roles, r) {
			p.add(key, "role %s listed twice; list it once", r)
			continue
		}
		roles = append(roles, r)
	}
	return roles
}

// fundedAccounts checks the funded accounts.
func fundedAccounts(cfg *Config, p *problems) types.GenesisAlloc {
	alloc := types.GenesisAlloc{}
	reserved := map[common.Address]string{contracts.Deployer: "the registry's keyless deployer"}
	for name, addr := range predeploy.Addresses() {
		reserved[addr] = "the " + name + " contract"
	}
	for i, a := range cfg.Alloc {
		key := fmt.Sprintf("alloc[%d]", i)
		addr := p.account(cfg, key, a.Address, a.Keystore, "address", "the funded account")
		bal, err := parseBalance(a.Balance)
		if err != nil {
			p.add(key+".balance", "%v", err)
			continue
		}
		if addr == (common.Address{}) {
			continue
		}
		if what, ok := reserved[addr]; ok {
			p.add(key+".address", "%s is %s; fund another account", addr.Hex(), what)
			continue
		}
		if _, dup := alloc[addr]; dup {
			p.add(key+".address", "%s is funded twice; merge the two entries", addr.Hex())
			continue
		}
		alloc[addr] = types.Account{Balance: bal}
	}
	return alloc
}

// Summary writes what the genesis holds, for the people at the ceremony.
func (r *Result) Summary(w io.Writer) {
	c := r.cfg
	fmt.Fprintf(w, "Network:   chain id %d, a block every %d s, epoch %d blocks, gas limit %d, London rules\n", c.ChainID, c.Period, c.Epoch, c.GasLimit)
	fmt.Fprintf(w, "Signers:   %d (the chain halts with %d of them offline)\n", len(r.Signers), len(r.Signers)-len(r.Signers)/2)
	for _, s := range r.Signers {
		fmt.Fprintf(w, "  %-12s %s  from %s\n", s.Department, s.Address.Hex(), s.Source)
	}
	fmt.Fprintf(w, "Registry:  admin %s, %s, %s\n", common.HexToAddress(c.Registry.Admin).Hex(), count(len(c.Departments), "department"), count(len(c.Roles), "role grant"))
	funded := new(big.Int)
	for _, a := range c.Alloc {
		if b, err := parseBalance(a.Balance); err == nil {
			funded.Add(funded, b)
		}
	}
	fmt.Fprintf(w, "Funded:    %s, %s wei in total\n", count(len(c.Alloc), "account"), funded)
	fmt.Fprintf(w, "Genesis:   %s\n", r.Hash.Hex())
}

// count is "1 NOUN" or "N NOUNs".
func count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
