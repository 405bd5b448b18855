package main

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"math/big"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
)

// writeGenesis writes a genesis with the given signers and chain id to a file.
func writeGenesis(t *testing.T, chainID uint64, signers ...common.Address) string {
	t.Helper()
	spec := genesis.DefaultSpec()
	spec.ChainID = chainID
	spec.Period = 1
	spec.Signers = signers
	spec.Alloc = types.GenesisAlloc{signers[0]: {Balance: big.NewInt(1e18)}}
	_, path := writeSpecGenesis(t, spec)
	return path
}

// writeSpecGenesis builds spec's genesis and writes it to a file.
func writeSpecGenesis(t *testing.T, spec genesis.Spec) (*core.Genesis, string) {
	t.Helper()
	g, err := genesis.Build(spec)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.Marshal(g)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "genesis.json")
	if err := os.WriteFile(path, data, 0o600); err != nil {
		t.Fatal(err)
	}
	return g, path
}

func writeFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// dirState lists every file under dir with its size and modification time.
func dirState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		fmt.Fprintf(&b, "%s:%d:%d ", strings.TrimPrefix(path, dir), info.Size(), info.ModTime().UnixNano())
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

func run(t *testing.T, args ...string) (string, error) {
	t.Helper()
	out, err := exec.Command(binPath, args...).CombinedOutput()
	return string(out), err
}

// TestSignerProcess walks the signer set-up of a department: init, key import,
// and each way of getting it wrong, with the message the operator sees.
func TestSignerProcess(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	keyA, _ := crypto.GenerateKey()
	keyB, _ := crypto.GenerateKey()
	addrA, addrB := crypto.PubkeyToAddress(keyA.PublicKey), crypto.PubkeyToAddress(keyB.PublicKey)
	dir := t.TempDir()
	password := writeFile(t, "correct horse\n")

	if out, err := run(t, "init", "--datadir", dir, writeGenesis(t, 4242, addrA)); err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	// A second init with another genesis must not touch the chain.
	out, err := run(t, "init", "--datadir", dir, writeGenesis(t, 4243, addrA))
	if err == nil || !strings.Contains(out, "holds another chain") {
		t.Fatalf("init with another genesis: have err %v, output %q; want a refusal naming the mismatch", err, out)
	}
	for _, key := range []string{fmt.Sprintf("%x", crypto.FromECDSA(keyA)), fmt.Sprintf("0x%x", crypto.FromECDSA(keyB))} {
		if out, err := run(t, "account", "import", "--datadir", dir, "--password", password, writeFile(t, key)); err != nil {
			t.Fatalf("account import: %v\n%s", err, out)
		}
	}
	out, err = run(t, "account", "list", "--datadir", dir)
	if err != nil || !strings.Contains(strings.ToLower(out), strings.ToLower(addrA.Hex()[2:])) {
		t.Fatalf("account list: have %q (err %v), want %v listed", out, err, addrA)
	}
	node := func(signer common.Address, pw string) []string {
		return []string{"--datadir", dir, "--signer", signer.Hex(), "--password", pw, "--port", fmt.Sprint(freeport.T(t)), "--nodiscover",
			"--authrpc.port", fmt.Sprint(freeport.T(t)), "--http", "--http.port", fmt.Sprint(freeport.T(t))}
	}
	// Wrong password. Neither it nor a missing key changes the data dir:
	// both are found before the databases are opened.
	before := dirState(t, dir)
	out, err = run(t, node(addrA, writeFile(t, "wrong"))...)
	if err == nil || !strings.Contains(out, "wrong password") {
		t.Fatalf("wrong password: have err %v, output %q; want 'wrong password'", err, out)
	}
	if after := dirState(t, dir); after != before {
		t.Fatalf("a wrong password changed the data dir:\nbefore %s\nafter  %s", before, after)
	}
	// A signer whose key is not in the keystore.
	stranger := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	out, err = run(t, node(stranger, password)...)
	if err == nil || !strings.Contains(out, "is not in the keystore") {
		t.Fatalf("unknown signer: have err %v, output %q; want 'is not in the keystore'", err, out)
	}
	if after := dirState(t, dir); after != before {
		t.Fatalf("a signer missing from the keystore changed the data dir:\nbefore %s\nafter  %s", before, after)
	}
	// A password file, an export target or an import file that cannot be
	// used: refused naming it and what to give, before the data dir opens.
	missing := filepath.Join(t.TempDir(), "no-such-dir", "file")
	for _, c := range []struct {
		args []string
		want string
	}{
		{node(addrA, missing), "check --password names the file holding the password of signer " + addrA.Hex()},
		{[]string{"export", "--datadir", dir, missing}, "cannot write " + missing + " (open " + missing + ": no such file or directory): give a file in an existing directory"},
		{[]string{"import", "--datadir", dir, missing}, "cannot read " + missing + " (open " + missing + ": no such file or directory): give a block file written by `citynode export`"},
	} {
		out, err = run(t, c.args...)
		if err == nil || !strings.Contains(out, c.want) {
			t.Errorf("citynode %s: have err %v, output %q; want %q", strings.Join(c.args, " "), err, out, c.want)
		}
		if after := dirState(t, dir); after != before {
			t.Fatalf("citynode %s changed the data dir:\nbefore %s\nafter  %s", strings.Join(c.args, " "), before, after)
		}
	}
	// A signer that is not authorized runs, and says it will not seal.
	p := startProc(t, node(addrB, password)...)
	waitFor(t, 60*time.Second, "the not-authorized warning", func() bool {
		return strings.Contains(p.output(), "will not seal until voted in")
	})
	p.stop()
	// The authorized signer seals.
	args := node(addrA, password)
	p = startProc(t, args...)
	client := dial(t, p, "http://127.0.0.1:"+args[len(args)-1])
	waitFor(t, 30*time.Second, "block 2", func() bool { return headNumber(t, client) >= 2 })
	// The devp2p listener is bound to the configured address (127.0.0.1 by
	// default), not to every interface: 127.0.0.2 is loopback too but not it.
	p2pPort := args[7]
	if c, err := net.DialTimeout("tcp", "127.0.0.1:"+p2pPort, 5*time.Second); err != nil {
		t.Fatalf("devp2p on 127.0.0.1:%s: %v", p2pPort, err)
	} else {
		c.Close()
	}
	if c, err := net.DialTimeout("tcp", "127.0.0.2:"+p2pPort, 5*time.Second); err == nil {
		c.Close()
		t.Fatalf("devp2p answered on 127.0.0.2:%s: have a listener on every interface, want 127.0.0.1 only", p2pPort)
	}
	p.stop()
}
