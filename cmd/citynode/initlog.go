package main

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"

	"github.com/ethereum/go-ethereum/log"
)

// freshHeadWarning is what go-ethereum's chain freezer logs when it finds no
// head block: on a data dir being initialised it runs before the genesis
// block is written, so the warning is untrue there (and alarming).
const freshHeadWarning = "Head block is not reachable"

// withoutFreshHeadWarning runs fn, which writes the genesis into dataDirs;
// if none of them holds a chain yet, go-ethereum's freshHeadWarning is left
// out of the log meanwhile. Where a data dir holds a chain the warning may
// be a real one and is shown.
func withoutFreshHeadWarning(dataDirs []string, fn func() error) error {
	for _, dir := range dataDirs {
		if _, err := os.Stat(filepath.Join(dir, "citynode", "chaindata")); err == nil {
			return fn()
		}
	}
	prev := log.Root()
	log.SetDefault(log.NewLogger(dropMessage{prev.Handler(), freshHeadWarning}))
	defer log.SetDefault(prev)
	return fn()
}

// dropMessage is a log handler passing every record to next but those with
// message msg.
type dropMessage struct {
	next slog.Handler
	msg  string
}

func (d dropMessage) Enabled(ctx context.Context, l slog.Level) bool { return d.next.Enabled(ctx, l) }

func (d dropMessage) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == d.msg {
		return nil
	}
	return d.next.Handle(ctx, r)
}

func (d dropMessage) WithAttrs(attrs []slog.Attr) slog.Handler {
	return dropMessage{d.next.WithAttrs(attrs), d.msg}
}

func (d dropMessage) WithGroup(name string) slog.Handler {
	return dropMessage{d.next.WithGroup(name), d.msg}
}
