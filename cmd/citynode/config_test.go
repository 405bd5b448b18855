package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"

	"github.com/citychain/citychain/internal/node"
)

// dumpconfig runs `citynode dumpconfig args...` with the environment
// variables env (and no other CITYNODE_ variable) and returns its output.
func dumpconfig(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binPath, append([]string{"dumpconfig"}, args...)...)
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CITYNODE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if err != nil {
		return stdout.String() + stderr.String(), err
	}
	return stdout.String(), nil
}

// decodeConfig parses dumpconfig's output.
func decodeConfig(t *testing.T, out string) node.Config {
	t.Helper()
	var cfg node.Config
	if _, err := toml.Decode(out, &cfg); err != nil {
		t.Fatalf("dumpconfig output is not a config (%v):\n%s", err, out)
	}
	return cfg
}

// tomlFile writes a config file.
func tomlFile(t *testing.T, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "citynode.toml")
	if err := os.WriteFile(path, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// TestDumpConfigDefaults: with nothing set, dumpconfig prints the defaults,
// and its output read back as --config changes nothing.
func TestDumpConfigDefaults(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the citynode binary")
	}
	out, err := dumpconfig(t, nil)
	if err != nil {
		t.Fatalf("dumpconfig: %v\n%s", err, out)
	}
	var want bytes.Buffer
	if err := toml.NewEncoder(&want).Encode(fileConfig{Config: cliDefaults(), Log: logDefaults, Pprof: pprofDefaults}); err != nil {
		t.Fatal(err)
	}
	if out != want.String() {
		t.Fatalf("dumpconfig with nothing set:\nhave\n%s\nwant the defaults\n%s", out, want.String())
	}
	again, err := dumpconfig(t, nil, "--config", tomlFile(t, out))
	if err != nil || again != out {
		t.Fatalf("dumpconfig --config (its own output): have err %v,\n%s\nwant\n%s", err, again, out)
	}
}

// TestConfigPrecedence: defaults, then the TOML file, then CITYNODE_*
// environment variables, then flags; each layer changes only what it sets.
func TestConfigPrecedence(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the citynode binary")
	}
	file := tomlFile(t, `
datadir = "/var/lib/from-toml"
[http]
  port = 1111
  apis = ["eth", "net"]
[p2p]
  maxpeers = 7
[txpool]
  pricelimit = 5
`)
	tests := []struct {
		name     string
		env      []string
		args     []string
		port     int
		apis     []string
		maxPeers int
		datadir  string
		enabled  bool
	}{
		{"defaults", nil, nil, 8545, node.Defaults().HTTP.APIs, 25, "citynode-data", false},
		{"toml over defaults", nil, []string{"--config", file}, 1111, []string{"eth", "net"}, 7, "/var/lib/from-toml", false},
		{"environment over toml", []string{"CITYNODE_HTTP_PORT=2222", "CITYNODE_HTTP_API=eth,admin", "CITYNODE_HTTP=true"},
			[]string{"--config", file}, 2222, []string{"eth", "admin"}, 7, "/var/lib/from-toml", true},
		{"flags over environment", []string{"CITYNODE_HTTP_PORT=2222", "CITYNODE_DATADIR=/from-env"},
			[]string{"--config", file, "--http.port", "3333", "--datadir", "/from-flag"}, 3333, []string{"eth", "net"}, 7, "/from-flag", false},
		{"file from the environment", []string{"CITYNODE_CONFIG=" + file, "CITYNODE_MAXPEERS=9"}, nil, 1111, []string{"eth", "net"}, 9, "/var/lib/from-toml", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := dumpconfig(t, tt.env, tt.args...)
			if err != nil {
				t.Fatalf("dumpconfig: %v\n%s", err, out)
			}
			cfg := decodeConfig(t, out)
			if cfg.HTTP.Port != tt.port || !slices.Equal(cfg.HTTP.APIs, tt.apis) || cfg.P2P.MaxPeers != tt.maxPeers ||
				cfg.DataDir != tt.datadir || cfg.HTTP.Enabled != tt.enabled {
				t.Errorf("have port %d, apis %v, maxpeers %d, datadir %q, http %v; want %d, %v, %d, %q, %v",
					cfg.HTTP.Port, cfg.HTTP.APIs, cfg.P2P.MaxPeers, cfg.DataDir, cfg.HTTP.Enabled,
					tt.port, tt.apis, tt.maxPeers, tt.datadir, tt.enabled)
			}
			// Keys no layer set keep their default.
			if d := node.Defaults(); cfg.HTTP.Addr != d.HTTP.Addr || cfg.Miner.GasLimit != d.Miner.GasLimit {
				t.Errorf("untouched keys: have http.addr %q, gaslimit %d; want the defaults %q, %d", cfg.HTTP.Addr, cfg.Miner.GasLimit, d.HTTP.Addr, d.Miner.GasLimit)
			}
		})
	}
}

// TestConfigUnknownKeys: a misspelt key in the TOML file is an error naming
// the key and where to look, not a silent default.
func TestConfigUnknownKeys(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the citynode binary")
	}
	file := tomlFile(t, "datadir = \"/x\"\n[http]\n  prot = 1111\n[p2p]\n  allow_list = \"members.txt\"\n")
	for _, args := range [][]string{{"dumpconfig", "--config", file}, {"--config", file}} {
		out, err := exec.Command(binPath, args...).CombinedOutput()
		if err == nil {
			t.Fatalf("citynode %s: have success, want an error for the unknown keys\n%s", strings.Join(args, " "), out)
		}
		for _, want := range []string{"unknown keys", "http.prot", "p2p.allow_list", "citynode dumpconfig"} {
			if !strings.Contains(string(out), want) {
				t.Errorf("citynode %s: have %q, want it to name %q", strings.Join(args, " "), out, want)
			}
		}
	}
}
