package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/genesis"
	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

// Binaries built once for the process tests.
var citygateBin, citynodeBin string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run())
	}
	code := func() int {
		var cleanups []func()
		defer func() {
			for _, c := range cleanups {
				c()
			}
		}()
		for _, b := range []struct {
			pkg, name string
			dst       *string
		}{{".", "citygate", &citygateBin}, {"../citynode", "citynode", &citynodeBin}} {
			path, cleanup, err := proctest.Build(b.pkg, b.name)
			if err != nil {
				fmt.Fprintln(os.Stderr, err)
				return 1
			}
			cleanups = append(cleanups, cleanup)
			*b.dst = path
		}
		return m.Run()
	}()
	os.Exit(code)
}

// proc is a process under test, restartable with the same arguments.
type proc struct {
	t    testing.TB
	name string
	bin  string
	args []string
	dir  string // working directory; "" for the test's
	log  *os.File

	mu   sync.Mutex
	cmd  *exec.Cmd
	done chan struct{}
	tail []string // last lines of output
}

// startProc starts bin with args; its output goes to a log file in the
// test's temp dir (and its last lines into failure messages).
func startProc(t testing.TB, name, bin string, args ...string) *proc {
	t.Helper()
	return startProcIn(t, "", name, bin, args...)
}

// startProcIn is startProc in working directory dir.
func startProcIn(t testing.TB, dir, name, bin string, args ...string) *proc {
	t.Helper()
	f, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
	if err != nil {
		t.Fatal(err)
	}
	p := &proc{t: t, name: name, bin: bin, args: args, dir: dir, log: f}
	p.start()
	t.Cleanup(func() {
		p.kill()
		f.Close()
	})
	return p
}

func (p *proc) start() {
	p.t.Helper()
	cmd := exec.Command(p.bin, p.args...)
	cmd.Dir = p.dir
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		p.t.Fatal(err)
	}
	done := make(chan struct{})
	p.mu.Lock()
	p.cmd, p.done = cmd, done
	p.mu.Unlock()
	go func() {
		sc := bufio.NewScanner(out)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			fmt.Fprintln(p.log, line)
			p.mu.Lock()
			p.tail = append(p.tail, line)
			if len(p.tail) > 40 {
				p.tail = p.tail[len(p.tail)-40:]
			}
			p.mu.Unlock()
		}
		io.Copy(io.Discard, out)
		cmd.Wait()
		close(done)
	}()
}

// output returns the process's last lines of output.
func (p *proc) output() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return strings.Join(p.tail, "\n")
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	p.mu.Lock()
	done := p.done
	p.mu.Unlock()
	select {
	case <-done:
		return true
	default:
		return false
	}
}

// signal sends sig and waits up to timeout for the process to end.
func (p *proc) signal(sig syscall.Signal, timeout time.Duration) bool {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.mu.Unlock()
	if cmd == nil {
		return true
	}
	cmd.Process.Signal(sig)
	select {
	case <-done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// kill ends the process with SIGKILL.
func (p *proc) kill() {
	if !p.signal(syscall.SIGKILL, 10*time.Second) {
		p.t.Errorf("%s did not exit after SIGKILL", p.name)
	}
}

// stop ends the process with SIGTERM, failing the test if it does not
// exit cleanly within 30 s.
func (p *proc) stop() {
	p.t.Helper()
	if !p.signal(syscall.SIGTERM, 30*time.Second) {
		p.t.Errorf("%s did not stop within 30 s of SIGTERM:\n%s", p.name, p.output())
		p.kill()
	}
}

// devChain is a `citynode dev` process on a data dir that survives restarts.
type devChain struct {
	*proc
	url string
}

// startDev starts citynode dev (period 1 s) and waits for block 1.
func startDev(t testing.TB) *devChain {
	t.Helper()
	port := freeport.T(t)
	d := &devChain{url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	d.proc = startProc(t, "citynode", citynodeBin, "dev", "--datadir", filepath.Join(t.TempDir(), "dev"),
		"--http.port", fmt.Sprint(port), "--period", "1", "--verbosity", "2",
		// A node that limits eth_getLogs ranges, as an operator may: every
		// read of the gateway must page within it (ADR 058).
		"--rpc.logrange", "8")
	d.waitBlock(t, 1)
	return d
}

// waitBlock waits until the chain's head reaches n.
func (d *devChain) waitBlock(t testing.TB, n uint64) {
	t.Helper()
	proctest.WaitFor(t, 60*time.Second, fmt.Sprintf("%s at block %d", d.url, n), func() bool {
		if d.exited() {
			t.Fatalf("citynode exited:\n%s", d.output())
		}
		return headOf(d.url) >= n
	})
}

// headOf returns the head of the node at url, 0 if it does not answer.
func headOf(url string) uint64 {
	c, err := ethclient.Dial(url)
	if err != nil {
		return 0
	}
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n, _ := c.BlockNumber(ctx)
	return n
}

// gate is a citygate process.
type gate struct {
	*proc
	url string
}

// startGate starts citygate on a free port with the given flags and waits
// until it is ready.
func startGate(t testing.TB, args ...string) *gate {
	t.Helper()
	port := freeport.T(t)
	g := &gate{url: fmt.Sprintf("http://127.0.0.1:%d", port)}
	g.proc = startProc(t, "citygate", citygateBin, append([]string{"--http.port", fmt.Sprint(port), "--verbosity", "4"}, args...)...)
	g.waitReady(t)
	return g
}

// waitReady waits until the gateway answers /health/ready with 200.
func (g *gate) waitReady(t testing.TB) {
	t.Helper()
	proctest.WaitFor(t, 30*time.Second, "citygate ready at "+g.url, func() bool {
		if g.exited() {
			t.Fatalf("citygate exited:\n%s", g.output())
		}
		resp, err := http.Get(g.url + "/health/ready")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == http.StatusOK
	})
}

// relayerKey writes the dev relayer's key (account 5, RELAYER of
// PARTICIPATION) to a file and returns its path.
func relayerKey(t testing.TB) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "relayer.key")
	if err := crypto.SaveECDSA(path, genesis.DevAccounts(6)[5].Key); err != nil {
		t.Fatal(err)
	}
	return path
}
