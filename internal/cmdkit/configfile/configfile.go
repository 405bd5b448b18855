// Package configfile reads and writes the TOML configuration files of
// citychain's long-running commands (citynode, citygate): a file is decoded
// strictly, so that a misspelt key is an error naming the key and the
// command that prints every valid one, never a setting silently ignored.
package configfile

import (
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/BurntSushi/toml"
)

// Load decodes the TOML file at path into cfg, over the values cfg already
// holds (the defaults). tool names the command whose `dumpconfig` lists the
// valid keys, for the error about unknown ones.
func Load(path string, cfg any, tool string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("cannot read config file: %w: check --config, or write one with `%s dumpconfig > FILE`", err, tool)
	}
	md, err := toml.Decode(string(data), cfg)
	if err != nil {
		return fmt.Errorf("config file %s: %w", path, err)
	}
	if undecoded := md.Undecoded(); len(undecoded) > 0 {
		keys := make([]string, len(undecoded))
		for i, k := range undecoded {
			keys[i] = k.String()
		}
		return fmt.Errorf("config file %s: unknown keys %s: check their spelling against `%s dumpconfig`", path, strings.Join(keys, ", "), tool)
	}
	return nil
}

// Dump writes cfg to w as TOML, in the form Load reads back.
func Dump(w io.Writer, cfg any) error {
	return toml.NewEncoder(w).Encode(cfg)
}
