package rehearsal

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/citychain/citychain/genesis/ceremony"
)

// TestRun runs the one-host ceremony twice: the first run makes the
// keys, the genesis, the node keys, the data dirs and the files each node
// reads; the second changes nothing. A config changed afterwards is refused.
func TestRun(t *testing.T) {
	dir := t.TempDir()
	cfgText := `chain_id = 4692
period = 2
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
[[alloc]]
keystore = "gates/gate1/keystore"
balance = "10 ether"
`
	path := filepath.Join(dir, "network.toml")
	if err := os.WriteFile(path, []byte(cfgText), 0o644); err != nil {
		t.Fatal(err)
	}
	cfg, err := ceremony.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	r := Rehearsal{
		Network: cfg, Password: "rehearsal", PasswordFile: "/run/secrets/pw", Out: filepath.Join(dir, "shared"),
		Nodes: []Node{
			{Name: "signer-land", DataDir: filepath.Join(dir, "nodes/signer-land")},
			{Name: "signer-tax", DataDir: filepath.Join(dir, "nodes/signer-tax")},
			{Name: "auditor", DataDir: filepath.Join(dir, "nodes/auditor"), Archive: true},
		},
	}
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
	if len(second.NewKeys) != 0 || len(second.Inited) != 0 || second.Hash != first.Hash {
		t.Errorf("second run: %d keys, %d nodes initialised, hash %s; want none, none, %s", len(second.NewKeys), len(second.Inited), second.Hash.Hex(), first.Hash.Hex())
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
	if _, err := Run(r); err == nil || !strings.Contains(err.Error(), "holds another genesis") {
		t.Errorf("rehearsal with a changed config: have %v, want a refusal", err)
	}
}
