package predeploy

import (
	"crypto/ecdsa"
	"errors"
	"math/big"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/consensus/ethash"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/state"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/triedb"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/contracts/bindings/directory"
	"github.com/citychain/citychain/contracts/bindings/documents"
	"github.com/citychain/citychain/contracts/bindings/propertytitles"
	"github.com/citychain/citychain/genesis"
)

func testKey(label string) *ecdsa.PrivateKey {
	k, _ := crypto.ToECDSA(crypto.Keccak256([]byte("predeploy test " + label)))
	return k
}

func testAddr(label string) common.Address { return crypto.PubkeyToAddress(testKey(label).PublicKey) }

func testConfig() Config {
	return Config{
		ChainID: 4242,
		Admin:   testAddr("admin"),
		Departments: []Department{
			{Code: "CIVIL", Name: "Civil Registry", Accounts: []Account{
				{Address: testAddr("issuer"), Roles: []contracts.Role{contracts.RoleIssuer}},
			}, Signers: []common.Address{testAddr("signer1")}},
			{Code: "LAND", Name: "Land Registry", Accounts: []Account{
				{Address: testAddr("registrar"), Roles: []contracts.Role{contracts.RoleRegistrar, contracts.RoleRelayer}},
			}, Signers: []common.Address{testAddr("signer2")}},
		},
	}
}

// TestAllocCode checks that the code at every fixed address is the committed
// artifact's runtime code, byte for byte, and that Alloc is deterministic.
func TestAllocCode(t *testing.T) {
	alloc, err := Alloc(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if len(alloc) != len(Addresses()) {
		t.Errorf("alloc has %d accounts, want %d", len(alloc), len(Addresses()))
	}
	for name, a := range Addresses() {
		acc, ok := alloc[a]
		if !ok {
			t.Fatalf("%s missing at %s", name, a.Hex())
		}
		if err := contracts.MustLoad(name).CheckRuntime(acc.Code); err != nil {
			t.Errorf("%s: %v", name, err)
		}
		if acc.Nonce != 1 {
			t.Errorf("%s: nonce %d, want 1 (EIP-161)", name, acc.Nonce)
		}
	}
	again, err := Alloc(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(alloc, again) {
		t.Error("two Alloc calls of one configuration differ")
	}
	// Fixed addresses are the Deployer's CREATE addresses.
	for nonce, want := range []common.Address{contracts.DirectoryAddress, contracts.DocumentsAddress, contracts.PropertyTitlesAddress} {
		if have := crypto.CreateAddress(contracts.Deployer, uint64(nonce)); have != want {
			t.Errorf("nonce %d: have %s, want %s", nonce, have.Hex(), want.Hex())
		}
	}
	// A change of configuration changes the Directory's storage only.
	cfg := testConfig()
	cfg.Departments[0].Name = "Civil Registry Office"
	other, err := Alloc(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if reflect.DeepEqual(other[contracts.DirectoryAddress], alloc[contracts.DirectoryAddress]) {
		t.Error("renaming a department left the Directory's storage unchanged")
	}
	if !reflect.DeepEqual(other[contracts.DocumentsAddress], alloc[contracts.DocumentsAddress]) {
		t.Error("renaming a department changed Documents")
	}
}

func TestValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Config)
		want   string
	}{
		{"chain id", func(c *Config) { c.ChainID = 0 }, "ChainID"},
		{"admin", func(c *Config) { c.Admin = common.Address{} }, "Admin"},
		{"empty code", func(c *Config) { c.Departments[0].Code = "" }, "want 1 to 32"},
		{"long code", func(c *Config) { c.Departments[0].Code = strings.Repeat("X", 33) }, "want 1 to 32"},
		{"duplicate code", func(c *Config) { c.Departments[1].Code = "CIVIL" }, "code used twice"},
		{"empty name", func(c *Config) { c.Departments[0].Name = "" }, "empty name"},
		{"zero account", func(c *Config) { c.Departments[0].Accounts[0].Address = common.Address{} }, "zero address"},
		{"account in two departments", func(c *Config) { c.Departments[1].Accounts[0].Address = testAddr("issuer") }, "one department only"},
		{"no roles", func(c *Config) { c.Departments[0].Accounts[0].Roles = nil }, "no roles"},
		{"role twice", func(c *Config) {
			c.Departments[0].Accounts[0].Roles = []contracts.Role{contracts.RoleIssuer, contracts.RoleIssuer}
		}, "listed twice"},
		{"role out of range", func(c *Config) { c.Departments[0].Accounts[0].Roles = []contracts.Role{32} }, "below 32"},
		{"signer twice", func(c *Config) { c.Departments[1].Signers[0] = testAddr("signer1") }, "a signer belongs to one department"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			cfg := testConfig()
			tt.change(&cfg)
			_, err := Alloc(cfg)
			if !errors.Is(err, ErrConfig) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("have %v, want %v mentioning %q", err, ErrConfig, tt.want)
			}
		})
	}
	if err := testConfig().Validate(); err != nil {
		t.Fatalf("valid config: %v", err)
	}
	if _, err := Alloc(Config{ChainID: 1, Admin: testAddr("admin")}); err != nil {
		t.Errorf("a registry without departments: %v", err)
	}
}

// TestPredeployMatchesDeployment proves that a pre-deployed registry is the
// registry a deployment by transactions makes: on a London chain (the
// citychain genesis rules) whose genesis holds the pre-deployment, the same
// contracts are deployed and configured by transactions; the code is the
// same, the Directory's storage is identical (same storage root), Documents
// and PropertyTitles hold only their Directory's address, and the same
// actions on both cost the same gas and emit the same events.
func TestPredeployMatchesDeployment(t *testing.T) {
	cfg := testConfig()
	alloc, err := Alloc(cfg)
	if err != nil {
		t.Fatal(err)
	}
	eth := new(big.Int).Exp(big.NewInt(10), big.NewInt(21), nil)
	for _, l := range []string{"admin", "deployer", "issuer", "registrar"} {
		alloc[testAddr(l)] = types.Account{Balance: eth}
	}
	spec := genesis.DefaultSpec()
	spec.ChainID, spec.Signers, spec.Alloc = cfg.ChainID, []common.Address{testAddr("signer1")}, alloc
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	signer := types.LatestSigner(g.Config)
	dir, docs, titles := directory.NewDirectory(), documents.NewDocuments(), propertytitles.NewPropertyTitles()

	// The transactions' addresses: the deployer's nonces 0, 1, 2.
	deployer := testAddr("deployer")
	txDir, txDocs, txTitles := crypto.CreateAddress(deployer, 0), crypto.CreateAddress(deployer, 1), crypto.CreateAddress(deployer, 2)
	doc := documents.DocumentsDocumentData{DocHash: crypto.Keccak256Hash([]byte("doc")), DocType: [32]byte{'X'}, HolderRef: crypto.Keccak256Hash([]byte("holder"))}
	parcel, _ := contracts.Bytes32("P-1")

	var gasUsed = map[string]uint64{}
	db, blocks, receipts := core.GenerateChainWithGenesis(g, ethash.NewFaker(), 3, func(i int, b *core.BlockGen) {
		send := func(from string, to *common.Address, data []byte) {
			tx := types.MustSignNewTx(testKey(from), signer, &types.DynamicFeeTx{
				ChainID: g.Config.ChainID, Nonce: b.TxNonce(testAddr(from)), To: to, Gas: 5_000_000,
				GasFeeCap: new(big.Int).Mul(b.BaseFee(), big.NewInt(2)), GasTipCap: big.NewInt(1), Data: data,
			})
			b.AddTx(tx)
		}
		switch i {
		case 0: // deployment and configuration by transactions
			send("deployer", nil, append(contracts.MustLoad(contracts.DirectoryName).Bytecode, dir.PackConstructor(cfg.Admin)...))
			send("deployer", nil, append(contracts.MustLoad(contracts.DocumentsName).Bytecode, docs.PackConstructor(txDir)...))
			send("deployer", nil, append(contracts.MustLoad(contracts.PropertyTitlesName).Bytecode, titles.PackConstructor(txDir)...))
			for _, d := range cfg.Departments {
				code, _ := contracts.Bytes32(d.Code)
				send("admin", &txDir, dir.PackAddDepartment(code, d.Name))
				for _, a := range d.Accounts {
					for _, r := range a.Roles {
						send("admin", &txDir, dir.PackGrantRole(code, uint8(r), a.Address))
					}
				}
				for _, s := range d.Signers {
					send("admin", &txDir, dir.PackAssignSigner(s, code))
				}
			}
			// The services name the fixed addresses, as in the pre-deployment.
			for _, s := range []Service{{ServiceDirectory, contracts.DirectoryAddress}, {ServiceDocuments, contracts.DocumentsAddress}, {ServicePropertyTitles, contracts.PropertyTitlesAddress}, {ServiceMarketStalls, contracts.MarketStallsAddress}, {ServicePolls, contracts.PollsAddress}, {ServiceAnchors, contracts.AnchorsAddress}} {
				name, _ := contracts.Bytes32(s.Name)
				send("admin", &txDir, dir.PackSetService(name, s.Address))
			}
		case 1: // the same actions on the pre-deployed registry ...
			send("issuer", &contracts.DocumentsAddress, docs.PackIssue(doc))
			send("registrar", &contracts.PropertyTitlesAddress, titles.PackRegister(parcel, []common.Address{testAddr("issuer")}, []uint64{1}))
		case 2: // ... and on the deployed one
			send("issuer", &txDocs, docs.PackIssue(doc))
			send("registrar", &txTitles, titles.PackRegister(parcel, []common.Address{testAddr("issuer")}, []uint64{1}))
		}
	})
	for i, rs := range receipts {
		for j, r := range rs {
			if r.Status != types.ReceiptStatusSuccessful {
				t.Fatalf("block %d transaction %d failed", i+1, j)
			}
		}
	}
	statedb, err := state.New(blocks[len(blocks)-1].Root(), state.NewMPTDatabase(triedb.NewDatabase(db, triedb.HashDefaults), state.NewCodeDB(db)))
	if err != nil {
		t.Fatal(err)
	}
	for _, pair := range [][2]common.Address{{contracts.DirectoryAddress, txDir}, {contracts.DocumentsAddress, txDocs}, {contracts.PropertyTitlesAddress, txTitles}} {
		if string(statedb.GetCode(pair[0])) != string(statedb.GetCode(pair[1])) {
			t.Errorf("code at %s differs from the code deployed at %s", pair[0].Hex(), pair[1].Hex())
		}
	}
	// Blocks 2 and 3 only read the two Directories: their storage is still
	// what the configuration wrote.
	if have, want := statedb.GetStorageRoot(contracts.DirectoryAddress), statedb.GetStorageRoot(txDir); have != want {
		t.Errorf("Directory storage root: pre-deployed %x, deployed by transactions %x", have, want)
	}
	for _, a := range []common.Address{contracts.DocumentsAddress, contracts.PropertyTitlesAddress} {
		if len(alloc[a].Storage) != 1 || alloc[a].Storage[common.Hash{}] != common.BytesToHash(contracts.DirectoryAddress.Bytes()) {
			t.Errorf("%s: genesis storage %v, want only slot 0 = the Directory", a.Hex(), alloc[a].Storage)
		}
	}
	if have := statedb.GetState(txDocs, common.Hash{}); have != common.BytesToHash(txDir.Bytes()) {
		t.Errorf("deployed Documents: slot 0 %x, want its Directory %s", have, txDir.Hex())
	}
	// Same actions, same gas, same events (apart from the emitting address).
	for j := range receipts[1] {
		pre, dep := receipts[1][j], receipts[2][j]
		if pre.GasUsed != dep.GasUsed {
			t.Errorf("action %d: gas %d on the pre-deployed registry, %d on the deployed one", j, pre.GasUsed, dep.GasUsed)
		}
		if len(pre.Logs) == 0 || len(pre.Logs) != len(dep.Logs) {
			t.Fatalf("action %d: %d and %d events", j, len(pre.Logs), len(dep.Logs))
		}
		for k := range pre.Logs {
			if !reflect.DeepEqual(pre.Logs[k].Topics, dep.Logs[k].Topics) || string(pre.Logs[k].Data) != string(dep.Logs[k].Data) {
				t.Errorf("action %d event %d differs", j, k)
			}
		}
		gasUsed[[]string{"issue", "register"}[j]] = pre.GasUsed
	}
	t.Logf("gas on a London chain: %v", gasUsed)
}

// TestAllocAnchors checks the pre-deployed Anchors: its code holds the
// Directory's address (its one immutable), it has no storage until a chain
// is registered, and WithoutAnchors gives the registry of a network made
// before Anchors was pre-deployed: the other accounts unchanged, no Anchors,
// no "anchors" service.
func TestAllocAnchors(t *testing.T) {
	alloc, err := Alloc(testConfig())
	if err != nil {
		t.Fatal(err)
	}
	acc, ok := alloc[contracts.AnchorsAddress]
	if !ok {
		t.Fatalf("no account at %s", contracts.AnchorsAddress.Hex())
	}
	if len(acc.Storage) != 0 {
		t.Errorf("Anchors' genesis storage %v, want none", acc.Storage)
	}
	refs := contracts.MustLoad(contracts.AnchorsName).ImmutableReferences
	if len(refs) != 1 {
		t.Fatalf("Anchors has %d immutables, want 1 (the Directory)", len(refs))
	}
	for _, rs := range refs {
		for _, r := range rs {
			if have := common.BytesToAddress(acc.Code[r.Start : r.Start+r.Length]); have != contracts.DirectoryAddress {
				t.Errorf("Anchors' directory at code byte %d: %s, want %s", r.Start, have.Hex(), contracts.DirectoryAddress.Hex())
			}
		}
	}

	cfg := testConfig()
	cfg.WithoutAnchors = true
	older, err := Alloc(cfg)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := older[contracts.AnchorsAddress]; ok || len(older) != len(alloc)-1 || len(AddressesOf(cfg)) != len(older) {
		t.Errorf("WithoutAnchors: %d accounts (Anchors present: %v), want %d without Anchors", len(older), ok, len(alloc)-1)
	}
	for a, want := range older {
		if a == contracts.DirectoryAddress {
			continue
		}
		if !reflect.DeepEqual(alloc[a], want) {
			t.Errorf("WithoutAnchors changed %s", a.Hex())
		}
	}
	name, _ := contracts.Bytes32(ServiceAnchors)
	slot := func(al types.GenesisAlloc) int {
		n := 0
		for _, v := range al[contracts.DirectoryAddress].Storage {
			if v == common.BytesToHash(contracts.AnchorsAddress.Bytes()) {
				n++
			}
		}
		return n
	}
	if slot(alloc) != 1 || slot(older) != 0 {
		t.Errorf("Directory slots holding Anchors' address (service %x): %d with Anchors, %d without; want 1 and 0", name, slot(alloc), slot(older))
	}
	if len(Services(cfg)) != len(Services(testConfig()))-1 {
		t.Errorf("WithoutAnchors services: %v", Services(cfg))
	}
}
