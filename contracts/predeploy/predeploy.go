// Package predeploy builds the genesis accounts of the municipal registry.
//
// Constructors do not run in genesis, so Alloc runs them, at genesis-build
// time, in an in-memory EVM (go-ethereum's core/vm over core/state, London
// rules, the chain id of the network): each contract is created "from" the
// keyless contracts.Deployer at its fixed nonce, which puts it at its fixed
// address, and then the city admin's configuration (departments, roles,
// signers, service names) is applied by calling the contracts as the admin,
// through the same code paths a transaction takes. Alloc returns the runtime
// code, nonce and every non-zero storage slot of each contract: the same
// inputs always give the same accounts, and the code is byte for byte the
// committed artifact's runtime code (contracts.Artifact.CheckRuntime).
//
// Events emitted while building are discarded: the configuration itself,
// published with the genesis, is the record of the registry before block 1.
package predeploy

import (
	"errors"
	"fmt"
	"maps"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/tracing"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/core/vm"
	"github.com/ethereum/go-ethereum/triedb"
	"github.com/holiman/uint256"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/anchors"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/bindings/marketstalls"
	"github.com/citychain/citychain/contracts/bindings/polls"
	"github.com/citychain/citychain/contracts/bindings/propertytitles"
	"github.com/citychain/citychain/genesis"
)

// buildGas is the gas each constructor or configuration call may use
// (the EVM needs a budget; nobody pays for it).
const buildGas = 100_000_000

// ErrConfig is returned (wrapped) for an invalid registry configuration.
var ErrConfig = errors.New("invalid registry configuration")

// Service names under which the Directory lists the pre-deployed contracts.
const (
	ServiceDirectory      = "directory"
	ServiceDocuments      = "documents"
	ServicePropertyTitles = "property-titles"
	ServicePolls          = "polls"
	ServiceMarketStalls   = "market-stalls"
	ServiceAnchors        = "anchors"
)

// Config is the initial registry of a network: who is city admin, which
// departments exist, which accounts act for them in which roles, and which
// Clique signers they run.
type Config struct {
	ChainID     uint64         // the network's chain id (constructors may capture it)
	Admin       common.Address // the city admin (Directory owner)
	Departments []Department
	// WithoutAnchors leaves Anchors out, as the genesis of a network made
	// before Anchors was pre-deployed has it: the same inputs then give that
	// genesis again, hash for hash, and the city admin deploys Anchors by
	// hand (cityctl anchor deploy; ADR 061).
	WithoutAnchors bool
}

// Department is one city department of the initial registry.
type Department struct {
	Code     string           // short unique code, 1 to 32 bytes, e.g. "LAND"
	Name     string           // display name, e.g. "Land Registry"
	Accounts []Account        // accounts acting for the department
	Signers  []common.Address // Clique signers the department runs
}

// Account is an account and the roles it holds for its department.
type Account struct {
	Address common.Address
	Roles   []contracts.Role
}

// Validate checks the configuration, reporting every problem.
func (c Config) Validate() error {
	var errs []error
	bad := func(format string, args ...any) {
		errs = append(errs, fmt.Errorf("%w: "+format, append([]any{ErrConfig}, args...)...))
	}
	if c.ChainID == 0 {
		bad("ChainID: have 0, want the network's chain id")
	}
	if c.Admin == (common.Address{}) {
		bad("Admin: have the zero address, want the city admin's account")
	}
	codes := map[string]bool{}
	accounts := map[common.Address]string{}
	signers := map[common.Address]string{}
	for i, d := range c.Departments {
		where := fmt.Sprintf("Departments[%d] (%q)", i, d.Code)
		if _, err := contracts.Bytes32(d.Code); err != nil {
			bad("%s: code: %v", where, err)
		}
		if codes[d.Code] {
			bad("%s: code used twice; give each department its own code", where)
		}
		codes[d.Code] = true
		if d.Name == "" {
			bad("%s: empty name", where)
		}
		for j, a := range d.Accounts {
			at := fmt.Sprintf("%s.Accounts[%d] (%s)", where, j, a.Address.Hex())
			if a.Address == (common.Address{}) {
				bad("%s: zero address", at)
			}
			if other, ok := accounts[a.Address]; ok {
				bad("%s: already an account of %q; an account acts for one department only", at, other)
			}
			accounts[a.Address] = d.Code
			if len(a.Roles) == 0 {
				bad("%s: no roles; list at least one or drop the account", at)
			}
			seen := map[contracts.Role]bool{}
			for _, r := range a.Roles {
				if r >= 32 {
					bad("%s: role %d: want below 32", at, r)
				}
				if seen[r] {
					bad("%s: role %s listed twice", at, r)
				}
				seen[r] = true
			}
		}
		for j, s := range d.Signers {
			at := fmt.Sprintf("%s.Signers[%d] (%s)", where, j, s.Hex())
			if s == (common.Address{}) {
				bad("%s: zero address", at)
			}
			if other, ok := signers[s]; ok {
				bad("%s: already a signer of %q; a signer belongs to one department", at, other)
			}
			signers[s] = d.Code
		}
	}
	return errors.Join(errs...)
}

// Addresses returns the fixed addresses of the pre-deployed contracts.
func Addresses() map[string]common.Address {
	return map[string]common.Address{
		contracts.DirectoryName:      contracts.DirectoryAddress,
		contracts.DocumentsName:      contracts.DocumentsAddress,
		contracts.PropertyTitlesName: contracts.PropertyTitlesAddress,
		contracts.PollsName:          contracts.PollsAddress,
		contracts.MarketStallsName:   contracts.MarketStallsAddress,
		contracts.AnchorsName:        contracts.AnchorsAddress,
	}
}

// AddressesOf returns the fixed addresses of the contracts cfg pre-deploys:
// Addresses without Anchors if cfg.WithoutAnchors.
func AddressesOf(cfg Config) map[string]common.Address {
	addrs := Addresses()
	if cfg.WithoutAnchors {
		delete(addrs, contracts.AnchorsName)
	}
	return addrs
}

// builder runs constructors and calls in the in-memory EVM.
type builder struct {
	statedb *state.StateDB
	evm     *vm.EVM
	touched map[common.Address]map[common.Hash]bool // storage slots written, per account
}

func newBuilder(chainID uint64) (*builder, error) {
	mem := rawdb.NewMemoryDatabase()
	statedb, err := state.New(types.EmptyRootHash, state.NewMPTDatabase(triedb.NewDatabase(mem, triedb.HashDefaults), state.NewCodeDB(mem)))
	if err != nil {
		return nil, err
	}
	b := &builder{statedb: statedb, touched: map[common.Address]map[common.Hash]bool{}}
	hooks := &tracing.Hooks{
		OnStorageChange: func(addr common.Address, slot common.Hash, _, _ common.Hash) {
			if b.touched[addr] == nil {
				b.touched[addr] = map[common.Hash]bool{}
			}
			b.touched[addr][slot] = true
		},
	}
	blockCtx := vm.BlockContext{
		CanTransfer: core.CanTransfer,
		Transfer:    core.Transfer,
		GetHash:     func(uint64) common.Hash { return common.Hash{} },
		GasLimit:    buildGas,
		BlockNumber: new(big.Int),
		Time:        0,
		Difficulty:  big.NewInt(1),
		BaseFee:     new(big.Int),
	}
	b.evm = vm.NewEVM(blockCtx, state.NewHookedState(statedb, hooks), genesis.ChainConfig(chainID, 0, genesis.DefaultEpoch), vm.Config{}) // the rules of a citychain block
	return b, nil
}

// create runs a constructor from the Deployer at the given nonce and checks
// where it landed. Nonces reserved for contracts not built yet are skipped,
// never reused.
func (b *builder) create(name string, nonce uint64, args []byte, want common.Address) error {
	a, err := contracts.Load(name)
	if err != nil {
		return err
	}
	if have := b.statedb.GetNonce(contracts.Deployer); have > nonce {
		return fmt.Errorf("%s at deployer nonce %d: the deployer is at nonce %d already (constructors out of order)", name, nonce, have)
	}
	b.statedb.SetNonce(contracts.Deployer, nonce, tracing.NonceChangeUnspecified)
	b.evm.SetTxContext(vm.TxContext{Origin: contracts.Deployer, GasPrice: new(uint256.Int)})
	code := append(slices.Clone(a.Bytecode), args...)
	ret, addr, _, err := b.evm.Create(contracts.Deployer, code, vm.NewGasBudget(buildGas, 0), new(uint256.Int))
	if err != nil {
		return fmt.Errorf("constructor of %s: %w%s", name, err, reason(ret))
	}
	if addr != want {
		return fmt.Errorf("%s created at %s, want its fixed address %s (deployer nonce out of order)", name, addr.Hex(), want.Hex())
	}
	return nil
}

// call runs a call as from, as a transaction would.
func (b *builder) call(from, to common.Address, input []byte) error {
	b.evm.SetTxContext(vm.TxContext{Origin: from, GasPrice: new(uint256.Int)})
	ret, _, err := b.evm.Call(from, to, input, vm.NewGasBudget(buildGas, 0), new(uint256.Int))
	if err != nil {
		return fmt.Errorf("%w%s", err, reason(ret))
	}
	return nil
}

// reason formats revert data for an error message.
func reason(ret []byte) string {
	if len(ret) == 0 {
		return ""
	}
	if s, err := contracts.DecodeRevert(ret); err == nil {
		return ": " + s
	}
	return fmt.Sprintf(": revert data %#x", ret)
}

// Alloc returns the genesis accounts of the registry described by cfg: the
// Directory, Documents, PropertyTitles, MarketStalls, Polls and (unless
// cfg.WithoutAnchors) Anchors contracts at their fixed addresses with the
// configuration applied, each named in the Directory as a service.
func Alloc(cfg Config) (types.GenesisAlloc, error) {
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	b, err := newBuilder(cfg.ChainID)
	if err != nil {
		return nil, err
	}
	if err := b.constructors(cfg); err != nil {
		return nil, err
	}
	if err := b.configure(cfg); err != nil {
		return nil, err
	}
	return b.collect(slices.Collect(maps.Values(AddressesOf(cfg))))
}

// constructors runs each contract's constructor at the Deployer's fixed
// nonce.
func (b *builder) constructors(cfg Config) error {
	dir, docs, titles, pls, stalls := directory.NewDirectory(), documents.NewDocuments(), propertytitles.NewPropertyTitles(), polls.NewPolls(), marketstalls.NewMarketStalls()
	if err := b.create(contracts.DirectoryName, contracts.DirectoryNonce, dir.PackConstructor(cfg.Admin), contracts.DirectoryAddress); err != nil {
		return err
	}
	if err := b.create(contracts.DocumentsName, contracts.DocumentsNonce, docs.PackConstructor(contracts.DirectoryAddress), contracts.DocumentsAddress); err != nil {
		return err
	}
	if err := b.create(contracts.PropertyTitlesName, contracts.PropertyTitlesNonce, titles.PackConstructor(contracts.DirectoryAddress), contracts.PropertyTitlesAddress); err != nil {
		return err
	}
	if err := b.create(contracts.MarketStallsName, contracts.MarketStallsNonce, stalls.PackConstructor(contracts.DirectoryAddress), contracts.MarketStallsAddress); err != nil {
		return err
	}
	if err := b.create(contracts.PollsName, contracts.PollsNonce, pls.PackConstructor(contracts.DirectoryAddress), contracts.PollsAddress); err != nil {
		return err
	}
	if cfg.WithoutAnchors {
		return nil
	}
	return b.create(contracts.AnchorsName, contracts.AnchorsNonce, anchors.NewAnchors().PackConstructor(contracts.DirectoryAddress), contracts.AnchorsAddress)
}

// Services returns the Directory services Alloc(cfg) registers, in order:
// each pre-deployed contract under its service name.
func Services(cfg Config) []Service {
	list := []Service{
		{ServiceDirectory, contracts.DirectoryAddress},
		{ServiceDocuments, contracts.DocumentsAddress},
		{ServicePropertyTitles, contracts.PropertyTitlesAddress},
		{ServiceMarketStalls, contracts.MarketStallsAddress},
		{ServicePolls, contracts.PollsAddress},
	}
	if !cfg.WithoutAnchors {
		list = append(list, Service{ServiceAnchors, contracts.AnchorsAddress})
	}
	return list
}

// Service is a Directory service entry of the pre-deployed registry.
type Service struct {
	Name    string
	Address common.Address
}

// configure applies the admin's configuration, through the Directory's own
// functions.
func (b *builder) configure(cfg Config) error {
	dir := directory.NewDirectory()
	type step struct {
		what  string // for error messages
		input []byte
	}
	var calls []step
	for _, d := range cfg.Departments {
		code, _ := contracts.Bytes32(d.Code) // checked by Validate
		calls = append(calls, step{fmt.Sprintf("addDepartment(%q)", d.Code), dir.PackAddDepartment(code, d.Name)})
		for _, a := range d.Accounts {
			for _, r := range a.Roles {
				calls = append(calls, step{fmt.Sprintf("grantRole(%q, %s, %s)", d.Code, r, a.Address.Hex()), dir.PackGrantRole(code, uint8(r), a.Address)})
			}
		}
		for _, s := range d.Signers {
			calls = append(calls, step{fmt.Sprintf("assignSigner(%s, %q)", s.Hex(), d.Code), dir.PackAssignSigner(s, code)})
		}
	}
	for _, s := range Services(cfg) {
		name, _ := contracts.Bytes32(s.Name)
		calls = append(calls, step{fmt.Sprintf("setService(%q)", s.Name), dir.PackSetService(name, s.Address)})
	}
	for _, c := range calls {
		if err := b.call(cfg.Admin, contracts.DirectoryAddress, c.input); err != nil {
			return fmt.Errorf("registry configuration: Directory.%s: %w", c.what, err)
		}
	}
	return nil
}

// collect returns code, nonce and non-zero storage of the given accounts.
func (b *builder) collect(addrs []common.Address) (types.GenesisAlloc, error) {
	alloc := types.GenesisAlloc{}
	for _, addr := range addrs {
		code := b.statedb.GetCode(addr)
		if len(code) == 0 {
			return nil, fmt.Errorf("no code at %s after the constructors ran", addr.Hex())
		}
		storage := map[common.Hash]common.Hash{}
		for slot := range b.touched[addr] {
			if v := b.statedb.GetState(addr, slot); v != (common.Hash{}) {
				storage[slot] = v
			}
		}
		alloc[addr] = types.Account{
			Code:    code,
			Storage: storage,
			Nonce:   b.statedb.GetNonce(addr),
			Balance: new(big.Int),
		}
	}
	return alloc, nil
}
