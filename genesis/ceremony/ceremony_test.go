package ceremony

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/genesis/joinrequest"
)

// testKey returns the key of a label ("LAND", "TAX", ...), the same on every run.
func testKey(label string) *ecdsa.PrivateKey {
	key, err := crypto.ToECDSA(crypto.Keccak256([]byte("ceremony-test-" + label)))
	if err != nil {
		panic(err)
	}
	return key
}

func testAddr(label string) common.Address { return crypto.PubkeyToAddress(testKey(label).PublicKey) }

// TestBuildGolden builds testdata/network.toml and compares the genesis file
// byte for byte with testdata/genesis.golden.json (UPDATE_GOLDEN=1 rewrites
// it): the same config always gives the same bytes.
func TestBuildGolden(t *testing.T) {
	cfg := mustLoad(t, "testdata/network.toml")
	res, again := mustBuild(t, cfg), mustBuild(t, cfg)
	if !bytes.Equal(res.JSON, again.JSON) {
		t.Fatal("two builds of one config differ")
	}
	golden := "testdata/genesis.golden.json"
	if os.Getenv("UPDATE_GOLDEN") == "1" {
		if err := os.WriteFile(golden, res.JSON, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(res.JSON, want) {
		t.Fatalf("genesis differs from %s (run with UPDATE_GOLDEN=1 if the change is meant)", golden)
	}
	// What the genesis must hold.
	g, err := genesis.Decode(bytes.NewReader(res.JSON))
	if err != nil {
		t.Fatal(err)
	}
	sigs, _ := genesis.Signers(g)
	if len(sigs) != 4 {
		t.Errorf("signers: have %d, want 4", len(sigs))
	}
	if have, want := g.Config.Clique.Period, uint64(5); have != want {
		t.Errorf("period: have %d, want %d", have, want)
	}
	for name, addr := range map[string]common.Address{"Directory": contracts.DirectoryAddress, "Polls": contracts.PollsAddress} {
		if len(g.Alloc[addr].Code) == 0 {
			t.Errorf("%s not pre-deployed at %s", name, addr.Hex())
		}
	}
	if have, want := g.Alloc[common.HexToAddress("0x2222222222222222222222222222222222222222")].Balance.String(), "1000000000000000000000"; have != want {
		t.Errorf("funded balance: have %s, want %s", have, want)
	}
	var summary strings.Builder
	res.Summary(&summary)
	for _, want := range []string{"chain id 4690", "Signers:   4", "LAND", res.Hash.Hex(), "departments, ", "Funded:    "} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.String())
		}
	}
}

// TestSignerSources takes each department's signer from an address, a
// keystore file, a keystore directory and a join request, and a relayer's
// role and funds from its keystore directory; the published config names
// every account by its address and gives the same genesis.
func TestSignerSources(t *testing.T) {
	dir := t.TempDir()
	ks3 := keystore.NewKeyStore(filepath.Join(dir, "gate1"), keystore.LightScryptN, keystore.LightScryptP)
	if _, err := ks3.ImportECDSA(testKey("RELAYER"), "pw"); err != nil {
		t.Fatal(err)
	}
	ks := keystore.NewKeyStore(filepath.Join(dir, "tax"), keystore.LightScryptN, keystore.LightScryptP)
	taxAcct, err := ks.ImportECDSA(testKey("TAX"), "pw")
	if err != nil {
		t.Fatal(err)
	}
	ks2 := keystore.NewKeyStore(filepath.Join(dir, "transport"), keystore.LightScryptN, keystore.LightScryptP)
	if _, err := ks2.ImportECDSA(testKey("TRANSPORT"), "pw"); err != nil {
		t.Fatal(err)
	}
	writeJoinRequest(t, filepath.Join(dir, "parks.json"), "PARKS", 4690)
	cfgText := fmt.Sprintf(`chain_id = 4690
[registry]
admin = "0x1111111111111111111111111111111111111111"
[[department]]
code = "LAND"
name = "Land"
signer = "%s"
[[department]]
code = "TAX"
name = "Tax"
keystore = "%s"
[[department]]
code = "TRANSPORT"
name = "Transport"
keystore = "transport"
[[department]]
code = "PARKS"
name = "Parks"
join_request = "parks.json"
[[role]]
department = "PARKS"
keystore = "gate1"
roles = ["relayer"]
[[alloc]]
keystore = "gate1"
balance = "7 ether"
`, testAddr("LAND").Hex(), taxAcct.URL.Path)
	path := filepath.Join(dir, "network.toml")
	if err := os.WriteFile(path, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := mustLoad(t, path)
	res := mustBuild(t, cfg)
	for i, label := range []string{"LAND", "TAX", "TRANSPORT", "PARKS"} {
		if have, want := res.Signers[i].Address, testAddr(label); have != want {
			t.Errorf("signer of %s: have %s, want %s (from %s)", label, have.Hex(), want.Hex(), res.Signers[i].Source)
		}
	}
	if have, want := cfg.Period, uint64(genesis.DefaultPeriod); have != want {
		t.Errorf("default period: have %d, want %d", have, want)
	}
	relayer := testAddr("RELAYER")
	if acct, ok := res.Genesis.Alloc[relayer]; !ok || acct.Balance.String() != "7000000000000000000" {
		t.Errorf("relayer %s from its keystore: alloc %v (present %v), want 7 ether", relayer.Hex(), acct.Balance, ok)
	}
	pub, err := cfg.Published(res.Signers)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(pub), "keystore") || strings.Count(string(pub), relayer.Hex()) != 2 {
		t.Errorf("published config: want every keystore replaced by its address (%s twice):\n%s", relayer.Hex(), pub)
	}
	res2 := mustBuild(t, mustDecode(t, pub))
	if res2.Hash != res.Hash {
		t.Errorf("published config gives genesis %s, want %s", res2.Hash.Hex(), res.Hash.Hex())
	}
	// Without the role grant the registry differs: the keystore's account
	// was granted the role.
	noRole := *cfg
	noRole.Roles = nil
	if res3, err := Build(&noRole); err != nil || res3.Hash == res.Hash {
		t.Errorf("genesis without the relayer's role: %v, same hash %v", err, err == nil && res3.Hash == res.Hash)
	}
}

// writeJoinRequest writes a join request signed by label's key.
func writeJoinRequest(t *testing.T, path, label string, chainID uint64) {
	t.Helper()
	enodeURL := enode.NewV4(&testKey("node-"+label).PublicKey, net.IPv4(10, 0, 0, 5), 30303, 30303).URLv4()
	req, err := joinrequest.New(testKey(label), chainID, common.HexToHash("0x01"), joinrequest.Department{Code: label, Name: label}, enodeURL, time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, req.Encode(), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestBadConfigs: every mistake gets a message naming its key and the fix.
func TestBadConfigs(t *testing.T) {
	base, err := os.ReadFile("testdata/network.toml")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeJoinRequest(t, filepath.Join(dir, "other-chain.json"), "PARKS", 99)
	twoKeys := filepath.Join(dir, "two-keys")
	for _, label := range []string{"A", "B"} {
		ks := keystore.NewKeyStore(twoKeys, keystore.LightScryptN, keystore.LightScryptP)
		if _, err := ks.ImportECDSA(testKey(label), "pw"); err != nil {
			t.Fatal(err)
		}
	}
	tests := []struct {
		name string
		edit func(string) string
		want []string // substrings of the error
	}{
		{"chain id 0", replace("chain_id = 4690", "chain_id = 0"), []string{"chain_id: have 0", "no public chain uses"}},
		{"duplicate signer", replace("0x4a4c0000000000000000000000000000000000a2", "0x4a4c0000000000000000000000000000000000a1"), []string{"department[1] (TAX)", "duplicate signer", "department[0] (LAND)"}},
		{"unknown department", replace(`department = "TRANSPORT"`, `department = "HARBOUR"`), []string{"role[1].department", `unknown department "HARBOUR"`, "LAND, PARKS, TAX, TRANSPORT"}},
		{"no signers", func(s string) string {
			for _, a := range []string{"a1", "a2", "a3", "a4"} {
				s = strings.Replace(s, `signer = "0x4a4c0000000000000000000000000000000000`+a+`"`, "", 1)
			}
			return s
		}, []string{"no signers", "at least one signer"}},
		{"no departments", func(s string) string { return s[:strings.Index(s, "[[department]]")] }, []string{"no departments"}},
		{"shanghai fork", add("shanghai_time = 0"), []string{"shanghai_time", "London rules", "remove"}},
		{"forks table", add("[forks]\ncancun = 1"), []string{"forks.cancun", "London rules"}},
		{"evm cancun", add(`evm = "cancun"`), []string{`evm: have "cancun"`, "london", "prague"}},
		{"evm_time under london", add("evm_time = 1800000000"), []string{"evm_time: have 1800000000", "prague"}},
		{"misspelled key", replace("gas_limit", "gaslimit"), []string{"unknown key gaslimit", "gas_limit"}},
		{"two signer sources", replace(`name = "Tax Office"`, `name = "Tax Office"`+"\nkeystore = \"x\""), []string{"department[1] (TAX)", "both signer and keystore"}},
		{"bad role", replace(`roles = ["market-operator"]`, `roles = ["mayor"]`), []string{"role[1].roles", `unknown role "mayor"`, "issuer"}},
		{"role twice", replace(`roles = ["registrar", "issuer"]`, `roles = ["registrar", "registrar"]`), []string{"role[0].roles", "listed twice"}},
		{"account in two departments", replace(`account = "0x3333333333333333333333333333333333333333"`, `account = "0x2222222222222222222222222222222222222222"`), []string{"role[1].account", `already holds roles for "LAND"`}},
		{"bad balance", replace(`balance = "1000 ether"`, `balance = "1.5 ether"`), []string{"alloc[0].balance", "no decimal point"}},
		{"bad unit", replace(`balance = "1000 ether"`, `balance = "1000 finney"`), []string{"alloc[0].balance", `unit "finney"`, "ether, gwei, wei"}},
		{"funds a contract", replace(`address = "0x3333333333333333333333333333333333333333"`, `address = "`+contracts.DirectoryAddress.Hex()+`"`), []string{"alloc[1].address", "Directory contract"}},
		{"funded twice", replace(`address = "0x3333333333333333333333333333333333333333"`, `address = "0x2222222222222222222222222222222222222222"`), []string{"alloc[1].address", "funded twice"}},
		{"no admin", replace(`admin = "0x1111111111111111111111111111111111111111"`, ``), []string{"registry.admin: missing"}},
		{"bad signer address", replace("0x4a4c0000000000000000000000000000000000a3", "0x4a4c"), []string{"department[2] (TRANSPORT).signer", `have "0x4a4c"`}},
		{"zero signer", replace("0x4a4c0000000000000000000000000000000000a3", "0x0000000000000000000000000000000000000000"), []string{"department[2] (TRANSPORT).signer", "zero address"}},
		{"duplicate code", replace(`code = "TAX"`, `code = "LAND"`), []string{"department[1] (LAND).code", "also the code of department[0]"}},
		{"bad code", replace(`code = "TAX"`, `code = "tax office"`), []string{"department[1] (tax office).code", "A-Z"}},
		{"period too long", replace("period = 5", "period = 7200"), []string{"period: have 7200"}},
		{"epoch 0", replace("epoch = 30000", "epoch = 0"), []string{"epoch: have 0"}},
		{"gas limit too low", replace("gas_limit = 30000000", "gas_limit = 10"), []string{"gas_limit: have 10"}},
		{"join request of another chain", replace(`signer = "0x4a4c0000000000000000000000000000000000a4"`, `join_request = "other-chain.json"`), []string{"department[3] (PARKS).join_request", "chain id 99", "4690"}},
		{"keystore with two keys", replace(`signer = "0x4a4c0000000000000000000000000000000000a4"`, `keystore = "two-keys"`), []string{"department[3] (PARKS).keystore", "holds 2 key files"}},
		{"role account and keystore", replace(`roles = ["market-operator"]`, `roles = ["market-operator"]`+"\nkeystore = \"gate1\""), []string{"role[1]", "both account and keystore"}},
		{"alloc keystore missing", replace(`address = "0x3333333333333333333333333333333333333333"`, `keystore = "nowhere"`), []string{"alloc[1].keystore", "keystore file"}},
		{"missing keystore", replace(`signer = "0x4a4c0000000000000000000000000000000000a4"`, `keystore = "nowhere"`), []string{"department[3] (PARKS).keystore", "keystore file"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := filepath.Join(dir, "network.toml")
			if err := os.WriteFile(path, []byte(tt.edit(string(base))), 0o644); err != nil {
				t.Fatal(err)
			}
			cfg, err := Load(path)
			if err == nil {
				_, err = Build(cfg)
			}
			if err == nil {
				t.Fatal("have no error")
			}
			if !errors.Is(err, ErrConfig) {
				t.Errorf("have %v, want it to wrap ErrConfig", err)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("error lacks %q:\n%v", want, err)
				}
			}
		})
	}
}

func replace(old, new string) func(string) string {
	return func(s string) string {
		if !strings.Contains(s, old) {
			panic("testdata/network.toml lacks " + old)
		}
		return strings.Replace(s, old, new, 1)
	}
}

// add puts lines at the top of the file, before any table.
func add(lines string) func(string) string {
	return func(s string) string {
		if strings.HasPrefix(lines, "[") {
			return s + "\n" + lines + "\n"
		}
		return lines + "\n" + s
	}
}

// TestBuildWithoutAnchors: with `anchors = false` under [registry], the
// config gives, byte for byte, the genesis it gave before Anchors was
// pre-deployed (testdata/genesis-without-anchors.golden.json, the
// genesis.golden.json of that time, never regenerated), which then verifies;
// the only account it lacks is Anchors'.
func TestBuildWithoutAnchors(t *testing.T) {
	withAnchors := mustBuild(t, mustLoad(t, "testdata/network.toml"))
	text := strings.Replace(string(mustRead(t, "testdata/network.toml")), "[registry]\n", "[registry]\nanchors = false\n", 1)
	cfg := mustDecode(t, []byte(text))
	res := mustBuild(t, cfg)
	older := mustRead(t, "testdata/genesis-without-anchors.golden.json")
	if !bytes.Equal(res.JSON, older) {
		t.Fatal("anchors = false: the genesis differs from the one made before Anchors was pre-deployed")
	}
	if v, err := Verify(cfg, older); err != nil || !v.Identical {
		t.Errorf("verify with anchors = false: %+v, %v", v, err)
	}
	if _, ok := withAnchors.Genesis.Alloc[contracts.AnchorsAddress]; !ok || len(withAnchors.Genesis.Alloc) != len(res.Genesis.Alloc)+1 {
		t.Errorf("with Anchors: %d accounts (Anchors: %v); without: %d", len(withAnchors.Genesis.Alloc), ok, len(res.Genesis.Alloc))
	}
}

// mustLoad is Load, failing the test on an error.
func mustLoad(t *testing.T, path string) *Config {
	t.Helper()
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// mustDecode is Decode, failing the test on an error.
func mustDecode(t *testing.T, data []byte) *Config {
	t.Helper()
	cfg, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// mustBuild is Build, failing the test on an error.
func mustBuild(t *testing.T, cfg *Config) *Result {
	t.Helper()
	res, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func mustRead(t *testing.T, path string) []byte {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestVerify: the genesis `new` wrote passes; a changed byte, a changed role
// and a changed chain configuration are caught and named.
func TestVerify(t *testing.T) {
	cfg := mustLoad(t, "testdata/network.toml")
	res := mustBuild(t, cfg)
	v, err := Verify(cfg, res.JSON)
	if err != nil || !v.Identical || v.Hash != res.Hash {
		t.Fatalf("verify of the built file: have %+v, %v; want identical, hash %s", v, err, res.Hash.Hex())
	}
	// Re-indented: same content, formatted differently, passes.
	var compact bytes.Buffer
	if err := json.Compact(&compact, res.JSON); err != nil {
		t.Fatal(err)
	}
	if v, err := Verify(cfg, compact.Bytes()); err != nil || v.Identical {
		t.Errorf("verify of the compacted file: have %+v, %v; want a pass, not identical", v, err)
	}

	t.Run("changed byte", func(t *testing.T) {
		// 1000 ether is 0x3635c9adc5dea00000: one hex digit changed.
		changed := bytes.Replace(res.JSON, []byte("0x3635c9adc5dea00000"), []byte("0x3635c9adc5dea00001"), 1)
		if bytes.Equal(changed, res.JSON) {
			t.Fatal("test genesis lacks the 1000 ether balance")
		}
		_, err := Verify(cfg, changed)
		wantMismatch(t, err, "alloc[0x2222222222222222222222222222222222222222].balance", "1000000000000000000001", "1000000000000000000000")
	})
	t.Run("changed period", func(t *testing.T) {
		changed := bytes.Replace(res.JSON, []byte(`"period": 5`), []byte(`"period": 6`), 1)
		_, err := Verify(cfg, changed)
		wantMismatch(t, err, "config.clique.period: file has 6, config gives 5")
	})
	t.Run("changed role", func(t *testing.T) {
		other := *cfg
		other.Roles = append([]RoleGrant(nil), cfg.Roles...)
		other.Roles[1].Roles = []string{"poll-admin"}
		_, err := Verify(&other, res.JSON)
		wantMismatch(t, err, "Directory", ".storage[", "role holders differ")
	})
	t.Run("changed signer", func(t *testing.T) {
		other := *cfg
		other.Departments = append([]Department(nil), cfg.Departments...)
		other.Departments[0].Signer = testAddr("MALLORY").Hex()
		_, err := Verify(&other, res.JSON)
		wantMismatch(t, err, "extraData (signers)")
	})
	t.Run("genesis made before Anchors", func(t *testing.T) {
		older, err := os.ReadFile("testdata/genesis-without-anchors.golden.json")
		if err != nil {
			t.Fatal(err)
		}
		_, err = Verify(cfg, older)
		wantMismatch(t, err, "alloc["+contracts.AnchorsAddress.Hex()+"] (Anchors", "anchors = false", "missing from the file")
	})
	t.Run("not a genesis", func(t *testing.T) {
		_, err := Verify(cfg, []byte(`{"config": {}}`))
		wantMismatch(t, err, "not a valid genesis")
	})
}

func wantMismatch(t *testing.T, err error, parts ...string) {
	t.Helper()
	if !errors.Is(err, ErrMismatch) {
		t.Fatalf("have %v, want ErrMismatch", err)
	}
	for _, p := range parts {
		if !strings.Contains(err.Error(), p) {
			t.Errorf("error lacks %q:\n%v", p, err)
		}
	}
}

// TestConvertGeth113 converts the genesis of a chain geth 1.13.15 sealed
// (internal/node/chainio/testdata, written as geth 1.13 networks write theirs: no
// terminalTotalDifficulty) and checks the result against block 0 of geth's
// own export of that chain.
func TestConvertGeth113(t *testing.T) {
	data, err := os.ReadFile("../../internal/node/chainio/testdata/geth113-clique.genesis.json")
	if err != nil {
		t.Fatal(err)
	}
	var top map[string]any
	if err := json.Unmarshal(data, &top); err != nil {
		t.Fatal(err)
	}
	config := top["config"].(map[string]any)
	delete(config, "terminalTotalDifficulty")
	config["terminalTotalDifficultyPassed"] = false // as geth 1.13's dumpgenesis writes
	geth113, err := json.MarshalIndent(top, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := genesis.Decode(bytes.NewReader(geth113)); err == nil {
		t.Fatal("the geth 1.13 genesis decodes as a citychain one: the test converts nothing")
	}
	conv, err := Convert(geth113)
	if err != nil {
		t.Fatal(err)
	}
	if want := geth113Block0(t); conv.Hash != want {
		t.Errorf("hash: have %s, want geth 1.13.15's %s", conv.Hash.Hex(), want.Hex())
	}
	if len(conv.Dropped) != 1 || conv.Dropped[0] != "config.terminalTotalDifficultyPassed" {
		t.Errorf("dropped: have %v, want [config.terminalTotalDifficultyPassed]", conv.Dropped)
	}
	g, err := genesis.Decode(bytes.NewReader(conv.JSON))
	if err != nil {
		t.Fatalf("converted genesis does not decode: %v", err)
	}
	if g.Config.TerminalTotalDifficulty.Cmp(genesis.TerminalTotalDifficulty()) != 0 {
		t.Errorf("TTD: have %v, want the sentinel", g.Config.TerminalTotalDifficulty)
	}
	// Nothing else changed: the converted config without its TTD is the input's.
	var back map[string]any
	if err := json.Unmarshal(conv.JSON, &back); err != nil {
		t.Fatal(err)
	}
	delete(back["config"].(map[string]any), "terminalTotalDifficulty")
	delete(config, "terminalTotalDifficultyPassed")
	h, _ := json.Marshal(back["config"])
	w, _ := json.Marshal(config)
	if !bytes.Equal(h, w) {
		t.Errorf("config changed beyond the TTD:\nhave %s\nwant %s", h, w)
	}

	if _, err := Convert(conv.JSON); !errors.Is(err, ErrConvert) || !strings.Contains(err.Error(), "already set") {
		t.Errorf("converting a citychain genesis: have %v, want ErrConvert naming the TTD already set", err)
	}
	noClique := bytes.Replace(geth113, []byte(`"clique"`), []byte(`"ethash"`), 1)
	if _, err := Convert(noClique); !errors.Is(err, ErrConvert) || !strings.Contains(err.Error(), "only Clique chains") {
		t.Errorf("converting an ethash genesis: have %v, want ErrConvert", err)
	}
}

// geth113Block0 reads the genesis hash of the geth 1.13.15 chain: the parent
// of the first block of geth's export.
func geth113Block0(t *testing.T) common.Hash {
	t.Helper()
	f, err := os.Open("../../internal/node/chainio/testdata/geth113-clique.rlp.gz")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		t.Fatal(err)
	}
	stream := rlp.NewStream(bufio.NewReader(zr), 0)
	var block types.Block
	if err := stream.Decode(&block); err != nil && err != io.EOF {
		t.Fatal(err)
	}
	if block.NumberU64() == 0 {
		return block.Hash()
	}
	if block.NumberU64() != 1 {
		t.Fatalf("export starts at block %d, want 0 or 1", block.NumberU64())
	}
	return block.ParentHash()
}

// FuzzConfig: any network.toml is decoded and built without a panic, and
// every refusal wraps ErrConfig.
func FuzzConfig(f *testing.F) {
	base, err := os.ReadFile("testdata/network.toml")
	if err != nil {
		f.Fatal(err)
	}
	f.Add(base)
	f.Add([]byte("chain_id = 1\n[[department]]\ncode = \"A\"\nname = \"A\"\nsigner = \"0x01\""))
	f.Add([]byte("shanghai_time = 0"))
	f.Fuzz(func(t *testing.T, data []byte) {
		cfg, err := Decode(data)
		if err != nil {
			if !errors.Is(err, ErrConfig) {
				t.Fatalf("decode error does not wrap ErrConfig: %v", err)
			}
			return
		}
		cfg.dir = t.TempDir() // no file a fuzzed path could name
		if _, err := Build(cfg); err != nil && !errors.Is(err, ErrConfig) {
			t.Fatalf("build error does not wrap ErrConfig: %v", err)
		}
	})
}

// TestBuildPrague: evm = "prague" (with and without evm_time) builds a genesis
// with the transition's forks, blob schedule and system contracts beside the
// registry, which validates; the London build has none of them.
func TestBuildPrague(t *testing.T) {
	build := func(evm string, at uint64) *core.Genesis {
		t.Helper()
		cfg := mustLoad(t, "testdata/network.toml")
		cfg.EVM, cfg.EVMTime = evm, at
		res := mustBuild(t, cfg)
		g, err := genesis.Decode(bytes.NewReader(res.JSON))
		if err != nil {
			t.Fatalf("built genesis does not decode: %v", err)
		}
		return g
	}
	london := build("london", 0)
	if genesis.ForksOf(london.Config).Any() || london.Config.BlobScheduleConfig != nil || london.Alloc[params.BeaconRootsAddress].Code != nil {
		t.Errorf("london genesis has transition parts")
	}
	for _, at := range []uint64{0, 1800000000} {
		g := build("prague", at)
		c := g.Config
		if c.ShanghaiTime == nil || *c.ShanghaiTime != at || *c.CancunTime != at || *c.PragueTime != at || c.BlobScheduleConfig == nil {
			t.Errorf("evm_time %d: forks %v %v %v", at, c.ShanghaiTime, c.CancunTime, c.PragueTime)
		}
		for _, addr := range []common.Address{params.BeaconRootsAddress, params.HistoryStorageAddress, params.WithdrawalQueueAddress, params.ConsolidationQueueAddress, contracts.DirectoryAddress} {
			if len(g.Alloc[addr].Code) == 0 {
				t.Errorf("evm_time %d: no code at %s", at, addr)
			}
		}
	}
}

// TestPermissionsBlock: permissions_block in network.toml becomes the
// genesis's config.citychain.permissionsBlock without changing the genesis
// hash, and Verify tells a file whose permissions block differs.
func TestPermissionsBlock(t *testing.T) {
	data, err := os.ReadFile("testdata/network.toml")
	if err != nil {
		t.Fatal(err)
	}
	plain := mustBuild(t, mustDecode(t, data))
	cfg := mustDecode(t, append([]byte("permissions_block = 1\n"), data...))
	res := mustBuild(t, cfg)
	ext, err := genesis.DecodeExtension(res.JSON)
	if err != nil || ext.PermissionsBlock == nil || *ext.PermissionsBlock != 1 || !res.Extension.Equal(ext) {
		t.Fatalf("config.citychain of the built genesis: have %v (%v), want permissionsBlock 1", ext, err)
	}
	if res.Hash != plain.Hash {
		t.Errorf("genesis hash with a permissions block: have %s, want %s (unchanged)", res.Hash, plain.Hash)
	}
	if _, err := Verify(cfg, res.JSON); err != nil {
		t.Errorf("Verify of the file it built: %v", err)
	}
	if _, err := Verify(cfg, plain.JSON); !errors.Is(err, ErrMismatch) || !strings.Contains(err.Error(), "config.citychain") {
		t.Errorf("Verify of a file without the permissions block: have %v, want %v naming config.citychain", err, ErrMismatch)
	}
}

// TestSummaryCounts: the summary counts in words that agree with the
// number: "1 department", "0 role grants", "1 account".
func TestSummaryCounts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "network.toml")
	text := `chain_id = 4691
period = 5
[registry]
admin = "0x1111111111111111111111111111111111111111"
[[department]]
code = "LAND"
name = "Land"
signer = "0x2222222222222222222222222222222222222222"
[[alloc]]
address = "0x3333333333333333333333333333333333333333"
balance = "1 ether"
`
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	res, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var summary strings.Builder
	res.Summary(&summary)
	for _, want := range []string{", 1 department, 0 role grants\n", "Funded:    1 account, "} {
		if !strings.Contains(summary.String(), want) {
			t.Errorf("summary lacks %q:\n%s", want, summary.String())
		}
	}
}
