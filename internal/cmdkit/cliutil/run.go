package cliutil

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// Run runs app on args (os.Args) and returns the exit status: 0 on success,
// 1 for a failed operation, 2 for bad usage or input (a UsageError, an error
// with exit code 2, or one of the input errors per errors.Is). An error's
// message is printed on the app's ErrWriter as "NAME: error: MESSAGE".
func Run(ctx context.Context, app *cli.App, args []string, input ...error) int {
	prepare(app)
	ordered, err := Normalize(app, args, errWriter(app))
	if err == nil {
		err = app.RunContext(ctx, ordered)
	}
	if err != nil {
		if msg := err.Error(); msg != "" {
			fmt.Fprintf(errWriter(app), "%s: error: %s\n", app.Name, msg)
		}
	}
	return ExitCode(err, input...)
}

// Warnf prints a warning of the program name in the common style.
func Warnf(w io.Writer, name, format string, args ...any) {
	fmt.Fprintf(w, "%s: warning: %s\n", name, fmt.Sprintf(format, args...))
}

// prepare makes urfave/cli return errors instead of printing and exiting:
// Run prints them and the caller exits. A flag value that does not parse is
// a UsageError.
func prepare(app *cli.App) {
	app.ExitErrHandler = func(*cli.Context, error) {}
	app.OnUsageError = onUsageError
	walk(app.Commands, func(c *cli.Command) { c.OnUsageError = onUsageError })
}

func onUsageError(ctx *cli.Context, err error, _ bool) error {
	path := ctx.App.Name
	if ctx.Command != nil && ctx.Command.HelpName != "" {
		path = ctx.Command.HelpName
	}
	return &UsageError{Msg: err.Error(), Command: path}
}

func errWriter(app *cli.App) io.Writer {
	if app.ErrWriter != nil {
		return app.ErrWriter
	}
	return os.Stderr
}
