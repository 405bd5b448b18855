package main

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
)

// exitStatus returns the exit status of a finished citynode run.
func exitStatus(err error) int {
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		return exit.ExitCode()
	}
	if err != nil {
		return -1
	}
	return 0
}

// TestFlagsAfterArguments runs the citynode commands that take arguments
// with their flags after them (init, account import, export, import), and
// bad usage: exit status 2 and one "citynode: error:" line.
func TestFlagsAfterArguments(t *testing.T) {
	if testing.Short() {
		t.Skip("runs citynode")
	}
	key, _ := crypto.GenerateKey()
	addr := crypto.PubkeyToAddress(key.PublicKey)
	gen, dir, dir2 := writeGenesis(t, 4244, addr), t.TempDir(), t.TempDir()
	password := writeFile(t, "correct horse\n")
	chain := filepath.Join(t.TempDir(), "chain.rlp.gz")
	for _, args := range [][]string{
		{"init", gen, "--datadir", dir},
		{"account", "import", writeFile(t, fmt.Sprintf("%x", crypto.FromECDSA(key))), "--password", password, "--datadir", dir},
		{"export", chain, "--datadir", dir},
		{"init", gen, "--datadir", dir2},
		{"import", chain, "--datadir", dir2},
	} {
		if out, err := run(t, args...); err != nil {
			t.Fatalf("citynode %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	if out, err := run(t, "account", "list", "--datadir", dir); err != nil || !strings.Contains(strings.ToLower(out), strings.ToLower(addr.Hex()[2:])) {
		t.Errorf("account list after import: have %v\n%s\nwant %v", err, out, addr)
	}
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"init", gen, "--nope"}, "citynode: error: unknown flag --nope (see 'citynode init --help')"},
		{[]string{"frob", "--datadir", dir}, `citynode: error: unknown command "frob"`},
		{[]string{"account", "frob"}, `citynode: error: unknown command "frob" (see 'citynode account --help')`},
		{[]string{"account", "import", "--datadir", dir}, "citynode: error: usage: citynode account import"},
		{[]string{"export", "--datadir", dir, chain, "x", "y"}, `citynode: error: invalid FIRST "x"`},
		{[]string{"--http.port", "abc"}, `citynode: error: invalid value "abc" for flag -http.port`},
		{[]string{"account", "list", "extra", "--datadir", dir}, `citynode: error: unexpected argument "extra": citynode account list takes no arguments, only flags`},
		{[]string{"dumpconfig", "8545"}, `citynode: error: unexpected argument "8545": citynode dumpconfig takes no arguments`},
	} {
		out, err := run(t, tc.args...)
		if exitStatus(err) != 2 || !strings.HasPrefix(out, tc.msg) || strings.Count(out, "\n") != 1 {
			t.Errorf("citynode %s: have exit status %d, output %q; want 2 and one line %q", strings.Join(tc.args, " "), exitStatus(err), out, tc.msg)
		}
	}
}
