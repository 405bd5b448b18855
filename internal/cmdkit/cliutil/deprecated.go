package cliutil

import (
	"flag"

	"github.com/urfave/cli/v2"
)

// Deprecated is the old name of a renamed flag. Listed among a command's
// flags it is hidden from help; Normalize rewrites it to the new name, which
// the same command must take, and prints a warning.
type Deprecated struct {
	Name string // the old name, "allowlist"
	For  string // the new name, "p2p.allowlist"
}

// String implements cli.Flag; a deprecated name has no help line.
func (d *Deprecated) String() string { return "" }

// Apply implements cli.Flag. It registers nothing: Normalize has rewritten
// the name before the flags are parsed.
func (d *Deprecated) Apply(*flag.FlagSet) error { return nil }

// Names implements cli.Flag.
func (d *Deprecated) Names() []string { return []string{d.Name} }

// IsSet implements cli.Flag; the value is read under the new name.
func (d *Deprecated) IsSet() bool { return false }

// IsVisible implements cli.VisibleFlag: hidden from help.
func (d *Deprecated) IsVisible() bool { return false }

var _ cli.VisibleFlag = (*Deprecated)(nil)
