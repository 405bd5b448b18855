package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/contracts"
	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/client/anchor"
	"github.com/citychain/citychain/internal/testkit/gethclique"
	"github.com/citychain/citychain/internal/testkit/proctest"
	"github.com/citychain/citychain/internal/testkit/testnet"
)

// trustedHeader finds, in the output of `anchor prove`, the citychain
// header to verify its file against.
var trustedHeader = regexp.MustCompile(`--trusted-header (0x[0-9a-f]{64})`)

// proofFile is a file `anchor prove` wrote and the citychain header it
// names to verify the file against.
type proofFile struct {
	path    string
	data    []byte
	trusted common.Hash
}

// proveAndVerify runs `cityctl` with args (an `anchor prove` command) into a
// file, then `audit verify-proof --json` on the file against the citychain
// header the prove command names, and returns the verified record, which
// must be of kind, and the file.
func proveAndVerify[R any](t *testing.T, kind string, args ...string) (R, proofFile) {
	t.Helper()
	var rec R
	path := filepath.Join(t.TempDir(), "proof.json")
	out := mustCityctl(t, append(args, "--out", path)...)
	m := trustedHeader.FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("anchor prove does not say how to verify:\n%s", out)
	}
	_, stdout, err := cityctlOut("audit", "verify-proof", "--trusted-header", m[1], "--json", path)
	if err != nil {
		t.Fatalf("verify-proof of %v: %v\n%s", args, err, stdout)
	}
	var v struct {
		Record struct {
			Kind  string
			Value json.RawMessage
		}
	}
	if err := json.Unmarshal([]byte(stdout), &v); err != nil || v.Record.Kind != kind {
		t.Fatalf("verify-proof of %v: %v, want a %s record:\n%s", args, err, kind, stdout)
	}
	if err := json.Unmarshal(v.Record.Value, &rec); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return rec, proofFile{path: path, data: data, trusted: common.HexToHash(m[1])}
}

// anchorStatusJSON runs `anchor status --json` and decodes it.
func anchorStatusJSON(t *testing.T, url string, chain uint64) anchor.Status {
	t.Helper()
	out, stdout, err := cityctlOut("anchor", "status", "--rpc", url, "--chain", fmt.Sprint(chain), "--json")
	if err != nil {
		t.Fatalf("anchor status: %v\n%s", err, out)
	}
	var s anchor.Status
	if err := json.Unmarshal([]byte(stdout), &s); err != nil {
		t.Fatalf("anchor status --json: %v\n%s", err, stdout)
	}
	return s
}

// anchorKeys writes into dir the key files of the admin (dev account 0) and
// of the anchor relayer (dev account 8).
func anchorKeys(t *testing.T, dir string) (admin, relayer string) {
	t.Helper()
	dev := genesis.DevAccounts(9)
	admin, relayer = filepath.Join(dir, "admin.key"), filepath.Join(dir, "relayer.key")
	for path, i := range map[string]int{admin: 0, relayer: 8} {
		if err := crypto.SaveECDSA(path, dev[i].Key); err != nil {
			t.Fatal(err)
		}
	}
	return admin, relayer
}

// anchorRelay starts a `citynode dev`, deploys Anchors with the admin's key
// and grants the relayer anchor-relayer in CIVIL: the set-up of the anchor
// follow and prove tests. It returns the node's RPC URL and the key files.
func anchorRelay(t *testing.T) (url, admin, relayer string) {
	t.Helper()
	url = startDev(t)
	admin, relayer = anchorKeys(t, t.TempDir())
	mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin)
	mustCityctl(t, "dept", "grant", "CIVIL", "anchor-relayer", genesis.DevAccounts(9)[8].Address.Hex(), "--rpc", url, "--key", admin)
	return url, admin, relayer
}

// TestAnchorCommands runs the anchor commands against a real geth 1.13.15
// Clique chain (one signer, epoch 4) and a real `citynode dev`: the admin
// finds Anchors pre-deployed (anchor deploy sends nothing), grants anchor-relayer,
// registers the chain at its latest epoch header, the relayer posts spans,
// and status shows each checkpoint with geth's hash; the refusals name what
// was wrong.
func TestAnchorCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts geth and citynode")
	}
	ext := gethclique.Start(t, gethclique.Config{ChainID: 4242, Period: 1, Epoch: 4, Signers: 1})
	url := startDev(t)
	dir := t.TempDir()
	dev := genesis.DevAccounts(10)
	admin, relayer := anchorKeys(t, dir)

	// Pre-deployed in the dev genesis: deploy finds it and sends nothing.
	if out := mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin); !strings.Contains(out, "already registered in the Directory at "+contracts.AnchorsAddress.Hex()) {
		t.Fatalf("anchor deploy on a new chain: %s", out)
	}
	mustCityctl(t, "dept", "grant", "CIVIL", "anchor-relayer", dev[8].Address.Hex(), "--rpc", url, "--key", admin)

	ext.WaitHead(t, 5, 30*time.Second)
	refusedCityctl(t, "NotAdmin", "anchor", "register", "--rpc", url, "--key", relayer, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	refusedCityctl(t, "is not an epoch header", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4", "--checkpoint", "3")
	refusedCityctl(t, "is --epoch", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "3", "--checkpoint", "3")
	out := mustCityctl(t, "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	s := anchorStatusJSON(t, url, 4242)
	if s.Latest.Number == 0 || s.Latest.Number%4 != 0 || s.Epoch != 4 || len(s.Validators) != 1 || s.Validators[0] != ext.Nodes[0].Address {
		t.Fatalf("after register: %+v (%s)", s, out)
	}
	refusedCityctl(t, "ChainExists", "anchor", "register", "--rpc", url, "--key", admin, "--chain-rpc", ext.Nodes[0].URL, "--epoch", "4")
	refusedCityctl(t, "NotAnchorRelayer", "anchor", "post", "--rpc", url, "--key", admin, "--chain", "4242", "--chain-rpc", ext.Nodes[0].URL)

	for range 2 {
		from := anchorStatusJSON(t, url, 4242).Latest.Number
		ext.WaitHead(t, from+3, 30*time.Second)
		out = mustCityctl(t, "anchor", "post", "--rpc", url, "--key", relayer, "--chain", "4242", "--chain-rpc", ext.Nodes[0].URL, "--blocks", "3")
		s = anchorStatusJSON(t, url, 4242)
		if s.Latest.Number != from+3 {
			t.Fatalf("post from %d with --blocks 3: latest %d (%s)", from, s.Latest.Number, out)
		}
		h, err := ext.Nodes[0].Eth.HeaderByNumber(t.Context(), u(s.Latest.Number))
		if err != nil {
			t.Fatal(err)
		}
		if h.Hash() != s.Latest.Hash || h.ReceiptHash != s.Latest.ReceiptsRoot || h.Root != s.Latest.StateRoot || s.Latest.Sealer != ext.Nodes[0].Address {
			t.Fatalf("checkpoint %d: %+v, geth has %s", s.Latest.Number, s.Latest, h.Hash())
		}
	}
	if out = mustCityctl(t, "anchor", "status", "--rpc", url, "--chain", "4242"); !strings.Contains(out, s.Latest.Hash.Hex()) || strings.Contains(out, "CONFLICT") {
		t.Fatalf("anchor status: %s", out)
	}
	refusedCityctl(t, "not registered", "anchor", "status", "--rpc", url, "--chain", "7")
}

// TestAnchorDeployOnOlderNetwork runs the upgrade path of a network whose
// genesis predates the pre-deployed Anchors (ADR 061): its network.toml, with
// `anchors = false`, gives a genesis without Anchors that `genesis verify`
// accepts; on that chain the anchor commands say to deploy it, `anchor
// deploy` deploys it at the admin's CREATE address and names it in the
// Directory, a second run finds it, and the other commands, contracts
// verify among them, find it through the Directory.
func TestAnchorDeployOnOlderNetwork(t *testing.T) {
	if testing.Short() {
		t.Skip("starts citynode")
	}
	dir := t.TempDir()
	dev := genesis.DevAccounts(1)
	admin, _ := anchorKeys(t, dir)
	config, genesisFile := filepath.Join(dir, "network.toml"), filepath.Join(dir, "genesis.json")
	toml := fmt.Sprintf(`chain_id = 4691
period = 1
epoch = 30000
gas_limit = 30000000

[registry]
admin = "%[1]s"
anchors = false

[[department]]
code = "CITYHALL"
name = "City Hall"
signer = "%[1]s"

[[alloc]]
address = "%[1]s"
balance = "1000 ether"
`, dev[0].Address.Hex())
	if err := os.WriteFile(config, []byte(toml), 0o600); err != nil {
		t.Fatal(err)
	}
	mustCityctl(t, "genesis", "new", "--config", config, "--out", genesisFile)
	mustCityctl(t, "genesis", "verify", "--config", config, genesisFile)
	g, err := genesis.Load(genesisFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, ok := g.Alloc[contracts.AnchorsAddress]; ok || len(g.Alloc[contracts.DirectoryAddress].Code) == 0 {
		t.Fatalf("anchors = false: Anchors in the genesis: %v, Directory code: %d bytes", ok, len(g.Alloc[contracts.DirectoryAddress].Code))
	}
	nw, err := testnet.Up(testnet.Config{Dir: filepath.Join(dir, "net"), Binary: citynodeBin, Signers: 1, Genesis: genesisFile, SignerKeys: []string{admin}})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { nw.Down() })
	url := nw.Nodes[0].RPC
	proctest.WaitFor(t, 60*time.Second, "block 1", func() bool { r := statusJSON(t, nw.Nodes[0]); return r != nil && r.Head >= 1 })

	refusedCityctl(t, "cityctl anchor deploy", "anchor", "status", "--rpc", url, "--chain", "4242")
	if out := mustCityctl(t, "contracts", "verify", "--rpc", url); !strings.Contains(out, "All 5 contracts match") || strings.Contains(out, "Anchors") {
		t.Fatalf("contracts verify before Anchors is deployed: %s", out)
	}
	out := mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin)
	if want := "Deployed Anchors at " + crypto.CreateAddress(dev[0].Address, 0).Hex(); !strings.Contains(out, want) {
		t.Fatalf("anchor deploy on an older network: have %s, want %q (the admin's first CREATE address)", out, want)
	}
	if out = mustCityctl(t, "anchor", "deploy", "--rpc", url, "--key", admin); !strings.Contains(out, "already registered") {
		t.Fatalf("second anchor deploy: %s", out)
	}
	refusedCityctl(t, "not registered", "anchor", "status", "--rpc", url, "--chain", "4242")
	if out := mustCityctl(t, "contracts", "verify", "--rpc", url); !strings.Contains(out, "All 6 contracts match") || !strings.Contains(out, crypto.CreateAddress(dev[0].Address, 0).Hex()) {
		t.Fatalf("contracts verify after anchor deploy: want Anchors at its deployed address:\n%s", out)
	}
}
