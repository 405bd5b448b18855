package docsrun

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/accounts/keystore"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/citychain/citychain/internal/testkit/freeport"
	"github.com/citychain/citychain/internal/testkit/proctest"
)

var (
	buildOnce sync.Once
	buildErr  error
)

// binaries runs `make build` once in the repository, as the README says
// (the documents' build/bin), and returns the directory of the binaries.
func binaries(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("runs the documented commands against real processes")
	}
	root, err := filepath.Abs(repoRoot)
	if err != nil {
		t.Fatal(err)
	}
	buildOnce.Do(func() {
		cmd := exec.Command("make", "--no-print-directory", "build")
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			buildErr = fmt.Errorf("make build: %v\n%s", err, out)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	return filepath.Join(root, "build", "bin")
}

// newSession is NewSession for the repository, with the binaries built.
func newSession(t *testing.T, doc string) *Session {
	t.Helper()
	bin := binaries(t)
	root, _ := filepath.Abs(repoRoot)
	return NewSession(t, root, doc, bin)
}

// devChain is a `citynode dev` the test starts for a document's commands
// (the documents assume one is running), and what its banner says.
type devChain struct {
	Port    int
	URL     string
	Keys    [10]string // 0x-hex keys, as the banner prints them
	Addrs   [10]common.Address
	Genesis string // its genesis.json
	proc    *exec.Cmd
	client  *ethclient.Client
}

var bannerLine = regexp.MustCompile(`(?m)^\((\d)\) (0x[0-9a-fA-F]{40})  key (0x[0-9a-f]{64})$`)

// startDev starts citynode dev with a data dir, a free port and period 1,
// waits for its banner and its first block, and stops it when the test ends.
func startDev(t *testing.T, bin string) *devChain {
	t.Helper()
	d := &devChain{Port: freeport.T(t)}
	d.URL = fmt.Sprintf("http://127.0.0.1:%d", d.Port)
	dir := t.TempDir()
	d.Genesis = filepath.Join(dir, "genesis.json")
	out := &syncBuffer{}
	d.proc = exec.Command(filepath.Join(bin, "citynode"), "dev", "--datadir", dir, "--http.port", fmt.Sprint(d.Port), "--verbosity", "2")
	d.proc.Stdout, d.proc.Stderr = out, out
	if err := d.proc.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { d.proc.Wait(); close(done) }()
	t.Cleanup(func() {
		d.proc.Process.Signal(os.Interrupt)
		select {
		case <-done:
		case <-time.After(20 * time.Second):
			d.proc.Process.Kill()
			<-done
		}
	})
	proctest.WaitFor(t, 60*time.Second, "the dev chain's banner", func() bool {
		select {
		case <-done:
			t.Fatalf("citynode dev ended:\n%s", out.String())
		default:
		}
		return len(bannerLine.FindAllStringSubmatch(out.String(), -1)) == 10
	})
	for _, m := range bannerLine.FindAllStringSubmatch(out.String(), -1) {
		i := int(m[1][0] - '0')
		d.Addrs[i], d.Keys[i] = common.HexToAddress(m[2]), m[3]
	}
	var err error
	if d.client, err = ethclient.Dial(d.URL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(d.client.Close)
	proctest.WaitFor(t, 30*time.Second, "block 1 of the dev chain", func() bool { return d.head(t) >= 1 })
	return d
}

func (d *devChain) head(t *testing.T) uint64 {
	n, err := d.client.BlockNumber(context.Background())
	if err != nil {
		return 0
	}
	return n
}

// blockHash is the hash of block n, read from the node: what the reader takes
// from a source they trust.
func (d *devChain) blockHash(t *testing.T, n uint64) string {
	t.Helper()
	h, err := d.client.HeaderByNumber(context.Background(), new(big.Int).SetUint64(n))
	if err != nil {
		t.Fatal(err)
	}
	return h.Hash().Hex()
}

// keystoreFile writes dev account i's key as a Web3 Secret Storage file with
// its password file, as `citynode account new` would.
func (d *devChain) keystoreFile(t *testing.T, s *Session, name, pwName string, i int) {
	t.Helper()
	priv, err := crypto.HexToECDSA(strings.TrimPrefix(d.Keys[i], "0x"))
	if err != nil {
		t.Fatal(err)
	}
	key := &keystore.Key{Address: d.Addrs[i], PrivateKey: priv}
	blob, err := keystore.EncryptKey(key, "pw-"+name, keystore.LightScryptN, keystore.LightScryptP)
	if err != nil {
		t.Fatal(err)
	}
	s.File(name, string(blob))
	s.File(pwName, "pw-"+name+"\n")
}

type syncBuffer struct {
	mu sync.Mutex
	b  strings.Builder
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

// match returns the first group of re in text, failing the test without it.
func match(t *testing.T, re, text string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(text)
	if m == nil {
		t.Fatalf("no %s in:\n%s", re, text)
	}
	return m[1]
}
