package main

import (
	"slices"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// Kinds of commands by what they talk to, and the shared flags (and their
// categories in help) each kind takes.
const (
	kindOffline = "offline" // no node
	kindNode    = "node"    // reads from a node
	kindKey     = "key"     // signs with an account's key, sends nothing
	kindSign    = "sign"    // sends transactions
)

var sharedFlagsOf = map[string][]string{
	kindOffline: {"--json"},
	kindNode:    {"--rpc", "--json"},
	kindKey:     {"--rpc", "--keystore", "--from", "--password", "--key", "--json"},
	kindSign:    {"--rpc", "--wait", "--keystore", "--from", "--password", "--key", "--json"},
}

// commandKinds classifies every command of cityctl; a new command must be
// added here, so that its help is checked for the shared flags.
var commandKinds = map[string]string{
	"testnet up": kindOffline, "testnet status": kindOffline, "testnet down": kindOffline,
	"testnet stop": kindOffline, "testnet add": kindOffline, "testnet start": kindOffline,
	"signer list": kindNode, "signer status": kindNode, "signer watch": kindNode, "signer propose": kindNode,
	"signer discard": kindNode, "signer proposals": kindNode, "signer onboard": kindOffline,
	"signer approve": kindNode, "signer remove": kindNode,
	"dept list": kindNode, "dept add": kindSign, "dept grant": kindSign, "dept revoke": kindSign,
	"doc issue": kindSign, "doc issue-batch": kindSign, "doc verify": kindNode, "doc revoke": kindSign, "doc supersede": kindSign,
	"title register": kindSign, "title offer": kindSign, "title accept": kindSign, "title approve": kindSign,
	"title cancel": kindSign, "title lien": kindSign, "title release": kindSign, "title show": kindNode, "title history": kindNode,
	"contracts list": kindNode, "contracts verify": kindNode,
	"stall market": kindSign, "stall stall": kindSign, "stall round": kindSign, "stall apply": kindSign,
	"stall draw": kindSign, "stall lease": kindSign, "stall release": kindSign, "stall waitlist": kindNode,
	"poll eligible": kindOffline, "poll create": kindSign, "poll sign-ballot": kindKey, "poll typed-data": kindNode, "poll relay": kindSign,
	"poll results": kindNode, "poll recount": kindNode,
	"audit prove account": kindNode, "audit prove document": kindNode, "audit prove title": kindNode,
	"audit verify-proof": kindOffline, "audit signers": kindNode, "audit permissions": kindNode,
	"genesis new": kindOffline, "genesis verify": kindNode, "genesis convert": kindOffline,
	"anchor deploy": kindSign, "anchor register": kindSign, "anchor status": kindNode, "anchor post": kindSign, "anchor follow": kindSign, "anchor prove": kindNode, "anchor verify": kindOffline, "anchor audit": kindNode,
	"upgrade schedule": kindOffline, "upgrade status": kindOffline, "upgrade deploy-system-contracts": kindSign,
}

// leafCommands returns the path ("doc verify") of every command that runs
// an action, in tree order. The help command, which urfave/cli adds to every
// command it has run, is none.
func leafCommands(prefix string, cmds []*cli.Command) []string {
	var out []string
	for _, c := range cmds {
		if c.Name == "help" {
			continue
		}
		path := strings.TrimSpace(prefix + " " + c.Name)
		subs := leafCommands(path, c.Subcommands)
		if len(subs) == 0 {
			out = append(out, path)
		}
		out = append(out, subs...)
	}
	return out
}

// TestHelpShowsSharedFlags runs `cityctl <command> --help` for every command
// and checks that it lists the shared flags of its kind, each with its
// CITYCTL_ variable, under the categories NODE, ACCOUNT and OUTPUT.
func TestHelpShowsSharedFlags(t *testing.T) {
	paths := leafCommands("", newApp().Commands)
	for _, path := range paths {
		kind, ok := commandKinds[path]
		if !ok {
			t.Errorf("cityctl %s: not classified in commandKinds (add it with the shared flags it must take)", path)
			continue
		}
		help, err := cityctl(append(strings.Fields(path), "--help")...)
		if err != nil {
			t.Fatalf("cityctl %s --help: %v", path, err)
		}
		for _, flag := range sharedFlagsOf[kind] {
			env := cliutil.EnvName(envPrefix, strings.TrimPrefix(flag, "--"))
			if !strings.Contains(help, flag+" ") || !strings.Contains(help, "$"+env) {
				t.Errorf("cityctl %s --help (a %s command) does not show %s with $%s:\n%s", path, kind, flag, env, help)
			}
		}
		for _, cat := range categoriesOf(kind) {
			if !strings.Contains(help, "\n   "+cat+"\n") {
				t.Errorf("cityctl %s --help lacks the category %s:\n%s", path, cat, help)
			}
		}
	}
	for path := range commandKinds {
		if !slices.Contains(paths, path) {
			t.Errorf("commandKinds lists %q, which is no command", path)
		}
	}
}

func categoriesOf(kind string) []string {
	switch kind {
	case kindSign, kindKey:
		return []string{catNode, catAccount, catOutput}
	case kindNode:
		return []string{catNode, catOutput}
	}
	return []string{catOutput}
}

// TestEveryFlagHasEnv checks that every flag of every command can also be
// set as CITYCTL_<NAME>.
func TestEveryFlagHasEnv(t *testing.T) {
	app := newApp()
	var walk func(prefix string, cmds []*cli.Command)
	walk = func(prefix string, cmds []*cli.Command) {
		for _, c := range cmds {
			path := strings.TrimSpace(prefix + " " + c.Name)
			for _, f := range c.Flags {
				d, ok := f.(cli.DocGenerationFlag)
				if _, deprecated := f.(*cliutil.Deprecated); deprecated || f == cli.HelpFlag {
					continue
				}
				want := cliutil.EnvName(envPrefix, f.Names()[0])
				if !ok || !slices.Contains(d.GetEnvVars(), want) {
					t.Errorf("cityctl %s --%s: no environment variable %s", path, f.Names()[0], want)
				}
			}
			walk(path, c.Subcommands)
		}
	}
	walk("", app.Commands)
}
