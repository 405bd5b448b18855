package rehearsal

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/citychain/citychain/genesis/ceremony"
	"github.com/citychain/citychain/internal/node"
)

// TestRun runs the one-host ceremony twice: the first run makes the
// keys, the genesis, the node keys, the data dirs and the files each node
// reads; the second changes nothing. A config changed afterwards is refused.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	cfg := loadNetwork(t, dir, 4692, relayerAlloc)
	r := newRehearsal(cfg, dir, Node{Name: "auditor", DataDir: filepath.Join(dir, "nodes/auditor"), Archive: true})
	first, err := Run(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(first.NewKeys) != 3 || len(first.Inited) != 3 || len(first.Signers) != 2 {
		t.Fatalf("first run: %d keys, %d nodes initialised, %d signers; want 3 (two signers, one relayer), 3, 2", len(first.NewKeys), len(first.Inited), len(first.Signers))
	}
	// The relayer's key, made in its keystore, is funded by the genesis.
	relayer := first.NewKeys[2]
	if !strings.Contains(relayer.Source, filepath.Join(dir, "gates/gate1/keystore")) || first.Genesis.Alloc[relayer.Address].Balance == nil {
		t.Errorf("relayer key %s (%s): want it in gates/gate1/keystore and funded", relayer.Address.Hex(), relayer.Source)
	}
	second, err := Run(r)
	if err != nil {
		t.Fatal(err)
	}
	if len(second.NewKeys) != 0 || len(second.Inited) != 0 || second.Hash != first.Hash || !second.Reused || first.Reused {
		t.Errorf("second run: %d keys, %d nodes initialised, hash %s, reused %v (first %v); want none, none, %s, true (false)",
			len(second.NewKeys), len(second.Inited), second.Hash.Hex(), second.Reused, first.Reused, first.Hash.Hex())
	}
	for name, url := range first.Enodes {
		if second.Enodes[name] != url {
			t.Errorf("node key of %s changed: %s -> %s", name, url, second.Enodes[name])
		}
	}
	// The published network.toml names the signers by address and gives the same genesis.
	pub, err := ceremony.Load(filepath.Join(r.Out, NetworkFile))
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range pub.Departments {
		if d.Keystore != "" || !strings.HasPrefix(d.Signer, "0x") {
			t.Errorf("published department %s: signer %q keystore %q, want an address only", d.Code, d.Signer, d.Keystore)
		}
	}
	if pub.Roles[0].Keystore != "" || pub.Roles[0].Account != relayer.Address.Hex() || pub.Alloc[0].Address != relayer.Address.Hex() {
		t.Errorf("published relayer: role %+v, alloc %+v, want address %s", pub.Roles[0], pub.Alloc[0], relayer.Address.Hex())
	}
	data, _ := os.ReadFile(filepath.Join(r.Out, GenesisFile))
	if v, err := ceremony.Verify(pub, data); err != nil || !v.Identical {
		t.Errorf("published network.toml does not verify the genesis: %v", err)
	}
	// Each node's configuration: the others as static peers, the allowlist,
	// and for a signer its account and password file.
	var land struct {
		Signer       string `toml:"signer"`
		PasswordFile string `toml:"password_file"`
		P2P          struct {
			StaticNodes []string `toml:"staticnodes"`
			Allowlist   string   `toml:"allowlist"`
		} `toml:"p2p"`
	}
	if _, err := toml.DecodeFile(filepath.Join(r.Out, "signer-land.toml"), &land); err != nil {
		t.Fatal(err)
	}
	if land.Signer != first.Signers[0].Address.Hex() || land.PasswordFile != "/run/secrets/pw" || len(land.P2P.StaticNodes) != 2 || land.P2P.Allowlist != filepath.Join(r.Out, MembersFile) {
		t.Errorf("signer-land.toml: %+v", land)
	}
	if strings.Contains(strings.Join(land.P2P.StaticNodes, " "), "@signer-land:") {
		t.Errorf("signer-land peers with itself: %v", land.P2P.StaticNodes)
	}
	var auditor map[string]any
	if _, err := toml.DecodeFile(filepath.Join(r.Out, "auditor.toml"), &auditor); err != nil || auditor["signer"] != nil {
		t.Errorf("auditor.toml: %v %v, want no signer", auditor, err)
	}
	members, _ := os.ReadFile(filepath.Join(r.Out, MembersFile))
	if n := strings.Count(string(members), "enode://"); n != 3 {
		t.Errorf("members.txt: %d nodes, want 3", n)
	}
	// A changed config no longer matches the genesis the network runs.
	cfg.Period = 3
	if _, err := Run(r); !errors.Is(err, ErrNetworkExists) || !strings.Contains(err.Error(), "holds another genesis") {
		t.Errorf("rehearsal with a changed config: have %v, want a refusal", err)
	}
}

// TestRunAgainRefusesAnotherNetwork: where an earlier run made the network,
// a run that would make another one is refused before it changes anything,
// naming what is missing or changed and what to do: a signer's keystore
// emptied (its volume lost), a relayer's too, a password that does not open
// the keys, and the output directory lost with the config changed. With the output lost and nothing else changed,
// the run checks the genesis against the initialised data dirs and writes
// the same files again.
func TestRunAgainRefusesAnotherNetwork(t *testing.T) {
	r, first := runRehearsal(t)

	for _, ks := range []string{"nodes/signer-tax/keystore", "gates/gate1/keystore"} {
		dir := r.Network.Path(ks)
		kept := filepath.Join(t.TempDir(), "keystore")
		if err := os.CopyFS(kept, os.DirFS(dir)); err != nil {
			t.Fatal(err)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		_, err := Run(r)
		if !errors.Is(err, ErrNetworkExists) || !strings.Contains(err.Error(), dir) || !strings.Contains(err.Error(), "make network-down") {
			t.Errorf("keystore %s emptied: have %v, want a refusal naming it and the way to start over", ks, err)
		}
		if entries, _ := os.ReadDir(dir); len(entries) != 0 {
			t.Errorf("keystore %s emptied: the refused run made a key in it", ks)
		}
		if err := os.RemoveAll(dir); err != nil {
			t.Fatal(err)
		}
		if err := os.CopyFS(dir, os.DirFS(kept)); err != nil {
			t.Fatal(err)
		}
	}

	// The password file made again: the keys it would unlock are the old ones.
	other := r
	other.Password = "another password"
	if _, err := Run(other); !errors.Is(err, ErrNetworkExists) || !strings.Contains(err.Error(), "does not open the key") || !strings.Contains(err.Error(), "/run/secrets/pw") {
		t.Errorf("another password: have %v, want a refusal naming the password file", err)
	}

	// The output directory lost: the same genesis, checked against the data dirs.
	if err := os.RemoveAll(r.Out); err != nil {
		t.Fatal(err)
	}
	again, err := Run(r)
	if err != nil || again.Hash != first.Hash || !again.Reused || len(again.NewKeys) != 0 || len(again.Inited) != 0 {
		t.Fatalf("output directory lost: have %v (result %+v), want the same genesis %s, reused, nothing made", err, again, first.Hash.Hex())
	}
	if _, err := os.Stat(filepath.Join(r.Out, GenesisFile)); err != nil {
		t.Errorf("output directory lost: the genesis file was not written again: %v", err)
	}
	// ...and with the config changed too: the data dirs hold another genesis.
	if err := os.RemoveAll(r.Out); err != nil {
		t.Fatal(err)
	}
	r.Network.Period = 7
	_, err = Run(r)
	if !errors.Is(err, ErrNetworkExists) || !strings.Contains(err.Error(), first.Hash.Hex()) {
		t.Errorf("output directory lost, config changed: have %v, want a refusal naming the data dirs' genesis %s", err, first.Hash.Hex())
	}
	if _, err := os.Stat(filepath.Join(r.Out, GenesisFile)); err == nil {
		t.Errorf("output directory lost, config changed: the refused run wrote a genesis file")
	}
}

// runRehearsal runs the ceremony of a two-signer network with a relayer
// once.
func runRehearsal(t *testing.T) (Rehearsal, *Result) {
	t.Helper()
	dir := t.TempDir()
	cfg := loadNetwork(t, dir, 4693, "")
	r := newRehearsal(cfg, dir, Node{Name: "rpc1", DataDir: filepath.Join(dir, "nodes/rpc1")})
	first, err := Run(r)
	if err != nil {
		t.Fatal(err)
	}
	return r, first
}

// networkText is the network.toml both rehearsals start from: the
// departments LAND and TAX, each with a signer, and TAX's relayer. Its chain
// id is prepended, and any further tables appended.
const networkText = `period = 2
[registry]
admin = "0x1111111111111111111111111111111111111111"
[[department]]
code = "LAND"
name = "Land"
keystore = "nodes/signer-land/keystore"
[[department]]
code = "TAX"
name = "Tax"
keystore = "nodes/signer-tax/keystore"
[[role]]
department = "TAX"
keystore = "gates/gate1/keystore"
roles = ["relayer"]
`

// relayerAlloc funds the relayer's account in the genesis.
const relayerAlloc = `[[alloc]]
keystore = "gates/gate1/keystore"
balance = "10 ether"
`

// loadNetwork writes networkText with chainID and extra to dir/network.toml
// and loads it.
func loadNetwork(t *testing.T, dir string, chainID int, extra string) *ceremony.Config {
	t.Helper()
	path := filepath.Join(dir, "network.toml")
	text := fmt.Sprintf("chain_id = %d\n", chainID) + networkText + extra
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := ceremony.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// newRehearsal is the rehearsal of cfg in dir: the two signers' nodes and
// third.
func newRehearsal(cfg *ceremony.Config, dir string, third Node) Rehearsal {
	return Rehearsal{
		Network: cfg, Password: "rehearsal", PasswordFile: "/run/secrets/pw", Out: filepath.Join(dir, "shared"), DataDirs: node.DataDirs{},
		Nodes: []Node{
			{Name: "signer-land", DataDir: filepath.Join(dir, "nodes/signer-land")},
			{Name: "signer-tax", DataDir: filepath.Join(dir, "nodes/signer-tax")},
			third,
		},
	}
}
