package params

import (
	"bytes"
	"encoding/json"
	"io/fs"
	"maps"
	"math/big"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	gethparams "github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/triedb"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/predeploy"
	"github.com/citychain/citychain/genesis"
)

// goldenPresets pins the genesis hash and the chain configuration (which the
// hash does not cover) of every preset. Regenerate it on purpose, after a
// deliberate change of a preset, with
//
//	UPDATE_GOLDEN=1 go test ./params
const goldenPresets = "testdata/presets.golden.json"

// presetsByName is every preset by name: one function per network (a lookup
// by name belongs in the code when a second network exists to choose).
var presetsByName = map[string]func() *core.Genesis{
	"dev": Dev,
}

func presetNames() []string { return slices.Sorted(maps.Keys(presetsByName)) }

// golden is what goldenPresets pins of one preset.
type golden struct {
	GenesisHash common.Hash             `json:"genesisHash"`
	Config      *gethparams.ChainConfig `json:"config"`
}

func TestPresetsGolden(t *testing.T) {
	have := make(map[string]golden)
	for _, name := range presetNames() {
		g := presetsByName[name]()
		have[name] = golden{GenesisHash: g.ToBlock().Hash(), Config: g.Config}
	}
	haveJSON, err := json.MarshalIndent(have, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	haveJSON = append(haveJSON, '\n')
	if os.Getenv("UPDATE_GOLDEN") != "" {
		if err := os.WriteFile(goldenPresets, haveJSON, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s", goldenPresets)
	}
	wantJSON, err := os.ReadFile(goldenPresets)
	if err != nil {
		t.Fatalf("%v (create it with UPDATE_GOLDEN=1 go test ./params)", err)
	}
	var want map[string]golden
	if err := json.Unmarshal(wantJSON, &want); err != nil {
		t.Fatalf("%s: %v", goldenPresets, err)
	}
	for _, name := range presetNames() {
		if have[name].GenesisHash != want[name].GenesisHash {
			t.Errorf("preset %s: genesis hash %s, want %s", name, have[name].GenesisHash.Hex(), want[name].GenesisHash.Hex())
		}
	}
	if !bytes.Equal(haveJSON, wantJSON) {
		t.Errorf("presets differ from %s (if they changed on purpose, run UPDATE_GOLDEN=1 go test ./params):\nhave %s", goldenPresets, haveJSON)
	}
}

// TestPresets checks that every preset is valid and runs on go-ethereum: it
// commits to a database and gets a consensus engine.
func TestPresets(t *testing.T) {
	for _, name := range presetNames() {
		t.Run(name, func(t *testing.T) {
			g := presetsByName[name]()
			if err := genesis.Validate(g); err != nil {
				t.Fatalf("Validate: %v", err)
			}
			db := rawdb.NewMemoryDatabase()
			block, err := g.Commit(db, triedb.NewDatabase(db, triedb.HashDefaults), nil)
			if err != nil {
				t.Fatalf("Commit: %v", err)
			}
			if block.Hash() != g.ToBlock().Hash() {
				t.Errorf("committed hash %x differs from ToBlock's", block.Hash())
			}
			if _, err := ethconfig.CreateConsensusEngine(g.Config, db); err != nil {
				t.Errorf("CreateConsensusEngine: %v", err)
			}
		})
	}
}

// TestPresetFiles checks that every embedded preset file has a network and
// every network a file.
func TestPresetFiles(t *testing.T) {
	files, err := fs.Glob(presets, "presets/*.json")
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, strings.TrimSuffix(filepath.Base(f), ".json"))
	}
	slices.Sort(names)
	if !slices.Equal(names, presetNames()) {
		t.Errorf("preset files %v, networks %v: want one network per file", names, presetNames())
	}
}

// TestDev checks the dev preset against its documentation, by building the
// same chain from its description: the base preset and the registry.
func TestDev(t *testing.T) {
	accounts := genesis.DevAccounts(10)
	spec := genesis.Spec{
		ChainID:   1337,
		Period:    1,
		Epoch:     30_000,
		GasLimit:  30_000_000,
		Signers:   []common.Address{accounts[0].Address},
		Alloc:     types.GenesisAlloc{},
		Timestamp: 0,
		BaseFee:   big.NewInt(gethparams.InitialBaseFee),
	}
	million := new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(gethparams.Ether))
	for _, a := range accounts {
		spec.Alloc[a.Address] = types.Account{Balance: million}
	}
	want, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	registry, err := predeploy.Alloc(DevRegistry())
	if err != nil {
		t.Fatal(err)
	}
	if err := genesis.AddAlloc(want, registry); err != nil {
		t.Fatal(err)
	}
	dev := Dev()
	haveJSON, _ := json.MarshalIndent(dev, "", "  ")
	wantJSON, _ := json.MarshalIndent(want, "", "  ")
	if !bytes.Equal(haveJSON, wantJSON) || dev.ToBlock().Hash() != want.ToBlock().Hash() {
		t.Fatalf("presets/dev.json differs from its description:\nhave %s\nwant %s", haveJSON, wantJSON)
	}
	signers, err := genesis.Signers(dev)
	if err != nil || !slices.Equal(signers, spec.Signers) {
		t.Errorf("signers: have %v, %v; want dev account 0", signers, err)
	}
}

// TestDevComposable checks that each call returns a fresh genesis that callers
// may extend without changing the preset.
func TestDevComposable(t *testing.T) {
	base := Dev().ToBlock().Hash()
	g := Dev()
	contract := common.HexToAddress("0xc170000000000000000000000000000000000001")
	if err := genesis.AddAlloc(g, types.GenesisAlloc{contract: {Code: []byte{0x00}, Balance: new(big.Int)}}); err != nil {
		t.Fatal(err)
	}
	if err := genesis.Validate(g); err != nil {
		t.Fatalf("extended preset: %v", err)
	}
	if g.ToBlock().Hash() == base {
		t.Error("adding an account did not change the genesis hash")
	}
	if have := Dev(); have.ToBlock().Hash() != base {
		t.Error("extending one Dev genesis changed the next")
	}
}

// The hashes geth 1.13.15 computes for the base dev preset, presets/dev.json,
// and for Dev(), the base preset with the registry, are in
// testdata/*.geth-1.13.15-hash beside geth's dumpgenesis of each: geth's
// console read them back after `geth --datadir d init` of the preset
// (UPDATE_GOLDEN=1 with geth 1.13.15 rewrites all four files from geth:
// scripts/update-genesis-golden.sh).

// TestDevGeth113 checks that the dev genesis, with and without the registry,
// is the one geth 1.13.15 makes from the same file, and that the genesis geth
// 1.13 dumps decodes unchanged, as a Clique network moving from geth 1.13
// needs.
func TestDevGeth113(t *testing.T) {
	tests := []struct {
		name   string
		preset *core.Genesis
		hash   string // the file holding geth's hash, then the hash
		dump   string
	}{
		{"base", mustLoad("dev"), "testdata/dev.geth-1.13.15-hash", "testdata/dev.geth-1.13.15-dumpgenesis.json"},
		{"with registry", Dev(), "testdata/dev-registry.geth-1.13.15-hash", "testdata/dev-registry.geth-1.13.15-dumpgenesis.json"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if os.Getenv("UPDATE_GOLDEN") != "" {
				updateGeth113(t, tt.preset, tt.hash, tt.dump)
			}
			tt.hash = readGeth113Hash(t, tt.hash)
			if have := tt.preset.ToBlock().Hash(); have != common.HexToHash(tt.hash) {
				t.Errorf("dev genesis hash %s, geth 1.13.15 computes %s", have.Hex(), tt.hash)
			}
			dumped, err := genesis.Load(tt.dump)
			if err != nil {
				t.Fatal(err)
			}
			if have := dumped.ToBlock().Hash(); have != common.HexToHash(tt.hash) {
				t.Errorf("geth 1.13.15 dump decodes to hash %s, want %s", have.Hex(), tt.hash)
			}
			haveJSON, _ := json.Marshal(dumped)
			wantJSON, _ := json.Marshal(tt.preset)
			if !bytes.Equal(haveJSON, wantJSON) {
				t.Errorf("geth 1.13.15 dump differs from the preset:\nhave %s\nwant %s", haveJSON, wantJSON)
			}
		})
	}
}

// TestDevRegistry checks the registry of the dev chain: the committed code at
// the fixed addresses and the documented role of each dev account.
func TestDevRegistry(t *testing.T) {
	g := Dev()
	for name, addr := range predeploy.Addresses() {
		if err := contracts.MustLoad(name).CheckRuntime(g.Alloc[addr].Code); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	accounts := genesis.DevAccounts(10)
	cfg := DevRegistry()
	if cfg.Admin != accounts[0].Address {
		t.Errorf("admin: have %s, want dev account 0", cfg.Admin.Hex())
	}
	roles := map[common.Address]string{}
	for _, d := range cfg.Departments {
		for _, a := range d.Accounts {
			for _, r := range a.Roles {
				roles[a.Address] = d.Code + " " + r.String()
			}
		}
	}
	want := []string{"", "CIVIL issuer", "LAND registrar", "MARKETS market-operator", "PARTICIPATION poll-admin", "PARTICIPATION relayer", "", "", "", ""}
	for i, a := range accounts {
		if roles[a.Address] != want[i] {
			t.Errorf("dev account %d: have %q, want %q", i, roles[a.Address], want[i])
		}
	}
	if cfg.Departments[0].Signers[0] != accounts[0].Address {
		t.Errorf("signer department: have %v, want CITYHALL with dev account 0", cfg.Departments[0])
	}
}
