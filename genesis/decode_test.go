package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// baseJSON is a valid genesis as an operator would write it: one signer,
// dev account 0, and one funded account. Line numbers matter to the tests.
const baseJSON = `{
  "config": {
    "chainId": 4242,
    "homesteadBlock": 0,
    "eip150Block": 0,
    "eip155Block": 0,
    "eip158Block": 0,
    "byzantiumBlock": 0,
    "constantinopleBlock": 0,
    "petersburgBlock": 0,
    "istanbulBlock": 0,
    "berlinBlock": 0,
    "londonBlock": 0,
    "terminalTotalDifficulty": 115792089237316195423570985008687907853269984665640564039457584007913129639935,
    "clique": {"period": 5, "epoch": 30000}
  },
  "timestamp": "0x0",
  "extraData": "0x0000000000000000000000000000000000000000000000000000000000000000a0c82d4ac07fd496615a5acfcbf3d4c62ea991a90000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
  "gasLimit": "0x1c9c380",
  "difficulty": "0x1",
  "alloc": {
    "a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9": {"balance": "1000000000000000000"}
  }
}
`

// edit returns baseJSON with old replaced by new, which must occur once.
func edit(t *testing.T, old, new string) string {
	t.Helper()
	if n := strings.Count(baseJSON, old); n != 1 {
		t.Fatalf("edit: %q occurs %d times in baseJSON, want 1", old, n)
	}
	return strings.Replace(baseJSON, old, new, 1)
}

func TestDecode(t *testing.T) {
	g, err := Decode(strings.NewReader(baseJSON))
	if err != nil {
		t.Fatalf("Decode: %v", err)
	}
	signers, err := Signers(g)
	if err != nil || len(signers) != 1 || signers[0] != DevAccounts(1)[0].Address {
		t.Errorf("signers: have %v, %v; want dev account 0", signers, err)
	}
	if g.Config.Clique.Period != 5 || g.Config.ChainID.Uint64() != 4242 || g.GasLimit != 30_000_000 {
		t.Errorf("decoded wrong values: %+v", g)
	}
}

func TestDecodeErrors(t *testing.T) {
	const account = `"a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9": {"balance": "1000000000000000000"}`
	tests := []struct {
		name      string
		input     string
		want      error
		fragments []string // the message must mention each
	}{
		{"empty", "", ErrSyntax, []string{"line 1, column 1", "empty"}},
		{"blank", " \n ", ErrSyntax, []string{"empty"}},
		{"truncated", baseJSON[:200], ErrSyntax, []string{"end of input"}},
		{"missing comma", edit(t, `"difficulty": "0x1",`, `"difficulty": "0x1"`), ErrSyntax, []string{"line 21, column 3", "invalid character"}},
		{"trailing comma", edit(t, `"londonBlock": 0,`, `"londonBlock": 0,,`), ErrSyntax, []string{"line 13, column 22"}},
		{"bad literal", edit(t, `"londonBlock": 0,`, `"londonBlock": nul,`), ErrSyntax, []string{"line 13, column 23", "in literal null"}},
		{"data after the object", baseJSON + "{}", ErrSyntax, []string{"line 25, column 1", "after the genesis object"}},
		{"array", "[]", ErrMalformed, []string{"line 1, column 1", "want a JSON object"}},
		{"null", "null", ErrMalformed, []string{"want a JSON object"}},
		{"unknown top-level field", edit(t, `"gasLimit"`, `"gaslimit"`), ErrUnknownField, []string{"line 19, column 3", "gaslimit", `did you mean "gasLimit"`}},
		{"unknown top-level field, no likely key", edit(t, `"timestamp"`, `"comment": "x", "timestamp"`), ErrUnknownField, []string{"line 17, column 3", "comment", "remove it or use one of", "gasLimit"}},
		{"unknown config field", edit(t, `"berlinBlock"`, `"berlinBlok"`), ErrUnknownField, []string{"line 12, column 5", "config.berlinBlok", `did you mean "berlinBlock"`}},
		{"geth 1.13 only config field", edit(t, `"londonBlock": 0,`, `"londonBlock": 0, "terminalTotalDifficultyPassed": true,`), ErrUnknownField, []string{"config.terminalTotalDifficultyPassed"}},
		{"unknown clique field", edit(t, `"epoch"`, `"epochs"`), ErrUnknownField, []string{"line 15, column 29", "config.clique.epochs", `did you mean "epoch"`}},
		{"unknown account field", edit(t, `{"balance"`, `{"balanse"`), ErrUnknownField, []string{"line 22, column 50", "alloc.a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9.balanse", `did you mean "balance"`}},
		{"duplicate top-level field", edit(t, `"difficulty": "0x1",`, `"difficulty": "0x1", "difficulty": "0x2",`), ErrDuplicateField, []string{"line 20, column 24", "difficulty", "first given at 20:3"}},
		{"duplicate account", edit(t, account, account+", \"0xA0C82D4AC07FD496615A5ACFCBF3D4C62EA991A9\": {\"balance\": \"1\"}"), ErrDuplicateField, []string{"alloc.0xA0C82D4AC07FD496615A5ACFCBF3D4C62EA991A9"}},
		{"wrong type", edit(t, `"gasLimit": "0x1c9c380"`, `"gasLimit": true`), ErrMalformed, []string{"line 19, column 3", "gasLimit"}},
		{"config as an array", `{"config": [{"period": 1}], "gasLimit": "0x1c9c380", "difficulty": "0x1", "alloc": {}}`, ErrMalformed, []string{"line 1, column 2", "config"}},
		{"bad hex", edit(t, `"extraData": "0x`, `"extraData": "`), ErrMalformed, []string{"line 18, column 3", "extraData", "0x prefix"}},
		{"chain id as text", edit(t, `"chainId": 4242`, `"chainId": "city"`), ErrMalformed, []string{"line 3, column 5", "config.chainId"}},
		{"bad account address", edit(t, `"a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9"`, `"a0c82d"`), ErrMalformed, []string{"line 22, column 5", "alloc.a0c82d", "20-byte hex address"}},
		{"bad balance", edit(t, `"1000000000000000000"`, `"lots"`), ErrMalformed, []string{"line 22, column 50", "alloc.a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9.balance"}},
		{"no alloc", edit(t, `"difficulty": "0x1",
  "alloc": {
    `+account+`
  }`, `"difficulty": "0x1"`), ErrMalformed, []string{"alloc", `have no "alloc"`}},
		{"account without balance", edit(t, `{"balance": "1000000000000000000"}`, `{"nonce": "0x1"}`), ErrMalformed, []string{"line 22, column 5", "alloc.a0c82d4ac07fd496615a5acfcbf3d4c62ea991a9", `have no "balance"`}},
		{"no clique", edit(t, `,
    "clique": {"period": 5, "epoch": 30000}`, ``), ErrNoClique, []string{"config.clique"}},
		{"no terminal total difficulty", edit(t, `
    "terminalTotalDifficulty": 115792089237316195423570985008687907853269984665640564039457584007913129639935,`, ``), ErrTTD, []string{"config.terminalTotalDifficulty", "sentinel"}},
		{"osaka", edit(t, `"londonBlock": 0,`, `"londonBlock": 0, "osakaTime": 0,`), ErrUnsupportedFork, []string{"config.osakaTime"}},
		{"bpo1", edit(t, `"londonBlock": 0,`, `"londonBlock": 0, "bpo1Time": 1700000000,`), ErrUnsupportedFork, []string{"config.bpo1Time"}},
		{"no signers", edit(t, "a0c82d4ac07fd496615a5acfcbf3d4c62ea991a90000", "0000"), ErrNoSigners, []string{"extraData"}},
		{"period out of range", edit(t, `"period": 5`, `"period": 86400`), ErrPeriod, []string{"config.clique.period", "have 86400"}},
		{"negative balance", edit(t, `"1000000000000000000"`, `"-1"`), ErrAlloc, []string{"balance", "have -1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g, err := Decode(strings.NewReader(tt.input))
			if g != nil {
				t.Errorf("have a genesis alongside error %v", err)
			}
			checkProblem(t, err, tt.want, tt.fragments...)
		})
	}
}

func TestLoad(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "city.json")
	if err := os.WriteFile(good, []byte(baseJSON), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(good); err != nil {
		t.Fatalf("Load: %v", err)
	}

	// Decoding errors give file, line and column; validation errors the file.
	bad := filepath.Join(dir, "bad.json")
	if err := os.WriteFile(bad, []byte(edit(t, `"gasLimit"`, `"gaslimit"`)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := Load(bad)
	checkProblem(t, err, ErrUnknownField, bad+":19:3: gaslimit")

	invalid := filepath.Join(dir, "invalid.json")
	if err := os.WriteFile(invalid, []byte(edit(t, `"period": 5`, `"period": 86400`)), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(invalid)
	checkProblem(t, err, ErrPeriod, invalid+": config.clique.period")

	missing := filepath.Join(dir, "missing.json")
	if _, err := Load(missing); !errors.Is(err, os.ErrNotExist) || !strings.Contains(err.Error(), missing) {
		t.Errorf("missing file: have %v, want a not-exist error naming %s", err, missing)
	}
}

// sentinels are the errors every failure of Decode must wrap one of.
var sentinels = []error{
	ErrSyntax, ErrMalformed, ErrUnknownField, ErrDuplicateField, ErrNoConfig, ErrNoClique,
	ErrChainID, ErrPeriod, ErrEpoch, ErrExtraData, ErrNoSigners, ErrDuplicateSigner,
	ErrZeroSigner, ErrUnsupportedFork, ErrForkOrder, ErrTTD, ErrBaseFee, ErrGasLimit,
	ErrDifficulty, ErrUnsupportedField, ErrAlloc,
}

// FuzzGenesisJSON checks that Decode never panics, that each error wraps a
// sentinel, and that whatever it accepts passes Validate and survives a round
// trip through JSON with the same genesis hash.
func FuzzGenesisJSON(f *testing.F) {
	built, err := Build(testSpec())
	if err != nil {
		f.Fatal(err)
	}
	encoded, err := json.Marshal(built)
	if err != nil {
		f.Fatal(err)
	}
	for _, seed := range []string{
		baseJSON, string(encoded), "", "{}", "[]", `{"alloc": {}}`, baseJSON[:300],
		strings.Replace(baseJSON, `"1000000000000000000"`, `"-1"`, 1),
		strings.Replace(baseJSON, `"gasLimit"`, `"gasLimit": 1, "gasLimit"`, 1),
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		g, err := Decode(bytes.NewReader(data))
		if err != nil {
			for _, s := range sentinels {
				if errors.Is(err, s) {
					return
				}
			}
			t.Fatalf("error wraps no sentinel: %v", err)
		}
		if err := Validate(g); err != nil {
			t.Fatalf("Decode accepted a genesis Validate refuses: %v", err)
		}
		again, err := json.Marshal(g)
		if err != nil {
			t.Fatalf("re-encoding: %v", err)
		}
		decoded, err := Decode(bytes.NewReader(again))
		if err != nil {
			t.Fatalf("decoding the re-encoded genesis: %v\n%s", err, again)
		}
		if have, want := decoded.ToBlock().Hash(), g.ToBlock().Hash(); have != want {
			t.Fatalf("hash after round trip: have %x, want %x", have, want)
		}
	})
}
