package allowlist

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/p2p/enode"
	"github.com/ethereum/go-ethereum/p2p/enr"
)

// key returns a deterministic key for a label ("A", "B", ...).
func key(label string) *ecdsa.PrivateKey {
	k, err := crypto.ToECDSA(crypto.Keccak256([]byte("allowlist test key " + label)))
	if err != nil {
		panic(err)
	}
	return k
}

// id returns the node ID of a label's key.
func id(label string) enode.ID { return enode.PubkeyToIDV4(&key(label).PublicKey) }

// enodeURL returns a label's enode URL with an address.
func enodeURL(label string) string {
	return enode.NewV4(&key(label).PublicKey, net.IP{10, 0, 0, 1}, 30303, 30303).URLv4()
}

// record returns a label's signed node record in its text form.
func record(label string) string {
	var r enr.Record
	if err := enode.SignV4(&r, key(label)); err != nil {
		panic(err)
	}
	n, err := enode.New(enode.ValidSchemes, &r)
	if err != nil {
		panic(err)
	}
	return n.String()
}

// pubkey returns a label's public key as 128 hex characters.
func pubkey(label string) string {
	return fmt.Sprintf("%x", crypto.FromECDSAPub(&key(label).PublicKey)[1:])
}

// writeList writes lines to a file in dir and returns its path.
func writeList(t *testing.T, path string, lines ...string) string {
	t.Helper()
	if err := os.WriteFile(path, []byte(strings.Join(lines, "\n")+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestParse(t *testing.T) {
	tests := []struct {
		name     string
		input    string
		want     []enode.ID
		wantLine string // substring of the error; empty for success
	}{
		{
			name:  "every form with comments and blank lines",
			input: "# consortium\n\n" + enodeURL("A") + "  # transport dept\n" + record("B") + "\n" + pubkey("C") + "\n  " + id("D").String() + "\n0x" + id("E").String() + "\n",
			want:  []enode.ID{id("A"), id("B"), id("C"), id("D"), id("E")},
		},
		{
			name:  "enode URL without address",
			input: "enode://" + pubkey("A") + "\n",
			want:  []enode.ID{id("A")},
		},
		{
			name:     "short hex on line 3",
			input:    id("A").String() + "\n# ok\nabcdef\n",
			wantLine: "line 3",
		},
		{
			name:     "non-hex node id on line 2",
			input:    id("A").String() + "\n" + strings.Repeat("z", 64) + "\n",
			wantLine: "line 2",
		},
		{
			name:     "public key not on the curve",
			input:    strings.Repeat("0", 128) + "\n",
			wantLine: "line 1",
		},
		{
			name:     "broken enode URL",
			input:    "enode://nothex@10.0.0.1:30303\n",
			wantLine: "line 1",
		},
		{
			name:     "broken record",
			input:    "enr:!!!\n",
			wantLine: "line 1",
		},
		{
			name:     "only comments",
			input:    "# nobody\n\n",
			wantLine: errEmpty.Error(),
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ids, err := Parse(strings.NewReader(tt.input))
			if tt.wantLine != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantLine) {
					t.Fatalf("have error %v, want one containing %q", err, tt.wantLine)
				}
				return
			}
			if err != nil {
				t.Fatalf("have error %v, want nil", err)
			}
			if fmt.Sprint(ids) != fmt.Sprint(tt.want) {
				t.Fatalf("have ids %v, want %v", ids, tt.want)
			}
		})
	}
}

func TestParseMalformedIsSentinel(t *testing.T) {
	_, err := Parse(strings.NewReader("nonsense\n"))
	if !errors.Is(err, errMalformed) {
		t.Fatalf("have error %v, want errMalformed", err)
	}
}

func TestLoadAndAllowed(t *testing.T) {
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), enodeURL("A"), id("B").String())
	list, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		label string
		want  bool
	}{{"A", true}, {"B", true}, {"C", false}} {
		if have := list.Allowed(id(tt.label)); have != tt.want {
			t.Errorf("Allowed(%s): have %v, want %v", tt.label, have, tt.want)
		}
	}
	if have := list.Len(); have != 2 {
		t.Errorf("have Len %d, want 2", have)
	}
}

func TestLoadErrorNamesFileAndLine(t *testing.T) {
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), id("A").String(), "enode://bad")
	_, err := Load(path)
	if err == nil || !strings.Contains(err.Error(), path) || !strings.Contains(err.Error(), "line 2") {
		t.Fatalf("have error %v, want one naming %s and line 2", err, path)
	}
	if _, err := Load(filepath.Join(t.TempDir(), "missing")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("have error %v, want os.ErrNotExist", err)
	}
}

func TestReload(t *testing.T) {
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), id("A").String(), id("B").String())
	list, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}

	// A good file replaces the list.
	writeList(t, path, id("B").String(), id("C").String())
	if err := list.Reload(); err != nil {
		t.Fatalf("have error %v, want nil", err)
	}
	if list.Allowed(id("A")) || !list.Allowed(id("B")) || !list.Allowed(id("C")) {
		t.Fatalf("have A=%v B=%v C=%v, want false true true", list.Allowed(id("A")), list.Allowed(id("B")), list.Allowed(id("C")))
	}

	// A bad file, an empty one or a missing one keeps the list in force.
	for _, tt := range []struct {
		name  string
		write func()
	}{
		{"malformed", func() { writeList(t, path, id("D").String(), "garbage") }},
		{"empty", func() { writeList(t, path, "# truncated") }},
		{"missing", func() { os.Remove(path) }},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.write()
			if err := list.Reload(); err == nil {
				t.Fatal("have nil error, want one")
			}
			if !list.Allowed(id("B")) || !list.Allowed(id("C")) || list.Allowed(id("D")) {
				t.Fatalf("have B=%v C=%v D=%v, want true true false", list.Allowed(id("B")), list.Allowed(id("C")), list.Allowed(id("D")))
			}
		})
	}
}

// TestReloadConcurrent checks that Allowed never sees a half-swapped list
// (run with -race).
func TestReloadConcurrent(t *testing.T) {
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), id("A").String())
	list, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 200 {
			if !list.Allowed(id("A")) {
				t.Error("have A refused, want allowed during reloads")
				return
			}
		}
	}()
	for range 20 {
		if err := list.Reload(); err != nil {
			t.Error(err)
		}
	}
	wg.Wait()
}

// pipePeer returns a p2p peer for a label over a message pipe, and the far end.
func pipePeer(t *testing.T, label string) (*p2p.Peer, p2p.MsgReadWriter, *p2p.MsgPipeRW) {
	t.Helper()
	local, remote := p2p.MsgPipe()
	t.Cleanup(func() { local.Close() })
	return p2p.NewPeerPipe(id(label), label, nil, local), local, remote
}

// recordCounter counts log records by message.
type recordCounter struct {
	mu     sync.Mutex
	counts map[string]int
}

func (h *recordCounter) Enabled(context.Context, slog.Level) bool { return true }
func (h *recordCounter) Handle(_ context.Context, r slog.Record) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.counts[r.Message]++
	return nil
}
func (h *recordCounter) WithAttrs([]slog.Attr) slog.Handler { return h }
func (h *recordCounter) WithGroup(string) slog.Handler      { return h }

func (h *recordCounter) count(msg string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.counts[msg]
}

// captureLogs routes the default logger to a counter for the test.
func captureLogs(t *testing.T) *recordCounter {
	h := &recordCounter{counts: make(map[string]int)}
	old := log.Root()
	log.SetDefault(log.NewLogger(h))
	t.Cleanup(func() { log.SetDefault(old) })
	return h
}

func TestWrap(t *testing.T) {
	logs := captureLogs(t)
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), id("A").String())
	list, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	errInner := errors.New("inner protocol ran")
	var ran []enode.ID
	protos := []p2p.Protocol{
		{Name: "eth", Version: 69, Length: 18, Run: func(p *p2p.Peer, _ p2p.MsgReadWriter) error { ran = append(ran, p.ID()); return errInner }},
		{Name: "poa", Version: 1, Length: 5, Run: func(p *p2p.Peer, _ p2p.MsgReadWriter) error { ran = append(ran, p.ID()); return errInner }},
	}
	wrapped := list.Wrap(protos)
	if len(wrapped) != len(protos) {
		t.Fatalf("have %d protocols, want %d", len(wrapped), len(protos))
	}
	for i := range wrapped {
		if wrapped[i].Name != protos[i].Name || wrapped[i].Version != protos[i].Version || wrapped[i].Length != protos[i].Length {
			t.Fatalf("protocol %d: have %s/%d len %d, want %s/%d len %d", i, wrapped[i].Name, wrapped[i].Version, wrapped[i].Length,
				protos[i].Name, protos[i].Version, protos[i].Length)
		}
	}

	// A listed peer reaches every protocol.
	for _, proto := range wrapped {
		peer, rw, _ := pipePeer(t, "A")
		if err := proto.Run(peer, rw); !errors.Is(err, errInner) {
			t.Fatalf("%s: have error %v, want the inner protocol's", proto.Name, err)
		}
	}
	if len(ran) != 2 {
		t.Fatalf("have %d inner runs, want 2", len(ran))
	}

	// A peer not on the list is refused by every protocol, logged once.
	ran = nil
	for range 3 {
		for _, proto := range wrapped {
			peer, rw, _ := pipePeer(t, "B")
			if err := proto.Run(peer, rw); err != RefuseReason {
				t.Fatalf("%s: have error %v, want %v", proto.Name, err, RefuseReason)
			}
		}
	}
	if len(ran) != 0 {
		t.Fatalf("have inner protocols run for %v, want none", ran)
	}
	if have := logs.count("Refused peer not on the allowlist"); have != 1 {
		t.Fatalf("have %d refusal log lines, want 1", have)
	}

	// The original slice is untouched: its Run still admits anyone.
	peer, rw, _ := pipePeer(t, "B")
	if err := protos[0].Run(peer, rw); !errors.Is(err, errInner) {
		t.Fatalf("have error %v from the original protocol, want the inner protocol's", err)
	}

	// After a reload that admits B, B passes; a reload that drops it logs again.
	writeList(t, path, id("A").String(), id("B").String())
	if err := list.Reload(); err != nil {
		t.Fatal(err)
	}
	peer, rw, _ = pipePeer(t, "B")
	if err := wrapped[1].Run(peer, rw); !errors.Is(err, errInner) {
		t.Fatalf("have error %v after reload, want the inner protocol's", err)
	}
	writeList(t, path, id("A").String())
	if err := list.Reload(); err != nil {
		t.Fatal(err)
	}
	peer, rw, _ = pipePeer(t, "B")
	if err := wrapped[1].Run(peer, rw); err != RefuseReason {
		t.Fatalf("have error %v, want %v", err, RefuseReason)
	}
	if have := logs.count("Refused peer not on the allowlist"); have != 2 {
		t.Fatalf("have %d refusal log lines, want 2", have)
	}
}

// peerList is a PeerLister over fixed peers.
type peerList []*p2p.Peer

func (l peerList) Peers() []*p2p.Peer { return l }

func TestDisconnectRemoved(t *testing.T) {
	path := writeList(t, filepath.Join(t.TempDir(), "allowlist"), id("A").String(), id("B").String())
	list, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	peerA, localA, remoteA := pipePeer(t, "A")
	peerB, _, remoteB := pipePeer(t, "B")
	peers := peerList{peerA, peerB}

	if have := list.DisconnectRemoved(peers); have != 0 {
		t.Fatalf("have %d disconnected before reload, want 0", have)
	}
	writeList(t, path, id("A").String())
	if err := list.Reload(); err != nil {
		t.Fatal(err)
	}
	if have := list.DisconnectRemoved(peers); have != 1 {
		t.Fatalf("have %d disconnected, want 1", have)
	}
	// B's connection is closed; A's still carries messages.
	if _, err := remoteB.ReadMsg(); !errors.Is(err, p2p.ErrPipeClosed) {
		t.Fatalf("B: have read error %v, want %v", err, p2p.ErrPipeClosed)
	}
	go p2p.Send(localA, 1, []uint{})
	msg, err := remoteA.ReadMsg()
	if err != nil {
		t.Fatalf("A: have read error %v, want nil", err)
	}
	msg.Discard()
}

// FuzzParse checks that Parse never panics and that an accepted list is never
// empty and parses again to the same IDs when written back as node IDs.
func FuzzParse(f *testing.F) {
	f.Add("# c\n" + enodeURL("A") + "\n" + record("B") + "\n")
	f.Add(pubkey("C") + " # x\n0x" + id("D").String())
	f.Add("enr:\nenode://\n")
	f.Fuzz(func(t *testing.T, input string) {
		ids, err := Parse(strings.NewReader(input))
		if err != nil {
			return
		}
		if len(ids) == 0 {
			t.Fatal("have an empty list without error")
		}
		var b strings.Builder
		for _, id := range ids {
			b.WriteString(id.String() + "\n")
		}
		again, err := Parse(strings.NewReader(b.String()))
		if err != nil {
			t.Fatalf("have error %v re-parsing %q", err, b.String())
		}
		if fmt.Sprint(again) != fmt.Sprint(ids) {
			t.Fatalf("have %v after re-parsing, want %v", again, ids)
		}
	})
}
