package cliutil

import (
	"errors"
	"fmt"
)

// Exit statuses of every citychain command.
const (
	ExitOK     = 0 // success
	ExitFailed = 1 // a failed operation or a negative verification
	ExitUsage  = 2 // bad usage or input
)

// UsageError is bad usage of a command: it exits with status 2, and its
// message says where the command's help is.
type UsageError struct {
	Msg     string // what was wrong
	Command string // the command line's command path, "cityctl doc verify"
}

// Error implements error.
func (e *UsageError) Error() string {
	if e.Command == "" {
		return e.Msg
	}
	return fmt.Sprintf("%s (see '%s --help')", e.Msg, e.Command)
}

// ExitCode implements cli.ExitCoder.
func (e *UsageError) ExitCode() int { return ExitUsage }

// Usagef returns a usage error (exit status 2) for a command's action.
func Usagef(format string, args ...any) error {
	return &UsageError{Msg: fmt.Sprintf(format, args...)}
}

// ExitCode returns the exit status of an error a command returned: its own
// code if it carries one (cli.Exit, UsageError), 2 if it is one of the
// input errors (errors.Is), 1 otherwise.
func ExitCode(err error, input ...error) int {
	if err == nil {
		return ExitOK
	}
	var coder interface{ ExitCode() int }
	if errors.As(err, &coder) {
		return coder.ExitCode()
	}
	for _, in := range input {
		if errors.Is(err, in) {
			return ExitUsage
		}
	}
	return ExitFailed
}
