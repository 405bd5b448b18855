package cliutil

import (
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/urfave/cli/v2"
)

// level is the app or one command on the path to the command being run.
type level struct {
	path   string // "cityctl doc verify"
	flags  []cli.Flag
	subs   []*cli.Command
	group  bool   // has subcommands and no action of its own: takes no arguments
	noArgs bool   // a command with an action that names no arguments (no ArgsUsage): takes none
	help   bool   // the help command: every word after it is an argument
	up     *level // for the help command: the command whose help it shows
}

func rootLevel(app *cli.App) *level {
	flags := slices.Clone(app.Flags)
	if !app.HideVersion && app.Version != "" && cli.VersionFlag != nil {
		flags = append(flags, cli.VersionFlag)
	}
	return &level{path: app.Name, flags: flags, subs: app.Commands, group: hasCommands(app.Commands) && app.Action == nil}
}

func (l *level) child(c *cli.Command) *level {
	group := hasCommands(c.Subcommands)
	return &level{path: l.path + " " + c.Name, flags: c.Flags, subs: c.Subcommands, group: group,
		noArgs: c.Action != nil && !group && c.ArgsUsage == ""}
}

// hasCommands tells whether cmds has a command other than the help command,
// which urfave/cli adds to every command it runs.
func hasCommands(cmds []*cli.Command) bool {
	return slices.ContainsFunc(cmds, func(c *cli.Command) bool { return c.Name != "help" })
}

// sub returns the subcommand named name; the help command is one of every
// command (urfave/cli adds it).
func (l *level) sub(name string) *level {
	for _, c := range l.subs {
		if c.HasName(name) {
			return l.child(c)
		}
	}
	if name == "help" || name == "h" {
		return &level{path: l.path + " help", help: true, up: l}
	}
	return nil
}

// flag returns the flag named name at this level, nil if there is none.
func (l *level) flag(name string) cli.Flag {
	if name == "help" || name == "h" {
		return cli.HelpFlag
	}
	for _, f := range l.flags {
		if slices.Contains(f.Names(), name) {
			return f
		}
	}
	return nil
}

// normalizer moves each level's flags in front of the arguments.
type normalizer struct {
	name       string // the program's name, for warnings
	warn       io.Writer
	out        []string // the program, then per level its name and flags
	cur        *level
	flags      []string // flag words of the current level
	set        []string // names of the flags given at the current level
	args       []string // positional arguments of the last level
	helpWanted bool     // help asked for: no required flags
	helpFlag   bool     // --help given: the arguments are dropped (urfave/cli would take them as help topics)
}

// Normalize returns args (os.Args) with the flags of each command moved in
// front of its positional arguments, which follow a "--" so that urfave/cli
// v2 reads them as arguments whatever they look like (with --help they are
// dropped: the help is the command's). A flag belongs to the
// command named before it: "cityctl doc verify HASH --rpc URL" becomes
// "cityctl doc verify --rpc URL -- HASH". Deprecated flag names are rewritten
// to their new names with a warning on warn; a Foreign flag is refused as
// unknown, with its hint. It returns a *UsageError for an
// unknown flag or command, a flag without its value and a missing required
// flag (unless help is asked for), and an argument to a command that names
// none (no ArgsUsage).
func Normalize(app *cli.App, args []string, warn io.Writer) ([]string, error) {
	if len(args) == 0 {
		return args, nil
	}
	n := &normalizer{name: app.Name, warn: warn, out: []string{args[0]}, cur: rootLevel(app)}
	rest := args[1:]
	for i := 0; i < len(rest); i++ {
		consumed, err := n.word(rest, i)
		if err != nil {
			return nil, err
		}
		i += consumed
	}
	if err := n.checkRequired(); err != nil {
		return nil, err
	}
	if n.cur.noArgs && len(n.args) > 0 && !n.helpWanted && !n.helpFlag {
		// urfave/cli would drop them: a word meant as a flag's value would be lost.
		return nil, &UsageError{Msg: fmt.Sprintf("unexpected argument %q: %s takes no arguments, only flags", n.args[0], n.cur.path), Command: n.cur.path}
	}
	out := append(n.out, n.flags...)
	if len(n.args) > 0 && !n.helpFlag {
		out = append(append(out, "--"), n.args...)
	}
	return out, nil
}

// word takes rest[i] and returns how many more words it consumed.
func (n *normalizer) word(rest []string, i int) (int, error) {
	w := rest[i]
	switch {
	case n.cur.help:
		return 0, n.helpTopic(w)
	case w == "--":
		n.args = append(n.args, rest[i+1:]...)
		return len(rest) - i, nil
	case len(w) > 1 && w[0] == '-':
		return n.flag(w, rest[i+1:])
	default:
		return 0, n.positional(w)
	}
}

// positional takes a word that is no flag: a subcommand's name while no
// argument was given, else an argument.
func (n *normalizer) positional(w string) error {
	if len(n.args) == 0 {
		if sub := n.cur.sub(w); sub != nil {
			n.descend(w, sub)
			return nil
		}
		if n.cur.group {
			return &UsageError{Msg: fmt.Sprintf("unknown command %q", w), Command: n.cur.path}
		}
	}
	n.args = append(n.args, w)
	return nil
}

// helpTopic takes a word after "help": the first must name a subcommand of
// the command whose help is asked for, if it has any.
func (n *normalizer) helpTopic(w string) error {
	if up := n.cur.up; len(n.args) == 0 && len(up.subs) > 0 && up.sub(w) == nil {
		return &UsageError{Msg: fmt.Sprintf("unknown command %q", w), Command: up.path}
	}
	n.args = append(n.args, w)
	return nil
}

func (n *normalizer) descend(name string, sub *level) {
	n.out = append(append(n.out, n.flags...), name)
	n.flags, n.set, n.cur = nil, nil, sub
	n.helpWanted = n.helpWanted || sub.help
}

// flag takes the flag word w and, if it needs one, its value from next.
func (n *normalizer) flag(w string, next []string) (int, error) {
	name, value, inline := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(w, "-"), "-"), "=")
	f := n.cur.flag(name)
	if f == nil {
		return 0, &UsageError{Msg: "unknown flag " + w, Command: n.cur.path}
	}
	if g, ok := f.(*Foreign); ok {
		return 0, &UsageError{Msg: fmt.Sprintf("unknown flag %s (geth's): %s", w, g.Hint), Command: n.cur.path}
	}
	if d, ok := f.(*Deprecated); ok {
		if f = n.cur.flag(d.For); f == nil {
			return 0, &UsageError{Msg: fmt.Sprintf("flag --%s was renamed --%s, which %s does not take", d.Name, d.For, n.cur.path), Command: n.cur.path}
		}
		Warnf(n.warn, n.name, "--%s is deprecated, use --%s", d.Name, d.For)
		name = d.For
	}
	n.helpFlag = n.helpFlag || f == cli.HelpFlag
	n.helpWanted = n.helpWanted || n.helpFlag
	n.set = append(n.set, f.Names()...)
	word := "--" + name
	if inline {
		n.flags = append(n.flags, word+"="+value)
		return 0, nil
	}
	n.flags = append(n.flags, word)
	if !takesValue(f) {
		return 0, nil
	}
	if len(next) == 0 {
		return 0, &UsageError{Msg: fmt.Sprintf("flag --%s needs a value", name), Command: n.cur.path}
	}
	n.flags = append(n.flags, next[0])
	return 1, nil
}

// takesValue tells whether a flag reads the next word as its value.
func takesValue(f cli.Flag) bool {
	if v, ok := f.(cli.DocGenerationFlag); ok {
		return v.TakesValue()
	}
	return false
}

// checkRequired returns a usage error naming the required flags of the
// command being run that were given neither as a flag nor in the
// environment.
func (n *normalizer) checkRequired() error {
	if n.helpWanted {
		return nil
	}
	var missing []string
	for _, f := range n.cur.flags {
		r, ok := f.(cli.RequiredFlag)
		if !ok || !r.IsRequired() || slices.ContainsFunc(f.Names(), func(s string) bool { return slices.Contains(n.set, s) }) || inEnv(f) {
			continue
		}
		missing = append(missing, "--"+f.Names()[0])
	}
	if len(missing) == 0 {
		return nil
	}
	return &UsageError{Msg: "missing required flag " + strings.Join(missing, ", "), Command: n.cur.path}
}

// inEnv tells whether one of a flag's environment variables is set.
func inEnv(f cli.Flag) bool {
	d, ok := f.(cli.DocGenerationFlag)
	if !ok {
		return false
	}
	for _, name := range d.GetEnvVars() {
		if _, ok := os.LookupEnv(name); ok {
			return true
		}
	}
	return false
}
