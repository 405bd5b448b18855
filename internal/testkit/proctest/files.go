package proctest

import (
	"os"
	"path/filepath"
	"testing"
)

// CopyFile copies the file from to to, with mode, making to's directory:
// a built binary or a configuration installed in a test's own root.
func CopyFile(t testing.TB, from, to string, mode os.FileMode) {
	t.Helper()
	data, err := os.ReadFile(from)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(to, data, mode); err != nil {
		t.Fatal(err)
	}
}
