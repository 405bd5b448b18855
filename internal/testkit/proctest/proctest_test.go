package proctest

import (
	"fmt"
	"strings"
	"testing"
)

// recorder is a testing.TB that records how a helper ended the test.
type recorder struct {
	testing.TB
	fatal, skip string
}

func (r *recorder) Helper() {}

func (r *recorder) Fatal(args ...any) {
	r.fatal = fmt.Sprint(args...)
	panic(r)
}

func (r *recorder) Skip(args ...any) {
	r.skip = fmt.Sprint(args...)
	panic(r)
}

// tool runs Tool for a program that does not exist and reports how it ended.
func tool(t *testing.T) *recorder {
	r := &recorder{TB: t}
	func() {
		defer func() {
			if v := recover(); v != nil && v != any(r) {
				panic(v)
			}
		}()
		Tool(r, "citychain-no-such-tool", "apt-get install nothing")
	}()
	return r
}

// TestToolUnderCI: a missing tool fails the test whenever CI is set to a
// non-empty value (CI=1 as much as CI=true), and only skips it otherwise.
func TestToolUnderCI(t *testing.T) {
	for _, tt := range []struct {
		ci   string
		fail bool
	}{{"true", true}, {"1", true}, {"yes", true}, {"", false}} {
		t.Run("CI="+tt.ci, func(t *testing.T) {
			t.Setenv("CI", tt.ci)
			r := tool(t)
			if tt.fail && (r.fatal == "" || r.skip != "") {
				t.Fatalf("have fatal %q, skip %q; want a failure", r.fatal, r.skip)
			}
			if !tt.fail && (r.skip == "" || r.fatal != "") {
				t.Fatalf("have fatal %q, skip %q; want a skip", r.fatal, r.skip)
			}
			if msg := r.fatal + r.skip; !strings.Contains(msg, "apt-get install nothing") {
				t.Errorf("message %q: want the install command", msg)
			}
		})
	}
	if have := Tool(t, "go", "install Go"); have == "" {
		t.Error("Tool(go): have no path, want the go binary")
	}
}
