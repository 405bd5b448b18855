package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mattn/go-isatty"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// emit prints a command's result: v as JSON with --json, else text.
func emit(ctx *cli.Context, v any, text func(w io.Writer) error) error {
	if ctx.Bool(jsonFlag.Name) {
		return writeJSON(ctx.App.Writer, v)
	}
	return text(ctx.App.Writer)
}

// warn prints a warning on standard error in cityctl's message style.
func warn(ctx *cli.Context, format string, args ...any) {
	cliutil.Warnf(ctx.App.ErrWriter, ctx.App.Name, format, args...)
}

// printTx prints a mined transaction: one line of text, or JSON with extra fields.
func printTx(ctx *cli.Context, tx *registry.Tx, text string, extra map[string]any) error {
	out := map[string]any{"action": tx.Action, "tx": tx.Hash, "from": tx.From, "block": tx.Block, "gasUsed": tx.GasUsed}
	for k, v := range extra {
		out[k] = v
	}
	return emit(ctx, out, func(w io.Writer) error {
		_, err := fmt.Fprintf(w, "%s (tx %s, block %d, gas %d)\n", text, tx.Hash.Hex(), tx.Block, tx.GasUsed)
		return err
	})
}

func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// writeOut writes data to the --out file, or to standard output.
func writeOut(ctx *cli.Context, data []byte) error {
	if path := ctx.String(outFlag.Name); path != "" {
		return os.WriteFile(path, data, 0o644)
	}
	_, err := ctx.App.Writer.Write(data)
	return err
}

// formatTime prints seconds since the Unix epoch as UTC, "-" for 0.
func formatTime(t uint64) string {
	if t == 0 {
		return "-"
	}
	return time.Unix(int64(t), 0).UTC().Format(time.RFC3339)
}

// isTerminal tells whether w is a terminal.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && isatty.IsTerminal(f.Fd())
}

// progressBar reports batch progress on w: a bar redrawn in place when w is
// a terminal, a plain line every 10% otherwise (logs, CI).
type progressBar struct {
	w        io.Writer
	tty      bool
	what     string
	lastTick int
}

func newProgress(w io.Writer, what string) *progressBar {
	return &progressBar{w: w, tty: isTerminal(w), what: what, lastTick: -1}
}

// update implements the progress callback of registry.BuildBatch.
func (p *progressBar) update(done, total int) {
	if total <= 0 {
		return
	}
	pct := done * 100 / total
	if p.tty {
		const width = 40
		fill := pct * width / 100
		fmt.Fprintf(p.w, "\r%s [%s%s] %3d%%", p.what, strings.Repeat("=", fill), strings.Repeat(" ", width-fill), pct)
		if done >= total {
			fmt.Fprintln(p.w)
		}
		return
	}
	if tick := pct / 10; tick > p.lastTick {
		p.lastTick = tick
		fmt.Fprintf(p.w, "%s: %d%% (%d/%d)\n", p.what, pct, done, total)
	}
}
