package allowlist

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/p2p/enode"
)

func testEnode(t *testing.T) (string, enode.ID) {
	t.Helper()
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	n := enode.NewV4(&key.PublicKey, []byte{10, 0, 0, 9}, 30303, 0)
	return n.URLv4(), n.ID()
}

func TestAddRemoveEntry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "members.txt")
	first, firstID := testEnode(t)
	second, secondID := testEnode(t)
	if err := os.WriteFile(path, []byte("# members\n"+first+" # city hall"), 0o640); err != nil {
		t.Fatal(err)
	}
	added, err := AddEntry(path, second, "PARKS Parks, signer 0x01")
	if err != nil || !added {
		t.Fatalf("add: have %v, %v, want true, nil", added, err)
	}
	if added, err := AddEntry(path, second, "again"); err != nil || added {
		t.Fatalf("add twice: have %v, %v, want false, nil", added, err)
	}
	want := "# members\n" + first + " # city hall\n" + second + " # PARKS Parks, signer 0x01\n"
	if data, _ := os.ReadFile(path); string(data) != want {
		t.Fatalf("file after add:\nhave %q\nwant %q", data, want)
	}
	if fi, _ := os.Stat(path); fi.Mode().Perm() != 0o640 {
		t.Errorf("mode: have %v, want 0640", fi.Mode().Perm())
	}
	list, err := Load(path)
	if err != nil || !list.Allowed(secondID) || !list.Allowed(firstID) {
		t.Fatalf("load after add: %v", err)
	}
	if n, err := RemoveEntry(path, secondID); err != nil || n != 1 {
		t.Fatalf("remove: have %d, %v, want 1, nil", n, err)
	}
	if data, _ := os.ReadFile(path); string(data) != "# members\n"+first+" # city hall\n" {
		t.Fatalf("file after remove: %q", data)
	}
	if n, err := RemoveEntry(path, secondID); err != nil || n != 0 {
		t.Errorf("remove absent: have %d, %v, want 0, nil", n, err)
	}
	if _, err := RemoveEntry(path, firstID); !errors.Is(err, errLastEntry) {
		t.Errorf("remove last: have %v, want %v", err, errLastEntry)
	}
}

func TestAddEntryRefusesBadInput(t *testing.T) {
	path := filepath.Join(t.TempDir(), "members.txt")
	good, _ := testEnode(t)
	if err := os.WriteFile(path, []byte("not-a-node\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := AddEntry(path, good, ""); !errors.Is(err, errMalformed) {
		t.Errorf("broken file: have %v, want %v", err, errMalformed)
	}
	if data, _ := os.ReadFile(path); string(data) != "not-a-node\n" {
		t.Errorf("broken file changed: %q", data)
	}
	if _, err := AddEntry(path, "enode://nope", ""); !errors.Is(err, errMalformed) {
		t.Errorf("bad entry: have %v, want %v", err, errMalformed)
	}
}
