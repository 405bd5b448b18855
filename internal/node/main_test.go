package node

import (
	"context"
	"log/slog"
	"os"
	"runtime/debug"
	"testing"

	"github.com/ethereum/go-ethereum/log"
)

// TestMain makes a log.Crit visible. geth's root logger discards every
// record by default, and log.Crit exits the test binary with status 1 right
// after logging: a test ending so left no trace (ci19: "exit status 1"
// after 20 s, no test named). Now the record and the stack that logged it
// are written to stderr, which go test prints.
func TestMain(m *testing.M) {
	log.SetDefault(log.NewLogger(critStack{log.NewTerminalHandlerWithLevel(os.Stderr, log.LevelCrit, false)}))
	os.Exit(m.Run())
}

// critStack writes a critical record and the stack of the goroutine that
// logged it.
type critStack struct{ slog.Handler }

func (h critStack) Handle(ctx context.Context, r slog.Record) error {
	err := h.Handler.Handle(ctx, r)
	os.Stderr.Write(debug.Stack())
	return err
}

func (h critStack) WithAttrs(attrs []slog.Attr) slog.Handler {
	return critStack{h.Handler.WithAttrs(attrs)}
}

func (h critStack) WithGroup(name string) slog.Handler {
	return critStack{h.Handler.WithGroup(name)}
}
