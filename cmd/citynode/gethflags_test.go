package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// TestGethFlags: a flag of geth that citynode does not take is refused as
// bad usage (exit status 2) with what to use instead, and none of them
// shadows a flag citynode takes.
func TestGethFlags(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--unlock", "0x01", "--password", "pw"}, "unknown flag --unlock (geth's): a signer node names its key with --signer ADDRESS and --password FILE"},
		{[]string{"--miner.etherbase=0x01"}, "--signer ADDRESS"},
		{[]string{"--networkid", "4690"}, "chain id of the genesis"},
		{[]string{"--gcmode", "archive"}, "--mode auditor"},
		{[]string{"--pprof", "--pprof.port", "6060"}, "--pprof.addr takes host:port"},
		{[]string{"--ws.port", "8546"}, "--http.port"},
		// geth's --pprof.addr is a host alone.
		{[]string{"version", "--pprof", "--pprof.addr", "127.0.0.1"}, `invalid --pprof.addr ([pprof] addr) "127.0.0.1": give host:port, e.g. 127.0.0.1:6060`},
	} {
		app := newApp()
		var out bytes.Buffer
		app.ErrWriter, app.Writer = &out, &out
		code := cliutil.Run(context.Background(), app, append([]string{"citynode"}, tc.args...))
		if code != cliutil.ExitUsage || !strings.Contains(out.String(), tc.want) {
			t.Errorf("citynode %s: exit status %d, %q; want 2 and %q", strings.Join(tc.args, " "), code, out.String(), tc.want)
		}
	}
	app := newApp()
	for _, g := range gethFlags {
		for _, f := range app.Flags {
			if _, foreign := f.(*cliutil.Foreign); !foreign && f.Names()[0] == g.Names()[0] {
				t.Errorf("--%s is a citynode flag and listed as geth's only", g.Names()[0])
			}
		}
	}
}
