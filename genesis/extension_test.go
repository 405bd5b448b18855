package genesis

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func block(n uint64) *uint64 { return &n }

// TestExtensionRoundTrip: config.citychain survives Encode and
// LoadExtended, leaves the genesis hash alone, and a file without it reads
// as the zero extension.
func TestExtensionRoundTrip(t *testing.T) {
	g := testGenesis(t)
	plain, err := Encode(g, Extension{})
	if err != nil {
		t.Fatal(err)
	}
	want, _ := json.MarshalIndent(g, "", "  ")
	if !bytes.Equal(plain, append(want, '\n')) {
		t.Errorf("Encode without an extension differs from go-ethereum's encoding:\nhave %s\nwant %s", plain, want)
	}
	data, err := Encode(g, Extension{PermissionsBlock: block(1200)})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(data, []byte(`"citychain": {`)) || !bytes.Contains(data, []byte(`"permissionsBlock": 1200`)) {
		t.Fatalf("encoded genesis lacks config.citychain:\n%s", data)
	}
	path := filepath.Join(t.TempDir(), "genesis.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	decoded, ext, err := LoadExtended(path)
	if err != nil {
		t.Fatalf("LoadExtended: %v", err)
	}
	if ext.PermissionsBlock == nil || *ext.PermissionsBlock != 1200 {
		t.Errorf("permissions block: have %v, want 1200", ext)
	}
	if have, want := decoded.ToBlock().Hash(), g.ToBlock().Hash(); have != want {
		t.Errorf("genesis hash with the extension: have %x, want %x (config.citychain must not change it)", have, want)
	}
	// Load (go-ethereum's view) accepts the file too.
	if _, err := Load(path); err != nil {
		t.Errorf("Load of an extended genesis: %v", err)
	}
	if ext, err := DecodeExtension(plain); err != nil || !ext.IsZero() {
		t.Errorf("DecodeExtension of a plain genesis: have %v, %v, want the zero extension", ext, err)
	}
}

func TestExtensionErrors(t *testing.T) {
	data, err := Encode(testGenesis(t), Extension{PermissionsBlock: block(5)})
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		name, from, to string
		want           error
	}{
		{"misspelt key", `"permissionsBlock"`, `"permissionBlock"`, ErrUnknownField},
		{"string value", `"permissionsBlock": 5`, `"permissionsBlock": "five"`, ErrMalformed},
		{"negative", `"permissionsBlock": 5`, `"permissionsBlock": -1`, ErrMalformed},
	} {
		t.Run(tt.name, func(t *testing.T) {
			bad := strings.Replace(string(data), tt.from, tt.to, 1)
			_, err := Decode(strings.NewReader(bad))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), "citychain") {
				t.Errorf("have %v, want %v naming config.citychain", err, tt.want)
			}
		})
	}
}

// TestExtensionCompatible is go-ethereum's fork compatibility rule applied to
// the permissions block: it may move, appear or go only above the head.
func TestExtensionCompatible(t *testing.T) {
	for _, tt := range []struct {
		name          string
		stored, given *uint64
		head          uint64
		ok            bool
	}{
		{"unchanged and passed", block(10), block(10), 50, true},
		{"scheduled above the head", nil, block(100), 50, true},
		{"scheduled at the head", nil, block(50), 50, false},
		{"scheduled below the head", nil, block(10), 50, false},
		{"moved, both above the head", block(80), block(120), 50, true},
		{"moved, old one passed", block(40), block(120), 50, false},
		{"dropped before it came", block(80), nil, 50, true},
		{"dropped after it came", block(40), nil, 50, false},
		{"from genesis on a fresh chain", nil, block(0), 0, true},
		{"from genesis after block 1", nil, block(0), 1, false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := Extension{PermissionsBlock: tt.stored}.CheckCompatible(Extension{PermissionsBlock: tt.given}, tt.head)
			if (err == nil) != tt.ok {
				t.Fatalf("have %v, want compatible=%v", err, tt.ok)
			}
			if err != nil && (!errors.Is(err, ErrIncompatible) || !strings.Contains(err.Error(), fmt.Sprintf("above %d", tt.head))) {
				t.Errorf("have %v, want %v saying to schedule above the head", err, ErrIncompatible)
			}
		})
	}
}

func TestExtensionAt(t *testing.T) {
	e := Extension{PermissionsBlock: block(3)}
	for n, want := range map[uint64]bool{0: false, 2: false, 3: true, 4: true} {
		if have := e.PermissionsAt(n); have != want {
			t.Errorf("PermissionsAt(%d): have %v, want %v", n, have, want)
		}
	}
	if (Extension{}).PermissionsAt(1 << 62) {
		t.Error("the zero extension applies the rule")
	}
}
