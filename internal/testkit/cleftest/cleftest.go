// Package cleftest runs geth 1.13.15's clef for tests of external signing
// (ADR 050): built from the module cache by scripts/build-clef113.sh,
// initialised with a master seed, one keystore key whose password it
// stores, and the rule file docker/clef/rules.js (attested), serving its
// external API over HTTP on 127.0.0.1, with the commands and flags
// docs/operations.md prints (passwords on standard input).
package cleftest

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/citychain/citychain/internal/testkit/docsrun"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// RulesFile is the rule file docs/operations.md gives departments, relative
// to the repository: it approves Clique headers and nothing else.
const RulesFile = "docker/clef/rules.js"

const (
	masterPassword  = "citychain clef master password"  // the master seed's password (clef wants 10+ characters)
	accountPassword = "citychain clef account password" // the key's password in clef's keystore
)

// Binary returns the path of clef 1.13.15, building it (once, minutes) with
// scripts/build-clef113.sh. If it cannot be built the test fails under CI
// (proctest.UnderCI) and is skipped elsewhere, with the reason.
func Binary(t testing.TB) string {
	t.Helper()
	root, err := repoRoot()
	if err == nil {
		var out []byte
		cmd := exec.Command(filepath.Join(root, "scripts", "build-clef113.sh"))
		var stderr bytes.Buffer
		cmd.Stderr = &stderr
		if out, err = cmd.Output(); err == nil {
			return strings.TrimSpace(string(out))
		}
		err = fmt.Errorf("%v\n%s", err, stderr.String())
	}
	msg := fmt.Sprintf("clef 1.13.15 could not be built with scripts/build-clef113.sh: %v", err)
	if proctest.UnderCI() {
		t.Fatal(msg + " (CI is set: a missing clef fails the test)")
	}
	t.Skip(msg)
	return ""
}

func repoRoot() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", fmt.Errorf("no go.mod above %s", dir)
		}
		dir = parent
	}
}

// Clef is a running clef.
type Clef struct {
	URL     string
	Address common.Address // the account it signs with
	bin     string
	line    string // the documented command serving the API, placeholders replaced
	dir     string
	mu      sync.Mutex
	cmd     *exec.Cmd
	log     *os.File
	done    chan struct{}
}

// Doc and DocBlock are where the clef commands a test runs are printed: the
// `<!-- run: clef -->` block of docs/operations.md.
const (
	Doc      = "docs/operations.md"
	DocBlock = "clef"
)

// Start sets clef up in a temporary directory with the commands of Doc's
// DocBlock as printed (its placeholders /etc/clef, 0xSIGNER, 4690 and 8550
// replaced by the directory, account, chain id and a free port; passwords on
// standard input): master seed, the key (keyJSON, encrypted with password,
// imported raw), its password in clef's vault, the rule file's attestation,
// then clef itself. It is stopped when the test ends.
func Start(t testing.TB, bin string, account common.Address, keyJSON []byte, password string, chainID uint64) *Clef {
	t.Helper()
	root, err := repoRoot()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	writeKeyAndRules(t, root, dir, account, keyJSON, password)
	cmds, err := docsrun.Parse(root, Doc)
	if err != nil {
		t.Fatal(err)
	}
	port, err := freeport.Get()
	if err != nil {
		t.Fatal(err)
	}
	replace := strings.NewReplacer("/etc/clef", filepath.Join(dir, "clef"), "0xSIGNER", account.Hex(), "--chainid 4690", fmt.Sprintf("--chainid %d", chainID), "8550", fmt.Sprint(port))
	serve := runSetup(t, cmds, replace, dir, bin)
	c := &Clef{URL: fmt.Sprintf("http://127.0.0.1:%d", port), Address: account, bin: bin, dir: dir, line: serve}
	c.Start(t)
	t.Cleanup(c.Stop)
	return c
}

// writeKeyAndRules writes into dir the key of keyJSON, decrypted with
// password, as the raw hex key clef imports (signer.key), and the rule file
// (rules.js).
func writeKeyAndRules(t testing.TB, root, dir string, account common.Address, keyJSON []byte, password string) {
	t.Helper()
	key, err := keystore.DecryptKey(keyJSON, password)
	if err != nil || key.Address != account {
		t.Fatalf("the key for clef: %v (address %s, want %s)", err, key.Address, account)
	}
	if err := os.WriteFile(filepath.Join(dir, "signer.key"), []byte(hex.EncodeToString(crypto.FromECDSA(key.PrivateKey))), 0o600); err != nil {
		t.Fatal(err)
	}
	rulesJS, err := os.ReadFile(filepath.Join(root, RulesFile))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "rules.js"), rulesJS, 0o600); err != nil {
		t.Fatal(err)
	}
}

// runSetup runs in dir the setup commands of Doc's DocBlock, with replace's
// values and clef from bin's directory, answering their prompts, and
// returns the command that serves the external API.
func runSetup(t testing.TB, cmds []docsrun.Command, replace *strings.Replacer, dir, bin string) string {
	t.Helper()
	var serve string
	for _, c := range cmds {
		if c.Block != DocBlock {
			continue
		}
		line := replace.Replace(c.Key)
		sub := clefSubcommand(c.Key)
		if sub == "" {
			serve = line
			continue
		}
		stdin, ok := setupAnswers(sub)
		if !ok {
			t.Fatalf("%s: clef %s in the %q block: the test knows no answers for it", Doc, sub, DocBlock)
		}
		cmd := exec.Command("bash", "-c", line)
		cmd.Dir, cmd.Stdin = dir, strings.NewReader(stdin)
		cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("%s: %s: %v\n%s", Doc, line, err, out)
		}
	}
	if serve == "" {
		t.Fatalf("%s has no clef command serving the external API in its %q block", Doc, DocBlock)
	}
	return serve
}

// setupAnswers returns what clef's setup subcommand sub reads on standard
// input, and false for a subcommand the test has no answers for.
func setupAnswers(sub string) (string, bool) {
	switch sub {
	case "init":
		return masterPassword + "\n" + masterPassword + "\n", true
	case "importraw":
		return accountPassword + "\n" + accountPassword + "\n", true
	case "setpw":
		return accountPassword + "\n" + accountPassword + "\n" + masterPassword + "\n", true
	case "attest":
		return masterPassword + "\n", true
	}
	return "", false
}

// clefSubcommand returns the subcommand of a clef command line ("init",
// "setpw", ...), "" for clef serving its API.
func clefSubcommand(line string) string {
	for _, f := range strings.Fields(line) {
		switch f {
		case "init", "importraw", "setpw", "attest", "newaccount":
			return f
		}
	}
	return ""
}

// Start starts clef (again) with the master password on its standard
// input, and waits until its HTTP endpoint accepts connections.
func (c *Clef) Start(t testing.TB) {
	t.Helper()
	c.mu.Lock()
	defer c.mu.Unlock()
	logFile, err := os.OpenFile(filepath.Join(c.dir, "clef.log"), os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("bash", "-c", "exec "+c.line)
	cmd.Dir = c.dir
	cmd.Env = append(os.Environ(), "PATH="+filepath.Dir(c.bin)+string(os.PathListSeparator)+os.Getenv("PATH"))
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	// The pipe stays open: clef reads its UI's answers from it.
	fmt.Fprintln(stdin, masterPassword)
	done := make(chan struct{})
	go func() { cmd.Wait(); logFile.Close(); close(done) }()
	c.cmd, c.log, c.done = cmd, logFile, done
	addr := strings.TrimPrefix(c.URL, "http://")
	proctest.WaitFor(t, 30*time.Second, "clef to listen on "+addr, func() bool {
		select {
		case <-done:
			t.Fatalf("clef exited:\n%s", c.Output())
		default:
		}
		conn, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			conn.Close()
		}
		return err == nil
	})
}

// Stop ends clef (SIGTERM, then SIGKILL after 10 s) if it runs.
func (c *Clef) Stop() {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.cmd == nil {
		return
	}
	c.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.done
	}
	c.cmd = nil
}

// Output returns clef's log so far.
func (c *Clef) Output() string {
	data, _ := os.ReadFile(filepath.Join(c.dir, "clef.log"))
	return string(data)
}
