package configfile

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

type section struct {
	Port  int      `toml:"port"`
	Hosts []string `toml:"hosts"`
}

type config struct {
	Name string  `toml:"name"`
	HTTP section `toml:"http"`
}

func write(t *testing.T, text string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.toml")
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestLoadOverDefaults(t *testing.T) {
	cfg := config{Name: "default", HTTP: section{Port: 8545}}
	if err := Load(write(t, "[http]\nhosts = [\"a\"]\n"), &cfg, "tool"); err != nil {
		t.Fatal(err)
	}
	if cfg.Name != "default" || cfg.HTTP.Port != 8545 || len(cfg.HTTP.Hosts) != 1 {
		t.Fatalf("defaults not kept or file not applied: %+v", cfg)
	}
}

func TestLoadRefusesUnknownKeys(t *testing.T) {
	var cfg config
	err := Load(write(t, "nmae = \"x\"\n[http]\nprot = 1\n"), &cfg, "citygate")
	if err == nil {
		t.Fatal("misspelt keys accepted")
	}
	for _, want := range []string{"nmae", "http.prot", "citygate dumpconfig"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q does not name %q", err, want)
		}
	}
}

func TestLoadErrors(t *testing.T) {
	var cfg config
	if err := Load(filepath.Join(t.TempDir(), "missing.toml"), &cfg, "x"); err == nil || !strings.Contains(err.Error(), "cannot read config file") || !strings.Contains(err.Error(), "check --config, or write one with `x dumpconfig > FILE`") {
		t.Errorf("missing file: %v", err)
	}
	path := write(t, "name = \n")
	if err := Load(path, &cfg, "x"); err == nil || !strings.Contains(err.Error(), path) {
		t.Errorf("malformed file: %v", err)
	}
}

func TestDumpRoundTrip(t *testing.T) {
	in := config{Name: "n", HTTP: section{Port: 1, Hosts: []string{"a", "b"}}}
	var buf bytes.Buffer
	if err := Dump(&buf, in); err != nil {
		t.Fatal(err)
	}
	var out config
	if err := Load(write(t, buf.String()), &out, "x"); err != nil {
		t.Fatal(err)
	}
	if out.Name != in.Name || out.HTTP.Port != in.HTTP.Port || strings.Join(out.HTTP.Hosts, ",") != "a,b" {
		t.Fatalf("round trip: %+v", out)
	}
}
