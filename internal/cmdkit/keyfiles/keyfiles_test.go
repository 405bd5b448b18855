package keyfiles

import (
	"os"
	"path/filepath"
	"testing"
)

// TestReadPassword: the first line counts, without its line end.
func TestReadPassword(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"one line", "correct horse\n", "correct horse"},
		{"no newline", "correct horse", "correct horse"},
		{"crlf", "correct horse\r\nsecond line\r\n", "correct horse"},
		{"trailing space kept", "pw \n", "pw "},
		{"empty", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "password")
			if err := os.WriteFile(path, []byte(tc.file), 0o600); err != nil {
				t.Fatal(err)
			}
			have, err := ReadPassword(path)
			if err != nil || have != tc.want {
				t.Errorf("have %q (err %v), want %q", have, err, tc.want)
			}
		})
	}
	if _, err := ReadPassword(filepath.Join(t.TempDir(), "missing")); err == nil {
		t.Error("missing file: no error")
	}
}

// TestOpen: a key made in the keystore of a data dir is found there again.
func TestOpen(t *testing.T) {
	dir := Dir(t.TempDir())
	acct, err := Open(dir).NewAccount("pw")
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Dir(acct.URL.Path) != dir {
		t.Errorf("key file in %s, want %s", filepath.Dir(acct.URL.Path), dir)
	}
	if !Open(dir).HasAddress(acct.Address) {
		t.Errorf("reopened keystore lacks %s", acct.Address)
	}
}
