package main

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/BurntSushi/toml"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/configfile"
)

// TestClosest: a misspelt variable is matched to the variable meant.
func TestClosest(t *testing.T) {
	known := envNames(newApp())
	for _, tc := range []struct{ have, want string }{
		{"CITYNODE_HTTP_PROT", "CITYNODE_HTTP_PORT"},
		{"CITYNODE_HTTPPORT", "CITYNODE_HTTP_PORT"},
		{"CITYNODE_VERBOSE", "CITYNODE_VERBOSITY"},
		{"CITYNODE_LOG_JSON_", "CITYNODE_LOG_JSON"},
		{"CITYNODE_TXPOOL_GLOBALSLOT", "CITYNODE_TXPOOL_GLOBALSLOTS"},
	} {
		if got := closest(tc.have, known); got != tc.want {
			t.Errorf("closest(%s): have %s, want %s", tc.have, got, tc.want)
		}
	}
	if d := editDistance("kitten", "sitting"); d != 3 {
		t.Errorf("editDistance(kitten, sitting): have %d, want 3", d)
	}
}

// TestEnvNames: every flag's variable, of the app and of its commands, is known.
func TestEnvNames(t *testing.T) {
	known := envNames(newApp())
	for _, want := range []string{"CITYNODE_HTTP_PORT", "CITYNODE_VERBOSITY", "CITYNODE_LOG_VMODULE", "CITYNODE_PPROF_ADDR", "CITYNODE_HTTP_CORSDOMAIN", "CITYNODE_WS", "CITYNODE_CONFIG"} {
		if !slices.Contains(known, want) {
			t.Errorf("%s not among the known variables %v", want, known)
		}
	}
}

// TestLogFlagsOnEveryCommand: each command takes the log and pprof flags,
// once, and configures logging before its action.
func TestLogFlagsOnEveryCommand(t *testing.T) {
	app := newApp()
	newApp() // a second app must not add them twice
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			for _, f := range logFlags {
				count := 0
				for _, g := range c.Flags {
					if g == f {
						count++
					}
				}
				if count != 1 {
					t.Errorf("%s: flag --%s present %d times, want once", c.Name, f.Names()[0], count)
				}
			}
			if c.Action != nil && c.Before == nil {
				t.Errorf("%s: no Before: logging would not be configured", c.Name)
			}
			walk(c.Subcommands)
		}
	}
	walk(app.Commands)
}

// TestFileConfigRoundTrip: what dumpconfig prints reads back as the same
// configuration, [log] and [pprof] included.
func TestFileConfigRoundTrip(t *testing.T) {
	fc := fileConfig{Log: logDefaults, Pprof: pprofDefaults}
	fc.Config.DataDir = "/var/lib/citynode"
	fc.Config.HTTP.CORS = []string{"https://city.example"}
	fc.Log.JSON, fc.Log.VModule = true, "gossip/*=4"
	fc.Pprof.Enabled = true
	var buf bytes.Buffer
	if err := toml.NewEncoder(&buf).Encode(fc); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "citynode.toml")
	if err := os.WriteFile(path, buf.Bytes(), 0o600); err != nil {
		t.Fatal(err)
	}
	var back fileConfig
	if err := configfile.Load(path, &back, "citynode"); err != nil {
		t.Fatalf("%v\n%s", err, buf.String())
	}
	if back.DataDir != fc.DataDir || !slices.Equal(back.HTTP.CORS, fc.HTTP.CORS) || back.Log != fc.Log || back.Pprof != fc.Pprof {
		t.Errorf("have %+v, want %+v", back, fc)
	}
	if s := buf.String(); !strings.Contains(s, "datadir = ") || strings.Contains(s, "[Config]") {
		t.Errorf("the node's keys are not at the top of the file:\n%s", s)
	}
}
