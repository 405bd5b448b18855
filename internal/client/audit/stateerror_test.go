package audit

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// headCaller answers eth_blockNumber with head, or fails it if down.
type headCaller struct {
	head uint64
	down bool
}

func (c headCaller) CallContext(_ context.Context, result any, method string, _ ...any) error {
	if c.down || method != "eth_blockNumber" {
		return errors.New("connection refused")
	}
	*result.(*hexutil.Uint64) = hexutil.Uint64(c.head)
	return nil
}

// TestStateError: a block above the head is named as not sealed yet, never
// as needing an archive node; an older block keeps the archive hint.
func TestStateError(t *testing.T) {
	nodeErr := errors.New("header not found")
	for _, tc := range []struct {
		name       string
		c          headCaller
		block      uint64
		future     bool
		want, dont string
	}{
		{"future block", headCaller{head: 40}, 99, true, "block 99 is not sealed yet, the node's head is 40: ask for block 40 or lower", "archive"},
		{"next block", headCaller{head: 40}, 41, true, "not sealed yet", "archive"},
		{"head block", headCaller{head: 40}, 40, false, "old blocks need an archive node", "not sealed"},
		{"old block", headCaller{head: 40}, 3, false, "old blocks need an archive node", "not sealed"},
		{"head unknown", headCaller{down: true}, 99, false, "header not found (old blocks need an archive node", "not sealed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := StateError(context.Background(), tc.c, tc.block, nodeErr)
			if errors.Is(err, ErrFutureBlock) != tc.future {
				t.Errorf("errors.Is(ErrFutureBlock): have %v, want %v (%v)", !tc.future, tc.future, err)
			}
			if msg := err.Error(); !strings.Contains(msg, tc.want) || strings.Contains(msg, tc.dont) {
				t.Errorf("have %q, want it to contain %q and not %q", msg, tc.want, tc.dont)
			}
		})
	}
}
