package main

import (
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/urfave/cli/v2"

	"github.com/citychain/citychain/internal/client/registry"
	"github.com/citychain/citychain/internal/cmdkit/cliutil"
)

// oneArg returns the command's single positional argument; what names it in
// the usage error ("HASH").
func oneArg(ctx *cli.Context, what string) (string, error) {
	if ctx.NArg() != 1 {
		return "", cliutil.Usagef("want one argument, %s; have %d", what, ctx.NArg())
	}
	return ctx.Args().First(), nil
}

// hashArg reads the single HASH argument.
func hashArg(ctx *cli.Context) (common.Hash, error) {
	s, err := oneArg(ctx, "the 0x-prefixed 32-byte hash")
	if err != nil {
		return common.Hash{}, err
	}
	h, err := registry.ParseHash(s)
	if err != nil {
		return h, cliutil.Usagef("%v", err)
	}
	return h, nil
}

// parseHash reads a 0x-prefixed 32-byte hex hash.
func parseHash(s string) (common.Hash, error) {
	b, err := hexutil.Decode(s)
	if err != nil || len(b) != common.HashLength {
		return common.Hash{}, fmt.Errorf("invalid hash %q: want 0x and 64 hex digits", s)
	}
	return common.BytesToHash(b), nil
}

// parseBlock reads a block number in decimal or 0x hex.
func parseBlock(s string) (uint64, error) {
	if strings.HasPrefix(s, "0x") {
		n, err := hexutil.DecodeUint64(s)
		if err != nil {
			return 0, fmt.Errorf("invalid number %q: %v", s, err)
		}
		return n, nil
	}
	n, err := strconv.ParseUint(s, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("invalid number %q: want a decimal or 0x hex block number", s)
	}
	return n, nil
}

// parseSlot reads a storage slot: a 32-byte hex hash or a decimal or 0x number.
func parseSlot(s string) (common.Hash, error) {
	if strings.HasPrefix(s, "0x") && len(s) == 66 {
		return parseHash(s)
	}
	n, err := parseBlock(s)
	if err != nil {
		return common.Hash{}, fmt.Errorf("invalid slot %q: want a 32-byte 0x hash or a number", s)
	}
	return common.BigToHash(new(big.Int).SetUint64(n)), nil
}

// parseTime reads an RFC 3339 time or +DURATION from now.
func parseTime(s string, now time.Time) (uint64, error) {
	if d, ok := strings.CutPrefix(s, "+"); ok {
		dur, err := time.ParseDuration(d)
		if err != nil || dur < 0 {
			return 0, fmt.Errorf("%q: want +DURATION such as +10m", s)
		}
		return uint64(now.Add(dur).Unix()), nil
	}
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		return 0, fmt.Errorf("%q: want RFC 3339 (2026-12-01T09:00:00Z) or +DURATION", s)
	}
	return uint64(t.Unix()), nil
}

// timeFlag reads the time flag f (RFC 3339 or +DURATION from now).
func timeFlag(ctx *cli.Context, f *cli.StringFlag, now time.Time) (uint64, error) {
	t, err := parseTime(ctx.String(f.Name), now)
	if err != nil {
		return 0, cliutil.Usagef("--%s %v", f.Name, err)
	}
	return t, nil
}

func u(v uint64) *big.Int { return new(big.Int).SetUint64(v) }
