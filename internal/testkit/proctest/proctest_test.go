package proctest

import (
	"fmt"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"
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

// TestStart checks that Start collects the lines of both standard output
// and error, a line longer than bufio's default 64 KiB among them, before it
// reports the process done.
func TestStart(t *testing.T) {
	long := strings.Repeat("x", 100_000)
	var out Output
	done, err := Start(exec.Command("sh", "-c", "echo out; echo err >&2; echo "+long), &out)
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("sh did not exit within 10 s")
	}
	lines := strings.Split(out.String(), "\n")
	slices.Sort(lines)
	if have, want := lines, []string{"", "err", "out", long}; !slices.Equal(have, want) {
		t.Errorf("have %d lines %.40q, want the lines out, err and %d bytes, each ended", len(have), have, len(long))
	}
}
