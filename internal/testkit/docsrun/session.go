package docsrun

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Placeholders are the words of documented commands a test may replace, with
// what each stands for. Session.Set refuses any other: a test adapts a command
// to its chain by these words only, never by editing the command.
var Placeholders = map[string]string{
	// Values the reader takes from an earlier output or from their own files.
	"0xKEY_OF_ACCOUNT_1":      "dev account 1's key, from the banner of citynode dev",
	"0xREF":                   "a holder reference, keccak256(salt, holder id)",
	"0xDOCHASH":               "the hash of a document the reader issued",
	"0xOLD":                   "the hash of the document being superseded",
	"0xNEW":                   "the hash of the new document (and, in docs/operations.md, the new signer's address)",
	"0xACCOUNT":               "an account to grant a role to",
	"0xADDRESS":               "an account to prove",
	"0xA":                     "an owner's account",
	"0xB":                     "another owner's account",
	"0xBLOCKHASH":             "the hash of the block the proof is of, from a source the reader trusts",
	"0xLEAVING":               "the address of the signer being removed",
	"0xRELAYER":               "the account of a department's anchor relayer (docs/integration.md)",
	"0xTXHASH":                "a transaction of the external chain (docs/integration.md)",
	"N":                       "the block number to prove at",
	"1200":                    "the block number to prove at (README: a past block of a running chain)",
	"enode://...":             "the enode URL of a member node",
	"enode://...,enode://...": "the enode URLs of the member nodes",
	// Where things are on the reader's machine, and the ports they listen on.
	"http://127.0.0.1:8545":     "the JSON-RPC URL of the node",
	"8545":                      "the JSON-RPC port of the node",
	"8551":                      "the port of a signer's control listener",
	"http://10.0.2.11:8545":     "an rpc node's URL",
	"http://10.0.2.12:8545":     "another rpc node's URL",
	"http://10.0.2.13:8545":     "a third node's URL",
	"http://10.20.0.5:8545":     "a node of the external chain being anchored (docs/integration.md)",
	"2026-12-08T09:00:00Z":      "the Shanghai fork time of an upgrade (docs/modern-evm.md)",
	"2026-12-15T09:00:00Z":      "the Cancun and Prague fork time of an upgrade",
	"/etc/citynode/admin.json":  "the keystore file of a funded account",
	"10.0.0.9":                  "the new department's host address",
	"30303":                     "the devp2p port",
	"/var/lib/citynode":         "the node's data dir",
	"/var/lib/auditor":          "the auditor's data dir",
	"/etc/citynode/password":    "the password file of the signer key",
	"/etc/citynode/members.txt": "the allowlist file",
	"/tmp/devchain":             "a directory for the dev chain",
	"/tmp/citynet":              "a directory for the local network",
}

// Session runs the commands of one document with bash, in the document's
// order, in a working directory of its own: each command as printed, after
// the placeholders the test set (Set) are replaced by their values.
type Session struct {
	t    testing.TB
	Root string // the repository
	Doc  string // the document, relative to Root
	Dir  string // the working directory (holds a link build -> Root/build)
	Env  []string

	cmds []Command
	next int
	vars map[string]string
}

// NewSession parses doc (relative to root) and makes a working directory for
// its commands. bin is the directory of the binaries (put first on PATH).
func NewSession(t testing.TB, root, doc, bin string) *Session {
	t.Helper()
	cmds, err := Parse(root, doc)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(filepath.Join(root, "build"), filepath.Join(dir, "build")); err != nil {
		t.Fatal(err)
	}
	env := append(os.Environ(), "PATH="+bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return &Session{t: t, Root: root, Doc: doc, Dir: dir, Env: env, cmds: cmds, vars: map[string]string{}}
}

// Set makes the placeholder word stand for value in the commands that follow.
func (s *Session) Set(word, value string) {
	s.t.Helper()
	if _, ok := Placeholders[word]; !ok {
		s.t.Fatalf("%q is not a declared placeholder (docsrun.Placeholders): a test replaces placeholders, never other words of a command", word)
	}
	s.vars[word] = value
}

// Setenv adds an environment variable for the commands that follow.
func (s *Session) Setenv(name, value string) { s.Env = append(s.Env, name+"="+value) }

// File writes a file the reader is assumed to have into the working directory.
func (s *Session) File(name, content string) string {
	s.t.Helper()
	path := filepath.Join(s.Dir, name)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		s.t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		s.t.Fatal(err)
	}
	return path
}

// Path is name in the working directory.
func (s *Session) Path(name string) string { return filepath.Join(s.Dir, name) }

// find returns the next command of the document with this key, in order.
func (s *Session) find(key string) Command {
	s.t.Helper()
	// The same command again: the document's "on each signer's machine".
	if s.next > 0 && s.cmds[s.next-1].Key == key {
		return s.cmds[s.next-1]
	}
	for i := s.next; i < len(s.cmds); i++ {
		if s.cmds[i].Key == key {
			s.next = i + 1
			return s.cmds[i]
		}
	}
	after := "its start"
	if s.next > 0 {
		after = fmt.Sprintf("line %d", s.cmds[s.next-1].Line)
	}
	s.t.Fatalf("%s has no command %q after %s: the document changed; make the test run the command as it is printed now, in the document's order (docs/testing.md, \"Documentation that runs\")", s.Doc, key, after)
	return Command{}
}

var wordChar = regexp.MustCompile(`^[A-Za-z0-9_]`)

// Expand replaces the placeholders set in text: whole words only, longest first.
func (s *Session) Expand(text string) string {
	words := make([]string, 0, len(s.vars))
	for w := range s.vars {
		words = append(words, w)
	}
	sort.Slice(words, func(i, j int) bool { return len(words[i]) > len(words[j]) })
	for _, w := range words {
		pre, post := `(^|[^A-Za-z0-9_])`, `($|[^A-Za-z0-9_])`
		if !wordChar.MatchString(w) {
			pre = `()`
		}
		if !wordChar.MatchString(w[len(w)-1:]) {
			post = `()`
		}
		re := regexp.MustCompile(pre + regexp.QuoteMeta(w) + post)
		val := s.vars[w]
		text = re.ReplaceAllStringFunc(text, func(m string) string {
			sub := re.FindStringSubmatch(m)
			return sub[1] + val + sub[2]
		})
	}
	return text
}

// Result is what a command did.
type Result struct {
	Cmd    Command
	Ran    string // the text run, placeholders replaced
	Stdout string
	Stderr string
	Code   int
}

// Out is standard output and standard error together.
func (r Result) Out() string { return r.Stdout + r.Stderr }

func (s *Session) exec(dir, key string) Result {
	s.t.Helper()
	c := s.find(key)
	ran := s.Expand(c.Text)
	script := ran
	// A variable assignment (K="--keystore ...") holds for the document's
	// later commands, as in the reader's shell: it is kept in the environment.
	name := assignment.FindStringSubmatch(c.Key)
	if name != nil {
		script = ran + "\nprintf %s \"$" + name[1] + "\""
	}
	cmd := exec.Command("bash", "-e", "-o", "pipefail", "-c", script)
	cmd.Dir, cmd.Env = dir, s.Env
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	code := 0
	var exit *exec.ExitError
	if errors.As(err, &exit) {
		code = exit.ExitCode()
	} else if err != nil {
		s.t.Fatalf("%s: %v", c, err)
	}
	if name != nil && code == 0 {
		s.Setenv(name[1], stdout.String())
		stdout.Reset()
	}
	return Result{Cmd: c, Ran: ran, Stdout: stdout.String(), Stderr: stderr.String(), Code: code}
}

var assignment = regexp.MustCompile(`^([A-Za-z_][A-Za-z0-9_]*)=("[^"]*"|'[^']*'|[^\s;&|]*)$`)

// Run runs the document's next command whose key is key and fails the test
// unless it exits 0 and its output contains each of want.
func (s *Session) Run(key string, want ...string) Result {
	s.t.Helper()
	return s.check(s.exec(s.Dir, key), 0, want)
}

// RunExit is Run for a command documented to exit with code.
func (s *Session) RunExit(key string, code int, want ...string) Result {
	s.t.Helper()
	return s.check(s.exec(s.Dir, key), code, want)
}

// RunInRepo is Run in the repository root, for the make targets.
func (s *Session) RunInRepo(key string, want ...string) Result {
	s.t.Helper()
	return s.check(s.exec(s.Root, key), 0, want)
}

func (s *Session) check(r Result, code int, want []string) Result {
	s.t.Helper()
	if r.Code != code {
		s.t.Fatalf("%s\nran: %s\nexit status %d, want %d\nstdout:\n%s\nstderr:\n%s", r.Cmd, r.Ran, r.Code, code, r.Stdout, r.Stderr)
	}
	for _, w := range want {
		if !strings.Contains(r.Out(), w) {
			s.t.Fatalf("%s\nran: %s\noutput has no %q\nstdout:\n%s\nstderr:\n%s", r.Cmd, r.Ran, w, r.Stdout, r.Stderr)
		}
	}
	return r
}

// Proc is a documented command that runs until stopped (a node, a gateway,
// a watch).
type Proc struct {
	Cmd  Command
	Ran  string
	t    testing.TB
	cmd  *exec.Cmd
	mu   sync.Mutex
	out  bytes.Buffer
	done chan struct{}
	err  error
}

func (p *Proc) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.Write(b)
}

// Output is what the process printed so far, standard output and error.
func (p *Proc) Output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.out.String()
}

// Exited reports whether the process has ended.
func (p *Proc) Exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// Start starts the document's next command with this key in the working
// directory; the test's cleanup stops it.
func (s *Session) Start(key string) *Proc { s.t.Helper(); return s.start(s.Dir, key) }

// StartInRepo is Start in the repository root, for make run.
func (s *Session) StartInRepo(key string) *Proc { s.t.Helper(); return s.start(s.Root, key) }

func (s *Session) start(dir, key string) *Proc {
	s.t.Helper()
	c := s.find(key)
	ran := s.Expand(c.Text)
	// Its own process group: Stop's SIGINT reaches the command and its
	// children (make run's citynode), as Ctrl-C in a terminal would.
	p := &Proc{Cmd: c, Ran: ran, t: s.t, done: make(chan struct{})}
	p.cmd = exec.Command("bash", "-c", ran)
	p.cmd.Dir, p.cmd.Env = dir, s.Env
	p.cmd.Stdout, p.cmd.Stderr = p, p
	p.cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := p.cmd.Start(); err != nil {
		s.t.Fatalf("%s: %v", c, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	s.t.Cleanup(func() { p.kill() })
	return p
}

// WaitFor waits until the output contains text, failing if the process ends first.
func (p *Proc) WaitFor(timeout time.Duration, text string) {
	p.t.Helper()
	proctest.WaitFor(p.t, timeout, fmt.Sprintf("%q in the output of %s", text, p.Cmd), func() bool {
		if strings.Contains(p.Output(), text) {
			return true
		}
		if p.Exited() {
			p.t.Fatalf("%s\nran: %s\nended (%v) before printing %q:\n%s", p.Cmd, p.Ran, p.err, text, p.Output())
		}
		return false
	})
}

// Stop interrupts the process group (SIGINT, what Ctrl-C sends) and waits for
// it to end; it fails the test if it does not end within timeout or exits
// with an error.
func (p *Proc) Stop(timeout time.Duration) {
	p.t.Helper()
	if !p.Exited() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGINT)
	}
	select {
	case <-p.done:
	case <-time.After(timeout):
		p.kill()
		p.t.Fatalf("%s did not end within %v of SIGINT:\n%s", p.Cmd, timeout, p.Output())
	}
	if p.err != nil {
		var exit *exec.ExitError
		// make reports an interrupted child as its own failure.
		if !(errors.As(p.err, &exit) && strings.HasPrefix(p.Cmd.Key, "make ")) {
			p.t.Errorf("%s ended with %v after SIGINT:\n%s", p.Cmd, p.err, p.Output())
		}
	}
}

func (p *Proc) kill() {
	if !p.Exited() {
		syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
	}
}
