package cliutil

import (
	"flag"

	"github.com/urfave/cli/v2"
)

// Foreign is a flag another client takes (go-ethereum's geth, for an
// operator who knows it) that this command does not. Listed among a
// command's flags it is hidden from help; Normalize refuses it as an unknown
// flag, saying what to use instead.
type Foreign struct {
	Name string // the other client's name, "unlock"
	Hint string // what to use here, "name the signer with --signer ADDRESS and --password FILE"
}

// String implements cli.Flag; a foreign name has no help line.
func (f *Foreign) String() string { return "" }

// Apply implements cli.Flag. It registers nothing: Normalize refuses the
// flag before the flags are parsed.
func (f *Foreign) Apply(*flag.FlagSet) error { return nil }

// Names implements cli.Flag.
func (f *Foreign) Names() []string { return []string{f.Name} }

// IsSet implements cli.Flag; a foreign flag is never set.
func (f *Foreign) IsSet() bool { return false }

// IsVisible implements cli.VisibleFlag: hidden from help.
func (f *Foreign) IsVisible() bool { return false }

var _ cli.VisibleFlag = (*Foreign)(nil)
