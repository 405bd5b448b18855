package cliutil

import (
	"fmt"
	"strings"

	"github.com/urfave/cli/v2"
)

// EnvName derives a flag's environment variable from its name:
// EnvName("CITYCTL", "miner.gaslimit") is CITYCTL_MINER_GASLIMIT.
func EnvName(prefix, flag string) string {
	return prefix + "_" + strings.ToUpper(strings.NewReplacer(".", "_", "-", "_").Replace(flag))
}

// DeriveEnv gives every flag of the app and its commands that has no
// environment variable the one EnvName derives, so that each flag can also be
// set as PREFIX_NAME. It panics on a flag type it does not know (a programming
// error, caught by the commands' tests).
func DeriveEnv(app *cli.App, prefix string) {
	deriveEnv(app.Flags, prefix)
	walk(app.Commands, func(c *cli.Command) { deriveEnv(c.Flags, prefix) })
}

func deriveEnv(flags []cli.Flag, prefix string) {
	for _, f := range flags {
		if f == cli.HelpFlag || f == cli.VersionFlag {
			continue
		}
		if env := envVars(f); env != nil && len(*env) == 0 {
			*env = []string{EnvName(prefix, f.Names()[0])}
		}
	}
}

// envVars returns the EnvVars field of a flag, nil for a Deprecated or
// Foreign name.
func envVars(f cli.Flag) *[]string {
	switch f := f.(type) {
	case *cli.StringFlag:
		return &f.EnvVars
	case *cli.BoolFlag:
		return &f.EnvVars
	case *cli.IntFlag:
		return &f.EnvVars
	case *cli.UintFlag:
		return &f.EnvVars
	case *cli.Uint64Flag:
		return &f.EnvVars
	case *cli.Int64Flag:
		return &f.EnvVars
	case *cli.Float64Flag:
		return &f.EnvVars
	case *cli.DurationFlag:
		return &f.EnvVars
	case *cli.StringSliceFlag:
		return &f.EnvVars
	case *Deprecated, *Foreign:
		return nil
	}
	panic(fmt.Sprintf("cliutil: flag --%s has type %T, which DeriveEnv does not know", f.Names()[0], f))
}

// walk calls fn for every command of the tree, parents first.
func walk(cmds []*cli.Command, fn func(*cli.Command)) {
	for _, c := range cmds {
		fn(c)
		walk(c.Subcommands, fn)
	}
}
