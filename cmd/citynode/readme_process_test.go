package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/citychain/citychain/internal/testkit/freeport"
)

// signerDir initialises a data dir on a fresh one-signer genesis (period 1)
// with the signer's key imported, and returns the dir, the genesis file, the
// signer's address, its password file and its private key in hex.
func signerDir(t *testing.T, initArgs ...string) (dir, genesisFile, signer, password, keyHex string, logs []string) {
	t.Helper()
	key, _ := crypto.GenerateKey()
	keyHex = fmt.Sprintf("%x", crypto.FromECDSA(key))
	signer = crypto.PubkeyToAddress(key.PublicKey).Hex()
	dir, genesisFile, password = t.TempDir(), writeGenesis(t, 4244, crypto.PubkeyToAddress(key.PublicKey)), writeFile(t, "correct horse\n")
	out, err := run(t, append(append([]string{"init", "--datadir", dir}, initArgs...), genesisFile)...)
	if err != nil {
		t.Fatalf("init: %v\n%s", err, out)
	}
	logs = append(logs, out)
	out, err = run(t, "account", "import", "--datadir", dir, "--password", password, writeFile(t, keyHex))
	if err != nil {
		t.Fatalf("account import: %v\n%s", err, out)
	}
	return dir, genesisFile, signer, password, keyHex, append(logs, out)
}

// rpcModules returns the namespaces a node serves over HTTP.
func rpcModules(t *testing.T, url string) []string {
	t.Helper()
	c, err := rpc.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var modules map[string]string
	if err := c.Call(&modules, "rpc_modules"); err != nil {
		t.Fatalf("rpc_modules: %v", err)
	}
	var names []string
	for m := range modules {
		names = append(names, m)
	}
	slices.Sort(names)
	return names
}

// callError returns the JSON-RPC error code of calling method, or 0.
func callError(t *testing.T, url, method string) int {
	t.Helper()
	c, err := rpc.Dial(url)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var out any
	err = c.Call(&out, method)
	var rerr rpc.Error
	if errors.As(err, &rerr) {
		return rerr.ErrorCode()
	}
	if err != nil {
		t.Fatalf("%s: %v", method, err)
	}
	return 0
}

// TestSecurityDefaults checks the README's security defaults on a real signer
// process: JSON-RPC on 127.0.0.1 only, serving eth, net, web3, txpool, clique
// and city, and admin, debug and miner only when listed in --http.api; no IPC
// endpoint; a warning without an allowlist; and the signer's private key in
// none of the output of init, account import and the node (at debug level,
// and as JSON lines with --log.json).
func TestSecurityDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir, _, signer, password, keyHex, logs := signerDir(t)
	httpPort := freeport.T(t)
	url := fmt.Sprintf("http://127.0.0.1:%d", httpPort)
	controlPort := freeport.T(t)
	args := []string{"--datadir", dir, "--signer", signer, "--password", password, "--port", fmt.Sprint(freeport.T(t)), "--nodiscover",
		"--http", "--http.port", fmt.Sprint(httpPort), "--authrpc.port", fmt.Sprint(controlPort), "--verbosity", "5"}
	p := startProc(t, args...)
	client := dial(t, p, url)
	waitFor(t, 30*time.Second, "block 2", func() bool { return headNumber(t, client) >= 2 })

	// JSON-RPC answers on 127.0.0.1 only: 127.0.0.2 is loopback too, but not it.
	if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.2:%d", httpPort), 5*time.Second); err == nil {
		c.Close()
		t.Errorf("JSON-RPC answered on 127.0.0.2:%d: want a listener on 127.0.0.1 only", httpPort)
	}
	if have, want := rpcModules(t, url), []string{"city", "clique", "eth", "net", "rpc", "txpool", "web3"}; !slices.Equal(have, want) {
		t.Errorf("namespaces served by default: have %v, want %v", have, want)
	}
	for _, method := range []string{"admin_nodeInfo", "admin_peers", "debug_gcStats", "miner_stop", "clique_propose", "clique_discard"} {
		if code := callError(t, url, method); code != -32601 {
			t.Errorf("%s by default: have error code %d, want -32601 (method not found)", method, code)
		}
	}
	// The votes are on the control listener, which refuses a request
	// without the JWT (ADR 062); its secret file is made 0600.
	control := fmt.Sprintf("http://127.0.0.1:%d", controlPort)
	resp, err := http.Post(control, "application/json", strings.NewReader(`{"jsonrpc":"2.0","id":1,"method":"clique_propose","params":["0x00000000000000000000000000000000000c0de5",true]}`))
	if err != nil {
		t.Fatalf("control listener: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("clique_propose on the control listener without a token: have HTTP %d, want 401", resp.StatusCode)
	}
	if fi, err := os.Stat(filepath.Join(dir, "citynode", "jwtsecret")); err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("JWT secret file: have %v (err %v), want mode 0600", fi, err)
	}
	if !strings.Contains(p.output(), "No peer allowlist") {
		t.Errorf("logs without --p2p.allowlist: want the warning that anyone may peer; have:\n%s", p.output())
	}
	p.stop()
	logs = append(logs, p.output())

	// Listed with the control plane off, they are served; --log.json
	// writes one JSON object per line.
	p = startProc(t, append(args, "--authrpc=false", "--http.api", "eth,admin,debug,miner", "--log.json")...)
	client = dial(t, p, url)
	waitFor(t, 30*time.Second, "block 3", func() bool { return headNumber(t, client) >= 3 })
	if have := rpcModules(t, url); !slices.Contains(have, "admin") || !slices.Contains(have, "debug") || !slices.Contains(have, "miner") || slices.Contains(have, "clique") {
		t.Errorf("namespaces with --http.api eth,admin,debug,miner: have %v, want exactly those listed (and rpc)", have)
	}
	if code := callError(t, url, "admin_nodeInfo"); code != 0 {
		t.Errorf("admin_nodeInfo when listed: have error code %d, want an answer", code)
	}
	p.stop()
	out := p.output()
	logs = append(logs, out)
	lines := 0
	for _, line := range strings.Split(out, "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		lines++
		var rec map[string]any
		if err := json.Unmarshal([]byte(line), &rec); err != nil || rec["msg"] == nil {
			t.Errorf("--log.json line is not a JSON log record (%v): %q", err, line)
		}
	}
	if lines == 0 {
		t.Error("--log.json: no log lines")
	}

	// No IPC endpoint: no socket anywhere in the data dir.
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && (d.Type()&fs.ModeSocket != 0 || strings.HasSuffix(path, ".ipc")) {
			t.Errorf("IPC endpoint %s: want none", path)
		}
		return nil
	})
	// The key never reaches the output, in any case.
	for _, form := range []string{keyHex, strings.ToUpper(keyHex)} {
		for _, l := range logs {
			if strings.Contains(l, form) {
				t.Fatalf("the signer's private key appears in the output:\n%s", l)
			}
		}
	}
	keystore, err := os.ReadDir(filepath.Join(dir, "keystore"))
	if err != nil || len(keystore) != 1 {
		t.Fatalf("keystore: have %v (err %v), want one key file", keystore, err)
	}
	if data, _ := os.ReadFile(filepath.Join(dir, "keystore", keystore[0].Name())); bytes.Contains(data, []byte(keyHex)) {
		t.Error("the keystore file holds the key in clear")
	}
}

// TestExportImportCommands runs the README's chain commands as printed:
// `citynode export --datadir DIR FILE [FIRST LAST]` and `citynode import
// --datadir DIR FILE...`, into a full node, an archive (`--mode auditor`; the
// wrong mode refused) and a leveldb data dir (`--db.engine leveldb`), which
// then runs as a node.
func TestExportImportCommands(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes")
	}
	dir, genesisFile, signer, password, _, _ := signerDir(t)
	httpPort := freeport.T(t)
	p := startProc(t, "--datadir", dir, "--signer", signer, "--password", password, "--port", fmt.Sprint(freeport.T(t)), "--nodiscover",
		"--http", "--http.port", fmt.Sprint(httpPort), "--authrpc.port", fmt.Sprint(freeport.T(t)))
	client := dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", httpPort))
	waitFor(t, 30*time.Second, "block 3", func() bool { return headNumber(t, client) >= 3 })
	p.stop()

	file := filepath.Join(t.TempDir(), "chain.rlp")
	mustRun := func(want string, args ...string) string {
		t.Helper()
		out, err := run(t, args...)
		if err != nil || !strings.Contains(out, want) {
			t.Fatalf("citynode %s: have err %v, output %q; want %q", strings.Join(args, " "), err, out, want)
		}
		return out
	}
	mustRun("Exported blocks 0..", "export", "--datadir", dir, file)
	mustRun("Exported blocks 1..2 ", "export", "--datadir", dir, filepath.Join(t.TempDir(), "part.rlp"), "1", "2")
	exported, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	// The same chain comes out of each data dir it was imported into.
	reexport := func(dir string, args ...string) {
		t.Helper()
		again := filepath.Join(t.TempDir(), "again.rlp")
		mustRun("Exported blocks 0..", append(append([]string{"export", "--datadir", dir}, args...), again)...)
		if data, err := os.ReadFile(again); err != nil || !bytes.Equal(data, exported) {
			t.Fatalf("export of the data dir %s: have %d bytes (err %v), want the %d imported", dir, len(data), err, len(exported))
		}
	}

	full := t.TempDir()
	mustRun("Initialised", "init", "--datadir", full, genesisFile)
	mustRun("Imported", "import", "--datadir", full, file)
	reexport(full)

	archive := t.TempDir()
	mustRun("Initialised", "init", "--mode", "auditor", "--datadir", archive, genesisFile)
	if out, err := run(t, "import", "--datadir", archive, file); err == nil || !strings.Contains(out, "auditor") {
		t.Errorf("import into an archive without --mode auditor: have err %v, output %q; want a refusal naming the mode", err, out)
	}
	mustRun("Imported", "import", "--mode", "auditor", "--datadir", archive, file)
	reexport(archive, "--mode", "auditor")

	level := t.TempDir()
	mustRun("Initialised", "init", "--db.engine", "leveldb", "--datadir", level, genesisFile)
	mustRun("Imported", "import", "--db.engine", "leveldb", "--datadir", level, file)
	if have := rawdb.PreexistingDatabase(filepath.Join(level, "citynode", "chaindata")); have != rawdb.DBLeveldb {
		t.Fatalf("chain database with --db.engine leveldb: have %q, want %q", have, rawdb.DBLeveldb)
	}
	httpPort = freeport.T(t)
	p = startProc(t, "--datadir", level, "--db.engine", "leveldb", "--mode", "rpc", "--port", fmt.Sprint(freeport.T(t)), "--nodiscover",
		"--http", "--http.port", fmt.Sprint(httpPort))
	client = dial(t, p, fmt.Sprintf("http://127.0.0.1:%d", httpPort))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	head, err := client.HeaderByNumber(ctx, nil)
	if err != nil || head.Number.Uint64() < 3 {
		t.Fatalf("head of the leveldb node: have %v (err %v), want block 3 or later", head, err)
	}
	p.stop()
	reexport(level, "--db.engine", "leveldb")
}
