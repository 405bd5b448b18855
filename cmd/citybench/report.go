package main

import (
	"encoding/json"
	"io"
	"os"

	"github.com/urfave/cli/v2"
)

// emitReport writes a report as JSON to --report, and as JSON or text to
// standard output.
func emitReport(c *cli.Context, rep any, text func(io.Writer) error) error {
	if path := c.String(reportFlag.Name); path != "" {
		f, err := os.Create(path)
		if err != nil {
			return err
		}
		err = writeIndented(f, rep)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			return err
		}
	}
	if c.Bool(jsonFlag.Name) {
		return writeIndented(os.Stdout, rep)
	}
	return text(os.Stdout)
}

// writeIndented writes v as indented JSON.
func writeIndented(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}
