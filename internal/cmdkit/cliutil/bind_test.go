package cliutil

import (
	"slices"
	"testing"
	"time"

	"github.com/urfave/cli/v2"
)

// boundConfig is a configuration the bindings of TestBind write to.
type boundConfig struct {
	name  string
	port  int
	on    bool
	wait  time.Duration
	apis  []string
	nodes []string
}

// TestBind checks that a binding overrides its field only when the flag was
// set, on the command line or in the environment, and how lists are split.
func TestBind(t *testing.T) {
	nameFlag := &cli.StringFlag{Name: "name", Value: "flag-default", EnvVars: []string{"BIND_TEST_NAME"}}
	portFlag := &cli.IntFlag{Name: "port", Value: 1}
	onFlag := &cli.BoolFlag{Name: "on"}
	waitFlag := &cli.DurationFlag{Name: "wait"}
	apisFlag := &cli.StringFlag{Name: "apis", Value: "x,y"}
	nodesFlag := &cli.StringSliceFlag{Name: "node"}
	file := boundConfig{name: "file", port: 2, on: false, wait: time.Second, apis: []string{"file"}, nodes: []string{"file"}}
	run := func(t *testing.T, args ...string) boundConfig {
		t.Helper()
		cfg := file
		app := &cli.App{
			Flags: []cli.Flag{nameFlag, portFlag, onFlag, waitFlag, apisFlag, nodesFlag},
			Action: func(ctx *cli.Context) error {
				ApplySet(ctx,
					Bind(nameFlag, &cfg.name), Bind(portFlag, &cfg.port), Bind(onFlag, &cfg.on), Bind(waitFlag, &cfg.wait),
					BindList(apisFlag, &cfg.apis), BindLists(nodesFlag, &cfg.nodes))
				return nil
			},
		}
		if err := app.Run(append([]string{"tool"}, args...)); err != nil {
			t.Fatal(err)
		}
		return cfg
	}
	t.Run("nothing set", func(t *testing.T) {
		if have := run(t); !equalConfig(have, file) {
			t.Errorf("have %+v, want the file's %+v", have, file)
		}
	})
	t.Run("flags set", func(t *testing.T) {
		want := boundConfig{name: "n", port: 3, on: true, wait: 2 * time.Second, apis: []string{"eth", "net"}, nodes: []string{"a", "b", "c"}}
		have := run(t, "--name", "n", "--port", "3", "--on", "--wait", "2s", "--apis", " eth, ,net", "--node", "a,b", "--node", "c")
		if !equalConfig(have, want) {
			t.Errorf("have %+v, want %+v", have, want)
		}
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv("BIND_TEST_NAME", "from-env")
		if have := run(t); have.name != "from-env" {
			t.Errorf("have name %q, want %q", have.name, "from-env")
		}
	})
}

func equalConfig(a, b boundConfig) bool {
	return a.name == b.name && a.port == b.port && a.on == b.on && a.wait == b.wait &&
		slices.Equal(a.apis, b.apis) && slices.Equal(a.nodes, b.nodes)
}
