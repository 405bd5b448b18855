package genesis

import (
	"fmt"
	"maps"
	"math/big"
	"reflect"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/params"
)

// Validate checks that g is a genesis citychain can run: a Clique chain
// configuration go-ethereum v1.17 accepts (terminal total difficulty sentinel,
// no timestamp-scheduled fork but a coherent transition to Shanghai, Cancun
// and Prague with its blob schedule and system contracts), well-formed signer extra-data, and header and
// allocation values in range. It reports every problem it finds, each naming
// the JSON field at fault and wrapping one of the package's sentinel errors.
//
// Validate accepts the genesis of an existing Clique network (forks at later
// blocks, unsorted signers, any vanity) as long as it follows these rules, so
// such a network can move to citychain with its genesis hash unchanged.
func Validate(g *core.Genesis) error {
	return join("", validate(g))
}

// validate returns every problem of g.
func validate(g *core.Genesis) []error {
	if g == nil {
		return []error{fmt.Errorf("%w: have no genesis", ErrNoConfig)}
	}
	var errs []error
	if g.Config == nil {
		errs = append(errs, fmt.Errorf("config: %w: have none, want a chain configuration with chainId, the forks, terminalTotalDifficulty and a clique section", ErrNoConfig))
	} else {
		errs = append(errs, validateConfig(g.Config)...)
	}
	errs = append(errs, validateHeader(g)...)
	if g.Config != nil && g.Alloc != nil {
		errs = append(errs, checkSystemContracts(g)...)
	}

	// Why: Commit and ToBlock panic or fail on accounts without a valid balance.
	errs = append(errs, checkAlloc("alloc", g.Alloc, false)...)
	return errs
}

// validateConfig checks the chain configuration.
func validateConfig(c *params.ChainConfig) []error {
	var errs []error
	// Why: EIP-155 replay protection; ids beyond 64 bits break wallets and tools.
	switch {
	case c.ChainID == nil:
		errs = append(errs, fmt.Errorf("config.chainId: %w: have none, want a positive id that no public chain uses", ErrChainID))
	case c.ChainID.Sign() <= 0 || !c.ChainID.IsUint64():
		errs = append(errs, fmt.Errorf("config.chainId: %w: have %v, want 1..%d, an id that no public chain uses", ErrChainID, c.ChainID, uint64(1<<64-1)))
	}
	// Why: citychain seals Clique blocks only; a second engine section is a
	// copy-paste from an ethash chain and would confuse the reader.
	switch {
	case c.Clique == nil:
		errs = append(errs, fmt.Errorf("config.clique: %w: have no clique section, want {\"period\": seconds, \"epoch\": blocks}, e.g. {\"period\": %d, \"epoch\": %d}", ErrNoClique, DefaultPeriod, DefaultEpoch))
	default:
		errs = append(errs, checkPeriod("config.clique.period", c.Clique.Period)...)
		errs = append(errs, checkEpoch("config.clique.epoch", c.Clique.Epoch)...)
	}
	if c.Ethash != nil {
		errs = append(errs, fmt.Errorf("config.ethash: %w: have an ethash section beside clique, want none; remove \"ethash\"", ErrNoClique))
	}
	// Why: eth.New refuses a configuration without a TTD, and a reachable TTD
	// would end Clique sealing at that block.
	switch ttd := c.TerminalTotalDifficulty; {
	case ttd == nil:
		errs = append(errs, fmt.Errorf("config.terminalTotalDifficulty: %w: have none, want %v: go-ethereum v1.17 refuses a chain without it, and citychain sets this never-reached sentinel so that every block stays a Clique block", ErrTTD, ttdSentinel))
	case ttd.Cmp(minTTD) < 0:
		errs = append(errs, fmt.Errorf("config.terminalTotalDifficulty: %w: have %v, want %v: a value below 2^128 could be reached and would end Clique sealing", ErrTTD, ttd, ttdSentinel))
	case ttd.Cmp(ttdSentinel) > 0:
		errs = append(errs, fmt.Errorf("config.terminalTotalDifficulty: %w: have %v, want %v: it must fit in 256 bits", ErrTTD, ttd, ttdSentinel))
	}
	// Why: our engine runs Shanghai, Cancun and Prague in the post-transition
	// format (ADR 044); later timestamp forks and the merge netsplit would halt
	// the chain there.
	forks := checkForks(c)
	forks = append(forks, checkForkSet(ForksOf(c))...)
	forks = append(forks, validateTransition(c)...)
	errs = append(errs, forks...)

	// Why: go-ethereum refuses forks out of order; a fork reported above
	// would also be reported here, out of order, so it is checked alone.
	if err := c.CheckConfigForkOrder(); err != nil && len(forks) == 0 {
		errs = append(errs, fmt.Errorf("config: %w: have %v, want the forks from homesteadBlock to londonBlock activated in this order (all at block 0 for a new chain), then shanghaiTime <= cancunTime <= pragueTime if set", ErrForkOrder, err))
	}
	return errs
}

// checkForks reports every timestamp-scheduled fork (found by reflection so the
// forks a later go-ethereum adds are caught too), mergeNetsplitBlock and
// enableUBTAtGenesis.
func checkForks(c *params.ChainConfig) []error {
	var errs []error
	v := reflect.ValueOf(c).Elem()
	for i, f := range forkTimeFields {
		if p := v.FieldByIndex(f.Index); !p.IsNil() && !transitionFork(forkTimeNames[i]) {
			errs = append(errs, fmt.Errorf("config.%s: %w: have %d, want the field absent: citychain's Clique runs up to Prague (shanghaiTime, cancunTime, pragueTime; ADR 044); remove \"%s\"", forkTimeNames[i], ErrUnsupportedFork, p.Elem().Uint(), forkTimeNames[i]))
		}
	}
	if c.MergeNetsplitBlock != nil {
		errs = append(errs, fmt.Errorf("config.mergeNetsplitBlock: %w: have %v, want the field absent: upstream Clique rejects blocks past the merge netsplit; remove \"mergeNetsplitBlock\"", ErrUnsupportedFork, c.MergeNetsplitBlock))
	}
	if c.EnableUBTAtGenesis {
		errs = append(errs, fmt.Errorf("config.enableUBTAtGenesis: %w: have true, want false: a Clique chain keeps the Merkle-Patricia state trie; remove \"enableUBTAtGenesis\"", ErrUnsupportedFork))
	}
	return errs
}

// forkTimeFields are the *uint64 fields of params.ChainConfig whose JSON names
// end in "Time": the timestamp-scheduled forks. forkTimeNames holds their JSON
// names.
var forkTimeFields, forkTimeNames = func() ([]reflect.StructField, []string) {
	var (
		fields []reflect.StructField
		names  []string
	)
	t := reflect.TypeFor[params.ChainConfig]()
	for i := range t.NumField() {
		f := t.Field(i)
		name := jsonName(f)
		if f.Type == reflect.TypeFor[*uint64]() && strings.HasSuffix(name, "Time") {
			fields = append(fields, f)
			names = append(names, name)
		}
	}
	return fields, names
}()

// validateHeader checks the header fields of the genesis block.
func validateHeader(g *core.Genesis) []error {
	var errs []error
	errs = append(errs, checkGasLimit("gasLimit", g.GasLimit)...)

	// Why: a zero difficulty marks a proof-of-stake block to go-ethereum; a huge
	// one could let the chain reach the terminal total difficulty.
	switch d := g.Difficulty; {
	case d == nil:
		errs = append(errs, fmt.Errorf("difficulty: %w: have none, want \"0x1\"", ErrDifficulty))
	case d.Sign() <= 0 || d.Cmp(maxDifficulty) > 0:
		errs = append(errs, fmt.Errorf("difficulty: %w: have %v, want 1 (any value 1..2^64-1 works, 1 is the Clique convention)", ErrDifficulty, d))
	}
	// Why: the header only carries a base fee from London on.
	if g.BaseFee != nil {
		if g.Config != nil && !g.Config.IsLondon(common.Big0) {
			errs = append(errs, fmt.Errorf("baseFeePerGas: %w: have %v with London not active at block 0 (config.londonBlock %v), want no baseFeePerGas, or londonBlock 0", ErrBaseFee, g.BaseFee, londonBlock(g.Config)))
		}
		errs = append(errs, checkBaseFee("baseFeePerGas", g.BaseFee)...)
	}
	errs = append(errs, checkExtra("extraData", g.ExtraData)...)

	// Why: these fields exist for consensus tests or post-Cancun headers; set,
	// they make go-ethereum versions disagree on the genesis hash or refuse it.
	if g.Number != 0 {
		errs = append(errs, fmt.Errorf("number: %w: have %d, want 0 (a genesis is block 0); remove \"number\"", ErrUnsupportedField, g.Number))
	}
	if g.GasUsed != 0 {
		errs = append(errs, fmt.Errorf("gasUsed: %w: have %d, want 0 (a genesis has no transactions); remove \"gasUsed\"", ErrUnsupportedField, g.GasUsed))
	}
	if g.ParentHash != (common.Hash{}) {
		errs = append(errs, fmt.Errorf("parentHash: %w: have %s, want the zero hash (a genesis has no parent); remove \"parentHash\"", ErrUnsupportedField, g.ParentHash.Hex()))
	}
	for _, f := range []struct {
		name string
		val  *uint64
	}{{"excessBlobGas", g.ExcessBlobGas}, {"blobGasUsed", g.BlobGasUsed}, {"slotNumber", g.SlotNumber}} {
		// Why: go-ethereum writes zero blob fields into a genesis under Cancun
		// (core.ReadGenesis gives them back), with the same hash as none.
		cancun := g.Config != nil && g.Config.IsCancun(common.Big0, g.Timestamp) && f.name != "slotNumber"
		if f.val != nil && !(cancun && *f.val == 0) {
			errs = append(errs, fmt.Errorf("%s: %w: have %d, want the field absent or null: it belongs to forks a Clique chain never reaches and changes the genesis hash; remove \"%s\"", f.name, ErrUnsupportedField, *f.val, f.name))
		}
	}
	return errs
}

// londonBlock returns the London block of c for messages, "none" if unset.
func londonBlock(c *params.ChainConfig) string {
	if c.LondonBlock == nil {
		return "none"
	}
	return c.LondonBlock.String()
}

// checkPeriod checks a Clique block period in seconds.
func checkPeriod(field string, period uint64) []error {
	if period > MaxPeriod {
		return []error{fmt.Errorf("%s: %w: have %d, want 0..%d seconds (0 seals a block only when transactions are pending)", field, ErrPeriod, period, MaxPeriod)}
	}
	return nil
}

// checkEpoch checks a Clique epoch length in blocks.
func checkEpoch(field string, epoch uint64) []error {
	switch {
	case epoch == 0:
		return []error{fmt.Errorf("%s: %w: have 0, want 1..%d blocks (%d is usual); upstream Clique would silently use %d", field, ErrEpoch, MaxEpoch, DefaultEpoch, DefaultEpoch)}
	case epoch > MaxEpoch:
		return []error{fmt.Errorf("%s: %w: have %d, want 1..%d blocks (%d is usual)", field, ErrEpoch, epoch, MaxEpoch, DefaultEpoch)}
	}
	return nil
}

// checkGasLimit checks a block gas limit.
func checkGasLimit(field string, limit uint64) []error {
	if limit < params.MinGasLimit || limit > params.MaxGasLimit {
		return []error{fmt.Errorf("%s: %w: have %d, want %d..%d (%d is usual)", field, ErrGasLimit, limit, params.MinGasLimit, params.MaxGasLimit, DefaultGasLimit)}
	}
	return nil
}

// checkBaseFee checks that a base fee is a 256-bit unsigned value.
func checkBaseFee(field string, fee *big.Int) []error {
	if fee.Sign() < 0 || fee.BitLen() > 256 {
		return []error{fmt.Errorf("%s: %w: have %v, want 0..2^256-1 wei (%d is go-ethereum's initial base fee)", field, ErrBaseFee, fee, params.InitialBaseFee)}
	}
	return nil
}

// checkExtra checks the Clique extra-data layout and the signers it lists.
func checkExtra(field string, extra []byte) []error {
	if len(extra) < ExtraVanity+ExtraSeal {
		return []error{fmt.Errorf("%s: %w: have %d bytes, want %d bytes of vanity, 20 bytes per signer and %d bytes of seal (at least %d bytes with one signer)", field, ErrExtraData, len(extra), ExtraVanity, ExtraSeal, ExtraVanity+common.AddressLength+ExtraSeal)}
	}
	if n := len(extra) - ExtraVanity - ExtraSeal; n%common.AddressLength != 0 {
		return []error{fmt.Errorf("%s: %w: have %d bytes between the %d-byte vanity and the %d-byte seal, want a multiple of %d (one address per signer)", field, ErrExtraData, n, ExtraVanity, ExtraSeal, common.AddressLength)}
	}
	signers, _ := Signers(&core.Genesis{ExtraData: extra})
	return checkSigners(field, signers)
}

// checkSigners checks a signer list: not empty, no zero address, no duplicate.
func checkSigners(field string, signers []common.Address) []error {
	if len(signers) == 0 {
		return []error{fmt.Errorf("%s: %w: have 0 signers, want at least one signer address", field, ErrNoSigners)}
	}
	var errs []error
	seen := make(map[common.Address]int, len(signers))
	for i, s := range signers {
		if s == (common.Address{}) {
			errs = append(errs, fmt.Errorf("%s: %w: have signer %d = %s, want the address of a key a sealer holds", field, ErrZeroSigner, i, s.Hex()))
			continue
		}
		if j, ok := seen[s]; ok {
			errs = append(errs, fmt.Errorf("%s: %w: have signer %d and signer %d both %s, want each signer listed once", field, ErrDuplicateSigner, j, i, s.Hex()))
			continue
		}
		seen[s] = i
	}
	return errs
}

// checkAlloc checks that every account has a balance that fits in 256 bits
// and, unless allowNil, that the allocation is present.
func checkAlloc(field string, alloc types.GenesisAlloc, allowNil bool) []error {
	if alloc == nil {
		if allowNil {
			return nil
		}
		return []error{fmt.Errorf("%s: %w: have none, want an object of accounts ({} for none)", field, ErrAlloc)}
	}
	var errs []error
	for _, addr := range slices.SortedFunc(maps.Keys(alloc), common.Address.Cmp) {
		switch b := alloc[addr].Balance; {
		case b == nil:
			errs = append(errs, fmt.Errorf("%s[%s].balance: %w: have none, want a balance in wei (\"0x0\" for none)", field, addr.Hex(), ErrAlloc))
		case b.Sign() < 0 || b.BitLen() > 256:
			errs = append(errs, fmt.Errorf("%s[%s].balance: %w: have %v, want 0..2^256-1 wei", field, addr.Hex(), ErrAlloc, b))
		}
	}
	return errs
}
