package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/citychain/citychain/internal/testkit/powercut"
)

// TestWriteAcrossPowerCut: content Write returned for survives a power cut;
// content written after it and never made durable is lost, the file keeping
// Write's content whole.
func TestWriteAcrossPowerCut(t *testing.T) {
	fs := powercut.TempT(t)
	path := filepath.Join(fs.Dir(), "state.json")
	if err := Write(path, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := Write(path, []byte("new"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte("unsynced"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs = powercut.CutAndRemount(t, fs)
	data, err := os.ReadFile(filepath.Join(fs.Dir(), "state.json"))
	if err != nil || string(data) != "new" {
		t.Fatalf("after the cut: have %q (%v), want %q (the last Write that returned)", data, err, "new")
	}
	entries, _ := os.ReadDir(fs.Dir())
	if len(entries) != 1 {
		t.Fatalf("after the cut: have %d entries, want only the file (no temporary)", len(entries))
	}
}

// TestMkdirAllAcrossPowerCut: directories MkdirAll created survive a power
// cut, with a file Write made durable in the deepest.
func TestMkdirAllAcrossPowerCut(t *testing.T) {
	fs := powercut.TempT(t)
	dir := filepath.Join(fs.Dir(), "a", "b")
	if err := MkdirAll(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := Write(filepath.Join(dir, "f"), []byte("data"), 0o600); err != nil {
		t.Fatal(err)
	}
	fs = powercut.CutAndRemount(t, fs)
	data, err := os.ReadFile(filepath.Join(fs.Dir(), "a", "b", "f"))
	if err != nil || string(data) != "data" {
		t.Fatalf("after the cut: have %q (%v), want %q", data, err, "data")
	}
}

func TestMkdirAllExisting(t *testing.T) {
	dir := t.TempDir()
	if err := MkdirAll(dir, 0o700); err != nil {
		t.Fatalf("existing directory: %v", err)
	}
	file := filepath.Join(dir, "f")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := MkdirAll(file, 0o700); err == nil {
		t.Fatal("a file where the directory should be: have no error, want one")
	}
}
