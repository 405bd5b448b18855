package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"
)

// signer maps a test label ("A", "B", ...) to a dev account address.
func signer(label string) common.Address {
	return DevAccounts(8)[label[0]-'A'].Address
}

// testSpec returns a valid spec with signers C, A, B (deliberately unsorted)
// and one funded account.
func testSpec() Spec {
	s := DefaultSpec()
	s.ChainID = 4242
	s.Signers = []common.Address{signer("C"), signer("A"), signer("B")}
	s.Alloc = types.GenesisAlloc{signer("A"): {Balance: big.NewInt(1e18)}}
	s.Timestamp = 1_700_000_000
	return s
}

// testGenesis returns the genesis built from testSpec.
func testGenesis(t testing.TB) *core.Genesis {
	t.Helper()
	g, err := Build(testSpec())
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return g
}

// problems returns the individual problems of an error of this package.
func problems(err error) []error {
	if m, ok := err.(interface{ Unwrap() []error }); ok {
		return m.Unwrap()
	}
	return []error{err}
}

// checkProblem fails unless err is a single problem wrapping want whose
// message mentions each of the fragments.
func checkProblem(t *testing.T, err, want error, fragments ...string) {
	t.Helper()
	if err == nil {
		t.Fatalf("have no error, want %v", want)
	}
	if !errors.Is(err, want) {
		t.Fatalf("have error %q, want it to wrap %q", err, want)
	}
	if n := len(problems(err)); n != 1 {
		t.Errorf("have %d problems, want 1: %v", n, err)
	}
	for _, f := range fragments {
		if !strings.Contains(err.Error(), f) {
			t.Errorf("error %q does not mention %q", err, f)
		}
	}
}

func TestBuild(t *testing.T) {
	g := testGenesis(t)
	c := g.Config

	for name, fork := range map[string]*big.Int{
		"homestead": c.HomesteadBlock, "eip150": c.EIP150Block, "eip155": c.EIP155Block,
		"eip158": c.EIP158Block, "byzantium": c.ByzantiumBlock, "constantinople": c.ConstantinopleBlock,
		"petersburg": c.PetersburgBlock, "istanbul": c.IstanbulBlock, "berlin": c.BerlinBlock,
		"london": c.LondonBlock,
	} {
		if fork == nil || fork.Sign() != 0 {
			t.Errorf("%s block: have %v, want 0", name, fork)
		}
	}
	if c.ShanghaiTime != nil || c.CancunTime != nil || c.PragueTime != nil || c.OsakaTime != nil || c.MergeNetsplitBlock != nil {
		t.Errorf("post-London fork set: %v", c)
	}
	if c.TerminalTotalDifficulty.Cmp(TerminalTotalDifficulty()) != 0 {
		t.Errorf("terminal total difficulty: have %v, want %v", c.TerminalTotalDifficulty, TerminalTotalDifficulty())
	}
	if want := new(big.Int).Sub(new(big.Int).Exp(big.NewInt(2), big.NewInt(256), nil), big.NewInt(1)); TerminalTotalDifficulty().Cmp(want) != 0 {
		t.Errorf("TTD sentinel: have %v, want 2^256-1", TerminalTotalDifficulty())
	}
	if c.ChainID.Uint64() != 4242 || c.Clique.Period != DefaultPeriod || c.Clique.Epoch != DefaultEpoch {
		t.Errorf("chain id %v, clique %v: want 4242, period %d, epoch %d", c.ChainID, c.Clique, DefaultPeriod, DefaultEpoch)
	}
	if g.Difficulty.Cmp(common.Big1) != 0 || g.GasLimit != DefaultGasLimit || g.Timestamp != 1_700_000_000 || g.BaseFee != nil {
		t.Errorf("header: difficulty %v, gas limit %d, time %d, base fee %v", g.Difficulty, g.GasLimit, g.Timestamp, g.BaseFee)
	}

	// The extra-data: zero vanity, signers ascending, zero seal.
	want := []common.Address{signer("A"), signer("B"), signer("C")}
	slices.SortFunc(want, func(a, b common.Address) int { return a.Cmp(b) })
	if len(g.ExtraData) != ExtraVanity+3*common.AddressLength+ExtraSeal {
		t.Fatalf("extra-data length: have %d, want %d", len(g.ExtraData), ExtraVanity+3*common.AddressLength+ExtraSeal)
	}
	if !bytes.Equal(g.ExtraData[:ExtraVanity], make([]byte, ExtraVanity)) || !bytes.Equal(g.ExtraData[len(g.ExtraData)-ExtraSeal:], make([]byte, ExtraSeal)) {
		t.Errorf("vanity or seal not zero: %x", g.ExtraData)
	}
	have, err := Signers(g)
	if err != nil {
		t.Fatalf("Signers: %v", err)
	}
	if !slices.Equal(have, want) {
		t.Errorf("signers: have %v, want %v", have, want)
	}
}

func TestBuildCopiesSpec(t *testing.T) {
	s := testSpec()
	s.BaseFee = big.NewInt(7)
	g, err := Build(s)
	if err != nil {
		t.Fatal(err)
	}
	s.Alloc[signer("A")].Balance.SetInt64(1)
	s.Alloc[signer("D")] = types.Account{Balance: big.NewInt(1)}
	s.BaseFee.SetInt64(8)
	s.Signers[0] = signer("E")
	if b := g.Alloc[signer("A")].Balance; b.Cmp(big.NewInt(1e18)) != 0 {
		t.Errorf("balance changed with the spec: have %v, want 1e18", b)
	}
	if _, ok := g.Alloc[signer("D")]; ok || g.BaseFee.Int64() != 7 {
		t.Errorf("genesis changed with the spec: alloc %v, base fee %v", g.Alloc, g.BaseFee)
	}
	if signers, _ := Signers(g); slices.Contains(signers, signer("E")) {
		t.Errorf("signers changed with the spec: %v", signers)
	}
}

func TestSpecValidate(t *testing.T) {
	if err := testSpec().Validate(); err != nil {
		t.Fatalf("valid spec: %v", err)
	}
	if err := DefaultSpec().Validate(); !errors.Is(err, ErrChainID) || !errors.Is(err, ErrNoSigners) {
		t.Errorf("DefaultSpec: have %v, want chain id and signers reported missing", err)
	}
	tests := []struct {
		name   string
		modify func(*Spec)
		want   error
		field  string
	}{
		{"no chain id", func(s *Spec) { s.ChainID = 0 }, ErrChainID, "Spec.ChainID"},
		{"period too long", func(s *Spec) { s.Period = MaxPeriod + 1 }, ErrPeriod, "Spec.Period"},
		{"epoch 0", func(s *Spec) { s.Epoch = 0 }, ErrEpoch, "Spec.Epoch"},
		{"epoch too long", func(s *Spec) { s.Epoch = MaxEpoch + 1 }, ErrEpoch, "Spec.Epoch"},
		{"gas limit too low", func(s *Spec) { s.GasLimit = params.MinGasLimit - 1 }, ErrGasLimit, "Spec.GasLimit"},
		{"gas limit too high", func(s *Spec) { s.GasLimit = params.MaxGasLimit + 1 }, ErrGasLimit, "Spec.GasLimit"},
		{"no signers", func(s *Spec) { s.Signers = nil }, ErrNoSigners, "Spec.Signers"},
		{"duplicate signer", func(s *Spec) { s.Signers = append(s.Signers, signer("A")) }, ErrDuplicateSigner, "Spec.Signers"},
		{"zero signer", func(s *Spec) { s.Signers = append(s.Signers, common.Address{}) }, ErrZeroSigner, "Spec.Signers"},
		{"negative base fee", func(s *Spec) { s.BaseFee = big.NewInt(-1) }, ErrBaseFee, "Spec.BaseFee"},
		{"account without balance", func(s *Spec) { s.Alloc[signer("B")] = types.Account{Nonce: 1} }, ErrAlloc, "Spec.Alloc[" + signer("B").Hex() + "].balance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := testSpec()
			tt.modify(&s)
			checkProblem(t, s.Validate(), tt.want, tt.field)
			if _, err := Build(s); !errors.Is(err, tt.want) {
				t.Errorf("Build: have %v, want %v", err, tt.want)
			}
		})
	}
}

func TestValidate(t *testing.T) {
	big2 := func(exp uint) *big.Int { return new(big.Int).Lsh(common.Big1, exp) }
	extra := func(signers ...common.Address) []byte { return encodeExtra(signers) }

	tests := []struct {
		name   string
		modify func(*core.Genesis)
		want   error
		field  string // the field the message must name
	}{
		{"no config", func(g *core.Genesis) { g.Config = nil }, ErrNoConfig, "config"},
		{"no clique section", func(g *core.Genesis) { g.Config.Clique = nil }, ErrNoClique, "config.clique"},
		{"ethash beside clique", func(g *core.Genesis) { g.Config.Ethash = new(params.EthashConfig) }, ErrNoClique, "config.ethash"},
		{"no chain id", func(g *core.Genesis) { g.Config.ChainID = nil }, ErrChainID, "config.chainId"},
		{"chain id 0", func(g *core.Genesis) { g.Config.ChainID = new(big.Int) }, ErrChainID, "config.chainId"},
		{"negative chain id", func(g *core.Genesis) { g.Config.ChainID = big.NewInt(-1) }, ErrChainID, "config.chainId"},
		{"chain id beyond 64 bits", func(g *core.Genesis) { g.Config.ChainID = big2(64) }, ErrChainID, "config.chainId"},
		{"period too long", func(g *core.Genesis) { g.Config.Clique.Period = MaxPeriod + 1 }, ErrPeriod, "config.clique.period"},
		{"epoch 0", func(g *core.Genesis) { g.Config.Clique.Epoch = 0 }, ErrEpoch, "config.clique.epoch"},
		{"epoch absurd", func(g *core.Genesis) { g.Config.Clique.Epoch = 1 << 40 }, ErrEpoch, "config.clique.epoch"},
		{"no signers", func(g *core.Genesis) { g.ExtraData = extra() }, ErrNoSigners, "extraData"},
		{"duplicate signers", func(g *core.Genesis) { g.ExtraData = extra(signer("A"), signer("B"), signer("A")) }, ErrDuplicateSigner, "extraData"},
		{"zero signer", func(g *core.Genesis) { g.ExtraData = extra(signer("A"), common.Address{}) }, ErrZeroSigner, "extraData"},
		{"no extra-data", func(g *core.Genesis) { g.ExtraData = nil }, ErrExtraData, "extraData"},
		{"vanity only", func(g *core.Genesis) { g.ExtraData = make([]byte, ExtraVanity) }, ErrExtraData, "extraData"},
		{"signer list not a multiple of 20", func(g *core.Genesis) { g.ExtraData = append(extra(signer("A")), 0) }, ErrExtraData, "extraData"},
		{"seal missing", func(g *core.Genesis) {
			g.ExtraData = extra(signer("A"), signer("B"), signer("C"), signer("D"))[:ExtraVanity+4*common.AddressLength]
		}, ErrExtraData, "extraData"},
		{"no terminal total difficulty", func(g *core.Genesis) { g.Config.TerminalTotalDifficulty = nil }, ErrTTD, "config.terminalTotalDifficulty"},
		{"terminal total difficulty 0", func(g *core.Genesis) { g.Config.TerminalTotalDifficulty = new(big.Int) }, ErrTTD, "config.terminalTotalDifficulty"},
		{"reachable terminal total difficulty", func(g *core.Genesis) {
			g.Config.TerminalTotalDifficulty = new(big.Int).Sub(big2(128), common.Big1)
		}, ErrTTD, "config.terminalTotalDifficulty"},
		{"terminal total difficulty beyond 256 bits", func(g *core.Genesis) { g.Config.TerminalTotalDifficulty = big2(256) }, ErrTTD, "config.terminalTotalDifficulty"},
		{"merge netsplit block", func(g *core.Genesis) { g.Config.MergeNetsplitBlock = big.NewInt(0) }, ErrUnsupportedFork, "config.mergeNetsplitBlock"},
		{"binary trie at genesis", func(g *core.Genesis) { g.Config.EnableUBTAtGenesis = true }, ErrUnsupportedFork, "config.enableUBTAtGenesis"},
		{"fork order", func(g *core.Genesis) { g.Config.BerlinBlock = nil }, ErrForkOrder, "berlinBlock"},
		{"blob schedule", func(g *core.Genesis) { g.Config.BlobScheduleConfig = new(params.BlobScheduleConfig) }, ErrUnsupportedField, "config.blobSchedule"},
		{"cancunTime without shanghaiTime", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.ShanghaiTime = nil
		}, ErrForkOrder, "config.cancunTime"},
		{"pragueTime without cancunTime", func(g *core.Genesis) {
			transition(t, g, Forks{Shanghai: u64(0), Prague: u64(0)})
		}, ErrForkOrder, "config.pragueTime"},
		{"cancunTime before shanghaiTime", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.ShanghaiTime = u64(10)
		}, ErrForkOrder, "config.cancunTime"},
		{"cancunTime without a blob schedule", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.BlobScheduleConfig = nil
		}, ErrUnsupportedField, "config.blobSchedule.cancun"},
		{"pragueTime without its blob schedule", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.BlobScheduleConfig.Prague = nil
		}, ErrUnsupportedField, "config.blobSchedule.prague"},
		{"blob schedule beyond Prague", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.BlobScheduleConfig.BPO1 = params.DefaultBPO1BlobConfig
		}, ErrUnsupportedField, "config.blobSchedule"},
		{"the transition without londonBlock", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Config.LondonBlock, g.Config.ArrowGlacierBlock, g.Config.GrayGlacierBlock, g.BaseFee = nil, nil, nil, nil
		}, ErrForkOrder, "config.shanghaiTime"},
		{"cancunTime without the beacon roots contract", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			delete(g.Alloc, params.BeaconRootsAddress)
		}, ErrAlloc, "alloc[" + params.BeaconRootsAddress.Hex() + "]"},
		{"pragueTime without the withdrawal queue", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			delete(g.Alloc, params.WithdrawalQueueAddress)
		}, ErrAlloc, "alloc[" + params.WithdrawalQueueAddress.Hex() + "]"},
		{"pragueTime with another contract at the history address", func(g *core.Genesis) {
			transition(t, g, ForksAt(0))
			g.Alloc[params.HistoryStorageAddress] = types.Account{Balance: new(big.Int), Code: []byte{0x00}}
		}, ErrAlloc, "alloc[" + params.HistoryStorageAddress.Hex() + "]"},
		{"base fee before London", func(g *core.Genesis) {
			g.Config.LondonBlock, g.Config.ArrowGlacierBlock, g.Config.GrayGlacierBlock = big.NewInt(5), nil, nil
			g.BaseFee = big.NewInt(params.InitialBaseFee)
		}, ErrBaseFee, "baseFeePerGas"},
		{"base fee without London", func(g *core.Genesis) {
			g.Config.LondonBlock, g.Config.ArrowGlacierBlock, g.Config.GrayGlacierBlock = nil, nil, nil
			g.BaseFee = big.NewInt(params.InitialBaseFee)
		}, ErrBaseFee, "baseFeePerGas"},
		{"negative base fee", func(g *core.Genesis) { g.BaseFee = big.NewInt(-1) }, ErrBaseFee, "baseFeePerGas"},
		{"gas limit too low", func(g *core.Genesis) { g.GasLimit = params.MinGasLimit - 1 }, ErrGasLimit, "gasLimit"},
		{"gas limit too high", func(g *core.Genesis) { g.GasLimit = params.MaxGasLimit + 1 }, ErrGasLimit, "gasLimit"},
		{"no difficulty", func(g *core.Genesis) { g.Difficulty = nil }, ErrDifficulty, "difficulty"},
		{"difficulty 0", func(g *core.Genesis) { g.Difficulty = new(big.Int) }, ErrDifficulty, "difficulty"},
		{"difficulty absurd", func(g *core.Genesis) { g.Difficulty = big2(64) }, ErrDifficulty, "difficulty"},
		{"number", func(g *core.Genesis) { g.Number = 1 }, ErrUnsupportedField, "number"},
		{"gas used", func(g *core.Genesis) { g.GasUsed = 1 }, ErrUnsupportedField, "gasUsed"},
		{"parent hash", func(g *core.Genesis) { g.ParentHash = common.Hash{1} }, ErrUnsupportedField, "parentHash"},
		{"excess blob gas", func(g *core.Genesis) { g.ExcessBlobGas = u64(0) }, ErrUnsupportedField, "excessBlobGas"},
		{"blob gas used", func(g *core.Genesis) { g.BlobGasUsed = u64(0) }, ErrUnsupportedField, "blobGasUsed"},
		{"slot number", func(g *core.Genesis) { g.SlotNumber = u64(0) }, ErrUnsupportedField, "slotNumber"},
		{"no alloc", func(g *core.Genesis) { g.Alloc = nil }, ErrAlloc, "alloc"},
		{"account without balance", func(g *core.Genesis) { g.Alloc[signer("B")] = types.Account{} }, ErrAlloc, "alloc[" + signer("B").Hex() + "].balance"},
		{"negative balance", func(g *core.Genesis) { g.Alloc[signer("B")] = types.Account{Balance: big.NewInt(-1)} }, ErrAlloc, "alloc[" + signer("B").Hex() + "].balance"},
	}
	// Every timestamp-scheduled fork, including those a later go-ethereum adds.
	for _, name := range []string{"shanghaiTime", "cancunTime", "pragueTime", "osakaTime"} {
		if !slices.Contains(forkTimeNames, name) {
			t.Errorf("fork %s not among the timestamp forks %v", name, forkTimeNames)
		}
	}
	for i, name := range forkTimeNames {
		if transitionFork(name) {
			continue // the transition's forks: rows below, and TestValidateAccepts
		}
		tests = append(tests, struct {
			name   string
			modify func(*core.Genesis)
			want   error
			field  string
		}{name, func(g *core.Genesis) {
			reflectSetTime(g.Config, forkTimeFields[i].Index, 0)
		}, ErrUnsupportedFork, "config." + name})
	}

	if err := Validate(testGenesis(t)); err != nil {
		t.Fatalf("valid genesis: %v", err)
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testGenesis(t)
			tt.modify(g)
			checkProblem(t, Validate(g), tt.want, tt.field, "have", "want")
		})
	}
}

// TestValidateAccepts lists genesis variants that are unusual but valid,
// mostly those of Clique networks created with earlier geth versions.
func TestValidateAccepts(t *testing.T) {
	tests := []struct {
		name   string
		modify func(*core.Genesis)
	}{
		{"period 0", func(g *core.Genesis) { g.Config.Clique.Period = 0 }},
		{"longest period and epoch", func(g *core.Genesis) { g.Config.Clique.Period, g.Config.Clique.Epoch = MaxPeriod, MaxEpoch }},
		{"unsorted signers and a vanity", func(g *core.Genesis) {
			g.ExtraData = encodeExtra([]common.Address{signer("C"), signer("A")})
			copy(g.ExtraData, "city of example")
		}},
		{"London after genesis, no base fee", func(g *core.Genesis) {
			g.Config.LondonBlock, g.Config.ArrowGlacierBlock, g.Config.GrayGlacierBlock = big.NewInt(1000), nil, nil
		}},
		{"base fee 0", func(g *core.Genesis) { g.BaseFee = new(big.Int) }},
		{"lowest unreachable terminal total difficulty", func(g *core.Genesis) { g.Config.TerminalTotalDifficulty = new(big.Int).Set(minTTD) }},
		{"difficulty 2", func(g *core.Genesis) { g.Difficulty = big.NewInt(2) }},
		{"empty alloc", func(g *core.Genesis) { g.Alloc = types.GenesisAlloc{} }},
		// The transition of ADR 044.
		{"shanghaiTime only", func(g *core.Genesis) { transition(t, g, Forks{Shanghai: u64(0)}) }},
		{"Shanghai, Cancun and Prague at genesis", func(g *core.Genesis) { transition(t, g, ForksAt(0)) }},
		{"Shanghai, Cancun and Prague in the future, one after the other", func(g *core.Genesis) {
			transition(t, g, Forks{Shanghai: u64(2_000_000_000), Cancun: u64(2_000_000_100), Prague: u64(2_000_000_200)})
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := testGenesis(t)
			tt.modify(g)
			if err := Validate(g); err != nil {
				t.Fatalf("have %v, want no error", err)
			}
		})
	}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	g := testGenesis(t)
	g.Config.Clique.Period = MaxPeriod + 1
	g.Config.TerminalTotalDifficulty = nil
	g.Config.OsakaTime = new(uint64)
	g.GasLimit = 0
	err := Validate(g)
	for _, want := range []error{ErrPeriod, ErrTTD, ErrUnsupportedFork, ErrGasLimit} {
		if !errors.Is(err, want) {
			t.Errorf("have %v, want it to report %v", err, want)
		}
	}
	if n := len(problems(err)); n != 4 {
		t.Errorf("have %d problems, want 4: %v", n, err)
	}
	if !strings.HasPrefix(err.Error(), "4 problems:\n") {
		t.Errorf("message %q does not start by counting the problems", err)
	}
}

func TestSigners(t *testing.T) {
	want := []common.Address{signer("B"), signer("A")}
	have, err := Signers(&core.Genesis{ExtraData: encodeExtra(want)})
	if err != nil || !slices.Equal(have, want) {
		t.Errorf("have %v, %v; want %v in extra-data order", have, err, want)
	}
	for _, extra := range [][]byte{nil, make([]byte, ExtraVanity+ExtraSeal-1), make([]byte, ExtraVanity+ExtraSeal+1)} {
		if _, err := Signers(&core.Genesis{ExtraData: extra}); !errors.Is(err, ErrExtraData) {
			t.Errorf("%d bytes: have %v, want %v", len(extra), err, ErrExtraData)
		}
	}
}

// TestEngine checks that go-ethereum v1.17 accepts a built genesis the way
// eth.New uses it: committed to a database, given to the consensus engine
// factory (which refuses a chain without a terminal total difficulty) and
// opened as a blockchain.
func TestEngine(t *testing.T) {
	g := testGenesis(t)
	db := rawdb.NewMemoryDatabase()
	block, err := g.Commit(db, triedb.NewDatabase(db, triedb.HashDefaults), nil)
	if err != nil {
		t.Fatalf("Commit: %v", err)
	}
	if have, want := block.Hash(), g.ToBlock().Hash(); have != want {
		t.Errorf("committed hash %x, ToBlock hash %x", have, want)
	}
	if block.BaseFee() == nil || block.BaseFee().Uint64() != params.InitialBaseFee {
		t.Errorf("genesis base fee: have %v, want %d", block.BaseFee(), params.InitialBaseFee)
	}
	engine, err := ethconfig.CreateConsensusEngine(g.Config, db)
	if err != nil {
		t.Fatalf("CreateConsensusEngine: %v", err)
	}
	chain, err := core.NewBlockChain(db, g, engine, core.DefaultConfig())
	if err != nil {
		t.Fatalf("NewBlockChain: %v", err)
	}
	defer chain.Stop()
	if have := chain.CurrentBlock().Hash(); have != block.Hash() {
		t.Errorf("head: have %x, want the genesis %x", have, block.Hash())
	}
	if author, err := engine.Author(block.Header()); err == nil && author != (common.Address{}) {
		t.Logf("genesis author %s", author.Hex())
	}

	// The reason for the sentinel: without it go-ethereum builds no engine.
	g.Config.TerminalTotalDifficulty = nil
	if _, err := ethconfig.CreateConsensusEngine(g.Config, rawdb.NewMemoryDatabase()); err == nil {
		t.Error("CreateConsensusEngine accepted a chain without terminal total difficulty; the sentinel may no longer be needed")
	}
}

func TestRoundTrip(t *testing.T) {
	g := testGenesis(t)
	data, err := json.MarshalIndent(g, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	decoded, err := Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("Decode: %v\n%s", err, data)
	}
	if have, want := decoded.ToBlock().Hash(), g.ToBlock().Hash(); have != want {
		t.Errorf("hash after round trip: have %x, want %x", have, want)
	}
	again, err := json.MarshalIndent(decoded, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, data) {
		t.Errorf("re-encoding differs:\nhave %s\nwant %s", again, data)
	}
}

func TestAddAlloc(t *testing.T) {
	g := testGenesis(t)
	before := g.ToBlock().Hash()
	contract := types.Account{Code: []byte{0x60, 0x00}, Balance: new(big.Int), Storage: map[common.Hash]common.Hash{{1}: {2}}}
	if err := AddAlloc(g, types.GenesisAlloc{signer("D"): contract}); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(g.Alloc[signer("D")].Code, contract.Code) || g.ToBlock().Hash() == before {
		t.Errorf("account not added: %v", g.Alloc)
	}
	contract.Storage[common.Hash{1}] = common.Hash{3}
	if g.Alloc[signer("D")].Storage[common.Hash{1}] != (common.Hash{2}) {
		t.Error("added account shares its storage with the caller's")
	}
	err := AddAlloc(g, types.GenesisAlloc{signer("E"): {Balance: common.Big1}, signer("A"): {Balance: common.Big1}})
	checkProblem(t, err, ErrAlloc, signer("A").Hex(), "already allocated")
	if _, ok := g.Alloc[signer("E")]; ok {
		t.Error("a refused AddAlloc changed the allocation")
	}
	checkProblem(t, AddAlloc(g, types.GenesisAlloc{signer("F"): {}}), ErrAlloc, "balance")
}

func TestDevAccounts(t *testing.T) {
	accounts := DevAccounts(10)
	if len(accounts) != 10 || len(DevAccounts(0)) != 0 || len(DevAccounts(-1)) != 0 {
		t.Fatalf("lengths: have %d, %d, %d; want 10, 0, 0", len(accounts), len(DevAccounts(0)), len(DevAccounts(-1)))
	}
	// Known answers: the key of account i is keccak256("citychain dev account <i>").
	if have, want := accounts[0].Address, common.HexToAddress("0xa0c82D4AC07fd496615a5aCFCbf3D4C62ea991A9"); have != want {
		t.Errorf("account 0: have %s, want %s", have.Hex(), want.Hex())
	}
	if have, want := accounts[9].Address, common.HexToAddress("0x0834C02D0fC8899A896cbEa485Fb1214570Ab3Fe"); have != want {
		t.Errorf("account 9: have %s, want %s", have.Hex(), want.Hex())
	}
	seen := make(map[common.Address]bool)
	for i, a := range accounts {
		if seen[a.Address] {
			t.Errorf("account %d repeats %s", i, a.Address.Hex())
		}
		seen[a.Address] = true
		if a.Address != cryptoAddress(a) {
			t.Errorf("account %d: address does not match its key", i)
		}
		if first := DevAccounts(i + 1)[i]; first.Address != a.Address || !bytes.Equal(crypto.FromECDSA(first.Key), crypto.FromECDSA(a.Key)) {
			t.Errorf("account %d differs between calls", i)
		}
	}
}

// transition schedules f on g with EnableForks, or fails the test.
func transition(t *testing.T, g *core.Genesis, f Forks) {
	t.Helper()
	g.Config.ShanghaiTime, g.Config.CancunTime, g.Config.PragueTime = f.Shanghai, f.Cancun, f.Prague
	g.Config.BlobScheduleConfig = blobSchedule(f)
	for addr, acc := range SystemContracts(f) {
		g.Alloc[addr] = acc
	}
}

// TestEnableForks: a built genesis with the transition validates, its blocks
// from Prague on call contracts that are there, and go-ethereum makes a
// genesis block of the post-transition shape from it.
func TestEnableForks(t *testing.T) {
	spec := DefaultSpec()
	spec.ChainID, spec.Signers = 4242, []common.Address{signer("A")}
	spec.Forks = ForksAt(0)
	g, err := Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	for _, addr := range []common.Address{params.BeaconRootsAddress, params.HistoryStorageAddress, params.WithdrawalQueueAddress, params.ConsolidationQueueAddress} {
		if len(g.Alloc[addr].Code) == 0 {
			t.Errorf("no system contract at %s", addr)
		}
	}
	if len(g.Alloc) != 4 {
		t.Errorf("have %d accounts, want the 4 system contracts", len(g.Alloc))
	}
	head := g.ToBlock().Header()
	if head.WithdrawalsHash == nil || head.ParentBeaconRoot == nil || head.RequestsHash == nil || head.Difficulty.Cmp(common.Big1) != 0 {
		t.Errorf("genesis header: %+v", head)
	}
	// Enabling twice keeps the allocation (same contracts) and the times.
	if err := EnableForks(g, ForksAt(0)); err != nil || len(g.Alloc) != 4 {
		t.Errorf("second EnableForks: %v, %d accounts", err, len(g.Alloc))
	}
	spec.Forks = Forks{Cancun: u64(5)}
	if _, err := Build(spec); !errors.Is(err, ErrForkOrder) {
		t.Errorf("Build with Cancun alone: have %v, want %v", err, ErrForkOrder)
	}
}

func u64(v uint64) *uint64 { return &v }
