package main

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/citychain/citychain/consensus/aura/auratest"
)

// auraSpecFile writes a Parity chain spec whose validators are the contract
// at contract (safeContract) and returns its path.
func auraSpecFile(t *testing.T, contract common.Address, extra string) string {
	t.Helper()
	spec := `{"name":"ActiveCitizenTest","engine":{"authorityRound":{"params":{"stepDuration":5,` + extra +
		`"validators":{"safeContract":"` + contract.Hex() + `"}}}},"params":{"networkID":"0x1e61"}}`
	path := filepath.Join(t.TempDir(), "spec.json")
	if err := os.WriteFile(path, []byte(spec), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestAnchorVerifyAura runs `anchor verify` against a generated Aura chain
// served as a Parity node serves it: three validators in a safeContract,
// a change signalled in block 5 and final after block 6, twelve blocks;
// then against the same chain with block 8 sealed out of turn.
func TestAnchorVerifyAura(t *testing.T) {
	contract := common.HexToAddress("0x0000000000000000000000000000000000001000")
	ks := auratest.Keys(4)
	old, next := ks[:3], []auratest.Key{ks[0], ks[1], ks[3]}
	c := auratest.NewChain(7777, 5, 1000, contract)
	c.Sets[c.Head().Hash()] = auratest.Addresses(old...)
	c.Rotate(old, 4)
	step := c.Head().Step + 1
	c.Seal(step, old[step%3], auratest.Addresses(next...))
	c.Rotate(old, 1)
	c.Rotate(next, 6)
	node := auratest.Serve(c)
	defer node.Close()
	spec := auraSpecFile(t, contract, "")

	out, stdout, err := cityctlOut("anchor", "verify", "--chain-rpc", node.URL, "--chain-spec", spec, "--trusted", "0", "--json")
	if err != nil {
		t.Fatalf("anchor verify: %v\n%s", err, out)
	}
	var v auraVerdict
	if err := json.Unmarshal([]byte(stdout), &v); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	want := []string{next[0].Address.Hex(), next[1].Address.Hex(), next[2].Address.Hex()}
	if v.ChainID != 7777 || v.Verified != 12 || v.To != 12 || v.Head != c.Head().Hash().Hex() || !slices.Equal(v.Validators, want) || v.Spec != "ActiveCitizenTest" {
		t.Fatalf("verdict %+v; want 12 headers to %s, validators %v", v, c.Head().Hash().Hex(), want)
	}
	out, err = cityctl("anchor", "verify", "--chain-rpc", node.URL, "--chain-spec", spec, "--trusted", "0", "--to", "5")
	if err != nil || !strings.Contains(out, "Verified blocks 1..5 of chain 7777") || !strings.Contains(out, "signalled in block 5 is not final yet") {
		t.Fatalf("anchor verify --to 5: %v\n%s", err, out)
	}

	// Block 8 sealed by a validator whose turn it is not.
	node.Update(func(c *auratest.Chain) {
		c.Blocks = c.Blocks[:8]
		step := c.Head().Step + 1
		c.Seal(step, next[(step+1)%3], nil)
		c.Rotate(next, 4)
	})
	out, err = cityctl("anchor", "verify", "--chain-rpc", node.URL, "--chain-spec", spec, "--trusted", "0")
	var exit *exitError
	if !errors.As(err, &exit) || exit.code != 1 || !strings.Contains(out, "REFUSED after 7 good headers") || !strings.Contains(out, "block 8") || !strings.Contains(out, "whose turn it is not") {
		t.Fatalf("a block sealed out of turn: %v\n%s", err, out)
	}
}

func TestAnchorVerifyRefusesSpecs(t *testing.T) {
	contract := common.HexToAddress("0x0000000000000000000000000000000000001000")
	cases := map[string]string{
		auraSpecFile(t, contract, `"emptyStepsTransition":0,`): "emptyStepsTransition is set",
		filepath.Join(t.TempDir(), "missing.json"):             "--chain-spec",
	}
	for path, want := range cases {
		out, err := cityctl("anchor", "verify", "--chain-rpc", "http://127.0.0.1:1", "--chain-spec", path)
		if err == nil || !strings.Contains(out, want) {
			t.Errorf("%s: have %v\n%s\nwant an error with %q", path, err, out, want)
		}
	}
}
