package main

import (
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/log"
	"github.com/urfave/cli/v2"
	"github.com/xrash/smetrics"
)

// envPrefix starts the name of every environment variable citynode reads.
const envPrefix = "CITYNODE_"

// warnUnknownEnv logs a warning for each CITYNODE_* variable of environ
// ("NAME=value" strings) that no flag of app reads, naming the closest one
// that a flag does read: a misspelt variable would otherwise be ignored
// without a word.
func warnUnknownEnv(app *cli.App, environ []string) {
	known := envNames(app)
	for _, kv := range environ {
		name, _, _ := strings.Cut(kv, "=")
		if !strings.HasPrefix(name, envPrefix) || slices.Contains(known, name) {
			continue
		}
		log.Warn("Unknown environment variable ignored: no citynode flag reads it", "name", name, "closest", closest(name, known))
	}
}

// envNames returns the environment variables of every flag of the app and
// its commands, sorted.
func envNames(app *cli.App) []string {
	var names []string
	add := func(flags []cli.Flag) {
		for _, f := range flags {
			if d, ok := f.(cli.DocGenerationFlag); ok {
				names = append(names, d.GetEnvVars()...)
			}
		}
	}
	var walk func([]*cli.Command)
	walk = func(cmds []*cli.Command) {
		for _, c := range cmds {
			add(c.Flags)
			walk(c.Subcommands)
		}
	}
	add(app.Flags)
	walk(app.Commands)
	slices.Sort(names)
	return slices.Compact(names)
}

// closest returns the name of known nearest to name in edit distance (the
// first in order on a tie).
func closest(name string, known []string) string {
	best, bestDist := "", -1
	for _, k := range known {
		if d := editDistance(name, k); bestDist < 0 || d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b: the fewest
// single-byte insertions, deletions and substitutions that turn a into b.
func editDistance(a, b string) int { return smetrics.WagnerFischer(a, b, 1, 1, 1) }
