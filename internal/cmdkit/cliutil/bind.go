package cliutil

import "github.com/urfave/cli/v2"

// Binding copies one flag into the configuration field it overrides, if the
// flag was set on the command line or in the environment: the last step of a
// command's configuration (defaults, then the TOML file, then what was set).
type Binding func(ctx *cli.Context)

// valueFlag is a urfave/cli flag that reads its own typed value: StringFlag,
// BoolFlag, IntFlag, Int64Flag, Uint64Flag, Float64Flag, DurationFlag, ...
type valueFlag[T any] interface {
	cli.Flag
	Get(ctx *cli.Context) T
}

// Bind ties a flag to dst: the flag's value replaces dst's if it was set.
func Bind[T any](f valueFlag[T], dst *T) Binding {
	name := f.Names()[0]
	return func(ctx *cli.Context) {
		if ctx.IsSet(name) {
			*dst = f.Get(ctx)
		}
	}
}

// BindList ties a comma-separated flag (--http.api eth,net) to a list: its
// items (SplitList) replace dst if it was set.
func BindList(f *cli.StringFlag, dst *[]string) Binding {
	return func(ctx *cli.Context) {
		if ctx.IsSet(f.Name) {
			*dst = SplitList(f.Get(ctx))
		}
	}
}

// BindLists ties a repeatable flag whose every value may itself be a
// comma-separated list (--rpc A --rpc B,C) to a list: the items of all its
// values, in order, replace dst if it was set.
func BindLists(f *cli.StringSliceFlag, dst *[]string) Binding {
	return func(ctx *cli.Context) {
		if !ctx.IsSet(f.Name) {
			return
		}
		var items []string
		for _, v := range f.Get(ctx) {
			items = append(items, SplitList(v)...)
		}
		*dst = items
	}
}

// ApplySet runs the bindings in order.
func ApplySet(ctx *cli.Context, bindings ...Binding) {
	for _, b := range bindings {
		b(ctx)
	}
}
