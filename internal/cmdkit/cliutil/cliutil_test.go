package cliutil

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/urfave/cli/v2"
)

// seen is what the test app's leaf action read.
type seen struct {
	str  string
	num  int
	b    bool
	args []string
}

var errBadInput = errors.New("bad input")

// testApp is "tool [--verbose] grp leaf|fail ..." plus, with action, a root
// that takes arguments itself (as citynode does).
func testApp(got *seen, action bool) *cli.App {
	leafFlags := []cli.Flag{
		&cli.StringFlag{Name: "str"},
		&cli.IntFlag{Name: "num"},
		&cli.BoolFlag{Name: "b"},
		&cli.StringFlag{Name: "p2p.allowlist"},
		&Deprecated{Name: "allowlist", For: "p2p.allowlist"},
		&Deprecated{Name: "gone", For: "nowhere"},
		&Foreign{Name: "unlock", Hint: "name the signer with --signer ADDRESS"},
	}
	leaf := &cli.Command{Name: "leaf", ArgsUsage: "ARG...", Flags: leafFlags, Action: func(ctx *cli.Context) error {
		*got = seen{ctx.String("str"), ctx.Int("num"), ctx.Bool("b"), ctx.Args().Slice()}
		if ctx.String("p2p.allowlist") != "" {
			got.str = "allowlist=" + ctx.String("p2p.allowlist")
		}
		return nil
	}}
	req := &cli.Command{Name: "req", Flags: []cli.Flag{&cli.StringFlag{Name: "must", Required: true, EnvVars: []string{"TOOL_TEST_MUST"}}}, Action: func(*cli.Context) error { return nil }}
	fail := &cli.Command{Name: "fail", Flags: []cli.Flag{&cli.StringFlag{Name: "how"}}, Action: func(ctx *cli.Context) error {
		switch ctx.String("how") {
		case "exit2":
			return cli.Exit("refused input", 2)
		case "input":
			return errBadInput
		case "silent":
			return cli.Exit("", 1)
		}
		return errors.New("boom")
	}}
	app := &cli.App{Name: "tool", Flags: []cli.Flag{&cli.BoolFlag{Name: "verbose"}},
		Commands: []*cli.Command{{Name: "grp", Subcommands: []*cli.Command{leaf, req, fail}}}}
	if action {
		app.Action = func(ctx *cli.Context) error { got.args = ctx.Args().Slice(); return nil }
	}
	return app
}

// TestNormalize pins the word order urfave/cli receives, and the usage errors.
func TestNormalize(t *testing.T) {
	for _, tc := range []struct {
		name, in, want, err, warn string
	}{
		{name: "flags after arguments", in: "tool grp leaf A --str x B --b", want: "tool grp leaf --str x --b -- A B"},
		{name: "flags before and after", in: "tool --verbose grp leaf --num 3 A --str=x", want: "tool --verbose grp leaf --num 3 --str=x -- A"},
		{name: "single dash", in: "tool grp leaf A -str x", want: "tool grp leaf --str x -- A"},
		{name: "value that looks like a flag", in: "tool grp leaf --str --b", want: "tool grp leaf --str --b"},
		{name: "double dash ends flags", in: "tool grp leaf A -- --b -x", want: "tool grp leaf -- A --b -x"},
		{name: "lone dash is an argument", in: "tool grp leaf - --b", want: "tool grp leaf --b -- -"},
		{name: "no arguments", in: "tool grp leaf --b", want: "tool grp leaf --b"},
		{name: "deprecated name", in: "tool grp leaf A --allowlist f", want: "tool grp leaf --p2p.allowlist f -- A", warn: "tool: warning: --allowlist is deprecated, use --p2p.allowlist\n"},
		{name: "deprecated name with value", in: "tool grp leaf --allowlist=f", want: "tool grp leaf --p2p.allowlist=f", warn: "deprecated"},
		{name: "help after arguments", in: "tool grp leaf A --help", want: "tool grp leaf --help"},
		{name: "help skips required flags", in: "tool grp req -h", want: "tool grp req --h"},
		{name: "help command", in: "tool help grp", want: "tool help -- grp"},
		{name: "group help command", in: "tool grp help leaf", want: "tool grp help -- leaf"},
		{name: "unknown flag", in: "tool grp leaf A --nope 1", err: "unknown flag --nope (see 'tool grp leaf --help')"},
		{name: "unknown flag of a group", in: "tool grp --str x leaf", err: "unknown flag --str (see 'tool grp --help')"},
		{name: "unknown command", in: "tool grp frob --b", err: `unknown command "frob" (see 'tool grp --help')`},
		{name: "unknown top command", in: "tool frob", err: `unknown command "frob" (see 'tool --help')`},
		{name: "unknown help topic", in: "tool help frob", err: `unknown command "frob" (see 'tool --help')`},
		{name: "missing value", in: "tool grp leaf A --str", err: "flag --str needs a value (see 'tool grp leaf --help')"},
		{name: "missing required", in: "tool grp req A", err: "missing required flag --must (see 'tool grp req --help')"},
		{name: "another client's flag", in: "tool grp leaf A --unlock 0x1", err: "unknown flag --unlock (geth's): name the signer with --signer ADDRESS (see 'tool grp leaf --help')"},
		{name: "renamed to a flag the command lacks", in: "tool grp leaf --gone x", err: "flag --gone was renamed --nowhere"},
		// fail names no arguments (no ArgsUsage): urfave/cli would drop them.
		{name: "argument to a command that takes none", in: "tool grp fail --how input x", err: `unexpected argument "x": tool grp fail takes no arguments, only flags (see 'tool grp fail --help')`},
		{name: "forgotten flag name", in: "tool grp fail input", err: `unexpected argument "input": tool grp fail takes no arguments`},
		{name: "help of a command that takes none", in: "tool grp fail x --help", want: "tool grp fail --help"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var warn bytes.Buffer
			have, err := Normalize(testApp(new(seen), false), strings.Fields(tc.in), &warn)
			if tc.err != "" {
				var u *UsageError
				if !errors.As(err, &u) || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("have %v (%q), want a usage error containing %q", err, have, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Join(have, " "); got != tc.want {
				t.Errorf("have %q, want %q", got, tc.want)
			}
			if !strings.Contains(warn.String(), tc.warn) || (tc.warn == "" && warn.Len() > 0) {
				t.Errorf("warnings: have %q, want %q", warn.String(), tc.warn)
			}
		})
	}
}

// TestNormalizeRequiredFromEnv: a required flag set in the environment counts.
func TestNormalizeRequiredFromEnv(t *testing.T) {
	t.Setenv("TOOL_TEST_MUST", "x")
	if _, err := Normalize(testApp(new(seen), false), strings.Fields("tool grp req"), new(bytes.Buffer)); err != nil {
		t.Fatal(err)
	}
}

// TestNormalizeRootAction: an app whose root runs an action takes arguments
// at the top instead of refusing them as unknown commands.
func TestNormalizeRootAction(t *testing.T) {
	have, err := Normalize(testApp(new(seen), true), strings.Fields("tool frob --verbose"), new(bytes.Buffer))
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(have, " "); got != "tool --verbose -- frob" {
		t.Errorf("have %q, want %q", got, "tool --verbose -- frob")
	}
}

// TestRun checks what the action reads and the exit status and message of
// each kind of outcome.
func TestRun(t *testing.T) {
	for _, tc := range []struct {
		name, in string
		code     int
		stderr   string
		want     *seen
	}{
		{name: "flags after arguments", in: "tool grp leaf A --str x B --num 7 --b", want: &seen{"x", 7, true, []string{"A", "B"}}},
		{name: "argument that looks like a flag", in: "tool grp leaf --str x -- -5", want: &seen{"x", 0, false, []string{"-5"}}},
		{name: "deprecated name read as the new", in: "tool grp leaf --allowlist f", stderr: "tool: warning: --allowlist is deprecated", want: &seen{str: "allowlist=f"}},
		{name: "failed operation", in: "tool grp fail", code: 1, stderr: "tool: error: boom\n"},
		{name: "exit code of the action", in: "tool grp fail --how exit2", code: 2, stderr: "tool: error: refused input\n"},
		{name: "input error", in: "tool grp fail --how input", code: 2, stderr: "tool: error: bad input\n"},
		{name: "no message", in: "tool grp fail --how silent", code: 1},
		{name: "unknown flag", in: "tool grp leaf --nope", code: 2, stderr: "tool: error: unknown flag --nope (see 'tool grp leaf --help')\n"},
		{name: "malformed value", in: "tool grp leaf --num abc", code: 2, stderr: `tool: error: invalid value "abc" for flag -num`},
		{name: "missing required", in: "tool grp req", code: 2, stderr: "tool: error: missing required flag --must"},
		{name: "help", in: "tool grp leaf A --help", code: 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := new(seen)
			app := testApp(got, false)
			var stdout, stderr bytes.Buffer
			app.Writer, app.ErrWriter = &stdout, &stderr
			code := Run(context.Background(), app, strings.Fields(tc.in), errBadInput)
			if code != tc.code {
				t.Errorf("exit status: have %d, want %d (stderr %q)", code, tc.code, stderr.String())
			}
			if !strings.Contains(stderr.String(), tc.stderr) || (tc.stderr == "" && stderr.Len() > 0) {
				t.Errorf("stderr: have %q, want %q", stderr.String(), tc.stderr)
			}
			if tc.want != nil && (got.str != tc.want.str || got.num != tc.want.num || got.b != tc.want.b || strings.Join(got.args, " ") != strings.Join(tc.want.args, " ")) {
				t.Errorf("action read %+v, want %+v", *got, *tc.want)
			}
		})
	}
}

// TestDeriveEnv: every flag gets PREFIX_NAME unless it has its own variable.
func TestDeriveEnv(t *testing.T) {
	got := new(seen)
	app := testApp(got, false)
	DeriveEnv(app, "TOOL")
	leaf := app.Commands[0].Subcommands[0]
	if have := leaf.Flags[3].(*cli.StringFlag).EnvVars; len(have) != 1 || have[0] != "TOOL_P2P_ALLOWLIST" {
		t.Errorf("--p2p.allowlist: have %v, want [TOOL_P2P_ALLOWLIST]", have)
	}
	if have := app.Commands[0].Subcommands[1].Flags[0].(*cli.StringFlag).EnvVars; have[0] != "TOOL_TEST_MUST" || len(have) != 1 {
		t.Errorf("--must: have %v, want its own [TOOL_TEST_MUST]", have)
	}
	t.Setenv("TOOL_NUM", "42")
	app.Writer, app.ErrWriter = new(bytes.Buffer), new(bytes.Buffer)
	if code := Run(context.Background(), app, strings.Fields("tool grp leaf")); code != 0 || got.num != 42 {
		t.Errorf("TOOL_NUM=42: have exit %d, --num %d; want 0, 42", code, got.num)
	}
	defer func() {
		if recover() == nil {
			t.Error("DeriveEnv of an unknown flag type: no panic")
		}
	}()
	DeriveEnv(&cli.App{Flags: []cli.Flag{&cli.TimestampFlag{Name: "when"}}}, "TOOL")
}

// TestRunTwice: urfave/cli adds its help command to every command it runs;
// a second run of the same command tree (tests run commands in process)
// still takes arguments.
func TestRunTwice(t *testing.T) {
	got := new(seen)
	app := testApp(got, false)
	for i := range 2 {
		app.Writer, app.ErrWriter = new(bytes.Buffer), new(bytes.Buffer)
		if code := Run(context.Background(), app, strings.Fields("tool grp leaf A --b")); code != 0 || strings.Join(got.args, " ") != "A" {
			t.Fatalf("run %d: have exit %d, arguments %v; want 0, [A] (stderr %s)", i+1, code, got.args, app.ErrWriter)
		}
		app = &cli.App{Name: app.Name, Flags: app.Flags, Commands: app.Commands}
	}
}

func TestSplitList(t *testing.T) {
	for in, want := range map[string]string{"": "", "a": "a", " a , b ,,c ": "a|b|c", ",": ""} {
		if got := strings.Join(SplitList(in), "|"); got != want {
			t.Errorf("SplitList(%q) = %q, want %q", in, got, want)
		}
	}
}
