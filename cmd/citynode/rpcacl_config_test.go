package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// TestMethodListsConfig: --http.rpc-allow and --http.rpc-deny come from the
// [http] TOML section (rpc_allow, rpc_deny), CITYNODE_HTTP_RPC_ALLOW and
// CITYNODE_HTTP_RPC_DENY, and flags, in that precedence; dumpconfig prints
// them; a malformed entry is refused naming the flag. --http.tls.cert and
// --http.tls.key likewise (tlscert, tlskey), a missing file refused at start.
func TestMethodListsConfig(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the citynode binary")
	}
	file := tomlFile(t, `
[http]
  rpc_allow = ["eth_*", "net_version"]
  rpc_deny = ["eth_sendRawTransaction"]
`)
	for _, c := range []struct {
		name        string
		env, args   []string
		allow, deny []string
	}{
		{"toml", nil, []string{"--config", file}, []string{"eth_*", "net_version"}, []string{"eth_sendRawTransaction"}},
		{"environment over toml", []string{"CITYNODE_HTTP_RPC_DENY=txpool_*,eth_call"}, []string{"--config", file},
			[]string{"eth_*", "net_version"}, []string{"txpool_*", "eth_call"}},
		{"flags over environment", []string{"CITYNODE_HTTP_RPC_ALLOW=eth_chainId"}, []string{"--config", file, "--http.rpc-allow", "eth_blockNumber, web3_*"},
			[]string{"eth_blockNumber", "web3_*"}, []string{"eth_sendRawTransaction"}},
	} {
		out, err := dumpconfig(t, c.env, c.args...)
		if err != nil {
			t.Fatalf("%s: dumpconfig: %v\n%s", c.name, err, out)
		}
		cfg := decodeConfig(t, out)
		if !slices.Equal(cfg.HTTP.RPCAllow, c.allow) || !slices.Equal(cfg.HTTP.RPCDeny, c.deny) {
			t.Errorf("%s: have allow %q deny %q, want %q %q", c.name, cfg.HTTP.RPCAllow, cfg.HTTP.RPCDeny, c.allow, c.deny)
		}
	}
	out, err := dumpconfig(t, []string{"CITYNODE_HTTP_TLS_CERT=/etc/citynode/rpc.crt"}, "--http.tls.key", "/etc/citynode/rpc.key")
	if cfg := decodeConfig(t, out); err != nil || cfg.HTTP.TLSCert != "/etc/citynode/rpc.crt" || cfg.HTTP.TLSKey != "/etc/citynode/rpc.key" {
		t.Errorf("TLS files from the environment and a flag: have %q %q (%v)", cfg.HTTP.TLSCert, cfg.HTTP.TLSKey, err)
	}
	bad, err := exec.Command(binPath, "--mode", "rpc", "--datadir", t.TempDir(), "--http", "--http.port", "0", "--http.tls.cert", "/nonexistent.crt", "--http.tls.key", "/nonexistent.key").CombinedOutput()
	if err == nil || !strings.Contains(string(bad), "--http.tls.cert /nonexistent.crt") {
		t.Errorf("missing --http.tls.cert file: have %v\n%s\nwant a refusal naming the flag", err, bad)
	}
	out2, err := exec.Command(binPath, "--mode", "rpc", "--datadir", t.TempDir(), "--http", "--http.port", "0", "--http.rpc-deny", "eth").CombinedOutput()
	if err == nil || !strings.Contains(string(out2), `invalid --http.rpc-deny entry "eth"`) {
		t.Errorf("--http.rpc-deny eth: have %v\n%s\nwant a refusal naming the entry", err, out2)
	}
}
